// The affect space every module meets in: nine named emotions, each with a fixed
// place in Russell's valence/arousal plane, and the conversions between a point in
// that plane and the nine names.
//
// The places come from ONE table (src/affect/emotion.cpp) whose comments give the
// published source of every number. Everything here is a pure function over
// constant data: thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "emotune/status.h"

namespace emotune {

// The order is part of the API: EmotionDistribution and every mapping table are
// indexed by static_cast<std::size_t>(Emotion).
enum class Emotion : std::uint8_t {
  kJoy,
  kLove,
  kCalm,
  kNeutral,
  kSurprise,
  kFear,
  kAnger,
  kDisgust,
  kSadness,
};
inline constexpr std::size_t kEmotionCount = 9;

// A point in Russell's circumplex. Both axes lie in [-1, 1]: valence from
// unpleasant to pleasant, arousal from sleepy to excited. Not Spotify's [0, 1]
// valence or energy; convert those explicitly.
struct AffectPoint {
  double valence = 0;
  double arousal = 0;
};

// Probability over the nine emotions, indexed by static_cast<std::size_t>(Emotion).
// Defined here rather than in mood_estimate.h because DistributionNear returns it.
using EmotionDistribution = std::array<double, kEmotionCount>;

inline constexpr std::size_t EmotionIndex(Emotion e) { return static_cast<std::size_t>(e); }

// Every emotion, in enum order.
const std::array<Emotion, kEmotionCount>& AllEmotions();

// Lowercase name: "joy", "love", …, "sadness".
std::string_view EmotionName(Emotion emotion);

// Inverse of EmotionName; ignores case and surrounding whitespace. An unknown name
// is InvalidArgument naming the value and listing the valid names.
Result<Emotion> ParseEmotion(std::string_view name);

// The emotion's fixed place in the plane.
AffectPoint EmotionPlace(Emotion emotion);

// Euclidean distance in the plane.
double Distance(AffectPoint a, AffectPoint b);

// `p` with each coordinate clamped to [-1, 1] and NaN replaced by 0, so one bad
// value in imported data degrades to "neutral on that axis" instead of poisoning
// every distance. NearestEmotion and DistributionNear apply it to their input.
AffectPoint ClampedToPlane(AffectPoint p);

// The emotion whose place is closest to `p` (ties go to the earlier emotion).
Emotion NearestEmotion(AffectPoint p);

// Sharpness 10 means a place 0.3 away keeps exp(-0.9) ≈ 41% of the weight of the
// place `p` sits on, and one 0.7 away keeps under 1%: neighbours share, the far
// side of the plane does not.
inline constexpr double kDefaultSharpness = 10.0;

// Soft assignment of a point to the nine: softmax over -sharpness × squared
// distance to each place. Its argmax is NearestEmotion(p). Used to give a track a
// distribution from its (valence, arousal). `sharpness` must be >= 0; 0 gives the
// uniform distribution.
EmotionDistribution DistributionNear(AffectPoint p, double sharpness = kDefaultSharpness);

}  // namespace emotune
