// emotune feedback: a listener's like, skip or dislike of a track, kept in the catalog
// and used by their later playlists (recommend --user, chat --user).
#include <fmt/format.h>

#include "cli.h"

namespace emotune::cli {
namespace {

struct FeedbackArgs {
  std::string user;
  std::int64_t track = 0;
  std::string kind;
  bool list = false;
  bool json = false;
};

int RunFeedback(const GlobalOptions& global, const FeedbackArgs& args) {
  auto store = OpenCatalog(global, /*create_if_missing=*/false);
  if (!store.ok()) return Fail(store.status());
  if (args.list) {
    auto events = (*store)->UserFeedback(args.user);
    if (!events.ok()) return Fail(events.status());
    nlohmann::json list = nlohmann::json::array();
    for (const auto& e : *events)
      list.push_back({{"track_id", e.track_id}, {"kind", FeedbackKindName(e.kind)}, {"at", e.at}});
    if (args.json) PrintJson({{"user", args.user}, {"feedback", list}});
    else
      for (const auto& e : *events) fmt::print("{:>8}  {}\n", e.track_id, FeedbackKindName(e.kind));
    return kExitOk;
  }
  if (args.kind.empty() || args.track <= 0)
    return UsageError("feedback: give --track ID and like, skip or dislike (or --list)");
  auto kind = ParseFeedbackKind(args.kind);
  if (!kind.ok()) return UsageError("feedback: " + kind.status().message());
  if (Status s = (*store)->AddFeedback(args.user, args.track, *kind); !s.ok()) return Fail(s.WithContext("feedback: "));
  if (args.json) PrintJson({{"user", args.user}, {"track_id", args.track}, {"kind", FeedbackKindName(*kind)}});
  else fmt::print(stderr, "noted: {} {}s track {}\n", args.user, FeedbackKindName(*kind), args.track);
  return kExitOk;
}

}  // namespace

void RegisterFeedbackCommand(CommandRegistry& registry) {
  auto args = std::make_shared<FeedbackArgs>();
  CLI::App* cmd = registry.app.add_subcommand(
      "feedback", "Tell Emotune a listener likes, skipped or dislikes a track; their later playlists follow it");
  cmd->add_option("--user", args->user, "The listener")->required();
  cmd->add_option("--track", args->track, "Catalog id of the track (see emotune tracks)");
  cmd->add_option("kind", args->kind, "like, skip or dislike");
  cmd->add_flag("--list", args->list, "List the listener's feedback instead");
  cmd->add_flag("--json", args->json, "Print JSON");
  registry.Add(cmd, [&global = registry.global, args] { return RunFeedback(global, *args); });
}

}  // namespace emotune::cli
