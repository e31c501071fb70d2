#include "audio/onset_strength.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "audio/fast_log.h"

namespace emotune::audio {

Status OnsetStrength::Check(const OnsetStrengthConfig& c) {
  for (auto [name, v] : {std::pair{"sample_rate", c.sample_rate}, std::pair{"bands", double(c.bands)},
                         std::pair{"low_hz", c.low_hz}, std::pair{"high_hz", c.high_hz}})
    if (Status s = CheckParameter("OnsetStrength", Spec(kParameters, name), v); !s.ok()) return s;
  return Status::Ok();
}

OnsetStrength::OnsetStrength(OnsetStrengthConfig config, std::size_t bins)
    : band_of_bin_(bins, -1), band_energy_(static_cast<std::size_t>(config.bands)),
      previous_log_(static_cast<std::size_t>(config.bands)) {
  const double bin_hz = config.sample_rate / (2.0 * static_cast<double>(bins - 1));
  const double high = std::min(config.high_hz, config.sample_rate / 2);
  const double ratio = std::log(high / config.low_hz) / config.bands;
  for (std::size_t k = 1; k < bins; ++k) {
    const double hz = static_cast<double>(k) * bin_hz;
    if (hz < config.low_hz || hz >= high) continue;
    const int band = std::clamp(static_cast<int>(std::log(hz / config.low_hz) / ratio), 0, config.bands - 1);
    band_of_bin_[k] = static_cast<std::int16_t>(band);
  }
}

void OnsetStrength::Reset() { have_previous_ = false; }

float OnsetStrength::Compute(std::span<const float> magnitude) {
  std::fill(band_energy_.begin(), band_energy_.end(), 0.0f);
  for (std::size_t k = 0; k < band_of_bin_.size(); ++k)
    if (band_of_bin_[k] >= 0) band_energy_[static_cast<std::size_t>(band_of_bin_[k])] += magnitude[k] * magnitude[k];
  // log(1 + E/E0) with E0 about a -60 dBFS partial: loud changes count in decibels,
  // while the noise floor of a quiet passage stays near zero instead of flickering.
  constexpr float kReference = 1.0f / 0.25f;
  float flux = 0;
  for (std::size_t b = 0; b < band_energy_.size(); ++b) {
    const float level = FastLog2(1.0f + band_energy_[b] * kReference);
    if (have_previous_) flux += std::max(0.0f, level - previous_log_[b]);
    previous_log_[b] = level;
  }
  have_previous_ = true;
  return flux / static_cast<float>(band_energy_.size());
}

double OnsetRate(std::span<const float> envelope, double frames_per_second) {
  const std::size_t n = envelope.size();
  if (n < 3 || frames_per_second <= 0) return 0;
  const double total = std::accumulate(envelope.begin(), envelope.end(), 0.0);
  if (total <= 0) return 0;
  // Ripples of a steady sound or a near-silence are not onsets: a real onset raises the
  // bands by a few percent of a doubling at least.
  const double floor = std::max(0.1 * total / static_cast<double>(n), 0.03);
  const auto half = static_cast<std::size_t>(std::lround(0.5 * frames_per_second));
  const auto gap = static_cast<std::size_t>(std::ceil(0.07 * frames_per_second));
  // Running sum for the neighbourhood mean, so the count is linear in the frames.
  std::vector<double> prefix(n + 1, 0.0);
  for (std::size_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + envelope[i];
  std::size_t count = 0, last = 0;
  bool any = false;
  for (std::size_t i = 1; i + 1 < n; ++i) {
    const float v = envelope[i];
    if (v <= envelope[i - 1] || v < envelope[i + 1]) continue;
    const std::size_t lo = i > half ? i - half : 0, hi = std::min(n, i + half + 1);
    const double mean = (prefix[hi] - prefix[lo]) / static_cast<double>(hi - lo);
    if (v < 1.5 * mean + floor) continue;
    if (any && i - last < gap) continue;
    ++count;
    last = i;
    any = true;
  }
  return static_cast<double>(count) * frames_per_second / static_cast<double>(n);
}

}  // namespace emotune::audio
