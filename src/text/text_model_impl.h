// The inside of TextEmotionModel, shared by its training and its inference files.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "emotune/text_emotion_model.h"
#include "text/text_features.h"
#include "text/text_tokenizer.h"

namespace emotune {

struct TextEmotionModel::Impl {
  TextTokenizer tokenizer;
  TextFeaturizer featurizer;
  std::vector<float> idf;             // per feature
  std::vector<_Float16> weights;      // per feature, kEmotionCount in a row
  std::array<float, kEmotionCount> bias{};
  std::vector<std::uint64_t> known;   // bitset over word-unigram indexes seen in ≥ kKnownMinDocs texts
  float temperature = 1.0f;           // softmax temperature
  std::string description;

  static constexpr int kKnownMinDocs = 3;

  bool Known(std::uint32_t word_index) const { return (known[word_index >> 6] >> (word_index & 63)) & 1; }
  // The distribution for one chunk's features, written into `out`.
  void Score(std::span<const TextFeature> features, std::array<double, kEmotionCount>* out) const;
  // The distribution for tokens read as one chunk.
  EmotionDistribution ScoreTokens(std::span<const TextToken> tokens) const;
};

}  // namespace emotune
