// What MusicMoodModel's training, prediction and file code share: the inputs read
// from a Track, the engineered features the classifier sees, and the model's state.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "emotune/music_mood_model.h"

namespace emotune {

// danceability, energy, spotify_valence, acousticness, instrumentalness,
// speechiness, log speechiness, liveness, log liveness, loudness_db, log tempo,
// log duration, popularity, release year, years before 2010, years before 2000.
inline constexpr std::size_t kMusicMoodFeatureCount = 16;

using MusicMoodInputs = std::array<std::optional<double>, kMusicMoodInputCount>;
using MusicMoodFeatures = std::array<std::optional<double>, kMusicMoodFeatureCount>;

// The twelve inputs (see kMusicMoodInputCount), clamped to their documented ranges;
// NaN and non-positive tempo or duration are unknown.
MusicMoodInputs ReadMusicMoodInputs(const Track& track);
int CountKnown(const MusicMoodInputs& inputs);
// Enough to read: at least `min_known` inputs, energy or valence among them.
bool IsReadable(const MusicMoodInputs& inputs, int min_known);
// A feature derived from an unknown input is unknown.
MusicMoodFeatures EngineerMusicMoodFeatures(const MusicMoodInputs& inputs);

struct MusicMoodModel::Impl {
  // Standardisation fit on the training rows: z = (x − mean) / scale, and an unknown
  // feature sits at z = 0, its training mean.
  std::array<double, kMusicMoodFeatureCount> mean{};
  std::array<double, kMusicMoodFeatureCount> scale{};
  // weights[k * kMusicMoodFeatureCount + f]: mood k's weight on standardised feature f.
  std::array<double, kMusicMoodCount * kMusicMoodFeatureCount> weights{};
  std::array<double, kMusicMoodCount> bias{};
  int min_known_inputs = 6;
  std::string description;

  std::array<double, kMusicMoodFeatureCount> Standardise(const MusicMoodFeatures& features) const;
  // Softmax over the moods' linear scores.
  std::array<double, kMusicMoodCount> Probabilities(const std::array<double, kMusicMoodFeatureCount>& z) const;
};

}  // namespace emotune
