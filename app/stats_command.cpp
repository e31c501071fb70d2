// emotune stats: what the catalog holds.
#include <fmt/format.h>

#include "cli.h"

namespace emotune::cli {
namespace {

nlohmann::json StatsJson(const std::string& path, const CatalogStats& s, int schema) {
  nlohmann::json genres = nlohmann::json::array();
  for (const auto& [g, n] : s.top_genres) genres.push_back({{"genre", g}, {"tracks", n}});
  return {{"catalog", path},
          {"schema_version", schema},
          {"tracks", s.tracks},
          {"artists", s.artists},
          {"with_features", s.with_features},
          {"local_files", s.local_files},
          {"year_min", s.year_min ? nlohmann::json(*s.year_min) : nlohmann::json(nullptr)},
          {"year_max", s.year_max ? nlohmann::json(*s.year_max) : nlohmann::json(nullptr)},
          {"total_duration_ms", s.total_duration_ms},
          {"by_given_mood", s.by_given_mood},
          {"top_genres", std::move(genres)},
          {"feature_means", s.feature_means}};
}

int RunStats(const GlobalOptions& global, bool json) {
  const std::string path = DefaultCatalogPath(global.db);
  auto store = OpenCatalog(global);
  if (!store.ok()) return Fail(store.status());
  auto stats = (*store)->Stats();
  if (!stats.ok()) return Fail(stats.status());
  const CatalogStats& s = *stats;
  if (json) {
    PrintJson(StatsJson(path, s, (*store)->SchemaVersion()));
    return kExitOk;
  }
  fmt::print("catalog       {}\n", path);
  fmt::print("tracks        {} ({} with energy and valence, {} local files)\n", s.tracks, s.with_features,
             s.local_files);
  fmt::print("artists       {}\n", s.artists);
  if (s.year_min) fmt::print("years         {}–{}\n", *s.year_min, *s.year_max);
  fmt::print("total length  {:.1f} h\n", s.total_duration_ms / 3.6e6);
  if (!s.by_given_mood.empty()) {
    std::string moods;
    for (const auto& [m, n] : s.by_given_mood) moods += fmt::format("{}{} {}", moods.empty() ? "" : ", ", m, n);
    fmt::print("given moods   {}\n", moods);
  }
  if (!s.top_genres.empty()) {
    std::string genres;
    for (const auto& [g, n] : s.top_genres) genres += fmt::format("{}{} {}", genres.empty() ? "" : ", ", g, n);
    fmt::print("top genres    {}\n", genres);
  }
  for (const auto& [name, mean] : s.feature_means) fmt::print("mean {:<17}{:.3f}\n", name, mean);
  return kExitOk;
}

}  // namespace

void RegisterStatsCommand(CommandRegistry& registry) {
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = registry.app.add_subcommand("stats", "Summarise the catalog: counts, years, moods, genres, feature means");
  cmd->add_flag("--json", *json, "Print JSON");
  registry.Add(cmd, [&global = registry.global, json] { return RunStats(global, *json); });
}

}  // namespace emotune::cli
