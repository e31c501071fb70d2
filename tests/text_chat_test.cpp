// MoodChat: whole conversations driven from tests/data/chat/*.conv, the request
// recogniser's rules, and the engine's contracts (determinism, blank and broken
// input, options, reset).
//
// The chat reads moods through a FakeReader — a keyword lexicon with simple
// negation — so these tests pin down the dialogue logic, not the classifier.
//
// Conversation files (.conv), one conversation each, read top to bottom:
//   # comment                 ignored, as are blank lines
//   option seed N             ChatOptions, before the first line: seed,
//   option max_questions N    max_questions, ready_confidence
//   > text                    the listener says `text` (after "> "). \xHH is a raw
//                             byte (to write invalid UTF-8), \\ a backslash. A bare
//                             ">" sends the empty line.
//   expect ...                checked against the state after the line above it:
//     ready | not_ready               whether the chat is ready now
//     ready_turn N | never_ready      checked at the end: the first turn that was ready
//     emotion E | not_emotion E       the fused mood's dominant emotion
//     strategy S                      the latest request handed out (match, uplift, …)
//     target E                        that request's target emotion
//     genre G                         that request's genre
//     request | no_request            whether this turn handed out a request
//     energy_shift +|-|0              this turn's request's energy shift (sign)
//     valence_shift +|-|0             … valence shift
//     something_else                  this turn's request asks for different tracks
//     move M                          what the chat did (ask_open, ask_conflict, …)
//     heard S | heard none            the strategy the recogniser heard in this line
//     confidence < X | confidence >= X  the fused confidence
//     reply_contains "text"           the reply (before any line: the greeting),
//                                     ignoring ASCII case
//     error                           the line above was rejected (no turn taken)
// EMOTUNE_CHAT_TRANSCRIPT=1 in the environment prints every conversation.
#include <algorithm>
#include <array>
#include <cstdlib>
#include <iostream>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "emotune/ascii_text.h"
#include "emotune/mood_chat.h"
#include "emotune/utf8.h"
#include "text/chat_requests.h"

namespace emotune {
namespace {

// ---- FakeReader --------------------------------------------------------------------

// A deterministic stand-in for the text classifier: strong cue words add 0.45 to
// their emotion, weak ones 0.2; a negator up to three words before a cue (same
// clause) flips it — a pleasant feeling becomes sadness, an unpleasant one becomes
// calm (relief) at half weight. Intensifiers ("so", "really") and "!" raise
// confidence. No cue: neutral at 0.1. "calm" and "joyful" are left out on purpose so
// that "play something calm" is a request, not a mood report.
//   confidence = min(0.95, 0.2 + Σ weights + 0.15·intensifiers + 0.05·[has "!"])
//                · (0.5 + 0.5 · DistributionConfidence)
class FakeReader : public TextMoodReader {
 public:
  Result<MoodEstimate> ReadMood(std::string_view text) const override {
    if (TrimSpace(text).empty()) return Status::InvalidArgument("no text");
    const std::vector<chat::Word> words = chat::SplitWords(text);
    EmotionDistribution mass{};
    double cues = 0;
    int intensifiers = 0;
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (kIntensifiers.count(words[i].text)) ++intensifiers;
      const auto cue = kCues.find(words[i].text);
      if (cue == kCues.end()) continue;
      Emotion emotion = cue->second.first;
      double weight = cue->second.second;
      if (NegatedAt(words, i)) {
        const bool pleasant = EmotionPlace(emotion).valence > 0;
        emotion = pleasant ? Emotion::kSadness : Emotion::kCalm;
        if (!pleasant) weight /= 2;
      }
      mass[EmotionIndex(emotion)] += weight;
      cues += weight;
    }
    if (cues == 0) {
      EmotionDistribution neutral{};
      neutral[EmotionIndex(Emotion::kNeutral)] = 1;
      return MoodEstimate::FromDistribution(neutral, 0.1, "fake");
    }
    const bool bang = text.find('!') != std::string_view::npos;
    const double strength = std::min(0.95, 0.2 + cues + 0.15 * intensifiers + (bang ? 0.05 : 0));
    return MoodEstimate::FromDistribution(
        mass, strength * (0.5 + 0.5 * DistributionConfidence(mass)), "fake");
  }

 private:
  static bool NegatedAt(const std::vector<chat::Word>& words, std::size_t i) {
    for (std::size_t j = i, looked = 0; j-- > 0 && looked < 3; ++looked) {
      if (words[j].clause != words[i].clause) return false;
      const std::string& w = words[j].text;
      if (w == "not" || w == "no" || w == "never" || w == "dont" || w == "cant" ||
          w.ends_with("n't"))
        return true;
    }
    return false;
  }

  static constexpr double kStrong = 0.45;
  static constexpr double kWeak = 0.2;
  inline static const std::map<std::string, std::pair<Emotion, double>, std::less<>> kCues = {
      {"happy", {Emotion::kJoy, kStrong}},        {"thrilled", {Emotion::kJoy, kStrong}},
      {"excited", {Emotion::kJoy, kStrong}},      {"delighted", {Emotion::kJoy, kStrong}},
      {"ecstatic", {Emotion::kJoy, kStrong}},     {"glad", {Emotion::kJoy, kStrong}},
      {"great", {Emotion::kJoy, kWeak}},          {"good", {Emotion::kJoy, kWeak}},
      {"nice", {Emotion::kJoy, kWeak}},           {"awesome", {Emotion::kJoy, kWeak}},
      {"job", {Emotion::kJoy, kWeak}},            {"promoted", {Emotion::kJoy, kWeak}},
      {"won", {Emotion::kJoy, kWeak}},            {"yay", {Emotion::kJoy, kWeak}},
      {"sad", {Emotion::kSadness, kStrong}},      {"depressed", {Emotion::kSadness, kStrong}},
      {"miserable", {Emotion::kSadness, kStrong}}, {"heartbroken", {Emotion::kSadness, kStrong}},
      {"devastated", {Emotion::kSadness, kStrong}}, {"crying", {Emotion::kSadness, kStrong}},
      {"cry", {Emotion::kSadness, kStrong}},      {"lonely", {Emotion::kSadness, kStrong}},
      {"unhappy", {Emotion::kSadness, kStrong}},  {"down", {Emotion::kSadness, kWeak}},
      {"blue", {Emotion::kSadness, kWeak}},       {"lost", {Emotion::kSadness, kWeak}},
      {"scared", {Emotion::kFear, kStrong}},      {"afraid", {Emotion::kFear, kStrong}},
      {"terrified", {Emotion::kFear, kStrong}},   {"anxious", {Emotion::kFear, kStrong}},
      {"worried", {Emotion::kFear, kStrong}},     {"nervous", {Emotion::kFear, kStrong}},
      {"stressed", {Emotion::kFear, kWeak}},      {"angry", {Emotion::kAnger, kStrong}},
      {"furious", {Emotion::kAnger, kStrong}},    {"mad", {Emotion::kAnger, kStrong}},
      {"livid", {Emotion::kAnger, kStrong}},      {"hate", {Emotion::kAnger, kStrong}},
      {"annoyed", {Emotion::kAnger, kWeak}},      {"irritated", {Emotion::kAnger, kWeak}},
      {"love", {Emotion::kLove, kStrong}},        {"adore", {Emotion::kLove, kStrong}},
      {"relaxed", {Emotion::kCalm, kStrong}},     {"peaceful", {Emotion::kCalm, kStrong}},
      {"serene", {Emotion::kCalm, kStrong}},      {"content", {Emotion::kCalm, kStrong}},
      {"surprised", {Emotion::kSurprise, kStrong}}, {"shocked", {Emotion::kSurprise, kStrong}},
      {"amazed", {Emotion::kSurprise, kStrong}},  {"wow", {Emotion::kSurprise, kWeak}},
      {"disgusted", {Emotion::kDisgust, kStrong}}, {"gross", {Emotion::kDisgust, kStrong}},
      {"disgusting", {Emotion::kDisgust, kStrong}}, {"yuck", {Emotion::kDisgust, kWeak}},
  };
  inline static const std::set<std::string, std::less<>> kIntensifiers = {
      "very", "so", "really", "extremely", "super", "totally", "incredibly", "absolutely"};
};

// Records what the chat passed on, for the input-repair tests.
class SpyReader : public TextMoodReader {
 public:
  Result<MoodEstimate> ReadMood(std::string_view text) const override {
    seen.emplace_back(text);
    return fake.ReadMood(text);
  }
  mutable std::vector<std::string> seen;  // single-threaded tests only
  FakeReader fake;
};

class FailingReader : public TextMoodReader {
 public:
  Result<MoodEstimate> ReadMood(std::string_view) const override {
    return Status::Unsupported("model not loaded");
  }
};

// ---- conversation files ------------------------------------------------------------

std::filesystem::path ChatDataDir() {
  return std::filesystem::path(__FILE__).parent_path() / "data" / "chat";
}

std::vector<std::string> ConversationFiles() {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(ChatDataDir(), ec)) {
    if (entry.path().extension() == ".conv") files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// "\xHH" → that byte, "\\" → backslash; anything else verbatim.
std::string Unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '\\') {
      out += '\\';
      ++i;
    } else if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x') {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 2, 2)), nullptr, 16));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string Quoted(std::string_view rest) {
  rest = TrimSpace(rest);
  if (rest.size() >= 2 && rest.front() == '"' && rest.back() == '"') {
    rest = rest.substr(1, rest.size() - 2);
  }
  return std::string(rest);
}

bool SignMatches(double value, std::string_view sign) {
  if (sign == "+") return value > 0;
  if (sign == "-") return value < 0;
  if (sign == "0") return value == 0;
  ADD_FAILURE() << "sign must be +, - or 0, got '" << sign << "'";
  return false;
}

class ChatConversationTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ChatConversationTest, PlaysOut) {
  const std::filesystem::path path = ChatDataDir() / GetParam();
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "cannot open " << path;

  FakeReader reader;
  ChatOptions options;
  std::optional<MoodChat> chat;
  auto started = [&]() -> MoodChat& {
    if (!chat) chat.emplace(reader, options);
    return *chat;
  };

  std::optional<ChatTurn> last;   // the latest accepted turn
  bool last_failed = false;        // the latest line was rejected
  std::string last_reply;          // the latest reply, or the greeting
  std::optional<int> first_ready;
  std::optional<int> want_ready_turn;
  bool want_never_ready = false;
  bool any_line = false;

  // EMOTUNE_CHAT_TRANSCRIPT=1 prints each conversation, to read the replies.
  const bool transcript = std::getenv("EMOTUNE_CHAT_TRANSCRIPT") != nullptr;
  std::string raw;
  int line_no = 0;
  while (std::getline(in, raw)) {
    ++line_no;
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    const std::string where = path.filename().string() + ":" + std::to_string(line_no);
    const std::string_view line = TrimSpace(raw);
    if (line.empty() || line.front() == '#') continue;

    if (line.front() == '>') {
      std::string_view said = std::string_view(raw).substr(raw.find('>') + 1);
      if (!said.empty() && said.front() == ' ') said.remove_prefix(1);
      if (!any_line && transcript) std::cout << "chat: " << started().Greeting() << "\n";
      Result<ChatTurn> turn = started().Respond(Unescape(said));
      any_line = true;
      if (transcript) {
        std::string note;
        if (turn.ok() && turn->request) {
          note = "   [request " + std::string(MoodStrategyName(turn->request->strategy)) + "]";
        }
        std::cout << "  you: " << said.substr(0, 80) << "\n"
                  << "chat: " << (turn.ok() ? turn->reply : "(error) " + turn.status().message())
                  << note << "\n";
      }
      last_failed = !turn.ok();
      if (turn.ok()) {
        last = *turn;
        last_reply = turn->reply;
        if (turn->ready && !first_ready) first_ready = turn->turn;
      }
      continue;
    }

    std::istringstream words{std::string(line)};
    std::string keyword, what;
    words >> keyword >> what;
    std::string rest;
    std::getline(words, rest);
    rest = std::string(TrimSpace(rest));
    SCOPED_TRACE(where + ": " + std::string(line));

    if (keyword == "option") {
      ASSERT_FALSE(chat.has_value()) << "options go before the first line";
      if (what == "seed") options.seed = std::stoull(rest);
      else if (what == "max_questions") options.max_questions = std::stoi(rest);
      else if (what == "ready_confidence") options.ready_confidence = std::stod(rest);
      else FAIL() << "unknown option '" << what << "'";
      continue;
    }
    ASSERT_EQ(keyword, "expect") << "lines start with #, >, option or expect";

    if (what == "reply_contains") {
      if (!any_line) last_reply = started().Greeting();
      EXPECT_THAT(AsciiLower(last_reply), ::testing::HasSubstr(AsciiLower(Quoted(rest))));
      continue;
    }
    if (what == "ready_turn") {
      want_ready_turn = std::stoi(rest);
      continue;
    }
    if (what == "never_ready") {
      want_never_ready = true;
      continue;
    }
    if (what == "error") {
      EXPECT_TRUE(last_failed) << "the line was accepted";
      continue;
    }
    ASSERT_TRUE(chat.has_value()) << "'expect " << what << "' needs a line before it";
    const MoodChat& c = *chat;
    const std::optional<PlaylistRequest>& latest = c.last_request();
    const std::optional<PlaylistRequest> now = last ? last->request : std::nullopt;

    if (what == "ready") {
      EXPECT_TRUE(c.ready());
    } else if (what == "not_ready") {
      EXPECT_FALSE(c.ready());
    } else if (what == "emotion") {
      EXPECT_EQ(EmotionName(c.mood().dominant()), rest);
    } else if (what == "not_emotion") {
      EXPECT_NE(EmotionName(c.mood().dominant()), rest);
    } else if (what == "strategy") {
      ASSERT_TRUE(latest.has_value()) << "no request handed out yet";
      EXPECT_EQ(MoodStrategyName(latest->strategy), rest);
    } else if (what == "target") {
      ASSERT_TRUE(latest.has_value()) << "no request handed out yet";
      ASSERT_TRUE(latest->target_emotion.has_value());
      EXPECT_EQ(EmotionName(*latest->target_emotion), rest);
      ASSERT_TRUE(latest->target.has_value());
      EXPECT_EQ(latest->target->valence, EmotionPlace(*latest->target_emotion).valence);
    } else if (what == "genre") {
      ASSERT_TRUE(latest.has_value()) << "no request handed out yet";
      EXPECT_EQ(latest->genre, rest);
    } else if (what == "request") {
      EXPECT_TRUE(now.has_value());
    } else if (what == "no_request") {
      EXPECT_FALSE(now.has_value());
    } else if (what == "energy_shift" || what == "valence_shift") {
      ASSERT_TRUE(now.has_value()) << "this turn handed out no request";
      const double shift = what == "energy_shift" ? now->energy_shift : now->valence_shift;
      EXPECT_TRUE(SignMatches(shift, rest)) << what << " = " << shift;
    } else if (what == "something_else") {
      ASSERT_TRUE(now.has_value()) << "this turn handed out no request";
      EXPECT_TRUE(now->something_else);
    } else if (what == "move") {
      ASSERT_TRUE(last.has_value());
      EXPECT_EQ(ChatMoveName(last->move), rest);
    } else if (what == "heard") {
      ASSERT_TRUE(last.has_value());
      const std::string heard =
          last->heard.strategy ? std::string(MoodStrategyName(*last->heard.strategy)) : "none";
      EXPECT_EQ(heard, rest);
    } else if (what == "confidence") {
      std::istringstream cmp(rest);
      std::string op;
      double bound = 0;
      cmp >> op >> bound;
      if (op == "<") {
        EXPECT_LT(c.mood().confidence, bound);
      } else if (op == ">=") {
        EXPECT_GE(c.mood().confidence, bound);
      } else {
        ADD_FAILURE() << "confidence takes < or >=";
      }
    } else {
      ADD_FAILURE() << "unknown expectation '" << what << "'";
    }
  }

  ASSERT_TRUE(any_line) << path << " has no '>' lines";
  if (want_ready_turn) {
    ASSERT_TRUE(first_ready.has_value()) << path << ": never became ready";
    EXPECT_EQ(*first_ready, *want_ready_turn) << path;
  }
  if (want_never_ready) {
    EXPECT_FALSE(first_ready.has_value()) << path << ": ready at turn " << first_ready.value_or(0);
  }
}

std::string FixtureName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = std::filesystem::path(info.param).stem().string();
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Files, ChatConversationTest, ::testing::ValuesIn(ConversationFiles()),
                         FixtureName);

TEST(ChatConversationFilesTest, AtLeastTwentyTwo) {
  EXPECT_GE(ConversationFiles().size(), 22u) << "in " << ChatDataDir();
}

// ---- the request recogniser ----------------------------------------------------------

struct RequestCase {
  const char* text;
  std::optional<MoodStrategy> strategy;
  std::optional<Emotion> target = std::nullopt;
  double energy_sign = 0;   // sign of energy_shift
  double valence_sign = 0;  // sign of valence_shift
  bool something_else = false;
  const char* genre = "";
  bool negated = false;
};

void PrintTo(const RequestCase& c, std::ostream* os) { *os << '"' << c.text << '"'; }

class ChatRequestTest : public ::testing::TestWithParam<RequestCase> {};

double Sign(double x) { return x > 0 ? 1 : x < 0 ? -1 : 0; }

TEST_P(ChatRequestTest, Recognizes) {
  const RequestCase& c = GetParam();
  const ExplicitRequest r = chat::RecognizeRequest(c.text);
  EXPECT_EQ(r.strategy, c.strategy);
  EXPECT_EQ(r.target_emotion, c.target);
  EXPECT_EQ(Sign(r.energy_shift), c.energy_sign) << r.energy_shift;
  EXPECT_EQ(Sign(r.valence_shift), c.valence_sign) << r.valence_shift;
  EXPECT_EQ(r.something_else, c.something_else);
  EXPECT_EQ(r.genre, c.genre);
  EXPECT_EQ(r.negated, c.negated);
  EXPECT_LE(std::abs(r.energy_shift), 1.0);
  EXPECT_LE(std::abs(r.valence_shift), 1.0);
}

constexpr auto kMatch = MoodStrategy::kMatch;
constexpr auto kUplift = MoodStrategy::kUplift;
constexpr auto kCalm = MoodStrategy::kCalm;
constexpr auto kEnergize = MoodStrategy::kEnergize;
constexpr auto kTarget = MoodStrategy::kTarget;

const RequestCase kRequestCases[] = {
    // calm
    {"play something calm", kCalm},
    {"Can you calm me down?", kCalm},
    {"I need to relax", kCalm},
    {"help me unwind after work", kCalm},
    {"something peaceful please", kCalm},
    // uplift
    {"cheer me up", kUplift},
    {"please make me happy", kUplift},
    {"lift my mood a little", kUplift},
    {"I just want to feel better", kUplift},
    {"CHEER ME UP!!!", kUplift},
    {"cheer me up, I'm not happy", kUplift},
    {"I'm not happy, cheer me up", kUplift},
    {"I'm not happy but cheer me up", kUplift},
    // match
    {"I want to stay sad for a bit", kMatch},
    {"let me wallow", kMatch},
    {"match my mood", kMatch},
    {"something that fits", kMatch},
    // energize
    {"pump me up", kEnergize},
    {"energize me", kEnergize},
    {"something energetic", kEnergize},
    {"get me going, it's Monday", kEnergize},
    // target
    {"play something joyful", kTarget, Emotion::kJoy},
    {"I want to feel happy", kTarget, Emotion::kJoy},
    {"some romantic songs", kTarget, Emotion::kLove},
    {"play something sad", kTarget, Emotion::kSadness},
    // negated requests turn into their opposite
    {"don't cheer me up", kMatch, std::nullopt, 0, 0, false, "", true},
    {"don’t cheer me up", kMatch, std::nullopt, 0, 0, false, "", true},  // curly apostrophe
    {"please don't try to cheer me up", kMatch, std::nullopt, 0, 0, false, "", true},
    {"don't cheer me up, I want to feel this", kMatch},
    {"I don't want to stay sad", kUplift, std::nullopt, 0, 0, false, "", true},
    {"no sad songs", kUplift, std::nullopt, 0, 0, false, "", true},
    {"do not calm me down", kMatch, std::nullopt, 0, 0, false, "", true},
    {"don't calm me down, pump me up", kEnergize},
    // the last one said wins
    {"cheer me up, no wait, calm me down", kCalm},
    // adjustments
    {"more upbeat", std::nullopt, std::nullopt, 1, 1},
    {"more energy please", std::nullopt, std::nullopt, 1, 1},
    {"calmer", std::nullopt, std::nullopt, -1},
    {"slower please", std::nullopt, std::nullopt, -1},
    {"a bit less intense", std::nullopt, std::nullopt, -1},
    {"happier", std::nullopt, std::nullopt, 0, 1},
    {"don't make it calmer", std::nullopt},
    {"something else", std::nullopt, std::nullopt, 0, 0, true},
    {"different songs please", std::nullopt, std::nullopt, 0, 0, true},
    {"skip these", std::nullopt, std::nullopt, 0, 0, true},
    {"don't skip these", std::nullopt},
    // genres
    {"some jazz please", std::nullopt, std::nullopt, 0, 0, false, "jazz"},
    {"play some hip hop", std::nullopt, std::nullopt, 0, 0, false, "hip-hop"},
    {"more rock music", std::nullopt, std::nullopt, 0, 0, false, "rock"},
    {"I hit rock bottom", std::nullopt},
    {"no jazz please", std::nullopt},
    {"calm me down with some classical", kCalm, std::nullopt, 0, 0, false, "classical"},
    // nothing asked
    {"I had a long day", std::nullopt},
    {"ok", std::nullopt},
    {"I feel relaxed", std::nullopt},  // "relax" must not fire inside "relaxed"
    {"I'm not sad anymore", std::nullopt},
    {"", std::nullopt},
    {"¡Hola! ¿Qué tal?", std::nullopt},
};

std::string RequestCaseName(const ::testing::TestParamInfo<RequestCase>& info) {
  std::string name = std::to_string(info.index);
  for (const char* c = info.param.text; *c; ++c)
    name += std::isalnum(static_cast<unsigned char>(*c)) ? *c : '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Table, ChatRequestTest, ::testing::ValuesIn(kRequestCases),
                         RequestCaseName);

TEST(ChatRequestTest, SplitsWordsAndClauses) {
  const std::vector<chat::Word> words = chat::SplitWords("I'm NOT happy, but 'fine' — OK?");
  std::vector<std::string> texts;
  for (const auto& w : words) texts.push_back(w.text);
  EXPECT_THAT(texts, ::testing::ElementsAre("i'm", "not", "happy", "fine", "—", "ok"));
  EXPECT_EQ(words[0].clause, words[2].clause);
  EXPECT_NE(words[2].clause, words[3].clause);  // the comma and "but"
}

TEST(ChatRequestTest, Denials) {
  for (const char* no : {"no", "Nope.", "not really", "no, not at all", "nah"})
    EXPECT_TRUE(chat::IsDenial(no)) << no;
  for (const char* yes :
       {"yes", "ok", "", "I'm not sure", "no idea what you mean by that honestly"})
    EXPECT_FALSE(chat::IsDenial(yes)) << yes;
}

TEST(ChatRequestTest, Affirmations) {
  for (const char* yes : {"yes", "Yeah.", "yep, pretty much", "I guess so", "kind of", "exactly!"})
    EXPECT_TRUE(chat::IsAffirmation(yes)) << yes;
  for (const char* no : {"no", "not really", "ok", "I'm not sure", "",
                         "yes but there is a lot more to it than that honestly"})
    EXPECT_FALSE(chat::IsAffirmation(no)) << no;
}

// ---- the engine's contracts ----------------------------------------------------------

std::vector<std::string> Play(std::uint64_t seed, const std::vector<std::string>& lines) {
  FakeReader reader;
  ChatOptions options;
  options.seed = seed;
  MoodChat chat(reader, options);
  std::vector<std::string> replies = {chat.Greeting()};
  for (const std::string& line : lines) {
    Result<ChatTurn> turn = chat.Respond(line);
    EXPECT_TRUE(turn.ok()) << turn.status().message();
    if (turn.ok()) replies.push_back(turn->reply);
  }
  return replies;
}

const std::vector<std::string> kScript = {"ok", "hmm", "I got the job today!",
                                          "but my dog is sick and I'm scared",
                                          "honestly I'm mostly worried", "more upbeat",
                                          "something else", "thanks"};

TEST(MoodChatTest, SameSeedSameConversation) {
  EXPECT_EQ(Play(7, kScript), Play(7, kScript));
  EXPECT_EQ(Play(1, kScript), Play(1, kScript));
}

TEST(MoodChatTest, SeedChangesWordingNotDecisions) {
  std::set<std::vector<std::string>> wordings;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) wordings.insert(Play(seed, kScript));
  EXPECT_GT(wordings.size(), 1u);

  FakeReader reader;
  std::vector<std::vector<std::string>> decisions;
  for (std::uint64_t seed : {1u, 2u, 99u}) {
    ChatOptions options;
    options.seed = seed;
    MoodChat chat(reader, options);
    std::vector<std::string> moves;
    for (const std::string& line : kScript) {
      moves.emplace_back(ChatMoveName(chat.Respond(line)->move));
    }
    decisions.push_back(moves);
  }
  EXPECT_EQ(decisions[0], decisions[1]);
  EXPECT_EQ(decisions[0], decisions[2]);
}

TEST(MoodChatTest, GreetingDependsOnlyOnSeed) {
  FakeReader reader;
  MoodChat chat(reader);
  const std::string hello = chat.Greeting();
  EXPECT_FALSE(hello.empty());
  ASSERT_TRUE(chat.Respond("I'm so happy").ok());
  EXPECT_EQ(chat.Greeting(), hello);
}

TEST(MoodChatTest, BlankInputIsRejectedWithoutATurn) {
  FakeReader reader;
  MoodChat chat(reader);
  for (const char* blank : {"", "   ", "\t\n"}) {
    Result<ChatTurn> turn = chat.Respond(blank);
    ASSERT_FALSE(turn.ok());
    EXPECT_EQ(turn.status().code(), Status::Code::kInvalidArgument);
    EXPECT_THAT(turn.status().message(), ::testing::HasSubstr("no text"));
  }
  EXPECT_EQ(chat.turns(), 0);
  Result<ChatTurn> turn = chat.Respond("I'm so happy today");
  ASSERT_TRUE(turn.ok());
  EXPECT_EQ(turn->turn, 1);
}

TEST(MoodChatTest, InvalidUtf8IsRepairedBeforeTheReaderSeesIt) {
  SpyReader reader;
  MoodChat chat(reader);
  Result<ChatTurn> turn = chat.Respond("I'm happy \xff\xc0 today");
  ASSERT_TRUE(turn.ok()) << turn.status().message();
  ASSERT_EQ(reader.seen.size(), 1u);
  EXPECT_TRUE(IsValidUtf8(reader.seen[0]));
  EXPECT_THAT(reader.seen[0], ::testing::HasSubstr("\xEF\xBF\xBD"));  // U+FFFD
  EXPECT_EQ(turn->mood.dominant(), Emotion::kJoy);
  EXPECT_TRUE(IsValidUtf8(turn->reply));
}

TEST(MoodChatTest, LongInputIsCutAtACharacterBoundary) {
  SpyReader reader;
  ChatOptions options;
  options.max_input_bytes = 100;
  MoodChat chat(reader, options);
  std::string line = "I'm sad ";
  while (line.size() < 5000) line += "é";  // two bytes each, so byte 100 may split one
  ASSERT_TRUE(chat.Respond(line).ok());
  ASSERT_EQ(reader.seen.size(), 1u);
  EXPECT_LE(reader.seen[0].size(), 100u);
  EXPECT_TRUE(IsValidUtf8(reader.seen[0]));
  EXPECT_EQ(chat.mood().dominant(), Emotion::kSadness);
}

TEST(MoodChatTest, ReaderFailureIsPassedOnWithoutATurn) {
  FailingReader reader;
  MoodChat chat(reader);
  Result<ChatTurn> turn = chat.Respond("hello");
  ASSERT_FALSE(turn.ok());
  EXPECT_EQ(turn.status().code(), Status::Code::kUnsupported);
  EXPECT_EQ(turn.status().message(), "chat: model not loaded");
  EXPECT_EQ(chat.turns(), 0);
}

TEST(MoodChatTest, OptionsOutOfRangeThrow) {
  FakeReader reader;
  auto with = [](auto set) {
    ChatOptions o;
    set(o);
    return o;
  };
  EXPECT_THROW(MoodChat(reader, with([](ChatOptions& o) { o.ready_confidence = 0; })),
               std::invalid_argument);
  EXPECT_THROW(MoodChat(reader, with([](ChatOptions& o) { o.max_questions = -1; })),
               std::invalid_argument);
  EXPECT_THROW(MoodChat(reader, with([](ChatOptions& o) { o.recency_half_life = 0; })),
               std::invalid_argument);
  EXPECT_THROW(MoodChat(reader, with([](ChatOptions& o) { o.informative_confidence = 1.5; })),
               std::invalid_argument);
  EXPECT_THROW(MoodChat(reader, with([](ChatOptions& o) { o.max_input_bytes = 0; })),
               std::invalid_argument);
  EXPECT_NO_THROW(MoodChat(reader, with([](ChatOptions& o) { o.max_questions = 0; })));
}

TEST(MoodChatTest, ResetStartsOver) {
  FakeReader reader;
  MoodChat chat(reader);
  ASSERT_TRUE(chat.Respond("I'm so sad").ok());
  ASSERT_TRUE(chat.ready());
  chat.Reset();
  EXPECT_FALSE(chat.ready());
  EXPECT_EQ(chat.turns(), 0);
  EXPECT_FALSE(chat.last_request().has_value());
  EXPECT_EQ(chat.mood().confidence, 0);
  Result<ChatTurn> turn = chat.Respond("ok");
  ASSERT_TRUE(turn.ok());
  EXPECT_EQ(turn->turn, 1);
  EXPECT_FALSE(turn->ready);
  // And the same lines give the same replies as a fresh chat.
  MoodChat fresh(reader);
  chat.Reset();
  EXPECT_EQ(chat.Respond("I'm so sad")->reply, fresh.Respond("I'm so sad")->reply);
}

TEST(MoodChatTest, ZeroQuestionsRecommendsAtOnce) {
  FakeReader reader;
  ChatOptions options;
  options.max_questions = 0;
  MoodChat chat(reader, options);
  Result<ChatTurn> turn = chat.Respond("ok");
  ASSERT_TRUE(turn.ok());
  EXPECT_TRUE(turn->ready);
  ASSERT_TRUE(turn->request.has_value());
  EXPECT_EQ(turn->request->strategy, MoodStrategy::kMatch);
  EXPECT_THAT(turn->reply, ::testing::HasSubstr("not sure"));
}

TEST(MoodChatTest, QuietListenerHearsDifferentQuestions) {
  FakeReader reader;
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    ChatOptions options;
    options.seed = seed;
    options.max_questions = 5;
    MoodChat chat(reader, options);
    std::set<std::string> questions;
    for (int i = 0; i < 5; ++i) {
      Result<ChatTurn> turn = chat.Respond("ok");
      ASSERT_TRUE(turn.ok());
      EXPECT_EQ(turn->move, ChatMove::kAskOpen);
      questions.insert(turn->reply);
    }
    EXPECT_EQ(questions.size(), 5u) << "seed " << seed;
    EXPECT_TRUE(chat.Respond("ok")->ready);
  }
}

TEST(MoodChatTest, SourcesNameTheirTurn) {
  FakeReader reader;
  MoodChat chat(reader);
  ASSERT_TRUE(chat.Respond("ok").ok());
  Result<ChatTurn> turn = chat.Respond("I'm so happy");
  ASSERT_TRUE(turn.ok());
  ASSERT_EQ(turn->mood.sources.size(), 2u);
  EXPECT_EQ(turn->mood.sources[0].name, "chat turn 1 (fake)");
  EXPECT_EQ(turn->mood.sources[1].name, "chat turn 2 (fake)");
  EXPECT_EQ(turn->mood.sources[1].emotion, Emotion::kJoy);
}

TEST(MoodChatTest, FeelinglessTurnsBarelyMoveTheMood) {
  FakeReader reader;
  MoodChat chat(reader);
  const MoodEstimate before = chat.Respond("I'm so sad")->mood;
  const MoodEstimate after = chat.Respond("ok")->mood;
  EXPECT_EQ(after.dominant(), Emotion::kSadness);
  EXPECT_NEAR(after.valence, before.valence, 0.15);
  EXPECT_GT(after.confidence, before.confidence - 0.15);
}

TEST(MoodChatTest, RecentTurnsWeighMore) {
  FakeReader reader;
  MoodChat chat(reader);
  ASSERT_TRUE(chat.Respond("I'm sad").ok());
  const MoodEstimate mood = chat.Respond("actually I'm happy")->mood;
  EXPECT_EQ(mood.dominant(), Emotion::kJoy);
  EXPECT_GT(mood.distribution[EmotionIndex(Emotion::kJoy)],
            mood.distribution[EmotionIndex(Emotion::kSadness)]);
}

TEST(MoodChatTest, RequestsCarryTheTargetPoint) {
  FakeReader reader;
  MoodChat chat(reader);
  Result<ChatTurn> turn = chat.Respond("play something romantic");
  ASSERT_TRUE(turn.ok());
  ASSERT_TRUE(turn->request.has_value());
  EXPECT_EQ(turn->request->strategy, MoodStrategy::kTarget);
  EXPECT_EQ(turn->request->target_emotion, Emotion::kLove);
  ASSERT_TRUE(turn->request->target.has_value());
  EXPECT_EQ(turn->request->target->valence, EmotionPlace(Emotion::kLove).valence);
  EXPECT_EQ(turn->request->target->arousal, EmotionPlace(Emotion::kLove).arousal);
  // A later strategy without a destination drops the target.
  Result<ChatTurn> next = chat.Respond("actually, pump me up");
  ASSERT_TRUE(next.ok());
  ASSERT_TRUE(next->request.has_value());
  EXPECT_EQ(next->request->strategy, MoodStrategy::kEnergize);
  EXPECT_FALSE(next->request->target.has_value());
  EXPECT_FALSE(next->request->target_emotion.has_value());
}

TEST(MoodChatTest, ShiftsDoNotAccumulate) {
  FakeReader reader;
  MoodChat chat(reader);
  ASSERT_TRUE(chat.Respond("I'm so happy").ok());
  EXPECT_DOUBLE_EQ(chat.Respond("more upbeat")->request->energy_shift, 0.3);
  EXPECT_DOUBLE_EQ(chat.Respond("more upbeat")->request->energy_shift, 0.3);
  Result<ChatTurn> other = chat.Respond("something else");
  ASSERT_TRUE(other->request.has_value());
  EXPECT_EQ(other->request->energy_shift, 0);
  EXPECT_TRUE(other->request->something_else);
}

TEST(MoodChatTest, DefaultStrategyFollowsTheIsoPrinciple) {
  auto said = [](Emotion e, double confidence) {
    EmotionDistribution d{};
    d[EmotionIndex(e)] = 1;
    return MoodEstimate::FromDistribution(d, confidence, "t");
  };
  for (Emotion e : {Emotion::kSadness, Emotion::kFear, Emotion::kAnger, Emotion::kDisgust}) {
    EXPECT_EQ(DefaultStrategy(said(e, 0.7)), MoodStrategy::kUplift) << EmotionName(e);
    EXPECT_EQ(DefaultStrategy(said(e, 0.1)), MoodStrategy::kMatch) << EmotionName(e);
  }
  for (Emotion e : {Emotion::kJoy, Emotion::kLove, Emotion::kSurprise, Emotion::kCalm,
                    Emotion::kNeutral}) {
    EXPECT_EQ(DefaultStrategy(said(e, 0.9)), MoodStrategy::kMatch) << EmotionName(e);
  }
}

TEST(MoodChatTest, MoveNamesAreDistinct) {
  std::set<std::string_view> names;
  for (ChatMove m : {ChatMove::kAskOpen, ChatMove::kAskConfirm, ChatMove::kAskConflict,
                     ChatMove::kAskMixed, ChatMove::kAskStart, ChatMove::kRecommend,
                     ChatMove::kAdjust, ChatMove::kAcknowledge})
    names.insert(ChatMoveName(m));
  EXPECT_EQ(names.size(), 8u);
  EXPECT_FALSE(names.contains("?"));
}

}  // namespace
}  // namespace emotune
