// MoodEstimate: what a detector (text, voice, face, a chat turn) or a fusion of
// several says about a listener's mood — a probability over the nine emotions, the
// matching point in the affect plane, how sure it is, and who said what.
//
// Low confidence is a first-class answer: the chat asks a follow-up question
// instead of recommending from a guess (see IsConfident).
//
// Plain values and pure functions: thread-safe to copy and to call concurrently,
// not to mutate one estimate from two threads.
#pragma once

#include <string>
#include <vector>

#include "emotune/emotion.h"

namespace emotune {

// `d` made a probability: NaN and negative entries count as 0, the rest are scaled
// to sum to 1. All-zero input (no evidence) becomes the uniform distribution.
EmotionDistribution Normalized(EmotionDistribution d);

// Whether `d` is non-negative and sums to 1 within `tolerance`.
bool IsNormalized(const EmotionDistribution& d, double tolerance = 1e-9);

// The most probable emotion (ties go to the earlier emotion).
Emotion DominantEmotion(const EmotionDistribution& d);

// The probability-weighted mean of the nine places: where in the plane `d` points.
// `d` is normalised first.
AffectPoint ExpectedPlace(const EmotionDistribution& d);

// How peaked `d` is, in [0, 1]: 1 for all mass on one emotion, 0 for uniform.
//   confidence = ½·(p₁ − p₂) + ½·(1 − H(d) / ln 9)
// with p₁, p₂ the two largest probabilities and H the entropy. The margin says
// whether one emotion clearly wins; the entropy term says whether the rest is
// concentrated or smeared, which the margin alone misses. An even two-way split
// scores 0.34; 80% on one emotion and the rest spread evenly scores 0.68.
double DistributionConfidence(const EmotionDistribution& d);

// One voice in an estimate: which source, what it said, how sure it was.
struct MoodSource {
  std::string name;  // "text", "face", "voice", "chat turn 3", …
  Emotion emotion = Emotion::kNeutral;
  double confidence = 0;  // [0, 1]
};

struct MoodEstimate {
  EmotionDistribution distribution{};  // normalised
  double valence = 0;                  // [-1, 1]
  double arousal = 0;                  // [-1, 1]
  double confidence = 0;               // [0, 1]; see IsConfident
  std::vector<MoodSource> sources;     // every source that contributed, in input order

  Emotion dominant() const { return DominantEmotion(distribution); }
  AffectPoint point() const { return {valence, arousal}; }

  // From a detector's class probabilities (already mapped into the nine; see
  // label_map.h). `distribution` is normalised; the point is its ExpectedPlace;
  // `confidence` is clamped to [0, 1] (NaN → 0). DistributionConfidence(distribution)
  // is a reasonable confidence when the detector offers none.
  static MoodEstimate FromDistribution(EmotionDistribution distribution, double confidence,
                                       std::string source_name);

  // From a point the source measured directly (a track's valence/energy, a slider).
  // The point is kept (ClampedToPlane); the distribution is DistributionNear(point).
  static MoodEstimate FromPoint(AffectPoint point, double confidence, std::string source_name);
};

// Whether the estimate is sure enough to act on. Below the threshold the caller
// should ask rather than guess.
inline constexpr double kDefaultConfidenceThreshold = 0.5;
bool IsConfident(const MoodEstimate& estimate, double threshold = kDefaultConfidenceThreshold);

}  // namespace emotune
