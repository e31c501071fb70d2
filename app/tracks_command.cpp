// emotune tracks: list and filter the catalog.
#include <cstdio>

#include <fmt/format.h>

#include "cli.h"
#include "emotune/track_json.h"
#include "track_filter_options.h"

namespace emotune::cli {
namespace {

struct TracksArgs {
  TrackFilterOptions filters;
  bool json = false;
};

std::string Num(const std::optional<double>& v, const char* format) {
  return v ? fmt::format(fmt::runtime(format), *v) : "-";
}

int RunTracks(const GlobalOptions& global, const TracksArgs& args) {
  auto query = args.filters.ToQuery();
  if (!query.ok()) return UsageError(query.status().message());
  auto store = OpenCatalog(global);
  if (!store.ok()) return Fail(store.status());
  auto tracks = (*store)->FindTracks(*query);
  if (!tracks.ok()) return Fail(tracks.status());
  auto total = (*store)->CountTracks(*query);
  if (!total.ok()) return Fail(total.status());
  if (args.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& t : *tracks) list.push_back(TrackToJson(t));
    PrintJson({{"count", tracks->size()}, {"total", *total}, {"tracks", std::move(list)}});
    return kExitOk;
  }
  if (tracks->empty()) {
    fmt::print(stderr, "no tracks match\n");
    return kExitOk;
  }
  fmt::print("{:>7}  {}  {}  {:>4}  {}  {}  {:>6}  {:>6}  {:>5}\n", "id", Fit("title", 32), Fit("artist", 22),
             "year", Fit("genre", 10), Fit("mood", 9), "energy", "valnce", "bpm");
  for (const auto& t : *tracks) {
    const AudioFeatures& f = t.features;
    fmt::print("{:>7}  {}  {}  {:>4}  {}  {}  {:>6}  {:>6}  {:>5}\n", t.id, Fit(t.title, 32),
               Fit(t.ArtistLine(), 22), t.release_year ? std::to_string(*t.release_year) : "-",
               Fit(t.genre.empty() ? "-" : t.genre, 10), Fit(t.given_mood.empty() ? "-" : t.given_mood, 9),
               Num(f.energy, "{:.2f}"), Num(f.spotify_valence, "{:.2f}"), Num(f.tempo_bpm, "{:.0f}"));
  }
  std::fflush(stdout);  // the table before the note, when both go to one terminal
  if (static_cast<std::int64_t>(tracks->size()) < *total)
    fmt::print(stderr, "{} of {} matching tracks shown (use --limit 0 for all)\n", tracks->size(), *total);
  return kExitOk;
}

}  // namespace

void RegisterTracksCommand(CommandRegistry& registry) {
  auto args = std::make_shared<TracksArgs>();
  CLI::App* cmd = registry.app.add_subcommand("tracks", "List the catalog's tracks, filtered");
  args->filters.AddTo(cmd, 50);
  cmd->add_flag("--json", args->json, "Print JSON: {count, total, tracks: […]}");
  registry.Add(cmd, [&global = registry.global, args] { return RunTracks(global, *args); });
}

}  // namespace emotune::cli
