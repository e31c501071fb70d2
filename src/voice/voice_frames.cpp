// Frame analysis of speech at 16 kHz: one 512-point FFT per 10 ms hop for the
// spectrum (mel bands, MFCCs, shape) and one 1024-point FFT correlation per hop for
// YIN's difference function (de Cheveigné & Kawahara 2002), so a 5-second clip costs
// about a thousand small FFTs.
#include "emotune/voice_frames.h"

#include <fftw3.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <memory>
#include <mutex>
#include <numbers>
#include <numeric>

namespace emotune {
namespace {

constexpr int kSpectrumFft = 512;
constexpr int kSpectrumBins = kSpectrumFft / 2 + 1;
constexpr int kPitchWindow = 320;  // YIN integration window W: 20 ms
constexpr int kMinLag = static_cast<int>(kVoiceSampleRate / kVoiceMaxPitchHz);          // 32
constexpr int kMaxLag = static_cast<int>(kVoiceSampleRate / kVoiceMinPitchHz) + 1;      // 267
constexpr int kPitchSegment = kPitchWindow + kMaxLag;                                   // 587
constexpr int kPitchFft = 1024;
constexpr int kPitchBins = kPitchFft / 2 + 1;
constexpr double kYinThreshold = 0.15;   // first dip below this is the period
constexpr double kVoicedThreshold = 0.35;  // a best dip above this is unvoiced
constexpr double kBinHz = static_cast<double>(kVoiceSampleRate) / kSpectrumFft;

// Plans are made once per process (FFTW's planner is not thread-safe) and executed
// with the new-array interface, which is.
struct Plans {
  fftwf_plan spectrum = nullptr;       // r2c, kSpectrumFft
  fftwf_plan pitch_forward = nullptr;  // r2c, kPitchFft
  fftwf_plan pitch_inverse = nullptr;  // c2r, kPitchFft
};

const Plans& GetPlans() {
  static Plans plans;
  static std::once_flag once;
  std::call_once(once, [] {
    float* in = fftwf_alloc_real(kPitchFft);
    fftwf_complex* out = fftwf_alloc_complex(kPitchBins);
    plans.spectrum = fftwf_plan_dft_r2c_1d(kSpectrumFft, in, out, FFTW_ESTIMATE);
    plans.pitch_forward = fftwf_plan_dft_r2c_1d(kPitchFft, in, out, FFTW_ESTIMATE);
    plans.pitch_inverse = fftwf_plan_dft_c2r_1d(kPitchFft, out, in, FFTW_ESTIMATE);
    fftwf_free(in);
    fftwf_free(out);
  });
  return plans;
}

struct FftwFree {
  void operator()(void* p) const { fftwf_free(p); }
};
template <typename T>
using FftwBuffer = std::unique_ptr<T[], FftwFree>;

double HzToMel(double hz) { return 2595.0 * std::log10(1.0 + hz / 700.0); }
double MelToHz(double mel) { return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0); }

// Triangular mel filters over the power spectrum's bins, area-normalised (Slaney).
struct MelBank {
  std::array<int, kVoiceMelBands> first{};
  std::array<std::vector<float>, kVoiceMelBands> weights;
  std::array<std::array<float, kVoiceMelBands>, kVoiceMfccs> dct{};

  MelBank() {
    const double lo = HzToMel(60), hi = HzToMel(7600);
    std::array<double, kVoiceMelBands + 2> edges{};
    for (std::size_t i = 0; i < edges.size(); ++i)
      edges[i] = MelToHz(lo + (hi - lo) * static_cast<double>(i) / (kVoiceMelBands + 1));
    for (std::size_t b = 0; b < kVoiceMelBands; ++b) {
      const double left = edges[b], centre = edges[b + 1], right = edges[b + 2];
      const int k0 = static_cast<int>(std::ceil(left / kBinHz));
      const int k1 = static_cast<int>(std::floor(right / kBinHz));
      first[b] = k0;
      const double norm = 2.0 / (right - left);
      for (int k = k0; k <= k1 && k < kSpectrumBins; ++k) {
        const double f = k * kBinHz;
        const double w = f <= centre ? (f - left) / (centre - left) : (right - f) / (right - centre);
        weights[b].push_back(static_cast<float>(std::max(0.0, w) * norm * kBinHz));
      }
      if (weights[b].empty()) {  // a band narrower than a bin takes its nearest bin
        first[b] = static_cast<int>(std::lround(centre / kBinHz));
        weights[b].push_back(1.0f);
      }
    }
    for (std::size_t c = 0; c < kVoiceMfccs; ++c)
      for (std::size_t b = 0; b < kVoiceMelBands; ++b)
        dct[c][b] = static_cast<float>(std::sqrt((c == 0 ? 1.0 : 2.0) / kVoiceMelBands) *
                                       std::cos(std::numbers::pi * static_cast<double>(c) * (b + 0.5) / kVoiceMelBands));
  }
};

const MelBank& Bank() {
  static const MelBank bank;
  return bank;
}

const std::array<float, kVoiceWindowSamples>& Hann() {
  static const auto window = [] {
    std::array<float, kVoiceWindowSamples> w{};
    for (int i = 0; i < kVoiceWindowSamples; ++i)
      w[static_cast<std::size_t>(i)] = static_cast<float>(0.5 - 0.5 * std::cos(2 * std::numbers::pi * i / kVoiceWindowSamples));
    return w;
  }();
  return window;
}

// The signal without its DC offset: the mean removed, then a one-pole 40 Hz high-pass.
std::vector<float> WithoutDc(std::span<const float> samples) {
  double mean = 0;
  for (float v : samples) mean += std::isfinite(v) ? v : 0.0f;
  mean /= std::max<std::size_t>(1, samples.size());
  const double a = std::exp(-2 * std::numbers::pi * 40.0 / kVoiceSampleRate);
  std::vector<float> out(samples.size());
  double prev_x = 0, prev_y = 0;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const double x = (std::isfinite(samples[i]) ? samples[i] : 0.0f) - mean;
    const double y = a * (prev_y + x - prev_x);
    out[i] = static_cast<float>(y);
    prev_x = x;
    prev_y = y;
  }
  return out;
}

// YIN on the kPitchSegment samples starting at `segment` (the caller pads): the
// period's frequency (0 when unvoiced) and the periodicity 1 − d'(τ).
std::pair<float, float> Yin(const float* segment, float* time, fftwf_complex* a, fftwf_complex* b, const Plans& plans,
                            std::array<double, kMaxLag + 2>& cmnd) {
  // Cross term Σ x_j x_{j+τ} for x = segment[0, W): correlate by FFT.
  std::fill_n(time, kPitchFft, 0.0f);
  std::copy_n(segment, kPitchWindow, time);
  fftwf_execute_dft_r2c(plans.pitch_forward, time, a);
  std::fill_n(time, kPitchFft, 0.0f);
  std::copy_n(segment, kPitchSegment, time);
  fftwf_execute_dft_r2c(plans.pitch_forward, time, b);
  for (int k = 0; k < kPitchBins; ++k) {
    const std::complex<float> x(a[k][0], -a[k][1]), y(b[k][0], b[k][1]);
    const std::complex<float> p = x * y;
    b[k][0] = p.real();
    b[k][1] = p.imag();
  }
  fftwf_execute_dft_c2r(plans.pitch_inverse, b, time);
  const double scale = 1.0 / kPitchFft;
  // Energies of the window at each lag, by a running sum.
  double e0 = 0;
  for (int j = 0; j < kPitchWindow; ++j) e0 += static_cast<double>(segment[j]) * segment[j];
  if (e0 < 1e-9) return {0.0f, 0.0f};
  double et = e0, running = 0;
  cmnd[0] = 1;
  for (int tau = 1; tau <= kMaxLag; ++tau) {
    et += static_cast<double>(segment[tau + kPitchWindow - 1]) * segment[tau + kPitchWindow - 1] -
          static_cast<double>(segment[tau - 1]) * segment[tau - 1];
    const double d = std::max(0.0, e0 + et - 2.0 * time[tau] * scale);
    running += d;
    cmnd[static_cast<std::size_t>(tau)] = running > 0 ? d * tau / running : 1.0;
  }
  int best = -1;
  for (int tau = kMinLag; tau < kMaxLag; ++tau) {
    const auto t = static_cast<std::size_t>(tau);
    if (cmnd[t] < kYinThreshold) {
      while (tau + 1 < kMaxLag && cmnd[static_cast<std::size_t>(tau + 1)] < cmnd[static_cast<std::size_t>(tau)]) ++tau;
      best = tau;
      break;
    }
  }
  if (best < 0) {
    best = kMinLag;
    for (int tau = kMinLag; tau < kMaxLag; ++tau)
      if (cmnd[static_cast<std::size_t>(tau)] < cmnd[static_cast<std::size_t>(best)]) best = tau;
  }
  const auto t = static_cast<std::size_t>(best);
  const double value = cmnd[t];
  const float periodicity = static_cast<float>(std::clamp(1.0 - value, 0.0, 1.0));
  if (value > kVoicedThreshold) return {0.0f, periodicity};
  // Parabolic interpolation of the dip.
  double shift = 0;
  if (best > kMinLag && best + 1 < kMaxLag) {
    const double l = cmnd[t - 1], c = cmnd[t], r = cmnd[t + 1];
    const double denom = l - 2 * c + r;
    if (denom > 1e-12) shift = std::clamp(0.5 * (l - r) / denom, -0.5, 0.5);
  }
  return {static_cast<float>(kVoiceSampleRate / (best + shift)), periodicity};
}

// A median of five over each voiced run, which removes single-frame octave slips.
void SmoothPitch(std::vector<float>& pitch) {
  const std::vector<float> raw = pitch;
  const std::size_t n = raw.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (raw[i] <= 0) continue;
    std::array<float, 5> window{};
    std::size_t m = 0;
    for (std::size_t j = i >= 2 ? i - 2 : 0; j <= i + 2 && j < n; ++j)
      if (raw[j] > 0) window[m++] = raw[j];
    std::nth_element(window.begin(), window.begin() + static_cast<std::ptrdiff_t>(m / 2), window.begin() + static_cast<std::ptrdiff_t>(m));
    pitch[i] = window[m / 2];
  }
}

}  // namespace

VoiceFrames AnalyseVoiceFrames(std::span<const float> input) {
  VoiceFrames frames;
  if (input.size() < static_cast<std::size_t>(kVoiceWindowSamples)) return frames;
  const std::vector<float> x = WithoutDc(input);
  const std::size_t n = 1 + (x.size() - kVoiceWindowSamples) / kVoiceHopSamples;
  frames.count = n;
  frames.level_db.resize(n);
  frames.log_mel.resize(n * kVoiceMelBands);
  frames.mfcc.resize(n * kVoiceMfccs);
  frames.pitch_hz.resize(n);
  frames.periodicity.resize(n);
  frames.centroid_hz.resize(n);
  frames.rolloff_hz.resize(n);
  frames.flatness.resize(n);
  frames.flux.resize(n);
  frames.alpha_ratio_db.resize(n);
  frames.hammarberg_db.resize(n);
  frames.zero_crossing.resize(n);

  const Plans& plans = GetPlans();
  const MelBank& bank = Bank();
  const auto& hann = Hann();
  FftwBuffer<float> time(fftwf_alloc_real(kPitchFft));
  FftwBuffer<fftwf_complex> spec_a(fftwf_alloc_complex(kPitchBins));
  FftwBuffer<fftwf_complex> spec_b(fftwf_alloc_complex(kPitchBins));
  std::vector<float> power(kSpectrumBins), magnitude(kSpectrumBins), previous(kSpectrumBins, 0.0f);
  std::vector<float> padded(kPitchSegment);
  std::array<double, kMaxLag + 2> cmnd{};
  const int k50 = static_cast<int>(50 / kBinHz), k1000 = static_cast<int>(1000 / kBinHz);
  const int k2000 = static_cast<int>(2000 / kBinHz), k5000 = static_cast<int>(5000 / kBinHz);

  for (std::size_t i = 0; i < n; ++i) {
    const float* w = x.data() + i * kVoiceHopSamples;
    double energy = 0;
    int crossings = 0;
    for (int j = 0; j < kVoiceWindowSamples; ++j) {
      energy += static_cast<double>(w[j]) * w[j];
      if (j > 0 && (w[j] >= 0) != (w[j - 1] >= 0)) ++crossings;
    }
    frames.level_db[i] = static_cast<float>(10 * std::log10(energy / kVoiceWindowSamples + 1e-10));
    frames.zero_crossing[i] = static_cast<float>(crossings) / kVoiceWindowSamples;

    // Spectrum.
    std::fill_n(time.get(), kSpectrumFft, 0.0f);
    for (int j = 0; j < kVoiceWindowSamples; ++j) time[static_cast<std::size_t>(j)] = w[j] * hann[static_cast<std::size_t>(j)];
    fftwf_execute_dft_r2c(plans.spectrum, time.get(), spec_a.get());
    double total = 0, weighted = 0, log_sum = 0, norm = 0;
    for (int k = 0; k < kSpectrumBins; ++k) {
      const double re = spec_a[k][0], im = spec_a[k][1];
      const double p = re * re + im * im;
      power[static_cast<std::size_t>(k)] = static_cast<float>(p);
      magnitude[static_cast<std::size_t>(k)] = static_cast<float>(std::sqrt(p));
      norm += p;
      if (k > 0) {
        total += p;
        weighted += p * k * kBinHz;
        log_sum += std::log(p + 1e-12);
      }
    }
    frames.centroid_hz[i] = static_cast<float>(total > 0 ? weighted / total : 0);
    frames.flatness[i] = static_cast<float>(total > 0 ? std::exp(log_sum / (kSpectrumBins - 1)) / (total / (kSpectrumBins - 1) + 1e-12) : 1);
    double cumulative = 0;
    int roll = kSpectrumBins - 1;
    for (int k = 1; k < kSpectrumBins; ++k) {
      cumulative += power[static_cast<std::size_t>(k)];
      if (cumulative >= 0.85 * total) {
        roll = k;
        break;
      }
    }
    frames.rolloff_hz[i] = static_cast<float>(roll * kBinHz);
    const double inv = norm > 0 ? 1.0 / std::sqrt(norm) : 0.0;
    double flux = 0;
    for (int k = 0; k < kSpectrumBins; ++k) {
      const float m = static_cast<float>(magnitude[static_cast<std::size_t>(k)] * inv);
      const float d = m - previous[static_cast<std::size_t>(k)];
      flux += static_cast<double>(d) * d;
      previous[static_cast<std::size_t>(k)] = m;
    }
    frames.flux[i] = i == 0 ? 0.0f : static_cast<float>(std::sqrt(flux));
    double low = 1e-12, high = 1e-12, low_peak = 1e-12, high_peak = 1e-12;
    for (int k = k50; k < k1000; ++k) low += power[static_cast<std::size_t>(k)];
    for (int k = k1000; k < k5000; ++k) high += power[static_cast<std::size_t>(k)];
    for (int k = 1; k < k2000; ++k) low_peak = std::max<double>(low_peak, power[static_cast<std::size_t>(k)]);
    for (int k = k2000; k < k5000; ++k) high_peak = std::max<double>(high_peak, power[static_cast<std::size_t>(k)]);
    frames.alpha_ratio_db[i] = static_cast<float>(10 * std::log10(low / high));
    frames.hammarberg_db[i] = static_cast<float>(10 * std::log10(low_peak / high_peak));

    float* mel = frames.log_mel.data() + i * kVoiceMelBands;
    for (std::size_t b = 0; b < kVoiceMelBands; ++b) {
      double sum = 0;
      const auto& weights = bank.weights[b];
      for (std::size_t j = 0; j < weights.size(); ++j)
        sum += weights[j] * power[static_cast<std::size_t>(bank.first[b]) + j];
      mel[b] = static_cast<float>(std::log(sum + 1e-8));
    }
    float* cep = frames.mfcc.data() + i * kVoiceMfccs;
    for (std::size_t c = 0; c < kVoiceMfccs; ++c) {
      double sum = 0;
      for (std::size_t b = 0; b < kVoiceMelBands; ++b) sum += bank.dct[c][b] * mel[b];
      cep[c] = static_cast<float>(sum);
    }

    // Pitch on a segment centred on the frame, zero-padded at the signal's edges.
    if (frames.level_db[i] > -75) {
      const auto centre = static_cast<std::ptrdiff_t>(i * kVoiceHopSamples + kVoiceWindowSamples / 2);
      const std::ptrdiff_t start = centre - kPitchSegment / 2;
      for (std::ptrdiff_t j = 0; j < kPitchSegment; ++j) {
        const std::ptrdiff_t at = start + j;
        padded[static_cast<std::size_t>(j)] = at >= 0 && at < static_cast<std::ptrdiff_t>(x.size()) ? x[static_cast<std::size_t>(at)] : 0.0f;
      }
      const auto [hz, periodicity] = Yin(padded.data(), time.get(), spec_a.get(), spec_b.get(), plans, cmnd);
      frames.pitch_hz[i] = hz;
      frames.periodicity[i] = periodicity;
    }
  }
  SmoothPitch(frames.pitch_hz);
  return frames;
}

}  // namespace emotune
