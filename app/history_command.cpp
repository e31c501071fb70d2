// emotune history: what a listener played. Players (the web app, or a script after
// a playlist ends) record plays with --played; later playlists for that listener
// hold the recent ones back (recommend --history).
#include <fmt/format.h>

#include "cli.h"

namespace emotune::cli {
namespace {

struct HistoryArgs {
  std::string user;
  std::vector<std::int64_t> played;
  std::size_t limit = 50;
  bool json = false;
};

int RunHistory(const GlobalOptions& global, const HistoryArgs& args) {
  auto store = OpenCatalog(global, /*create_if_missing=*/false);
  if (!store.ok()) return Fail(store.status());
  for (std::int64_t id : args.played)
    if (Status s = (*store)->AddPlay(args.user, id); !s.ok()) return Fail(s.WithContext("history: "));
  if (!args.played.empty() && !args.json) {
    fmt::print(stderr, "noted: {} played {} track{}\n", args.user, args.played.size(), args.played.size() == 1 ? "" : "s");
    return kExitOk;
  }
  auto recent = (*store)->RecentlyPlayed(args.user, args.limit);
  if (!recent.ok()) return Fail(recent.status());
  nlohmann::json tracks = nlohmann::json::array();
  for (std::int64_t id : *recent) {
    auto track = (*store)->GetTrack(id);
    if (!track.ok()) continue;  // played, then removed from the catalog
    if (args.json) tracks.push_back({{"id", id}, {"title", track->title}, {"artist", track->ArtistLine()}});
    else fmt::print("{:>8}  {} — {}\n", id, track->title, track->ArtistLine());
  }
  if (args.json) PrintJson({{"user", args.user}, {"recently_played", tracks}});
  return kExitOk;
}

}  // namespace

void RegisterHistoryCommand(CommandRegistry& registry) {
  auto args = std::make_shared<HistoryArgs>();
  CLI::App* cmd = registry.app.add_subcommand(
      "history", "Record or list what a listener played; their playlists hold recent plays back");
  cmd->add_option("--user", args->user, "The listener")->required();
  cmd->add_option("--played", args->played, "Record that the listener played these tracks (catalog ids), in order");
  cmd->add_option("-n,--limit", args->limit, "How many recent tracks to list (default 50)")->check(CLI::Range(1, 100000));
  cmd->add_flag("--json", args->json, "Print JSON");
  registry.Add(cmd, [&global = registry.global, args] { return RunHistory(global, *args); });
}

}  // namespace emotune::cli
