// The track filters `tracks` and `export` share (--artist, --genre, --language,
// --year A..B, --mood, --limit), so both accept and check them the same way.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "emotune/catalog_store.h"
#include "emotune/status.h"

namespace emotune::cli {

struct TrackFilterOptions {
  std::string artist, genre, language, year, mood;
  std::size_t limit = 0;
  std::string ids;  // "3,5,8"

  void AddTo(CLI::App* command, std::size_t default_limit);
  // The query these options ask for; InvalidArgument for a malformed --year or --ids.
  Result<TrackQuery> ToQuery() const;
};

// "1990..1999", "1990..", "..1999" or "1995" → inclusive bounds.
Status ParseYearRange(const std::string& text, TrackQuery* query);

}  // namespace emotune::cli
