#include "audio/pitch_class_profile.h"

#include <algorithm>
#include <cmath>

namespace emotune::audio {

Status PitchClassProfile::Check(const PitchClassProfileConfig& c) {
  for (auto [name, v] : {std::pair{"sample_rate", c.sample_rate}, std::pair{"low_hz", c.low_hz},
                         std::pair{"high_hz", c.high_hz}, std::pair{"tuning_hz", c.tuning_hz},
                         std::pair{"harmonics", double(c.harmonics)}, std::pair{"harmonic_decay", c.harmonic_decay}})
    if (Status s = CheckParameter("PitchClassProfile", Spec(kParameters, name), v); !s.ok()) return s;
  return Status::Ok();
}

PitchClassProfile::PitchClassProfile(PitchClassProfileConfig config, std::size_t bins)
    : bin_hz_(config.sample_rate / (2.0 * static_cast<double>(bins - 1))), tuning_hz_(config.tuning_hz) {
  const double high = std::min(config.high_hz, config.sample_rate / 2);
  first_bin_ = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(config.low_hz / bin_hz_)));
  last_bin_ = std::min(bins - 1, static_cast<std::size_t>(high / bin_hz_));
  double weight = 1;
  for (int h = 1; h <= std::max(1, config.harmonics); ++h, weight *= config.harmonic_decay) {
    harmonic_shift_.push_back(12.0 * std::log2(static_cast<double>(h)));
    harmonic_weight_.push_back(weight);
  }
}

void PitchClassProfile::Reset() {
  sum_.fill(0);
  frames_ = 0;
}

void PitchClassProfile::Add(std::span<const float> magnitude) {
  float loudest = 0;
  for (std::size_t k = first_bin_; k < last_bin_; ++k) loudest = std::max(loudest, magnitude[k]);
  if (loudest < 1e-3f) return;  // about -110 dBFS: silence has no pitch
  const float floor = 0.01f * loudest;  // peaks 40 dB down are noise floor, not notes
  std::array<float, 12> chroma{};
  for (std::size_t k = first_bin_; k < last_bin_; ++k) {
    const float b = magnitude[k];
    if (b < floor || b <= magnitude[k - 1] || b < magnitude[k + 1]) continue;
    const float a = magnitude[k - 1], c = magnitude[k + 1];
    const float curvature = a - 2 * b + c;
    const float offset = curvature < 0 ? 0.5f * (a - c) / curvature : 0.0f;
    const float peak = b - 0.25f * (a - c) * offset;
    const double hz = (static_cast<double>(k) + offset) * bin_hz_;
    const double semitones = 69.0 + 12.0 * std::log2(hz / tuning_hz_);
    for (std::size_t h = 0; h < harmonic_shift_.size(); ++h) {
      const auto semitone = static_cast<int>(std::lround(semitones - harmonic_shift_[h]));
      chroma[static_cast<std::size_t>(((semitone % 12) + 12) % 12)] += peak * static_cast<float>(harmonic_weight_[h]);
    }
  }
  const float top = *std::max_element(chroma.begin(), chroma.end());
  if (top <= 0) return;
  for (std::size_t c = 0; c < 12; ++c) sum_[c] += chroma[c] / top;
  ++frames_;
}

std::array<double, 12> PitchClassProfile::Mean() const {
  std::array<double, 12> mean{};
  if (frames_ == 0) return mean;
  for (std::size_t c = 0; c < 12; ++c) mean[c] = sum_[c] / static_cast<double>(frames_);
  return mean;
}

}  // namespace emotune::audio
