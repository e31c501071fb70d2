// TextEmotionModel: reads the emotion in a message. Hashed word and character
// n-grams weighted by TF-IDF feed one linear SVM per emotion, whose scores a softmax
// turns into a distribution over the nine emotions. It is trained in C++ from
// labelled text (CARER, GoEmotions, or a user's own files in those layouts). Emoji are read through their names; words after a
// negation are separate evidence; long text is read in chunks and pooled; text in
// words the model never saw (another language) gets a low confidence, not a guess.
//
// Thread-safe: a loaded model is immutable; ReadMood may run on many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "emotune/mood_estimate.h"
#include "emotune/status.h"
#include "emotune/text_corpus.h"
#include "emotune/text_mood_reader.h"

namespace emotune {

struct TextTrainingOptions {
  std::uint64_t seed = 7;          // shuffling; the same data and seed give the same model
  int epochs = 30;                 // most passes of the solver; range 1..100, default 30
  double svm_c = 0.5;              // SVM cost (inverse regularisation); range (0, 100], default 0.5
  double temperature = 0.5;        // softmax temperature over SVM scores; range (0, 10], default 0.5
  bool balance_classes = true;     // weight rare emotions up to equal total weight; default true
  int hash_bits = 20;              // hashed feature space 2^hash_bits; range 16..22, default 20
  int char_min = 2;                // shortest character n-gram; range 1..8, default 2
  int char_max = 5;                // longest character n-gram; range char_min..8, default 5
  double nb_alpha = 0;             // NB log-count-ratio feature scaling with this smoothing; 0 = off; range [0, 10], default 0
  double nb_share = 1;             // with nb_alpha > 0, the NB-scaled SVM's share of the final weights, the
                                   // plain SVM's the rest; range [0, 1], default 1
  int threads = 0;                 // for featurising; 0 = all cores
};

struct TextPrediction {
  EmotionDistribution distribution{};
  double confidence = 0;  // in [0, 1]
  double coverage = 0;    // share of words the model knows, in [0, 1]
};

class TextEmotionModel : public TextMoodReader {
 public:
  // Trains on `examples`. `emoji_names` (emoji → name, e.g. VADER's emoji lexicon)
  // is stored in the model so it needs nothing else at run time.
  static Result<std::unique_ptr<TextEmotionModel>> Train(
      std::span<const TextExample> examples, const TextTrainingOptions& options,
      std::unordered_map<std::string, std::string> emoji_names = {});
  static Result<std::unique_ptr<TextEmotionModel>> Load(const std::string& path);
  // Writes atomically (temporary file + rename).
  Status Save(const std::string& path) const;

  ~TextEmotionModel() override;

  Result<MoodEstimate> ReadMood(std::string_view text) const override;
  // The same for one message, without the MoodEstimate wrapping.
  Result<TextPrediction> Predict(std::string_view text) const;
  // Many messages on `threads` threads (0 = all cores), results in input order.
  std::vector<Result<TextPrediction>> PredictBatch(std::span<const std::string> texts, int threads = 0) const;

  // What the model was trained on and how, as stored in the file.
  const std::string& description() const;

  struct Impl;

 private:
  explicit TextEmotionModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Reads VADER's emoji_utf8_lexicon.txt (`emoji<TAB>name` per line).
Result<std::unordered_map<std::string, std::string>> ReadEmojiNames(const std::string& path);

}  // namespace emotune
