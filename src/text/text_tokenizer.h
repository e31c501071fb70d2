// TextTokenizer: turns a message into the word tokens the emotion model reads.
// Lower-cases ASCII, drops apostrophes ("don't" → "dont", as the training tweets
// spell it), squeezes letters repeated three or more times ("sooooo" → "soo"),
// replaces emoji by their names from the VADER emoji lexicon ("😭" → "loudly crying
// face") and marks the words that follow a negation up to the next punctuation, so
// "not happy" and "happy" are different evidence. Thread-safe after construction.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace emotune {

struct TextToken {
  std::string word;
  bool negated = false;  // inside a negation's scope
  // When letters were squeezed ("happyyyy" → "happyy"), the word with every squeezed
  // run down to one letter ("happy"), for a model that does not know the first form.
  std::string single;
};

class TextTokenizer {
 public:
  // `emoji_names`: an emoji's UTF-8 bytes → its name in words. May be empty.
  explicit TextTokenizer(std::unordered_map<std::string, std::string> emoji_names = {});

  // Appends the tokens of `text` (valid UTF-8) to `out`.
  void Tokenize(std::string_view text, std::vector<TextToken>* out) const;

  const std::unordered_map<std::string, std::string>& emoji_names() const { return emoji_names_; }

 private:
  std::unordered_map<std::string, std::string> emoji_names_;
  std::size_t longest_emoji_ = 0;
};

// Whether `word` (lower-case, no apostrophes) negates what follows: not, never, dont, …
bool IsNegationWord(std::string_view word);

}  // namespace emotune
