// Onset strength: how much new energy each frame brings, summed over log-spaced bands
// (spectral flux on a compressed, roughly mel-like scale, as librosa's onset_strength
// and Böck's SuperFlux do). The envelope it produces is what tempo, beat strength and
// onset rate are read from.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "audio/parameter_spec.h"

namespace emotune::audio {

struct OnsetStrengthConfig {
  double sample_rate = 22050;
  int bands = 48;
  double low_hz = 40;      // below: rumble, not rhythm
  double high_hz = 10000;  // above: little energy, mostly noise at 22050 Hz
};

class OnsetStrength {
 public:
  static constexpr std::array<ParameterSpec, 4> kParameters{{
      {"sample_rate", 1000, 384000, 22050, "Hz", "rate of the analysed signal"},
      {"bands", 4, 128, 48, "", "log-spaced bands the flux is summed over"},
      {"low_hz", 20, 500, 40, "Hz", "lowest band edge"},
      {"high_hz", 1000, 20000, 10000, "Hz", "highest band edge, at most half the sample rate"},
  }};
  static Status Check(const OnsetStrengthConfig& config);

  OnsetStrength(OnsetStrengthConfig config, std::size_t bins);
  void Reset();
  // The onset strength of this frame (>= 0), from its magnitude spectrum.
  float Compute(std::span<const float> magnitude);

 private:
  std::vector<std::int16_t> band_of_bin_;  // -1: outside every band
  std::vector<float> band_energy_, previous_log_;
  bool have_previous_ = false;
};

// Onsets per second in an onset-strength envelope: local maxima that rise clearly above
// their neighbourhood's mean (±0.5 s), at least 70 ms apart.
double OnsetRate(std::span<const float> envelope, double frames_per_second);

}  // namespace emotune::audio
