// emotune chat: the mood conversation in a terminal; when it knows enough it answers
// with a playlist from the catalog, and "more upbeat", "calmer", "something else"
// change the next one.
#include <iostream>

#include <fmt/format.h>

#include "cli.h"
#include "emotune/chat_playlist.h"
#include "emotune/mood_chat.h"
#include "emotune/recommender.h"
#include "emotune/text_emotion_model.h"

namespace emotune::cli {
namespace {

struct ChatArgs {
  std::string model;
  std::uint64_t seed = 1;
  std::size_t count = 10;
  std::string user;
  bool json = false;
};

int RunChat(const GlobalOptions& global, const ChatArgs& args) {
  auto model = TextEmotionModel::Load(FindModel("text-emotion.bin", args.model));
  if (!model.ok()) return Fail(model.status());
  // Without a catalog the chat still talks and shows its requests.
  auto store = OpenCatalog(global, /*create_if_missing=*/false);
  RecommendOptions recommend;
  recommend.count = args.count;
  recommend.seed = args.seed;
  recommend.user = args.user;
  ChatPlaylist playlists(recommend);
  const auto playlist = [&](const PlaylistRequest& request) -> Result<Recommendation> {
    if (!store.ok()) return store.status();
    return playlists.Answer(**store, request);
  };
  ChatOptions options;
  options.seed = args.seed;
  MoodChat chat(**model, options);
  const auto say = [&](const std::string& text) {
    if (args.json) std::cout << nlohmann::json{{"reply", text}}.dump() << '\n';  // one object per line
    else fmt::print("emotune> {}\n", text);
  };
  say(chat.Greeting());
  std::string line;
  while (true) {
    if (!args.json) {
      fmt::print("you> ");
      std::fflush(stdout);
    }
    if (!std::getline(std::cin, line)) break;
    if (line == "quit" || line == "exit" || line == "bye") break;
    auto turn = chat.Respond(line);
    if (!turn.ok()) {
      if (!args.json) fmt::print("emotune> (say something, or 'quit' to leave)\n");
      continue;
    }
    const MoodEstimate& m = turn->mood;
    if (args.json) {
      nlohmann::json j = {{"turn", turn->turn},
                          {"reply", turn->reply},
                          {"move", ChatMoveName(turn->move)},
                          {"ready", turn->ready},
                          {"mood", {{"emotion", EmotionName(m.dominant())},
                                    {"confidence", m.confidence},
                                    {"valence", m.valence},
                                    {"arousal", m.arousal}}}};
      if (turn->request) {
        j["request"] = PlaylistRequestToJson(*turn->request);
        if (auto rec = playlist(*turn->request); rec.ok()) {
          nlohmann::json tracks = nlohmann::json::array();
          for (const auto& slot : rec->slots)
            tracks.push_back({{"id", slot.track.id}, {"title", slot.track.title},
                              {"artists", slot.track.artists}, {"reason", slot.reason}});
          j["playlist"] = {{"tracks", std::move(tracks)}, {"note", rec->note}};
        }
      }
      std::cout << j.dump() << '\n';
      continue;
    }
    fmt::print("emotune> {}\n", turn->reply);
    fmt::print("         [mood: {} {:.2f}, valence {:+.2f}, arousal {:+.2f}]\n", EmotionName(m.dominant()),
               m.confidence, m.valence, m.arousal);
    if (!turn->request) continue;
    auto rec = playlist(*turn->request);
    if (!rec.ok()) {
      fmt::print("         [playlist request: {}]\n         ({})\n", PlaylistRequestToJson(*turn->request).dump(),
                 rec.status().message());
      continue;
    }
    for (std::size_t i = 0; i < rec->slots.size(); ++i)
      fmt::print("         {:>2}. {} — {}  ({})\n", i + 1, rec->slots[i].track.ArtistLine(), rec->slots[i].track.title,
                 rec->slots[i].reason);
    if (!rec->note.empty()) fmt::print("         ({})\n", rec->note);
  }
  return kExitOk;
}

}  // namespace

void RegisterChatCommand(CommandRegistry& registry) {
  auto args = std::make_shared<ChatArgs>();
  CLI::App* cmd = registry.app.add_subcommand(
      "chat", "Talk about your day; Emotune reads your mood over several turns and plays to it");
  cmd->add_option("--model", args->model, "Text model (default: the shipped models/text-emotion.bin)");
  cmd->add_option("--seed", args->seed, "Seed for the wording of replies and the playlist's ties (default 1)");
  cmd->add_option("--user", args->user, "Shape playlists by this listener's feedback (emotune feedback)");
  cmd->add_option("-n,--count", args->count, "Tracks per playlist (default 10)")->check(CLI::Range(1, 200));
  cmd->add_flag("--json", args->json, "One JSON object per turn on stdout (for scripts)");
  registry.Add(cmd, [&global = registry.global, args] { return RunChat(global, *args); });
}

}  // namespace emotune::cli
