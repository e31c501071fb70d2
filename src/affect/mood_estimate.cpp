#include "emotune/mood_estimate.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <utility>

namespace emotune {
namespace {

double Clamp01(double x) { return std::isnan(x) ? 0.0 : std::clamp(x, 0.0, 1.0); }

}  // namespace

EmotionDistribution Normalized(EmotionDistribution d) {
  // An infinite score means "certain": share the mass among the infinite entries
  // only, instead of letting ∞/∞ produce NaN.
  const bool any_infinite =
      std::any_of(d.begin(), d.end(), [](double x) { return std::isinf(x) && x > 0; });
  double total = 0;
  for (double& x : d) {
    if (any_infinite) x = std::isinf(x) && x > 0 ? 1.0 : 0.0;
    if (!(x > 0)) x = 0;  // negative, zero or NaN
    total += x;
  }
  if (total <= 0) {
    d.fill(1.0 / kEmotionCount);
    return d;
  }
  for (double& x : d) x /= total;
  return d;
}

bool IsNormalized(const EmotionDistribution& d, double tolerance) {
  double total = 0;
  for (double x : d) {
    if (!(x >= 0)) return false;
    total += x;
  }
  return std::abs(total - 1.0) <= tolerance;
}

Emotion DominantEmotion(const EmotionDistribution& d) {
  // max_element keeps the first of equal maxima, which is the tie rule we promise.
  return AllEmotions()[static_cast<std::size_t>(std::max_element(d.begin(), d.end()) - d.begin())];
}

AffectPoint ExpectedPlace(const EmotionDistribution& d) {
  const EmotionDistribution p = Normalized(d);
  AffectPoint mean;
  for (Emotion e : AllEmotions()) {
    mean.valence += p[EmotionIndex(e)] * EmotionPlace(e).valence;
    mean.arousal += p[EmotionIndex(e)] * EmotionPlace(e).arousal;
  }
  return mean;
}

double DistributionConfidence(const EmotionDistribution& d) {
  EmotionDistribution p = Normalized(d);
  double entropy = 0;
  for (double x : p) {
    if (x > 0) entropy -= x * std::log(x);
  }
  std::sort(p.begin(), p.end(), std::greater<>());
  const double margin = p[0] - p[1];
  const double peakedness = 1.0 - entropy / std::log(static_cast<double>(kEmotionCount));
  return Clamp01(0.5 * margin + 0.5 * peakedness);
}

MoodEstimate MoodEstimate::FromDistribution(EmotionDistribution distribution, double confidence,
                                            std::string source_name) {
  MoodEstimate estimate;
  estimate.distribution = Normalized(distribution);
  const AffectPoint place = ExpectedPlace(estimate.distribution);
  estimate.valence = place.valence;
  estimate.arousal = place.arousal;
  estimate.confidence = Clamp01(confidence);
  estimate.sources.push_back({std::move(source_name), estimate.dominant(), estimate.confidence});
  return estimate;
}

MoodEstimate MoodEstimate::FromPoint(AffectPoint point, double confidence,
                                     std::string source_name) {
  MoodEstimate estimate;
  const AffectPoint p = ClampedToPlane(point);
  estimate.distribution = DistributionNear(p);
  estimate.valence = p.valence;
  estimate.arousal = p.arousal;
  estimate.confidence = Clamp01(confidence);
  estimate.sources.push_back({std::move(source_name), estimate.dominant(), estimate.confidence});
  return estimate;
}

bool IsConfident(const MoodEstimate& estimate, double threshold) {
  return estimate.confidence >= threshold;
}

}  // namespace emotune
