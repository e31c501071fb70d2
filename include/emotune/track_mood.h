// TrackMood: where a track sits in the affect plane, read from its audio features.
// The recommender compares these points with the listener's path, so this is the
// one place that turns Spotify-scale descriptors into valence/arousal in [-1, 1].
//
// This is the first, rule-based model: valence from `spotify_valence`, arousal from
// energy (mostly), tempo, loudness and danceability. Issue 5 will add a trained
// four-mood classifier (data_moods: Happy, Sad, Energetic, Calm) on top; it will
// refine `distribution` while this mapping stays the fallback for tracks it cannot
// read.
//
// Pure functions over plain values: thread-safe.
#pragma once

#include <optional>

#include "emotune/emotion.h"
#include "emotune/track.h"

namespace emotune {

struct TrackMood {
  AffectPoint point;                    // valence, arousal in [-1, 1]
  EmotionDistribution distribution{};   // DistributionNear(point)
  bool known = false;                   // false: too few features to place the track
};

// Arousal weights (summing to 1): energy carries most of what listeners rate as
// arousal; tempo, loudness and danceability add what energy misses (a quiet but
// fast track, a loud slow one).
inline constexpr double kArousalEnergyWeight = 0.6;
inline constexpr double kArousalTempoWeight = 0.15;
inline constexpr double kArousalLoudnessWeight = 0.15;
inline constexpr double kArousalDanceabilityWeight = 0.1;

// The mood `features` suggest:
//   valence = 2·spotify_valence − 1
//   arousal = 2·(Σ wᵢ·xᵢ / Σ wᵢ) − 1 over the known parts among
//     energy (0..1), tempo_norm = clamp((bpm − 60) / 120, 0, 1),
//     loudness_norm = clamp((dB + 40) / 40, 0, 1), danceability (0..1),
//   so a missing part renormalises the weights over the parts that are known.
// An unknown valence or arousal (no part known) is placed at 0 on that axis; with
// neither energy nor spotify_valence the track is `known = false` (tempo alone says
// too little to recommend from). Out-of-range or NaN inputs are clamped, not trusted.
TrackMood TrackMoodFromFeatures(const AudioFeatures& features);

// TrackMoodFromFeatures' point alone, nullopt where it is not known: the cheap
// form for placing a million tracks (an index), which need no distribution.
std::optional<AffectPoint> TrackPlace(const AudioFeatures& features);

}  // namespace emotune
