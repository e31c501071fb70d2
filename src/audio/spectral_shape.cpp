#include "audio/spectral_shape.h"

#include <cmath>

#include "audio/fast_log.h"

namespace emotune::audio {

Status SpectralShape::Check(const SpectralShapeConfig& c) {
  if (Status s = CheckParameter("SpectralShape", Spec(kParameters, "sample_rate"), c.sample_rate); !s.ok()) return s;
  return CheckParameter("SpectralShape", Spec(kParameters, "rolloff_fraction"), c.rolloff_fraction);
}

SpectralShape::SpectralShape(SpectralShapeConfig config, std::size_t bins)
    : config_(config), bin_hz_(config.sample_rate / (2.0 * static_cast<double>(bins - 1))), power_(bins), previous_(bins) {}

void SpectralShape::Reset() {
  have_previous_ = false;
  sum_centroid_ = sum_rolloff_ = sum_flatness_ = sum_flux_ = 0;
  frames_ = flux_frames_ = 0;
}

SpectralShapeFrame SpectralShape::Compute(std::span<const float> magnitude) {
  SpectralShapeFrame f;
  const std::size_t n = power_.size();
  float energy = 0, weighted = 0, magnitude_sum = 0, log_sum = 0;
  // DC carries offset, not timbre: start at bin 1.
  for (std::size_t k = 1; k < n; ++k) {
    const float m = magnitude[k];
    const float p = m * m;
    power_[k] = p;
    energy += p;
    magnitude_sum += m;
    weighted += m * static_cast<float>(k);
    log_sum += FastLog2(p + 1e-12f);
  }
  f.energy = energy;
  if (energy < kSilentFrameEnergy) {
    have_previous_ = false;  // flux across a silence would measure the silence
    return f;
  }
  f.centroid_hz = static_cast<float>(weighted / magnitude_sum * bin_hz_);
  const float threshold = static_cast<float>(config_.rolloff_fraction) * energy;
  float cumulative = 0;
  std::size_t k = 1;
  for (; k < n; ++k) {
    cumulative += power_[k];
    if (cumulative >= threshold) break;
  }
  f.rolloff_hz = static_cast<float>(static_cast<double>(k) * bin_hz_);
  const float mean_log = log_sum / static_cast<float>(n - 1);
  f.flatness = std::exp2(mean_log) / (energy / static_cast<float>(n - 1));
  const float norm = 1.0f / std::sqrt(energy);
  float flux = 0;
  for (std::size_t b = 1; b < n; ++b) {
    const float v = magnitude[b] * norm;
    const float d = v - previous_[b];
    flux += d * d;
    previous_[b] = v;
  }
  if (have_previous_) {
    f.flux = std::sqrt(flux);
    sum_flux_ += f.flux;
    ++flux_frames_;
  }
  have_previous_ = true;
  sum_centroid_ += f.centroid_hz;
  sum_rolloff_ += f.rolloff_hz;
  sum_flatness_ += f.flatness;
  ++frames_;
  return f;
}

SpectralShapeSummary SpectralShape::Summary() const {
  SpectralShapeSummary s;
  s.sounding_frames = frames_;
  if (frames_ == 0) return s;
  const auto n = static_cast<double>(frames_);
  s.centroid_hz = sum_centroid_ / n;
  s.rolloff_hz = sum_rolloff_ / n;
  s.flatness = sum_flatness_ / n;
  s.flux = flux_frames_ > 0 ? sum_flux_ / static_cast<double>(flux_frames_) : 0.0;
  return s;
}

}  // namespace emotune::audio
