// The chat's explicit-request recogniser: a small rule table over the listener's
// words that spots "cheer me up", "play something calm", "more upbeat", "something
// else", "some jazz please" and the like (see ExplicitRequest in mood_chat.h).
//
// Rules match whole words (the text is lowercased, curly apostrophes straightened,
// and split at anything that is not a letter, digit, apostrophe or '&'), so "relax"
// never fires inside "relaxed". A rule is turned down by a negator just before it in
// the same clause — "don't", "not", "no", "never", "stop", with only filler words
// ("want", "to", "you", …) in between — and clauses end at , . ! ? ; : and "but".
// Private to the text module. Pure functions over constant tables: thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "emotune/mood_chat.h"

namespace emotune::chat {

struct Word {
  std::string text;  // lowercased; ASCII apostrophe
  int clause = 0;    // words in different clauses never negate each other
};

// `text` split into words as described above. Bytes >= 0x80 other than the
// curly apostrophe stay inside words, so non-English words never match a rule.
std::vector<Word> SplitWords(std::string_view text);

// What `text` asks for. Among several strategy rules that fire, one that is not
// turned down beats one that is, and then the one said last wins ("cheer me up —
// no, calm me down" → kCalm). Shifts from several phrases add up, clamped to
// [-1, 1].
ExplicitRequest RecognizeRequest(std::string_view text);

// Whether `text` is a short yes ("yes", "yeah", "I guess so", "pretty much") — an
// answer to "is that right?" that carries no feeling of its own. "ok" is not one:
// people say it to move on, not to agree.
bool IsAffirmation(std::string_view text);

// Whether `text` is a short no ("no", "nope", "not really", "not at all") — an
// answer to "is that right?" that takes the guess back.
bool IsDenial(std::string_view text);

}  // namespace emotune::chat
