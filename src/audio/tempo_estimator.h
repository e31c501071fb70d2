// Tempo from an onset-strength envelope: the envelope's autocorrelation read through a
// comb of the first eight multiples of each candidate period, on a candidate grid 0.05 %
// apart, with linear interpolation between lags. Reading k·T for k up to 8 resolves the
// period to a fraction of a hop, where picking the best integer lag (aubio's way) is
// 2–6 % off at common tempi. Eight teeth span two 4/4 bars of the candidate beat, so a
// period 3/2 or 4/3 of the beat (the dotted and 3+3+2 rhythms of much popular and game
// music) meets the beat on only every second or third tooth and loses to it; four
// teeth, where it meets the beat on half, often let it win. Sub-multiples of the beat
// still score like the beat itself, so a log-normal prior around 120 BPM (librosa's,
// one octave wide) picks the octave, as listeners tapping along do (Moelants &
// McKinney 2004: ~120 BPM resonance).
#pragma once

#include <array>
#include <optional>
#include <span>
#include <vector>

#include "audio/parameter_spec.h"

namespace emotune::audio {

struct TempoConfig {
  double frames_per_second = 22050.0 / 512;
  double min_bpm = 40;
  double max_bpm = 240;
  double prior_bpm = 120;
  double prior_octaves = 1.0;    // standard deviation of the prior, in octaves
  double min_seconds = 3.0;      // shorter envelopes have too few beats to measure
  double min_confidence = 0.08;  // below, the best period is no better than noise's
  // RMS of the detrended envelope below which there is no pulse at all: the ripple a
  // steady tone leaves (0.0006–0.002 for sustained triads) can be periodic enough to
  // pass min_confidence, since the autocorrelation is normalised. The quietest track
  // of the demo library and of the freedoom renders measure 0.05.
  double min_pulse = 0.01;
};

struct TempoEstimate {
  std::optional<double> bpm;
  double confidence = 0;   // 0..1: (best comb score − median score) / (1 − median score)
  double regularity = 0;   // 0..1: normalised autocorrelation at the beat period
  double beat_strength = 0;  // 0..1: 1 − mean/peak of the envelope folded on the beat, per 8 s window
};

class TempoEstimator {
 public:
  static constexpr std::array<ParameterSpec, 8> kParameters{{
      {"frames_per_second", 1, 1000, 22050.0 / 512, "Hz", "onset-envelope rate"},
      {"min_bpm", 20, 120, 40, "BPM", "slowest tempo reported"},
      {"max_bpm", 120, 400, 240, "BPM", "fastest tempo reported"},
      {"prior_bpm", 40, 240, 120, "BPM", "centre of the tempo prior"},
      {"prior_octaves", 0.1, 4, 1.0, "octaves", "width of the tempo prior"},
      {"min_seconds", 1, 60, 3, "s", "shortest envelope given a tempo"},
      {"min_confidence", 0, 1, 0.08, "", "weakest pulse given a tempo"},
      {"min_pulse", 0, 1, 0.01, "", "smallest onset-envelope variation (RMS) given a tempo"},
  }};
  static Status Check(const TempoConfig& config);

  explicit TempoEstimator(TempoConfig config = {});
  // Scratch buffers are kept between calls; the envelope is not modified.
  TempoEstimate Estimate(std::span<const float> envelope);

 private:
  double CombScore(double period) const;
  double AutocorrelationAt(double lag) const;
  double BeatStrength(std::span<const float> envelope, double period) const;

  TempoConfig config_;
  std::vector<float> detrended_;
  std::vector<double> autocorrelation_;   // normalised so lag 0 is 1
  std::vector<double> candidates_bpm_, scores_, sorted_;
};

}  // namespace emotune::audio
