#include "emotune/mood_fusion.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

namespace emotune {
namespace {

double RecencyFactor(double age, double half_life) {
  if (!(age > 0)) return 1.0;  // negative (clock skew) or NaN: treat as now
  return std::exp2(-age / half_life);
}

double Clamp01(double x) { return std::isnan(x) ? 0.0 : std::clamp(x, 0.0, 1.0); }

double Agreement(const EmotionDistribution& input, const EmotionDistribution& fused) {
  double coefficient = 0;
  for (std::size_t k = 0; k < kEmotionCount; ++k) coefficient += std::sqrt(input[k] * fused[k]);
  return std::min(coefficient * coefficient, 1.0);  // rounding can overshoot 1
}

// Weighted mean of the inputs' distributions and points; weights need not sum to 1.
void AverageInto(std::span<const TimedEstimate> inputs, const std::vector<double>& weights,
                 MoodEstimate* out) {
  double total = 0;
  for (double w : weights) total += w;
  out->distribution.fill(0);
  out->valence = out->arousal = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (weights[i] == 0) continue;
    const double share = weights[i] / total;
    const EmotionDistribution d = Normalized(inputs[i].estimate.distribution);
    for (std::size_t k = 0; k < kEmotionCount; ++k) out->distribution[k] += share * d[k];
    const AffectPoint p = ClampedToPlane(inputs[i].estimate.point());
    out->valence += share * p.valence;
    out->arousal += share * p.arousal;
  }
  out->distribution = Normalized(out->distribution);  // absorb rounding
}

}  // namespace

MoodEstimate FuseMoods(std::span<const TimedEstimate> inputs, const FusionOptions& options) {
  if (!(options.recency_half_life > 0)) {
    throw std::invalid_argument(fmt::format("FusionOptions::recency_half_life must be > 0, got {}",
                                            options.recency_half_life));
  }
  MoodEstimate fused;
  fused.distribution[EmotionIndex(Emotion::kNeutral)] = 1;
  for (const TimedEstimate& input : inputs) {
    fused.sources.insert(fused.sources.end(), input.estimate.sources.begin(),
                         input.estimate.sources.end());
  }
  if (inputs.empty()) return fused;

  std::vector<double> weights;
  bool any_counted = false;
  for (const TimedEstimate& input : inputs) {
    const double w =
        Clamp01(input.estimate.confidence) * RecencyFactor(input.age, options.recency_half_life);
    const bool counted = w > 0 && w >= options.min_weight;
    weights.push_back(counted ? w : 0.0);
    any_counted = any_counted || counted;
  }
  if (!any_counted) {
    AverageInto(inputs, std::vector<double>(inputs.size(), 1.0), &fused);
    return fused;
  }

  AverageInto(inputs, weights, &fused);
  double doubt = 1;  // Π (1 − weight · agreement)
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const double agreement =
        Agreement(Normalized(inputs[i].estimate.distribution), fused.distribution);
    doubt *= 1 - weights[i] * agreement;
  }
  fused.confidence = Clamp01(1 - doubt);
  return fused;
}

}  // namespace emotune
