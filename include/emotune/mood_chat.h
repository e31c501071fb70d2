// MoodChat: the dialogue engine the web app and the terminal share. It greets the
// listener, asks open questions about their day and feelings, accumulates what each
// reply says about their mood (recent turns weigh more), asks a follow-up when it is
// unsure or the turns disagree, recognises explicit requests ("cheer me up", "play
// something calm", "more upbeat", "something else") and decides when it knows enough
// to ask the recommender for a playlist.
//
// Each turn returns a reply, the current fused MoodEstimate and — on the turn it
// becomes ready, and on every later turn that changes something — a PlaylistRequest
// for the recommender to answer.
//
// Deterministic: replies are chosen from templates with a PRNG seeded from
// ChatOptions::seed and the turn number, so the same seed, reader and lines give the
// same conversation, word for word. No network, no language model.
//
// Thread-safety: one MoodChat holds one conversation and is NOT thread-safe; give
// each listener (web session, terminal) its own object. The TextMoodReader it
// borrows must outlive it; readers are safe to share between chats.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "emotune/emotion.h"
#include "emotune/mood_estimate.h"
#include "emotune/playlist_request.h"
#include "emotune/status.h"
#include "emotune/text_mood_reader.h"

namespace emotune {

struct ChatOptions {
  // Seeds the choice of reply templates (with the turn number): the same seed gives
  // the same wording. Default 1.
  std::uint64_t seed = 1;

  // The chat is ready once the fused confidence reaches this and the last two
  // informative turns agree. Default 0.55: one clear statement from the classifier
  // ("I got the job, I'm so happy!") is enough; a hedge ("kind of down I guess")
  // earns a follow-up question first. (0, 1].
  double ready_confidence = 0.55;

  // After this many questions without becoming ready, the next turn proceeds with
  // what the chat has, saying honestly that it is unsure. Default 4; >= 0 (0 means
  // recommend after the first reply whatever it says).
  int max_questions = 4;

  // An informative turn this many informative turns old counts half as much as the
  // newest one (FusionOptions::recency_half_life). Default 2 turns: the listener's
  // latest word wins a change of mind, but one earlier statement still counts.
  double recency_half_life = 2.0;

  // A turn whose reader confidence is below this carries no feeling ("ok", "yes",
  // "hmm"): once the listener has said anything with feeling, such turns are listed
  // among the mood's sources but weigh nothing; they do not age earlier evidence,
  // do not count as agreeing or disagreeing, and do not make the chat ready. Until
  // then they alone make a neutral, low-confidence mood. Default 0.3.
  double informative_confidence = 0.3;

  // A negative mood (sadness, fear, anger, disgust) at or above this fused
  // confidence gets the uplift strategy by default; below it the chat matches
  // instead of steering away from a mood it is unsure of. Default 0.3.
  double uplift_confidence = 0.3;

  // When the chat asked "you seem a bit down — is that right?" and the listener
  // answers "yes", the answer counts as that emotion at this confidence. Default 0.6.
  double confirm_confidence = 0.6;

  // Longer input is cut (at a UTF-8 character boundary) before it reaches the reader
  // and the request recogniser, so a pasted essay cannot stall a turn. Default 4096.
  std::size_t max_input_bytes = 4096;
};

// What the listener asked for in one line, as the rule-based recogniser read it
// (src/text/chat_requests.cpp). Empty when the line asks for nothing.
struct ExplicitRequest {
  // The strategy asked for. A turned-down request maps to its opposite:
  // "don't cheer me up" → kMatch, "I don't want to stay sad" → kUplift.
  std::optional<MoodStrategy> strategy;
  std::optional<Emotion> target_emotion;  // for kTarget ("play something joyful")
  bool negated = false;                   // `strategy` came from a turned-down request
  double energy_shift = 0;                // "more upbeat" +0.3, "calmer" −0.3; [-1, 1]
  double valence_shift = 0;               // "more upbeat" +0.2, "happier" +0.3; [-1, 1]
  bool something_else = false;            // "something else", "skip these"
  std::string genre;                      // "jazz" from "some jazz please"; "" = none

  bool empty() const {
    return !strategy && energy_shift == 0 && valence_shift == 0 && !something_else &&
           genre.empty();
  }
};

// What the chat did with a turn (for the UI and for tests).
enum class ChatMove {
  kAskOpen,      // asked an open question: no feeling heard yet
  kAskConfirm,   // heard a hint, asked whether it is right ("a bit down — is that so?")
  kAskConflict,  // the last two informative turns disagree; asked which is closer
  kAskMixed,     // one turn named opposite feelings; asked which is stronger
  kAskStart,     // asked where the listener is before an uplift/match they asked for
  kRecommend,    // became ready: `request` is the first playlist request
  kAdjust,       // after ready: `request` adjusts the previous one
  kAcknowledge,  // after ready: nothing to change; no request
};
std::string_view ChatMoveName(ChatMove move);  // "ask_open", "ask_confirm", …

struct ChatTurn {
  int turn = 0;        // 1 for the listener's first line
  std::string reply;   // what the chat says back, one or two sentences
  MoodEstimate mood;   // the fused estimate after this turn
  // Set on the turn the chat becomes ready and on later turns that change the
  // playlist (new mood, strategy, shift, genre or "something else"); the
  // recommender should answer it. Unset otherwise, even once ready.
  std::optional<PlaylistRequest> request;
  bool ready = false;     // the chat knows enough; stays true for the conversation
  ChatMove move = ChatMove::kAskOpen;
  ExplicitRequest heard;  // what the recogniser found in this line
};

// The strategy the chat picks when the listener never asked for one: the iso
// principle for a negative mood it is sure enough of (sadness, fear, anger, disgust
// at >= options.uplift_confidence → kUplift); everything else — joy, love, surprise,
// calm, neutral, or a negative mood it is unsure of — is met where it is (kMatch).
MoodStrategy DefaultStrategy(const MoodEstimate& mood, const ChatOptions& options = {});

class MoodChat {
 public:
  // `reader` is borrowed and must outlive the chat. Options out of range are a
  // programming error: throws std::invalid_argument.
  explicit MoodChat(const TextMoodReader& reader, ChatOptions options = {});

  // The opening line ("Hi, I'm Emotune. How has your day been?"). Depends only on
  // the seed; does not change the conversation, so it may be shown again.
  std::string Greeting() const;

  // One line from the listener. Invalid UTF-8 is repaired (U+FFFD), not rejected.
  // Empty or blank text is InvalidArgument ("no text") and leaves the conversation
  // unchanged: the front end should not send it, and a blank line is not a turn.
  // A reader failure is passed on with "chat: " in front, also without a turn.
  Result<ChatTurn> Respond(std::string_view user_text);

  // Forgets the conversation; the next Respond is turn 1 again.
  void Reset();

  int turns() const { return turn_; }       // listener lines answered so far
  bool ready() const { return ready_; }
  const MoodEstimate& mood() const { return mood_; }  // fused; neutral, 0 before turn 1
  // The latest request handed out, if the chat has been ready.
  const std::optional<PlaylistRequest>& last_request() const { return last_request_; }

 private:
  struct TurnEvidence {
    MoodEstimate estimate;
    bool informative = false;
  };

  MoodEstimate Fuse() const;
  void BeforeReady(const std::string& acknowledgement, ChatTurn* turn);
  void AfterReady(const std::string& acknowledgement, bool informative, ChatTurn* turn);
  void BecomeReady(const std::string& acknowledgement, bool honest_guess, ChatTurn* turn);

  const TextMoodReader& reader_;
  ChatOptions options_;

  int turn_ = 0;
  int questions_asked_ = 0;
  bool ready_ = false;
  std::vector<TurnEvidence> evidence_;
  MoodEstimate mood_;
  ChatMove last_move_ = ChatMove::kAskOpen;
  std::optional<Emotion> tentative_;  // what a kAskConfirm question asked about

  // Asked for before the chat was ready; used by the first request.
  std::optional<MoodStrategy> wanted_strategy_;
  std::optional<Emotion> wanted_target_;
  double wanted_energy_shift_ = 0;
  double wanted_valence_shift_ = 0;
  std::string wanted_genre_;
  bool asked_start_ = false;   // kAskStart was asked once already
  bool strategy_explicit_ = false;  // the listener chose the strategy; keep it on mood changes

  std::optional<PlaylistRequest> last_request_;
  std::mt19937_64 rng_;  // re-seeded every turn from options_.seed + turn number
};

}  // namespace emotune
