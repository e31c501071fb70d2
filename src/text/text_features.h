// TextFeaturizer: a message's tokens as a sparse TF-IDF vector over hashed features —
// word unigrams (plain and negation-marked), word bigrams, and character 2–5-grams
// inside word boundaries — the representation the validation numbers favoured over
// words alone (see models/MODEL_CARD.md). Words and characters fill separate halves
// of the hashed space, each half scaled to unit length.
// Thread-safe after construction; Featurize writes into a caller-owned vector.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "text/text_tokenizer.h"

namespace emotune {

struct TextFeature {
  std::uint32_t index;
  float value;
};

struct FeaturizerOptions {
  int hash_bits = 20;     // the hashed space has 2^hash_bits features; range 12..24, default 20
  int char_min = 2;       // shortest character n-gram; default 2
  int char_max = 5;       // longest character n-gram; default 5
};

class TextFeaturizer {
 public:
  explicit TextFeaturizer(FeaturizerOptions options = {});

  std::size_t size() const { return std::size_t{1} << options_.hash_bits; }
  const FeaturizerOptions& options() const { return options_; }

  // The distinct feature indexes of `tokens`, with their counts (no weighting).
  void Count(std::span<const TextToken> tokens, std::vector<TextFeature>* counts) const;

  // Counts weighted by 1 + ln(count) and `idf`, each half normalised to unit length.
  void Weight(std::span<const float> idf, std::vector<TextFeature>* features) const;

  // The index of a word unigram (for the known-word set).
  std::uint32_t WordIndex(std::string_view word) const;

 private:
  FeaturizerOptions options_;
  std::uint32_t half_mask_;
};

}  // namespace emotune
