#include "track_filter_options.h"

#include <fmt/format.h>

namespace emotune::cli {

void TrackFilterOptions::AddTo(CLI::App* command, std::size_t default_limit) {
  filter.limit = default_limit;
  command->add_option("--artist", filter.artist, "Only tracks credited to this artist (any credit, case-insensitive)");
  command->add_option("--genre", filter.genre, "Only this genre (case-insensitive)");
  command->add_option("--language", filter.language, "Only this language (as the catalog stores it, e.g. en)");
  command->add_option("--year", filter.year, "Release years: 1990..1999, 1990.., ..1999 or 1995");
  command->add_option("--mood", filter.mood, "Only tracks whose file gave this mood label (e.g. Happy), or an emotion "
                      "(joy, calm, sadness, …) meaning the label that stands for it");
  command->add_option("--ids", filter.ids, "Only these catalog ids, in this order (e.g. 3,5,8)");
  command->add_option("-n,--limit", filter.limit,
                      fmt::format("At most this many tracks, 0 for all (default {})", default_limit));
}

}  // namespace emotune::cli
