// Chroma, HPCP style (Gómez 2006): the spectral peaks of each frame, their frequency
// refined by parabolic interpolation, folded onto the 12 pitch classes (A4 = 440 Hz).
// Peaks rather than bins, because at 10.8 Hz per bin a low note's energy straddles
// two semitones. With Gómez's harmonic summation, a peak also counts, with weight
// decay^(h-1), for the pitch class of which it would be the h-th harmonic (h up to 8):
// without it, every note's 3rd harmonic inflates the fifth above and its 5th harmonic
// the major third, which pulls keys a fifth up and minor keys to their parallel major.
// Each frame is normalised to its strongest class before summing, so quiet passages
// weigh as much as loud ones in the key estimate.
#pragma once

#include <array>
#include <span>
#include <vector>

#include "audio/parameter_spec.h"

namespace emotune::audio {

struct PitchClassProfileConfig {
  double sample_rate = 22050;
  double low_hz = 100;    // below, 10.8 Hz bins span more than a semitone
  double high_hz = 5000;  // above, mostly upper partials and noise
  double tuning_hz = 440;
  int harmonics = 8;            // Gómez 2006's HPCP defaults
  double harmonic_decay = 0.6;
};

class PitchClassProfile {
 public:
  static constexpr std::array<ParameterSpec, 6> kParameters{{
      {"sample_rate", 1000, 384000, 22050, "Hz", "rate of the analysed signal"},
      {"low_hz", 20, 1000, 100, "Hz", "lowest frequency folded in"},
      {"high_hz", 1000, 20000, 5000, "Hz", "highest frequency folded in"},
      {"tuning_hz", 400, 480, 440, "Hz", "frequency of A4"},
      {"harmonics", 1, 16, 8, "", "harmonics each peak is summed back to (1: none)"},
      {"harmonic_decay", 0, 1, 0.6, "", "weight of each further harmonic"},
  }};
  static Status Check(const PitchClassProfileConfig& config);

  PitchClassProfile(PitchClassProfileConfig config, std::size_t bins);
  void Reset();
  // Adds one frame (skipped when it carries no energy in the folded range).
  void Add(std::span<const float> magnitude);
  // The mean normalised chroma over the frames added; all zero if none had sound.
  std::array<double, 12> Mean() const;

 private:
  std::size_t first_bin_ = 0, last_bin_ = 0;
  double bin_hz_ = 0;
  double tuning_hz_ = 440;
  std::vector<double> harmonic_shift_, harmonic_weight_;  // 12·log2(h) semitones, decay^(h-1)
  std::array<double, 12> sum_{};
  std::size_t frames_ = 0;
};

}  // namespace emotune::audio
