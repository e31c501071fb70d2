#include "emotune/emotion.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <string>

#include <fmt/format.h>

#include "emotune/ascii_text.h"

namespace emotune {
namespace {

// THE table: where each emotion sits, and why.
//
// Sources
//  [W] Warriner, Kuperman & Brysbaert (2013), "Norms of valence, arousal, and
//      dominance for 13,915 English lemmas", Behavior Research Methods 45(4).
//      Mean ratings on 1..9 (columns V.Mean.Sum, A.Mean.Sum of the published
//      ratings file), rescaled (x − 5) / 4 to [-1, 1].
//  [R] Russell (1980), "A circumplex model of affect", J. Personality and Social
//      Psychology 39(6): the angle of 28 affect words in his scaling solution,
//      counter-clockwise from pleasure (0°), arousal at 90° — the values as
//      commonly reproduced from the paper's figure, not re-measured here.
//
// Rules
//  W  both coordinates are [W]'s rescaled means for the emotion's word.
//  H  valence from [W]; arousal = r·sin(θ), with r the [W] point's distance from
//     neutral and θ the [R] angle. Used only on the excited half of the circle,
//     where word ratings compress arousal ([W] "anger" A 5.93 and "fear" 6.14
//     rescale to +0.23 and +0.29). Taken as is, joy would sit 0.07 from love and
//     fear 0.12 from anger: no detector could tell them apart, and loud, fast
//     tracks would have no emotion near them. H keeps [W]'s strength of feeling
//     and [R]'s direction. This is our judgement, not a published placement.
//
// The calm, sadness and joy-valence anchors quoted in DESIGN.md are rule W values.
struct Place {
  Emotion emotion;
  std::string_view name;
  AffectPoint point;
};

constexpr std::array<Place, kEmotionCount> kPlaces = {{
    // V: [W] "joy" 8.21 → +0.8025.  A: rule H. [W] "joy" A 5.55 (→ +0.1375) gives
    // r = 0.8142; θ = 27.1°, the mean of [R] happy 7.8°, delighted 24.9° and
    // excited 48.6° (judgement: the datasets' joy/happy labels span that arc).
    {Emotion::kJoy, "joy", {0.8025, 0.371}},
    // Rule W: [W] "love" V 8.00, A 5.36. [R] has no love.
    {Emotion::kLove, "love", {0.75, 0.09}},
    // Rule W: [W] "calm" V 6.89, A 1.67. ([R] calm at 316.2° agrees on quadrant.)
    {Emotion::kCalm, "calm", {0.4725, -0.8325}},
    // By definition, not measured: the midpoint of both [W] scales, the centre of
    // [R]'s circle — no pull in any direction.
    {Emotion::kNeutral, "neutral", {0.0, 0.0}},
    // V: [W] "surprise" 7.44 → +0.61.  A: rule H. [W] A 6.57 (→ +0.3925) gives
    // r = 0.7254; θ = 69.8°, [R] astonished.
    {Emotion::kSurprise, "surprise", {0.61, 0.681}},
    // V: [W] "fear" 2.93 → −0.5175.  A: rule H. [W] A 6.14 (→ +0.285) gives
    // r = 0.5908; θ = 116.8°, [R] afraid.
    {Emotion::kFear, "fear", {-0.5175, 0.527}},
    // V: [W] "anger" 2.50 → −0.625.  A: rule H. [W] A 5.93 (→ +0.2325) gives
    // r = 0.6668; θ = 99.1°, [R] angry — nearer the arousal pole than afraid, so
    // anger sits above fear.
    {Emotion::kAnger, "anger", {-0.625, 0.658}},
    // Rule W: [W] "disgust" V 3.32, A 5.00 (mid-scale arousal). [R] has no disgust.
    {Emotion::kDisgust, "disgust", {-0.42, 0.0}},
    // Rule W on [W] "sad" (V 2.10, A 3.49) rather than "sadness" (2.40, 2.81):
    // "sad" is the label FER2013, RAVDESS and data_moods use, and the anchor
    // DESIGN.md quotes (V −0.72).
    {Emotion::kSadness, "sadness", {-0.725, -0.3775}},
}};

constexpr std::array<Emotion, kEmotionCount> kAllEmotions = {
    Emotion::kJoy,  Emotion::kLove,  Emotion::kCalm,    Emotion::kNeutral, Emotion::kSurprise,
    Emotion::kFear, Emotion::kAnger, Emotion::kDisgust, Emotion::kSadness,
};

// The table must be in enum order for the lookups below to index it directly.
constexpr bool TableInEnumOrder() {
  for (std::size_t i = 0; i < kEmotionCount; ++i) {
    if (EmotionIndex(kPlaces[i].emotion) != i || kAllEmotions[i] != kPlaces[i].emotion) {
      return false;
    }
  }
  return true;
}
static_assert(TableInEnumOrder());

}  // namespace

const std::array<Emotion, kEmotionCount>& AllEmotions() { return kAllEmotions; }

std::string_view EmotionName(Emotion emotion) { return kPlaces.at(EmotionIndex(emotion)).name; }

Result<Emotion> ParseEmotion(std::string_view name) {
  const std::string wanted = AsciiLower(TrimSpace(name));
  for (const Place& place : kPlaces) {
    if (place.name == wanted) return place.emotion;
  }
  std::string valid;
  for (const Place& place : kPlaces) {
    valid += valid.empty() ? "" : ", ";
    valid += place.name;
  }
  return Status::InvalidArgument(
      fmt::format("unknown emotion '{}' (expected one of: {})", name, valid));
}

AffectPoint EmotionPlace(Emotion emotion) { return kPlaces.at(EmotionIndex(emotion)).point; }

double Distance(AffectPoint a, AffectPoint b) {
  // Not std::hypot: points lie in [-1, 1]², so nothing can overflow, and hypot's
  // care costs a tenth of a playlist's time in the nearest-track search.
  const double dv = a.valence - b.valence, da = a.arousal - b.arousal;
  return std::sqrt(dv * dv + da * da);
}

AffectPoint ClampedToPlane(AffectPoint p) {
  auto clamp = [](double x) { return std::isnan(x) ? 0.0 : std::clamp(x, -1.0, 1.0); };
  return {clamp(p.valence), clamp(p.arousal)};
}

Emotion NearestEmotion(AffectPoint p) {
  p = ClampedToPlane(p);
  const Place* best = &kPlaces[0];
  for (const Place& place : kPlaces) {
    if (Distance(p, place.point) < Distance(p, best->point)) best = &place;
  }
  return best->emotion;
}

EmotionDistribution DistributionNear(AffectPoint p, double sharpness) {
  p = ClampedToPlane(p);
  // NaN or negative sharpness means "no preference"; an infinite one would turn
  // the closest place's 0 × ∞ into NaN, so cap it where exp() already saturates.
  const double s = sharpness > 0 ? std::min(sharpness, 1e9) : 0.0;
  EmotionDistribution d{};
  double closest = std::numeric_limits<double>::infinity();
  for (const Place& place : kPlaces) closest = std::min(closest, Distance(p, place.point));
  // Subtracting the closest squared distance keeps exp() away from underflow for
  // large sharpness; the softmax is unchanged by the shift.
  double total = 0;
  for (std::size_t i = 0; i < kEmotionCount; ++i) {
    const double dist = Distance(p, kPlaces[i].point);
    const double excess = dist * dist - closest * closest;
    d[i] = std::exp(-s * excess);
    total += d[i];
  }
  for (double& x : d) x /= total;
  return d;
}

}  // namespace emotune
