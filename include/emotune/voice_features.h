// Voice emotion features: one fixed-length vector per utterance, the statistics of
// its frames (voice_frames.h) that carry emotion in speech —
//   - spectrum: per mel band the mean, spread, 10th/90th percentiles and the spread
//     of its change (deltas), relative to the utterance's own mean level, so the
//     microphone's gain does not count; MFCC means, spreads and delta spreads;
//   - prosody: pitch in semitones (mean, spread, percentiles, range, slope, speed of
//     change), level contour (spread, percentiles, skew, speed of change);
//   - voice quality: spectral centroid, roll-off, flatness, flux, alpha ratio,
//     Hammarberg index, zero crossings; periodicity (harmonics-to-noise), jitter and
//     shimmer approximated frame to frame;
//   - rhythm: syllable-like level peaks per second, voiced runs per second and their
//     length, pause share, duration.
// Pure functions: thread-safe.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "emotune/voice_activity.h"
#include "emotune/voice_frames.h"

namespace emotune {

// The features' names, in vector order ("mel03_mean", "pitch_st_sd", …).
const std::vector<std::string>& VoiceFeatureNames();
inline std::size_t VoiceFeatureCount() { return VoiceFeatureNames().size(); }

// The features of `utterance` (frames [begin, end)); `threshold_db` is the voice
// activity's level for an active frame (VoiceActivity::threshold_db). Every value is
// finite; an utterance without voiced frames gets neutral pitch statistics.
std::vector<float> ComputeVoiceFeatures(const VoiceFrames& frames, const SpeechSegment& utterance,
                                        double threshold_db);

}  // namespace emotune
