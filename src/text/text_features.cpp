#include "text/text_features.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "emotune/hash64.h"

namespace emotune {
namespace {
// Seeds keep unigrams, negated unigrams, bigrams and character n-grams apart.
constexpr std::uint64_t kUnigram = 1, kNegated = 2, kBigram = 3, kChars = 4;
}  // namespace

TextFeaturizer::TextFeaturizer(FeaturizerOptions options)
    : options_(options), half_mask_((std::uint32_t{1} << (options.hash_bits - 1)) - 1) {}

std::uint32_t TextFeaturizer::WordIndex(std::string_view word) const {
  return static_cast<std::uint32_t>(Hash64(word, kUnigram)) & half_mask_;
}

void TextFeaturizer::Count(std::span<const TextToken> tokens, std::vector<TextFeature>* counts) const {
  // Per-thread scratch: no allocation per message once it has grown.
  thread_local std::vector<std::uint32_t> ids;
  ids.clear();
  const std::uint32_t char_base = half_mask_ + 1;
  std::string padded;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string& w = tokens[i].word;
    ids.push_back(WordIndex(w));
    if (tokens[i].negated) ids.push_back(static_cast<std::uint32_t>(Hash64(w, kNegated)) & half_mask_);
    if (i + 1 < tokens.size()) {
      std::string pair = w;
      pair.push_back(' ');
      pair += tokens[i + 1].word;
      ids.push_back(static_cast<std::uint32_t>(Hash64(pair, kBigram)) & half_mask_);
    }
    padded.assign(1, ' ');
    padded += w;
    padded.push_back(' ');
    for (int n = options_.char_min; n <= options_.char_max; ++n) {
      if (static_cast<std::size_t>(n) > padded.size()) break;
      for (std::size_t at = 0; at + n <= padded.size(); ++at)
        ids.push_back(char_base + (static_cast<std::uint32_t>(Hash64(std::string_view(padded).substr(at, n), kChars)) &
                                   half_mask_));
    }
  }
  std::sort(ids.begin(), ids.end());
  counts->clear();
  for (std::size_t i = 0; i < ids.size();) {
    std::size_t j = i;
    while (j < ids.size() && ids[j] == ids[i]) ++j;
    counts->push_back({ids[i], static_cast<float>(j - i)});
    i = j;
  }
}

void TextFeaturizer::Weight(std::span<const float> idf, std::vector<TextFeature>* features) const {
  double norm[2] = {0, 0};
  const std::uint32_t char_base = half_mask_ + 1;
  for (auto& f : *features) {
    f.value = (1.0f + std::log(f.value)) * idf[f.index];
    norm[f.index >= char_base] += static_cast<double>(f.value) * f.value;
  }
  for (auto& f : *features) {
    const double n = norm[f.index >= char_base];
    if (n > 0) f.value = static_cast<float>(f.value / std::sqrt(n));
  }
}

}  // namespace emotune
