// Per-frame spectral shape from a magnitude spectrum: centroid, roll-off, flatness and
// flux, and their means over the frames that hold sound. Sizes are fixed at
// construction; Compute allocates nothing.
#pragma once

#include <array>
#include <span>
#include <vector>

#include "audio/parameter_spec.h"

namespace emotune::audio {

struct SpectralShapeConfig {
  double sample_rate = 22050;
  double rolloff_fraction = 0.85;  // librosa's and Essentia's default
};

struct SpectralShapeFrame {
  float energy = 0;        // sum of squared magnitudes
  float centroid_hz = 0;   // magnitude-weighted mean frequency
  float rolloff_hz = 0;    // frequency below which rolloff_fraction of the energy lies
  float flatness = 0;      // geometric / arithmetic mean of the power spectrum, 0..1
  float flux = 0;          // L2 distance to the previous frame's L2-normalised magnitudes
};

struct SpectralShapeSummary {
  double centroid_hz = 0, rolloff_hz = 0, flatness = 0, flux = 0;
  std::size_t sounding_frames = 0;
};

class SpectralShape {
 public:
  static constexpr std::array<ParameterSpec, 2> kParameters{{
      {"sample_rate", 1000, 384000, 22050, "Hz", "rate of the analysed signal"},
      {"rolloff_fraction", 0.5, 0.99, 0.85, "", "share of energy below the roll-off frequency"},
  }};
  static Status Check(const SpectralShapeConfig& config);

  SpectralShape(SpectralShapeConfig config, std::size_t bins);
  void Reset();
  // `magnitude` has the bins given at construction.
  SpectralShapeFrame Compute(std::span<const float> magnitude);
  SpectralShapeSummary Summary() const;

 private:
  SpectralShapeConfig config_;
  double bin_hz_;
  std::vector<float> power_, previous_;  // previous_: last frame's normalised magnitudes
  bool have_previous_ = false;
  double sum_centroid_ = 0, sum_rolloff_ = 0, sum_flatness_ = 0, sum_flux_ = 0;
  std::size_t frames_ = 0, flux_frames_ = 0;
};

// Energy below which a frame counts as digital silence (about -100 dBFS for a
// 2048-point Hann frame): such frames have no shape to speak of.
inline constexpr float kSilentFrameEnergy = 1e-5f;

}  // namespace emotune::audio
