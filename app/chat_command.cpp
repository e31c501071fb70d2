// emotune chat: the mood conversation in a terminal. Until the recommender exists it
// shows the mood it reads and the playlist request it would make.
#include <iostream>

#include <fmt/format.h>

#include "cli.h"
#include "emotune/mood_chat.h"
#include "emotune/text_emotion_model.h"

namespace emotune::cli {
namespace {

struct ChatArgs {
  std::string model;
  std::uint64_t seed = 1;
  bool json = false;
};

nlohmann::json RequestJson(const PlaylistRequest& r) {
  nlohmann::json j = {{"strategy", MoodStrategyName(r.strategy)},
                      {"emotion", EmotionName(r.mood.dominant())},
                      {"valence", r.mood.valence},
                      {"arousal", r.mood.arousal},
                      {"confidence", r.mood.confidence},
                      {"energy_shift", r.energy_shift},
                      {"valence_shift", r.valence_shift},
                      {"something_else", r.something_else},
                      {"genre", r.genre}};
  if (r.target) j["target"] = {{"valence", r.target->valence}, {"arousal", r.target->arousal}};
  if (r.target_emotion) j["target_emotion"] = EmotionName(*r.target_emotion);
  return j;
}

int RunChat(const ChatArgs& args) {
  auto model = TextEmotionModel::Load(FindModel("text-emotion.bin", args.model));
  if (!model.ok()) return Fail(model.status());
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
      if (turn->request) j["request"] = RequestJson(*turn->request);
      std::cout << j.dump() << '\n';
      continue;
    }
    fmt::print("emotune> {}\n", turn->reply);
    fmt::print("         [mood: {} {:.2f}, valence {:+.2f}, arousal {:+.2f}]\n", EmotionName(m.dominant()),
               m.confidence, m.valence, m.arousal);
    if (turn->request) fmt::print("         [playlist request: {}]\n", RequestJson(*turn->request).dump());
  }
  return kExitOk;
}

}  // namespace

void RegisterChatCommand(CommandRegistry& registry) {
  auto args = std::make_shared<ChatArgs>();
  CLI::App* cmd = registry.app.add_subcommand(
      "chat", "Talk about your day; Emotune reads your mood over several turns and says what it would play");
  cmd->add_option("--model", args->model, "Text model (default: the shipped models/text-emotion.bin)");
  cmd->add_option("--seed", args->seed, "Seed for the wording of replies (default 1)");
  cmd->add_flag("--json", args->json, "One JSON object per turn on stdout (for scripts)");
  registry.Add(cmd, [args] { return RunChat(*args); });
}

}  // namespace emotune::cli
