// MoodChat's decisions: what counts as evidence, when turns disagree, when to ask and
// when to recommend. The words are in mood_chat_replies.cpp, the request rules in
// chat_requests.cpp.
#include "emotune/mood_chat.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "chat_requests.h"
#include "emotune/ascii_text.h"
#include "emotune/mood_fusion.h"
#include "emotune/utf8.h"
#include "mood_chat_replies.h"

namespace emotune {
namespace {

// A turn's broad tone, from its point's valence. Two informative turns of opposite
// tone disagree (happy, then scared); sadness then anger do not — both call for the
// same strategy, so asking "which is closer?" would only annoy.
enum class Tone { kNegative, kNeutral, kPositive };
constexpr double kToneValence = 0.2;

Tone ToneOf(const MoodEstimate& m) {
  if (m.valence > kToneValence) return Tone::kPositive;
  if (m.valence < -kToneValence) return Tone::kNegative;
  return Tone::kNeutral;
}

bool Opposed(Tone a, Tone b) {
  return (a == Tone::kPositive && b == Tone::kNegative) ||
         (a == Tone::kNegative && b == Tone::kPositive);
}

bool IsNegative(Emotion e) {
  return e == Emotion::kSadness || e == Emotion::kFear || e == Emotion::kAnger ||
         e == Emotion::kDisgust;
}

// Uplift and match start from where the listener is, so they need to know it;
// calm, energize and target have a destination of their own.
bool NeedsStartingPoint(MoodStrategy s) {
  return s == MoodStrategy::kUplift || s == MoodStrategy::kMatch;
}

// Each of the two strongest emotions must hold at least this much of one turn for
// it to count as mixed feelings ("happy but also sad").
constexpr double kMixedShare = 0.25;

// The two opposed feelings one turn names, strongest first, if it names them.
std::optional<std::pair<Emotion, Emotion>> MixedFeelings(const MoodEstimate& m) {
  std::array<Emotion, kEmotionCount> order = AllEmotions();
  std::stable_sort(order.begin(), order.end(), [&](Emotion a, Emotion b) {
    return m.distribution[EmotionIndex(a)] > m.distribution[EmotionIndex(b)];
  });
  const Emotion first = order[0];
  const Emotion second = order[1];
  if (m.distribution[EmotionIndex(second)] < kMixedShare) return std::nullopt;
  const double v1 = EmotionPlace(first).valence;
  const double v2 = EmotionPlace(second).valence;
  if (!((v1 > kToneValence && v2 < -kToneValence) || (v1 < -kToneValence && v2 > kToneValence)))
    return std::nullopt;
  return std::make_pair(first, second);
}

// What is left of a turn's confidence after the listener said a guess drawn from
// it was wrong. The turn stops being informative (so it weighs nothing next to
// any real feeling); this only matters while nothing else has been said.
constexpr double kRetractedWeight = 0.25;

// `text` cut to at most `max` bytes without splitting a UTF-8 sequence.
std::string CutUtf8(std::string text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text;
}

std::string Join(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return a + " " + b;
}

void SetTarget(std::optional<Emotion> emotion, PlaylistRequest* request) {
  request->target_emotion = emotion;
  request->target.reset();
  if (emotion) request->target = EmotionPlace(*emotion);
}

}  // namespace

std::string_view ChatMoveName(ChatMove move) {
  switch (move) {
    case ChatMove::kAskOpen: return "ask_open";
    case ChatMove::kAskConfirm: return "ask_confirm";
    case ChatMove::kAskConflict: return "ask_conflict";
    case ChatMove::kAskMixed: return "ask_mixed";
    case ChatMove::kAskStart: return "ask_start";
    case ChatMove::kRecommend: return "recommend";
    case ChatMove::kAdjust: return "adjust";
    case ChatMove::kAcknowledge: return "acknowledge";
  }
  return "?";
}

MoodStrategy DefaultStrategy(const MoodEstimate& mood, const ChatOptions& options) {
  return IsNegative(mood.dominant()) && mood.confidence >= options.uplift_confidence
             ? MoodStrategy::kUplift
             : MoodStrategy::kMatch;
}

MoodChat::MoodChat(const TextMoodReader& reader, ChatOptions options)
    : reader_(reader), options_(options) {
  auto in01 = [](double x) { return x >= 0 && x <= 1; };
  if (!(options_.ready_confidence > 0 && options_.ready_confidence <= 1) ||
      options_.max_questions < 0 || !(options_.recency_half_life > 0) ||
      !in01(options_.informative_confidence) || !in01(options_.uplift_confidence) ||
      !in01(options_.confirm_confidence) || options_.max_input_bytes == 0) {
    throw std::invalid_argument(fmt::format(
        "ChatOptions out of range: ready_confidence {} (0,1], max_questions {} (>=0), "
        "recency_half_life {} (>0), informative/uplift/confirm_confidence {}/{}/{} [0,1], "
        "max_input_bytes {} (>0)",
        options_.ready_confidence, options_.max_questions, options_.recency_half_life,
        options_.informative_confidence, options_.uplift_confidence,
        options_.confirm_confidence, options_.max_input_bytes));
  }
  Reset();
}

std::string MoodChat::Greeting() const {
  chat::ReplyRng rng = chat::RngForTurn(options_.seed, 0);
  return chat::Greeting(rng);
}

void MoodChat::Reset() {
  turn_ = 0;
  questions_asked_ = 0;
  ready_ = false;
  evidence_.clear();
  last_move_ = ChatMove::kAskOpen;
  tentative_.reset();
  wanted_strategy_.reset();
  wanted_target_.reset();
  wanted_energy_shift_ = wanted_valence_shift_ = 0;
  wanted_genre_.clear();
  asked_start_ = false;
  strategy_explicit_ = false;
  last_request_.reset();
  mood_ = Fuse();
}

// "ok" says nothing about the listener, so it neither ages what they said before
// (age counts informative turns only) nor dilutes it: once any informative turn
// exists, feelingless turns go in with weight 0 — listed among the sources, left
// out of the verdict. Before that they are all there is, and their low confidence
// makes a neutral estimate nobody should act on.
MoodEstimate MoodChat::Fuse() const {
  const bool any_informative = std::any_of(evidence_.begin(), evidence_.end(),
                                           [](const TurnEvidence& e) { return e.informative; });
  std::vector<TimedEstimate> inputs(evidence_.size());
  int later_informative = 0;
  for (std::size_t i = evidence_.size(); i-- > 0;) {
    inputs[i] = {evidence_[i].estimate, static_cast<double>(later_informative)};
    if (evidence_[i].informative) ++later_informative;
    if (any_informative && !evidence_[i].informative) inputs[i].estimate.confidence = 0;
  }
  FusionOptions fusion;
  fusion.recency_half_life = options_.recency_half_life;
  return FuseMoods(inputs, fusion);
}

Result<ChatTurn> MoodChat::Respond(std::string_view user_text) {
  const std::string repaired = CutUtf8(RepairUtf8(user_text), options_.max_input_bytes);
  const std::string text(TrimSpace(repaired));
  if (text.empty()) {
    return Status::InvalidArgument("no text: say how you feel, or what you'd like to hear");
  }
  Result<MoodEstimate> read = reader_.ReadMood(text);
  if (!read.ok()) return read.status().WithContext("chat: ");

  ChatTurn turn;
  turn.turn = ++turn_;
  rng_ = chat::RngForTurn(options_.seed, turn_);
  MoodEstimate estimate = std::move(read).value();
  const std::string label = fmt::format("chat turn {}", turn_);
  for (MoodSource& source : estimate.sources) source.name = label + " (" + source.name + ")";
  if (estimate.sources.empty()) {
    estimate.sources.push_back({label, estimate.dominant(), estimate.confidence});
  }
  bool informative = estimate.confidence >= options_.informative_confidence;
  turn.heard = chat::RecognizeRequest(text);

  // "yes" to "you seem a bit down — is that right?" is evidence for the guess,
  // though the words alone carry no feeling.
  if (!informative && last_move_ == ChatMove::kAskConfirm && tentative_ &&
      chat::IsAffirmation(text)) {
    EmotionDistribution confirmed{};
    confirmed[EmotionIndex(*tentative_)] = 1;
    estimate = MoodEstimate::FromDistribution(confirmed, options_.confirm_confidence,
                                              label + " (confirmed)");
    informative = true;
  }
  // "No" to that question takes the guess back: the turns that suggested it stop
  // counting as evidence, so the next feeling is not read as a conflict with it.
  if (!informative && last_move_ == ChatMove::kAskConfirm && tentative_ &&
      chat::IsDenial(text)) {
    for (TurnEvidence& earlier : evidence_) {
      if (!earlier.informative || earlier.estimate.dominant() != *tentative_) continue;
      earlier.informative = false;
      earlier.estimate.confidence *= kRetractedWeight;
    }
  }
  const std::string acknowledgement =
      informative ? chat::Acknowledge(estimate.dominant(), rng_) : std::string();
  evidence_.push_back({std::move(estimate), informative});
  mood_ = Fuse();
  turn.mood = mood_;

  if (ready_) {
    AfterReady(acknowledgement, informative, &turn);
  } else {
    BeforeReady(acknowledgement, &turn);
  }
  last_move_ = turn.move;
  turn.ready = ready_;
  return turn;
}

void MoodChat::BeforeReady(const std::string& acknowledgement, ChatTurn* turn) {
  const ExplicitRequest& heard = turn->heard;
  if (!heard.genre.empty()) wanted_genre_ = heard.genre;
  if (heard.energy_shift != 0) wanted_energy_shift_ = heard.energy_shift;
  if (heard.valence_shift != 0) wanted_valence_shift_ = heard.valence_shift;
  if (heard.strategy) {
    wanted_strategy_ = heard.strategy;
    wanted_target_ = heard.target_emotion;
    strategy_explicit_ = true;
  } else if (!wanted_strategy_) {
    // A direction with no playlist yet to adjust ("something more upbeat") is a
    // strategy: more energy is energize, less is calm, brighter is uplift.
    std::optional<MoodStrategy> implied;
    if (heard.energy_shift > 0) implied = MoodStrategy::kEnergize;
    else if (heard.energy_shift < 0) implied = MoodStrategy::kCalm;
    else if (heard.valence_shift > 0) implied = MoodStrategy::kUplift;
    if (implied) {
      wanted_strategy_ = implied;
      strategy_explicit_ = true;
    }
  }

  std::vector<std::size_t> informative;
  for (std::size_t i = 0; i < evidence_.size(); ++i)
    if (evidence_[i].informative) informative.push_back(i);
  const bool has_evidence = !informative.empty();

  // An explicit strategy settles the question of what to play. Calm, energize and
  // target go at once; uplift and match need a starting point, so the chat asks
  // once where the listener is, then goes with whatever it has.
  if (wanted_strategy_) {
    const bool needs_start = NeedsStartingPoint(*wanted_strategy_);
    if (!needs_start || has_evidence || asked_start_) {
      BecomeReady(acknowledgement, needs_start && !has_evidence, turn);
      return;
    }
    asked_start_ = true;
    ++questions_asked_;
    turn->move = ChatMove::kAskStart;
    turn->reply = chat::StartQuestion(*wanted_strategy_, rng_);
    return;
  }

  // Mixed feelings in the latest informative turn stay unresolved through an "ok".
  const auto mixed = MixedFeelings(
      has_evidence ? evidence_[informative.back()].estimate : evidence_.back().estimate);
  std::optional<std::pair<Emotion, Emotion>> conflict;
  if (informative.size() >= 2) {
    const MoodEstimate& earlier = evidence_[informative[informative.size() - 2]].estimate;
    const MoodEstimate& latest = evidence_[informative.back()].estimate;
    if (Opposed(ToneOf(earlier), ToneOf(latest))) {
      conflict = std::make_pair(earlier.dominant(), latest.dominant());
    }
  }

  if (has_evidence && !mixed && !conflict && mood_.confidence >= options_.ready_confidence) {
    BecomeReady(acknowledgement, /*honest_guess=*/false, turn);
    return;
  }
  if (questions_asked_ >= options_.max_questions) {
    BecomeReady(acknowledgement, /*honest_guess=*/true, turn);
    return;
  }

  const int nth_question = questions_asked_++;
  if (mixed) {
    turn->move = ChatMove::kAskMixed;
    turn->reply = chat::MixedQuestion(mixed->first, mixed->second, rng_);
  } else if (conflict) {
    turn->move = ChatMove::kAskConflict;
    turn->reply =
        Join(acknowledgement, chat::ConflictQuestion(conflict->first, conflict->second, rng_));
  } else if (has_evidence && mood_.dominant() != Emotion::kNeutral &&
             !(last_move_ == ChatMove::kAskConfirm && !evidence_.back().informative)) {
    // A hint but not enough: check the guess. Not twice in a row when the answer
    // said nothing (a "no" or "ok") — then an open question does better. No
    // acknowledgement: "That sounds really hard" would presume what it asks.
    turn->move = ChatMove::kAskConfirm;
    tentative_ = mood_.dominant();
    turn->reply = chat::ConfirmQuestion(*tentative_, rng_);
  } else {
    turn->move = ChatMove::kAskOpen;
    turn->reply = Join(acknowledgement, chat::OpenQuestion(nth_question, options_.seed));
  }
}

void MoodChat::BecomeReady(const std::string& acknowledgement, bool honest_guess, ChatTurn* turn) {
  PlaylistRequest request;
  request.mood = mood_;
  request.strategy = wanted_strategy_ ? *wanted_strategy_ : DefaultStrategy(mood_, options_);
  if (request.strategy == MoodStrategy::kTarget) SetTarget(wanted_target_, &request);
  request.energy_shift = wanted_energy_shift_;
  request.valence_shift = wanted_valence_shift_;
  request.genre = wanted_genre_;
  ready_ = true;
  last_request_ = request;
  turn->request = request;
  turn->move = ChatMove::kRecommend;
  turn->reply = Join(acknowledgement, chat::Recommend(request, honest_guess, rng_));
}

// Once ready, every line may change the playlist: a new strategy, a shift, a genre,
// "something else", or a mood that has moved to a different emotion. Shifts are
// relative to the previous playlist, so they do not accumulate across requests.
void MoodChat::AfterReady(const std::string& acknowledgement, bool informative, ChatTurn* turn) {
  const ExplicitRequest& heard = turn->heard;
  PlaylistRequest request = *last_request_;
  request.energy_shift = heard.energy_shift;
  request.valence_shift = heard.valence_shift;
  request.something_else = heard.something_else;
  bool changed = heard.energy_shift != 0 || heard.valence_shift != 0 || heard.something_else;
  if (heard.strategy) {
    request.strategy = *heard.strategy;
    SetTarget(request.strategy == MoodStrategy::kTarget ? heard.target_emotion : std::nullopt,
              &request);
    strategy_explicit_ = true;
    changed = true;
  }
  if (!heard.genre.empty()) {
    request.genre = heard.genre;
    changed = true;
  }
  const bool mood_changed = informative && mood_.dominant() != last_request_->mood.dominant();
  if (mood_changed) {
    // A listener who chose the strategy keeps it; otherwise the new mood picks.
    if (!strategy_explicit_) request.strategy = DefaultStrategy(mood_, options_);
    changed = true;
  }
  if (!changed) {
    turn->move = ChatMove::kAcknowledge;
    turn->reply = Join(acknowledgement, chat::Acknowledged(rng_));
    return;
  }
  request.mood = mood_;
  last_request_ = request;
  turn->request = request;
  turn->move = ChatMove::kAdjust;
  turn->reply = Join(mood_changed ? acknowledgement : std::string(),
                     chat::Adjust(request, heard, mood_changed, rng_));
}

}  // namespace emotune
