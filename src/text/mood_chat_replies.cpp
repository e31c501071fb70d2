// The chat's sentences. Templates use {a} and {b} for the words filled in; each list
// has several entries so the chat does not sound like a form. Keep them short, warm
// and plain: the listener may be having a bad day.
#include "mood_chat_replies.h"

#include <array>
#include <span>
#include <string_view>

namespace emotune::chat {
namespace {

// Plain modulo: see ReplyRng. The bias over 2^64 is immaterial for a handful of
// templates.
std::string_view Pick(std::span<const std::string_view> options, ReplyRng& rng) {
  return options[static_cast<std::size_t>(rng() % options.size())];
}

std::string Fill(std::string_view tpl, std::string_view a, std::string_view b = {}) {
  std::string out;
  for (std::size_t i = 0; i < tpl.size(); ++i) {
    if (tpl.compare(i, 3, "{a}") == 0) {
      out += a;
      i += 2;
    } else if (tpl.compare(i, 3, "{b}") == 0) {
      out += b;
      i += 2;
    } else {
      out += tpl[i];
    }
  }
  return out;
}

// "a playlist that …": what each strategy does, in words.
std::string_view StrategyPhrase(const PlaylistRequest& request, ReplyRng& rng) {
  static constexpr std::array<std::string_view, 3> kMatch = {
      "stays close to how you're feeling", "keeps you company right where you are",
      "fits the mood you're in"};
  static constexpr std::array<std::string_view, 3> kUplift = {
      "starts where you are and gently lifts things up",
      "begins close to your mood and slowly brightens",
      "meets you where you are, then nudges toward something lighter"};
  static constexpr std::array<std::string_view, 3> kCalm = {
      "helps you slow down and unwind", "settles things down gently",
      "eases the pace and lets you breathe"};
  static constexpr std::array<std::string_view, 3> kEnergize = {
      "builds up the energy", "gets your pulse going", "picks up the pace as it goes"};
  switch (request.strategy) {
    case MoodStrategy::kMatch: return Pick(kMatch, rng);
    case MoodStrategy::kUplift: return Pick(kUplift, rng);
    case MoodStrategy::kCalm: return Pick(kCalm, rng);
    case MoodStrategy::kEnergize: return Pick(kEnergize, rng);
    case MoodStrategy::kTarget: break;
  }
  return "";  // kTarget: see TargetPhrase
}

std::string_view TargetWord(Emotion emotion) {
  switch (emotion) {
    case Emotion::kJoy: return "joyful";
    case Emotion::kLove: return "romantic";
    case Emotion::kCalm: return "calm";
    case Emotion::kNeutral: return "even-keeled";
    case Emotion::kSurprise: return "surprising";
    case Emotion::kFear: return "tense";
    case Emotion::kAnger: return "fierce";
    case Emotion::kDisgust: return "gritty";
    case Emotion::kSadness: return "melancholy";
  }
  return "different";
}

std::string PlaylistDoes(const PlaylistRequest& request, ReplyRng& rng) {
  if (request.strategy != MoodStrategy::kTarget) return std::string(StrategyPhrase(request, rng));
  static constexpr std::array<std::string_view, 2> kTarget = {"heads toward something {a}",
                                                              "moves toward a {a} feeling"};
  const std::string_view word =
      request.target_emotion ? TargetWord(*request.target_emotion) : std::string_view("new");
  return Fill(Pick(kTarget, rng), word);
}

std::string GenreNote(const PlaylistRequest& request) {
  return request.genre.empty() ? "" : " I've kept it to " + request.genre + ".";
}

}  // namespace

ReplyRng RngForTurn(std::uint64_t seed, int turn) {
  return ReplyRng(seed + static_cast<std::uint64_t>(turn));
}

std::string_view FeelingWord(Emotion emotion) {
  switch (emotion) {
    case Emotion::kJoy: return "happy";
    case Emotion::kLove: return "loving";
    case Emotion::kCalm: return "calm";
    case Emotion::kNeutral: return "so-so";
    case Emotion::kSurprise: return "surprised";
    case Emotion::kFear: return "worried";
    case Emotion::kAnger: return "angry";
    case Emotion::kDisgust: return "put off";
    case Emotion::kSadness: return "down";
  }
  return "unsure";
}

std::string Greeting(ReplyRng& rng) {
  static constexpr std::array<std::string_view, 4> kGreetings = {
      "Hi, I'm Emotune. How has your day been so far?",
      "Hey there! I'm Emotune. How's your day going?",
      "Hello! I'm Emotune. Tell me a bit about your day — how's it been?",
      "Hi! I'm Emotune, and I pick music for your mood. How has today treated you?"};
  return std::string(Pick(kGreetings, rng));
}

std::string Acknowledge(Emotion emotion, ReplyRng& rng) {
  static constexpr std::array<std::string_view, 3> kJoy = {
      "That's wonderful to hear!", "That sounds great!", "I love that for you!"};
  static constexpr std::array<std::string_view, 3> kLove = {
      "That's lovely.", "That sounds really sweet.", "How lovely."};
  static constexpr std::array<std::string_view, 3> kCalm = {
      "That sounds peaceful.", "A calm moment is worth a lot.", "That sounds nice and relaxed."};
  static constexpr std::array<std::string_view, 3> kSurprise = {
      "Oh, wow!", "That sounds unexpected!", "Wow, what a twist."};
  static constexpr std::array<std::string_view, 3> kFear = {
      "That sounds stressful.", "It makes sense to feel uneasy about that.",
      "That sounds really worrying."};
  static constexpr std::array<std::string_view, 3> kAnger = {
      "That sounds really frustrating.", "I'd be annoyed too.", "That sounds maddening."};
  static constexpr std::array<std::string_view, 3> kDisgust = {
      "Ugh, that sounds unpleasant.", "That sounds pretty awful.", "Yuck, I'm sorry."};
  static constexpr std::array<std::string_view, 3> kSadness = {
      "That sounds really hard.", "I'm sorry you're going through that.", "That sounds heavy."};
  switch (emotion) {
    case Emotion::kJoy: return std::string(Pick(kJoy, rng));
    case Emotion::kLove: return std::string(Pick(kLove, rng));
    case Emotion::kCalm: return std::string(Pick(kCalm, rng));
    case Emotion::kSurprise: return std::string(Pick(kSurprise, rng));
    case Emotion::kFear: return std::string(Pick(kFear, rng));
    case Emotion::kAnger: return std::string(Pick(kAnger, rng));
    case Emotion::kDisgust: return std::string(Pick(kDisgust, rng));
    case Emotion::kSadness: return std::string(Pick(kSadness, rng));
    case Emotion::kNeutral: break;
  }
  return "";
}

std::string OpenQuestion(int nth, std::uint64_t seed) {
  static constexpr std::array<std::string_view, 5> kOpen = {
      "How are you feeling right now?",
      "What's been on your mind today?",
      "If you had to describe your mood in a word or two, what would it be?",
      "What kind of day has it been — good, rough, or somewhere in between?",
      "Is anything in particular shaping your mood today?"};
  // The seed picks where in the list a conversation starts; then the questions go
  // round in order, so a listener who keeps saying "ok" hears every question
  // before any comes back.
  ReplyRng rng = RngForTurn(seed, 0);
  rng.discard(1);  // the greeting's draw
  const std::size_t start = static_cast<std::size_t>(rng() % kOpen.size());
  return std::string(kOpen[(start + static_cast<std::size_t>(nth)) % kOpen.size()]);
}

std::string ConfirmQuestion(Emotion tentative, ReplyRng& rng) {
  static constexpr std::array<std::string_view, 3> kConfirm = {
      "It sounds like you might be feeling {a} — is that right?",
      "Would you say you're feeling {a} right now, or is it something else?",
      "Am I right that you're feeling somewhat {a}?"};
  return Fill(Pick(kConfirm, rng), FeelingWord(tentative));
}

std::string ConflictQuestion(Emotion earlier, Emotion now, ReplyRng& rng) {
  static constexpr std::array<std::string_view, 3> kConflict = {
      "You sounded {a} earlier but {b} just now — which is closer?",
      "Earlier you seemed {a}, but now you sound {b}. Which feels truer right now?",
      "I'm hearing both {a} and {b} from you. Which is closer to how you feel at the moment?"};
  return Fill(Pick(kConflict, rng), FeelingWord(earlier), FeelingWord(now));
}

std::string MixedQuestion(Emotion a, Emotion b, ReplyRng& rng) {
  static constexpr std::array<std::string_view, 3> kMixed = {
      "It sounds like a mix of {a} and {b}. Which one is stronger right now?",
      "That's a lot at once. Which is bigger right now — feeling {a} or feeling {b}?",
      "Mixed feelings are normal. If you had to pick one, which is stronger: {a} or {b}?"};
  return Fill(Pick(kMixed, rng), FeelingWord(a), FeelingWord(b));
}

std::string StartQuestion(MoodStrategy wanted, ReplyRng& rng) {
  static constexpr std::array<std::string_view, 2> kUplift = {
      "I'd love to help lift your mood. First, tell me a little about how you're feeling, so I "
      "know where to start.",
      "Happy to cheer you up. How are you feeling right now, so I can start from there?"};
  static constexpr std::array<std::string_view, 2> kMatch = {
      "I can do that. How would you describe what you're feeling, so I can match it?",
      "Sure. Tell me a bit about how you feel, so the music fits."};
  return std::string(Pick(wanted == MoodStrategy::kUplift ? std::span(kUplift) : std::span(kMatch),
                          rng));
}

std::string Recommend(const PlaylistRequest& request, bool honest_guess, ReplyRng& rng) {
  static constexpr std::array<std::string_view, 3> kSure = {
      "Here's a playlist that {a}.", "I've put together a playlist that {a}.",
      "Here's some music that {a}."};
  static constexpr std::array<std::string_view, 2> kGuess = {
      "I'm still not sure how you're doing, so I'll start with something that {a} — "
      "tell me if it's off.",
      "I'm not sure I've read your mood right yet, so here's a playlist that {a}. Say "
      "\"something else\" if it misses."};
  const std::string_view tpl = honest_guess ? Pick(kGuess, rng) : Pick(kSure, rng);
  return Fill(tpl, PlaylistDoes(request, rng)) + GenreNote(request);
}

std::string Adjust(const PlaylistRequest& request, const ExplicitRequest& heard, bool mood_changed,
                   ReplyRng& rng) {
  static constexpr std::array<std::string_view, 2> kUp = {"Turning the energy up.",
                                                          "More upbeat, coming right up."};
  static constexpr std::array<std::string_view, 2> kDown = {"Bringing it down a notch.",
                                                            "Slowing things down for you."};
  static constexpr std::array<std::string_view, 2> kElse = {"Sure — here's a different set.",
                                                            "Let's try some different songs."};
  std::string out;
  auto add = [&out](std::string_view sentence) {
    if (!out.empty()) out += ' ';
    out += sentence;
  };
  if (heard.strategy) add(Fill("Got it — a playlist that {a}.", PlaylistDoes(request, rng)));
  if (mood_changed && !heard.strategy) {
    add(Fill("Thanks for telling me — here's a new playlist that {a}.",
             PlaylistDoes(request, rng)));
  }
  if (heard.energy_shift > 0) add(Pick(kUp, rng));
  if (heard.energy_shift < 0) add(Pick(kDown, rng));
  if (heard.energy_shift == 0 && heard.valence_shift > 0) add("Going for something brighter.");
  if (heard.energy_shift == 0 && heard.valence_shift < 0) add("Going a little darker.");
  if (heard.something_else) add(Pick(kElse, rng));
  if (!heard.genre.empty()) add(Fill("Some {a} it is.", heard.genre));
  if (out.empty()) add("Here's an updated playlist.");
  return out;
}

std::string Acknowledged(ReplyRng& rng) {
  static constexpr std::array<std::string_view, 3> kAck = {
      "Enjoy the music! Say \"more upbeat\", \"calmer\" or \"something else\" any time.",
      "I'm here if you want a change — just say \"something else\".",
      "Glad to keep you company. Ask for \"more upbeat\" or \"calmer\" whenever you like."};
  return std::string(Pick(kAck, rng));
}

}  // namespace emotune::chat
