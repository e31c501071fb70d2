// MusicMoodModel: a supervised four-mood classifier for tracks (data_moods' Happy,
// Sad, Energetic, Calm) read from what a Track carries — its Spotify-scale audio
// features, duration, popularity and release year. It is multinomial logistic
// regression over standardised, partly engineered inputs (log tempo, log duration,
// log speechiness/liveness, how far a release lies before 2010 and 2000), trained in
// C++ from a labelled file in the data_moods layout (`emotune train music`).
//
// A missing input is imputed with its training mean (it contributes nothing to the
// scores), so tracks scanned from audio (no popularity, no liveness) or imported from
// files lacking columns are still read; a track with fewer than
// `min_known_inputs` of the twelve inputs, or with neither energy nor valence, is
// `known = false`: no guess.
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
#include <string_view>
#include <vector>

#include "emotune/classification_report.h"
#include "emotune/emotion.h"
#include "emotune/label_map.h"
#include "emotune/status.h"
#include "emotune/track.h"

namespace emotune {

// The moods, in Labels(LabelSet::kDataMoods) order: Happy, Sad, Energetic, Calm.
inline constexpr std::size_t kMusicMoodCount = 4;
// The inputs read from a Track: danceability, energy, spotify_valence, acousticness,
// instrumentalness, speechiness, liveness, loudness_db, tempo_bpm, duration_ms,
// popularity, release_year.
inline constexpr std::size_t kMusicMoodInputCount = 12;

// One labelled track; `mood` indexes Labels(LabelSet::kDataMoods).
struct MusicMoodExample {
  Track track;
  std::size_t mood = 0;
};

// Reads a labelled file in any layout the catalog imports (data_moods CSV, or any
// CSV/JSONL whose mood column is named "mood"/"label"), through the catalog's own
// reader so values are range-checked the same way. A malformed row, an empty or
// unknown mood label, or a file without rows is InvalidArgument naming file:line.
Result<std::vector<MusicMoodExample>> ReadMusicMoodExamples(const std::string& path);

struct MusicMoodOptions {
  // Inverse L2 regularisation strength (as scikit-learn's C: the penalty is
  // ‖W‖² / (2·C·n)); range (0, 1000], default 1.
  double cost = 1.0;
  // Most solver iterations (accelerated gradient descent, stopping earlier once the
  // gradient is below 1e-7); range 1..100000, default 5000.
  int max_iterations = 5000;
  // Fewest of the twelve inputs a track must have to be read; stored in the model.
  // Range 1..12, default 6.
  int min_known_inputs = 6;
};

struct MusicMoodPrediction {
  // false: too few features to read the track; everything below is zero.
  bool known = false;
  // Over Labels(LabelSet::kDataMoods), summing to 1.
  std::array<double, kMusicMoodCount> probabilities{};
  // The same through the data_moods label map, over the nine emotions.
  EmotionDistribution distribution{};
  int known_inputs = 0;  // how many of the twelve inputs the track had

  // The most probable mood's index into Labels(LabelSet::kDataMoods), or
  // kMusicMoodCount when unknown.
  std::size_t mood_index() const;
  // Its label ("Happy"), or "unknown".
  std::string_view mood() const;
};

class MusicMoodModel {
 public:
  // InvalidArgument for options out of range, no examples, a mood index out of
  // range, or fewer than two moods present.
  static Result<std::unique_ptr<MusicMoodModel>> Train(std::span<const MusicMoodExample> examples,
                                                       const MusicMoodOptions& options = {});
  // NotFound for a missing file; Corruption for anything that is not a complete
  // model this version wrote (bad magic, wrong sizes, non-finite weights, truncated
  // or padded).
  static Result<std::unique_ptr<MusicMoodModel>> Load(const std::string& path);
  // Writes atomically (temporary file + rename); IoError on failure.
  Status Save(const std::string& path) const;

  ~MusicMoodModel();

  MusicMoodPrediction Predict(const Track& track) const;

  // What the model was trained on and how, as stored in the file.
  const std::string& description() const;

  struct Impl;

 private:
  explicit MusicMoodModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The report's classes are the four moods, plus "unknown" when the model would not
// read some track: such a track counts as wrong, and its F1 of 0 joins macro-F1.
ClassificationReport ScoreMusicMoodModel(const MusicMoodModel& model, std::span<const MusicMoodExample> examples);

struct CrossValidationOptions {
  int folds = 5;          // range 2..examples, default 5
  int repeats = 1;        // reshuffled repetitions; range 1..100, default 1
  std::uint64_t seed = 7; // fold assignment; the same seed gives the same folds
  // Keep every artist's tracks in one fold (by ArtistLine, case-insensitive), so a
  // model cannot score by recognising an artist it trained on. Folds are then
  // balanced by size, not stratified by mood. Default false.
  bool group_by_artist = false;
};

struct CrossValidationResult {
  // One entry per fold and repeat, in order.
  std::vector<double> accuracy;
  std::vector<double> macro_f1;
  double mean_accuracy = 0, sd_accuracy = 0;  // sd: sample standard deviation over folds
  double mean_macro_f1 = 0, sd_macro_f1 = 0;
};

// k-fold cross-validation: stratified by mood (unless grouped by artist), a model
// trained on each fold's complement — standardisation included, so held-out rows
// never shape it — and scored on the fold. InvalidArgument for options out of
// range or too few examples.
Result<CrossValidationResult> CrossValidateMusicMood(std::span<const MusicMoodExample> examples,
                                                     const MusicMoodOptions& options,
                                                     const CrossValidationOptions& cv);

}  // namespace emotune
