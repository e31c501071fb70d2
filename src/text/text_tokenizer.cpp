#include "text/text_tokenizer.h"

#include <algorithm>
#include <array>

namespace emotune {
namespace {

bool IsWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

// Punctuation that ends a negation's scope ("not happy, but calm").
bool EndsClause(char c) {
  return c == '.' || c == ',' || c == '!' || c == '?' || c == ';' || c == ':' || c == '\n';
}

std::size_t Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  return 2;
}

}  // namespace

bool IsNegationWord(std::string_view w) {
  // Contractions appear without their apostrophe: the tokenizer drops it.
  static constexpr std::array<std::string_view, 34> kWords = {
      "not",    "no",      "never",   "nothing", "nobody", "none",     "nor",      "neither", "cannot",
      "without", "nowhere", "hardly", "barely",  "aint",   "dont",     "doesnt",   "didnt",   "isnt",
      "arent",  "wasnt",   "werent",  "cant",    "couldnt", "wont",    "wouldnt",  "shouldnt", "havent",
      "hasnt",  "hadnt",   "mustnt",  "neednt",  "mightnt", "noone",   "nope"};
  return std::find(kWords.begin(), kWords.end(), w) != kWords.end();
}

TextTokenizer::TextTokenizer(std::unordered_map<std::string, std::string> emoji_names)
    : emoji_names_(std::move(emoji_names)) {
  for (const auto& [emoji, name] : emoji_names_) longest_emoji_ = std::max(longest_emoji_, emoji.size());
}

void TextTokenizer::Tokenize(std::string_view text, std::vector<TextToken>* out) const {
  bool negating = false;
  std::vector<std::size_t> squeezed;  // where a run of 3+ was cut to two letters
  std::string word;
  const auto flush = [&] {
    if (word.empty()) return;
    const bool negation = IsNegationWord(word);
    std::string single;
    if (!squeezed.empty()) {
      for (std::size_t k = 0; k < word.size(); ++k)
        if (std::find(squeezed.begin(), squeezed.end(), k) == squeezed.end()) single.push_back(word[k]);
    }
    out->push_back({word, negating && !negation, std::move(single)});
    if (negation) negating = true;
    word.clear();
    squeezed.clear();
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    // Emoji start with E2 (U+2xxx symbols), E3 (U+3xxx) or F0 (U+1Fxxx): other text
    // skips the lookups.
    if ((c == 0xE2 || c == 0xE3 || c == 0xF0) && !emoji_names_.empty()) {
      // Longest emoji sequence first: "❤️" (heart + variation selector) before "❤".
      bool matched = false;
      for (std::size_t len = std::min(longest_emoji_, text.size() - i); len > 0 && !matched; --len) {
        auto it = emoji_names_.find(std::string(text.substr(i, len)));
        if (it == emoji_names_.end()) continue;
        flush();
        Tokenize(it->second, out);
        i += len;
        matched = true;
      }
      if (matched) continue;
    }
    if (text.substr(i, 3) == "\xE2\x80\x99") {  // the typographic apostrophe, U+2019
      i += 3;
      continue;
    }
    if (IsWordByte(c)) {
      const std::size_t n = Utf8Length(c);
      if (n == 1) {
        const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
        // Squeeze a third repeat and beyond: "sooooo" → "soo".
        if (word.size() >= 2 && word[word.size() - 1] == lower && word[word.size() - 2] == lower) {
          if (squeezed.empty() || squeezed.back() != word.size() - 1) squeezed.push_back(word.size() - 1);
        } else {
          word.push_back(lower);
        }
        ++i;
      } else {
        word.append(text.substr(i, std::min(n, text.size() - i)));
        i += n;
      }
      continue;
    }
    if (c == '\'') {  // "don't" → "dont"
      ++i;
      continue;
    }
    flush();
    if (EndsClause(static_cast<char>(c))) negating = false;
    ++i;
  }
  flush();
}

}  // namespace emotune
