// The explicit-request rules. The tables are the behaviour: to teach the chat a new
// way of saying "cheer me up", add a row. Phrases are written as lowercase words
// separated by single spaces; "{t}" stands for one word of kTargetWords.
#include "chat_requests.h"

#include <algorithm>
#include <array>
#include <optional>

#include "emotune/ascii_text.h"

namespace emotune::chat {
namespace {

bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'' || c == '&' || c >= 0x80;
}

bool EndsClause(char c) {
  return c == ',' || c == '.' || c == '!' || c == '?' || c == ';' || c == ':' || c == '\n';
}

// Words that end a clause themselves: what follows "but" is a new thought, so
// "I'm not sad but cheer me up" does not turn the request down.
bool IsClauseWord(std::string_view w) {
  return w == "but" || w == "though" || w == "although" || w == "however";
}

bool IsNegator(std::string_view w) {
  static constexpr std::array<std::string_view, 10> kNegators = {
      "not", "no", "never", "stop", "dont", "doesnt", "didnt", "wont", "cant", "nor"};
  if (std::find(kNegators.begin(), kNegators.end(), w) != kNegators.end()) return true;
  return w.size() > 3 && w.ends_with("n't");
}

// Words that may stand between a negator and the phrase it turns down:
// "don't [want to] cheer me up", "no [more] sad songs".
bool IsFiller(std::string_view w) {
  static constexpr std::array<std::string_view, 25> kFillers = {
      "i",     "i'm",  "you",    "it",     "want",  "wanna", "to",    "need",   "needs",
      "please", "really", "just", "even",  "try",   "trying", "going", "gonna",  "play",
      "feel",  "like", "being",  "be",     "more",  "any",   "make"};
  return std::find(kFillers.begin(), kFillers.end(), w) != kFillers.end();
}

// ---- the rule tables -------------------------------------------------------------

struct StrategyPhrase {
  std::string_view words;
  MoodStrategy strategy;
};

constexpr std::array<StrategyPhrase, 73> kStrategyPhrases = {{
    // kUplift: start where the listener is, move somewhere brighter.
    {"cheer me up", MoodStrategy::kUplift},
    {"cheer up", MoodStrategy::kUplift},
    {"cheering up", MoodStrategy::kUplift},
    {"cheered up", MoodStrategy::kUplift},
    {"make me happy", MoodStrategy::kUplift},
    {"make me happier", MoodStrategy::kUplift},
    {"make me smile", MoodStrategy::kUplift},
    {"make me feel better", MoodStrategy::kUplift},
    {"to feel better", MoodStrategy::kUplift},
    {"lift my mood", MoodStrategy::kUplift},
    {"lift my spirits", MoodStrategy::kUplift},
    {"lift me up", MoodStrategy::kUplift},
    {"pick me up", MoodStrategy::kUplift},
    {"brighten my day", MoodStrategy::kUplift},
    {"brighten my mood", MoodStrategy::kUplift},
    {"brighten things up", MoodStrategy::kUplift},
    {"uplift me", MoodStrategy::kUplift},
    {"uplifting", MoodStrategy::kUplift},
    {"out of this mood", MoodStrategy::kUplift},
    {"out of this funk", MoodStrategy::kUplift},
    // kMatch: stay with the feeling.
    {"stay sad", MoodStrategy::kMatch},
    {"stay down", MoodStrategy::kMatch},
    {"stay angry", MoodStrategy::kMatch},
    {"stay in this mood", MoodStrategy::kMatch},
    {"stay in my mood", MoodStrategy::kMatch},
    {"stay in this feeling", MoodStrategy::kMatch},
    {"stay with this", MoodStrategy::kMatch},
    {"stay with it", MoodStrategy::kMatch},
    {"be sad", MoodStrategy::kMatch},
    {"let me wallow", MoodStrategy::kMatch},
    {"wallow", MoodStrategy::kMatch},
    {"wallowing", MoodStrategy::kMatch},
    {"match my mood", MoodStrategy::kMatch},
    {"matches my mood", MoodStrategy::kMatch},
    {"match how i feel", MoodStrategy::kMatch},
    {"match my vibe", MoodStrategy::kMatch},
    {"fit my mood", MoodStrategy::kMatch},
    {"fits my mood", MoodStrategy::kMatch},
    {"suits my mood", MoodStrategy::kMatch},
    {"something that fits", MoodStrategy::kMatch},
    {"feel this", MoodStrategy::kMatch},
    {"let me feel", MoodStrategy::kMatch},
    {"sit with this", MoodStrategy::kMatch},
    {"sit with it", MoodStrategy::kMatch},
    {"sit with my", MoodStrategy::kMatch},
    // kCalm: toward low arousal.
    {"calm me down", MoodStrategy::kCalm},
    {"calm down", MoodStrategy::kCalm},
    {"chill me out", MoodStrategy::kCalm},
    {"chill out", MoodStrategy::kCalm},
    {"wind down", MoodStrategy::kCalm},
    {"unwind", MoodStrategy::kCalm},
    {"help me relax", MoodStrategy::kCalm},
    {"to relax", MoodStrategy::kCalm},
    {"relax me", MoodStrategy::kCalm},
    {"soothe me", MoodStrategy::kCalm},
    {"help me sleep", MoodStrategy::kCalm},
    {"fall asleep", MoodStrategy::kCalm},
    {"destress", MoodStrategy::kCalm},
    {"de stress", MoodStrategy::kCalm},
    // kEnergize: toward high arousal.
    {"pump me up", MoodStrategy::kEnergize},
    {"get me pumped", MoodStrategy::kEnergize},
    {"hype me up", MoodStrategy::kEnergize},
    {"energize me", MoodStrategy::kEnergize},
    {"energise me", MoodStrategy::kEnergize},
    {"energize", MoodStrategy::kEnergize},
    {"energise", MoodStrategy::kEnergize},
    {"get me going", MoodStrategy::kEnergize},
    {"get me moving", MoodStrategy::kEnergize},
    {"keep me going", MoodStrategy::kEnergize},
    {"wake me up", MoodStrategy::kEnergize},
    {"motivate me", MoodStrategy::kEnergize},
    {"high energy", MoodStrategy::kEnergize},
    {"workout", MoodStrategy::kEnergize},
}};

// Words naming where the listener wants to go. Calm and energetic words have a
// strategy of their own (DESIGN.md: calm/energize move along arousal); the rest
// are kTarget with the emotion's place as the goal.
struct TargetWord {
  std::string_view word;
  MoodStrategy strategy;
  Emotion emotion;  // meaningful for kTarget only
};

constexpr std::array<TargetWord, 42> kTargetWords = {{
    {"happy", MoodStrategy::kTarget, Emotion::kJoy},
    {"joyful", MoodStrategy::kTarget, Emotion::kJoy},
    {"joyous", MoodStrategy::kTarget, Emotion::kJoy},
    {"cheerful", MoodStrategy::kTarget, Emotion::kJoy},
    {"upbeat", MoodStrategy::kTarget, Emotion::kJoy},
    {"fun", MoodStrategy::kTarget, Emotion::kJoy},
    {"sunny", MoodStrategy::kTarget, Emotion::kJoy},
    {"romantic", MoodStrategy::kTarget, Emotion::kLove},
    {"loving", MoodStrategy::kTarget, Emotion::kLove},
    {"tender", MoodStrategy::kTarget, Emotion::kLove},
    {"sad", MoodStrategy::kTarget, Emotion::kSadness},
    {"melancholy", MoodStrategy::kTarget, Emotion::kSadness},
    {"melancholic", MoodStrategy::kTarget, Emotion::kSadness},
    {"gloomy", MoodStrategy::kTarget, Emotion::kSadness},
    {"somber", MoodStrategy::kTarget, Emotion::kSadness},
    {"sombre", MoodStrategy::kTarget, Emotion::kSadness},
    {"depressing", MoodStrategy::kTarget, Emotion::kSadness},
    {"heartbreaking", MoodStrategy::kTarget, Emotion::kSadness},
    {"angry", MoodStrategy::kTarget, Emotion::kAnger},
    {"aggressive", MoodStrategy::kTarget, Emotion::kAnger},
    {"furious", MoodStrategy::kTarget, Emotion::kAnger},
    {"scary", MoodStrategy::kTarget, Emotion::kFear},
    {"spooky", MoodStrategy::kTarget, Emotion::kFear},
    {"creepy", MoodStrategy::kTarget, Emotion::kFear},
    {"tense", MoodStrategy::kTarget, Emotion::kFear},
    {"surprising", MoodStrategy::kTarget, Emotion::kSurprise},
    {"calm", MoodStrategy::kCalm, Emotion::kCalm},
    {"calming", MoodStrategy::kCalm, Emotion::kCalm},
    {"peaceful", MoodStrategy::kCalm, Emotion::kCalm},
    {"relaxing", MoodStrategy::kCalm, Emotion::kCalm},
    {"chill", MoodStrategy::kCalm, Emotion::kCalm},
    {"mellow", MoodStrategy::kCalm, Emotion::kCalm},
    {"soothing", MoodStrategy::kCalm, Emotion::kCalm},
    {"quiet", MoodStrategy::kCalm, Emotion::kCalm},
    {"gentle", MoodStrategy::kCalm, Emotion::kCalm},
    {"energetic", MoodStrategy::kEnergize, Emotion::kJoy},
    {"energizing", MoodStrategy::kEnergize, Emotion::kJoy},
    {"energising", MoodStrategy::kEnergize, Emotion::kJoy},
    {"lively", MoodStrategy::kEnergize, Emotion::kJoy},
    {"hype", MoodStrategy::kEnergize, Emotion::kJoy},
    {"pumping", MoodStrategy::kEnergize, Emotion::kJoy},
    {"party", MoodStrategy::kEnergize, Emotion::kJoy},
}};

// Where a target word asks to go: "play something X", "I want to feel X", "X songs".
constexpr std::array<std::string_view, 13> kTargetPhrases = {
    "something {t}", "anything {t}", "to feel {t}",  "me feel {t}", "feel more {t}",
    "{t} music",     "{t} songs",    "{t} tunes",    "{t} tracks",  "{t} stuff",
    "{t} playlist",  "{t} vibes",    "play {t}",
};

struct ShiftPhrase {
  std::string_view words;
  double energy;
  double valence;
};

// "More upbeat" is both livelier and brighter; "faster" is only livelier.
constexpr std::array<ShiftPhrase, 40> kShiftPhrases = {{
    {"more upbeat", 0.3, 0.2},
    {"more energy", 0.3, 0.2},
    {"more energetic", 0.3, 0.2},
    {"more lively", 0.3, 0.2},
    {"livelier", 0.3, 0.2},
    {"more fun", 0.3, 0.2},
    {"faster", 0.3, 0},
    {"speed it up", 0.3, 0},
    {"pick up the pace", 0.3, 0},
    {"more intense", 0.3, 0},
    {"turn it up", 0.3, 0},
    {"louder", 0.3, 0},
    {"calmer", -0.3, 0},
    {"slower", -0.3, 0},
    {"less intense", -0.3, 0},
    {"less energy", -0.3, 0},
    {"less energetic", -0.3, 0},
    {"softer", -0.3, 0},
    {"quieter", -0.3, 0},
    {"mellower", -0.3, 0},
    {"more mellow", -0.3, 0},
    {"more chill", -0.3, 0},
    {"chiller", -0.3, 0},
    {"more relaxed", -0.3, 0},
    {"more relaxing", -0.3, 0},
    {"gentler", -0.3, 0},
    {"tone it down", -0.3, 0},
    {"slow it down", -0.3, 0},
    {"slow down", -0.3, 0},
    {"happier", 0, 0.3},
    {"more cheerful", 0, 0.3},
    {"more positive", 0, 0.3},
    {"more happy", 0, 0.3},
    {"cheerier", 0, 0.3},
    {"brighter", 0, 0.3},
    {"sadder", 0, -0.3},
    {"darker", 0, -0.3},
    {"moodier", 0, -0.3},
    {"more melancholic", 0, -0.3},
    {"more sad", 0, -0.3},
}};

constexpr std::array<std::string_view, 20> kSomethingElsePhrases = {
    "something else",    "something different", "anything else",  "different songs",
    "different music",   "different tracks",    "different ones", "different playlist",
    "other songs",       "another playlist",    "new songs",      "new playlist",
    "skip these",        "skip this",           "not this",       "not these",
    "change it up",      "mix it up",           "try again",      "something new",
};

struct Genre {
  std::string_view words;  // as typed
  std::string_view name;   // what PlaylistRequest::genre gets
  bool ambiguous;          // also an everyday word: needs "some X", "X music", …
};

constexpr std::array<Genre, 33> kGenres = {{
    {"jazz", "jazz", false},         {"blues", "blues", false},
    {"classical", "classical", false}, {"hip hop", "hip-hop", false},
    {"hiphop", "hip-hop", false},    {"rap", "rap", false},
    {"metal", "metal", false},       {"techno", "techno", false},
    {"edm", "electronic", false},    {"electronic", "electronic", false},
    {"reggae", "reggae", false},     {"funk", "funk", true},
    {"punk", "punk", false},         {"indie", "indie", false},
    {"lofi", "lo-fi", false},        {"lo fi", "lo-fi", false},
    {"disco", "disco", false},       {"ambient", "ambient", false},
    {"gospel", "gospel", false},     {"opera", "opera", false},
    {"pop", "pop", false},           {"k pop", "k-pop", false},
    {"kpop", "k-pop", false},        {"r&b", "r&b", false},
    {"bossa nova", "bossa nova", false}, {"rock", "rock", true},
    {"country", "country", true},    {"soul", "soul", true},
    {"folk", "folk", true},          {"house", "house", true},
    {"latin", "latin", true},        {"grunge", "grunge", false},
    {"trance", "trance", false},
}};

constexpr std::array<std::string_view, 8> kGenreAfter = {"music", "songs",  "tracks", "stuff",
                                                         "tunes", "please", "playlist", "vibes"};
constexpr std::array<std::string_view, 8> kGenreBefore = {"some", "play", "more",  "any",
                                                          "like", "love", "into", "of"};

// ---- matching --------------------------------------------------------------------

std::vector<std::string_view> PatternWords(std::string_view pattern) {
  std::vector<std::string_view> out;
  while (!pattern.empty()) {
    const std::size_t space = pattern.find(' ');
    out.push_back(pattern.substr(0, space));
    if (space == std::string_view::npos) break;
    pattern.remove_prefix(space + 1);
  }
  return out;
}

const TargetWord* FindTargetWord(std::string_view word) {
  for (const TargetWord& t : kTargetWords)
    if (t.word == word) return &t;
  return nullptr;
}

struct Hit {
  std::size_t begin = 0;
  std::size_t end = 0;  // one past the last word
  const TargetWord* target = nullptr;  // the word "{t}" matched, if any
};

// Every place `pattern` matches `words`, within one clause.
std::vector<Hit> FindAll(const std::vector<Word>& words, std::string_view pattern) {
  const std::vector<std::string_view> parts = PatternWords(pattern);
  std::vector<Hit> hits;
  if (parts.empty() || parts.size() > words.size()) return hits;
  for (std::size_t i = 0; i + parts.size() <= words.size(); ++i) {
    Hit hit{i, i + parts.size(), nullptr};
    bool ok = true;
    for (std::size_t k = 0; ok && k < parts.size(); ++k) {
      const Word& w = words[i + k];
      if (w.clause != words[i].clause) {
        ok = false;
      } else if (parts[k] == "{t}") {
        hit.target = FindTargetWord(w.text);
        ok = hit.target != nullptr;
      } else {
        ok = parts[k] == w.text;
      }
    }
    if (ok) hits.push_back(hit);
  }
  return hits;
}

bool Negated(const std::vector<Word>& words, std::size_t begin) {
  int looked = 0;
  for (std::size_t j = begin; j-- > 0 && looked < 4; ++looked) {
    if (words[j].clause != words[begin].clause) return false;
    if (IsNegator(words[j].text)) return true;
    if (!IsFiller(words[j].text)) return false;
  }
  return false;
}

// What a turned-down request means. Refusing to be moved ("don't cheer me up",
// "don't calm me down") is asking to be met where one is; refusing to stay ("I
// don't want to stay sad") or to go somewhere dark ("no sad songs") is asking to be
// lifted.
MoodStrategy Opposite(MoodStrategy strategy, std::optional<Emotion> target) {
  switch (strategy) {
    case MoodStrategy::kMatch:
      return MoodStrategy::kUplift;
    case MoodStrategy::kTarget:
      return target && EmotionPlace(*target).valence < 0 ? MoodStrategy::kUplift
                                                           : MoodStrategy::kMatch;
    case MoodStrategy::kUplift:
    case MoodStrategy::kCalm:
    case MoodStrategy::kEnergize:
      return MoodStrategy::kMatch;
  }
  return MoodStrategy::kMatch;
}

struct StrategyHit {
  std::size_t end = 0;
  bool negated = false;
  MoodStrategy strategy = MoodStrategy::kMatch;
  std::optional<Emotion> target;
};

// Non-negated beats negated; then the one said last; then the earlier table row.
bool Better(const StrategyHit& a, const StrategyHit& b) {
  if (a.negated != b.negated) return !a.negated;
  return a.end > b.end;
}

void Consider(const StrategyHit& hit, std::optional<StrategyHit>* best) {
  if (!*best || Better(hit, **best)) *best = hit;
}

}  // namespace

std::vector<Word> SplitWords(std::string_view text) {
  std::string lower = AsciiLower(text);
  // U+2019 RIGHT SINGLE QUOTATION MARK, as phones type "don’t".
  for (std::size_t at = lower.find("\xE2\x80\x99"); at != std::string::npos;
       at = lower.find("\xE2\x80\x99", at + 1)) {
    lower.replace(at, 3, "'");
  }
  std::vector<Word> words;
  int clause = 0;
  std::string current;
  auto flush = [&] {
    // Quotes around a word ('calm') are not part of it.
    while (!current.empty() && current.front() == '\'') current.erase(current.begin());
    while (!current.empty() && current.back() == '\'') current.pop_back();
    if (current.empty()) return;
    if (IsClauseWord(current)) {
      ++clause;
    } else {
      words.push_back({current, clause});
    }
    current.clear();
  };
  for (char c : lower) {
    if (IsWordByte(static_cast<unsigned char>(c))) {
      current.push_back(c);
      continue;
    }
    flush();
    if (EndsClause(c)) ++clause;
  }
  flush();
  return words;
}

ExplicitRequest RecognizeRequest(std::string_view text) {
  const std::vector<Word> words = SplitWords(text);
  ExplicitRequest request;

  std::optional<StrategyHit> best;
  for (const StrategyPhrase& phrase : kStrategyPhrases) {
    for (const Hit& hit : FindAll(words, phrase.words)) {
      Consider({hit.end, Negated(words, hit.begin), phrase.strategy, std::nullopt}, &best);
    }
  }
  for (std::string_view pattern : kTargetPhrases) {
    for (const Hit& hit : FindAll(words, pattern)) {
      std::optional<Emotion> emotion;
      if (hit.target->strategy == MoodStrategy::kTarget) emotion = hit.target->emotion;
      Consider({hit.end, Negated(words, hit.begin), hit.target->strategy, emotion}, &best);
    }
  }
  if (best) {
    request.negated = best->negated;
    request.strategy = best->negated ? Opposite(best->strategy, best->target) : best->strategy;
    if (!best->negated && best->strategy == MoodStrategy::kTarget) {
      request.target_emotion = best->target;
    }
  }

  for (const ShiftPhrase& phrase : kShiftPhrases) {
    for (const Hit& hit : FindAll(words, phrase.words)) {
      if (Negated(words, hit.begin)) continue;  // "don't make it calmer"
      request.energy_shift += phrase.energy;
      request.valence_shift += phrase.valence;
    }
  }
  request.energy_shift = std::clamp(request.energy_shift, -1.0, 1.0);
  request.valence_shift = std::clamp(request.valence_shift, -1.0, 1.0);

  for (std::string_view phrase : kSomethingElsePhrases) {
    for (const Hit& hit : FindAll(words, phrase)) {
      if (!Negated(words, hit.begin)) request.something_else = true;
    }
  }

  // The genre named last wins ("not rock, some jazz").
  std::size_t genre_end = 0;
  for (const Genre& genre : kGenres) {
    for (const Hit& hit : FindAll(words, genre.words)) {
      if (Negated(words, hit.begin)) continue;
      if (genre.ambiguous) {
        const bool after = hit.end < words.size() &&
                           std::find(kGenreAfter.begin(), kGenreAfter.end(),
                                     words[hit.end].text) != kGenreAfter.end();
        const bool before = hit.begin > 0 &&
                            std::find(kGenreBefore.begin(), kGenreBefore.end(),
                                      words[hit.begin - 1].text) != kGenreBefore.end();
        if (!after && !before) continue;  // "rock bottom", "this country"
      }
      if (hit.end > genre_end || request.genre.empty()) {
        request.genre = std::string(genre.name);
        genre_end = hit.end;
      }
    }
  }
  return request;
}

bool IsAffirmation(std::string_view text) {
  const std::vector<Word> words = SplitWords(text);
  if (words.empty() || words.size() > 6) return false;
  for (const Word& w : words)
    if (IsNegator(w.text)) return false;  // "not really", "no"
  static constexpr std::array<std::string_view, 18> kYes = {
      "yes",     "yeah",   "yep",    "yup",    "yea",        "ya",
      "right",   "exactly", "correct", "definitely", "absolutely", "true",
      "mostly",  "totally", "indeed", "kinda",  "sure",       "basically"};
  static constexpr std::array<std::string_view, 7> kYesPhrases = {
      "i guess", "i think so", "kind of", "sort of", "pretty much", "that's it", "uh huh"};
  for (const Word& w : words)
    if (std::find(kYes.begin(), kYes.end(), w.text) != kYes.end()) return true;
  for (std::string_view phrase : kYesPhrases)
    if (!FindAll(words, phrase).empty()) return true;
  return false;
}

bool IsDenial(std::string_view text) {
  const std::vector<Word> words = SplitWords(text);
  if (words.empty() || words.size() > 6) return false;
  static constexpr std::array<std::string_view, 6> kNo = {"no", "nope", "nah", "wrong", "incorrect",
                                                          "not"};
  return std::find(kNo.begin(), kNo.end(), words[0].text) != kNo.end();
}

}  // namespace emotune::chat
