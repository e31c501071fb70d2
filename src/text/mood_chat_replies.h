// The chat's words: every sentence MoodChat says comes from the template lists in
// mood_chat_replies.cpp, several per situation, picked with a caller-supplied PRNG so
// a seed fixes the wording. Private to the text module. Pure functions over constant
// tables (the PRNG is the caller's): thread-safe.
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "emotune/emotion.h"
#include "emotune/mood_chat.h"
#include "emotune/playlist_request.h"

namespace emotune::chat {

// The PRNG for one turn. mt19937_64's output sequence is fixed by the standard
// (unlike std::uniform_int_distribution's mapping), so replies are the same on
// every standard library; Pick() reduces with a plain modulo for that reason.
using ReplyRng = std::mt19937_64;
ReplyRng RngForTurn(std::uint64_t seed, int turn);

// An adjective for how someone feeling `emotion` sounds: "happy", "down", …
std::string_view FeelingWord(Emotion emotion);

std::string Greeting(ReplyRng& rng);

// A short acknowledgement of a turn that said `emotion` ("That sounds really hard.");
// "" for neutral, which deserves no comment.
std::string Acknowledge(Emotion emotion, ReplyRng& rng);

// The n-th open question (0-based) of a conversation with this seed: they go round
// a list, so a terse listener is not asked the same thing twice in a row.
std::string OpenQuestion(int nth, std::uint64_t seed);
std::string ConfirmQuestion(Emotion tentative, ReplyRng& rng);
std::string ConflictQuestion(Emotion earlier, Emotion now, ReplyRng& rng);
std::string MixedQuestion(Emotion a, Emotion b, ReplyRng& rng);
std::string StartQuestion(MoodStrategy wanted, ReplyRng& rng);

// Announces the first playlist. `honest_guess`: the chat ran out of questions and
// is not sure; it says so and invites correction.
std::string Recommend(const PlaylistRequest& request, bool honest_guess, ReplyRng& rng);

// Announces an adjusted playlist: what changed, in the listener's terms.
std::string Adjust(const PlaylistRequest& request, const ExplicitRequest& heard, bool mood_changed,
                   ReplyRng& rng);

// After ready, nothing to change: a friendly line reminding what can be asked.
std::string Acknowledged(ReplyRng& rng);

}  // namespace emotune::chat
