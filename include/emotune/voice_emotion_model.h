// VoiceEmotionModel: an utterance's features (voice_features.h) → probabilities over
// RAVDESS's eight emotions (neutral, calm, happy, sad, angry, fearful, disgust,
// surprised, in Labels(LabelSet::kRavdess) order). It is an ensemble of small
// neural networks (one hidden tanh layer; no hidden layer is multinomial logistic
// regression) over standardised features, trained in C++ with Adam on a seeded,
// class-balanced cross-entropy (`emotune train voice`).
//
// Thread-safe: a trained or loaded model is immutable; Predict may run on many
// threads. Training is deterministic: the same examples and options give a
// byte-identical model file.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "emotune/status.h"

namespace emotune {

inline constexpr std::size_t kRavdessEmotionCount = 8;
// Indexed like Labels(LabelSet::kRavdess).
using RavdessProbabilities = std::array<double, kRavdessEmotionCount>;

// One labelled utterance: its features and its RAVDESS emotion index.
struct VoiceExample {
  std::vector<float> features;
  std::size_t label = 0;
  double weight = 1;  // relative weight in the loss (an augmented copy may count less)
};

struct VoiceTrainingOptions {
  // Hidden units per network; default 48; 0 trains multinomial logistic regression.
  int hidden = 48;
  // Networks averaged; default 5, range 1..32.
  int members = 5;
  // Passes over the examples; default 120, range 1..10000.
  int epochs = 120;
  // Adam's step size; default 0.001.
  double learning_rate = 1e-3;
  // L2 penalty on the weights (not the biases), per example; default 1e-3.
  double l2 = 1e-3;
  // Gaussian noise added to the standardised inputs while training (SD); default 0.3.
  double input_noise = 0.3;
  // Examples per gradient step; default 32.
  int batch = 32;
  // Weights the classes so each counts equally whatever its size; default true.
  bool balance_classes = true;
  // Initial weights and shuffling; default 7.
  std::uint64_t seed = 7;
};

class VoiceEmotionModel {
 public:
  // InvalidArgument for options out of range, no examples, examples of different
  // sizes, a label out of range, or fewer than two emotions present.
  static Result<std::unique_ptr<VoiceEmotionModel>> Train(std::span<const VoiceExample> examples,
                                                          const VoiceTrainingOptions& options = {},
                                                          std::string description = "");
  // NotFound for a missing file; Corruption for anything that is not a complete
  // model this version wrote, or one whose features are not this build's
  // (VoiceFeatureNames()).
  static Result<std::unique_ptr<VoiceEmotionModel>> Load(const std::string& path);
  // Writes atomically (temporary file + rename); IoError on failure.
  Status Save(const std::string& path) const;

  ~VoiceEmotionModel();

  // `features` must have feature_count() values (a programming error otherwise:
  // throws std::invalid_argument).
  RavdessProbabilities Predict(std::span<const float> features) const;

  std::size_t feature_count() const;
  // What the model was trained on and how, as stored in the file.
  const std::string& description() const;

  struct Impl;

 private:
  explicit VoiceEmotionModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace emotune
