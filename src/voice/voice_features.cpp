#include "emotune/voice_features.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

namespace emotune {
namespace {

constexpr double kFrameSeconds = static_cast<double>(kVoiceHopSamples) / kVoiceSampleRate;

// Where the features go: values, or (once, for VoiceFeatureNames) their names. Every
// call path adds the same names in the same order whatever the data.
struct Sink {
  std::vector<float>* values = nullptr;
  std::vector<std::string>* names = nullptr;
  void Add(const std::string& name, double value) {
    if (names) names->push_back(name);
    if (values) values->push_back(std::isfinite(value) ? static_cast<float>(value) : 0.0f);
  }
};

struct Stats {
  double mean = 0, sd = 0;
};

Stats MeanSd(const std::vector<double>& v) {
  Stats s;
  if (v.empty()) return s;
  for (double x : v) s.mean += x;
  s.mean /= static_cast<double>(v.size());
  for (double x : v) s.sd += (x - s.mean) * (x - s.mean);
  s.sd = std::sqrt(s.sd / static_cast<double>(v.size()));
  return s;
}

// Percentiles by sorting a copy (q in [0, 1], linear interpolation).
double Quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double at = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(at);
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - static_cast<double>(lo));
}

double Skew(const std::vector<double>& v, const Stats& s) {
  if (v.size() < 3 || s.sd <= 1e-9) return 0;
  double m3 = 0;
  for (double x : v) m3 += std::pow((x - s.mean) / s.sd, 3);
  return m3 / static_cast<double>(v.size());
}

// Regression slope of the delta over ±2 frames, as HTK computes deltas.
template <typename Get>
double Delta(Get get, std::size_t i, std::size_t begin, std::size_t end) {
  double num = 0;
  for (int k = 1; k <= 2; ++k) {
    const std::size_t plus = std::min(end - 1, i + static_cast<std::size_t>(k));
    const std::size_t minus = i >= begin + static_cast<std::size_t>(k) ? i - static_cast<std::size_t>(k) : begin;
    num += k * (get(plus) - get(minus));
  }
  return num / 10.0;
}

void Compute(const VoiceFrames& f, const SpeechSegment& u, double threshold_db, Sink& out) {
  const std::size_t begin = std::min(u.begin, f.count), end = std::min(u.end, f.count);
  std::vector<std::size_t> active;
  for (std::size_t i = begin; i < end; ++i)
    if (f.level_db[i] >= threshold_db) active.push_back(i);
  if (active.empty())
    for (std::size_t i = begin; i < end; ++i) active.push_back(i);
  const double n_active = std::max<double>(1, static_cast<double>(active.size()));

  // The utterance's mean log power: the spectrum is read relative to it.
  double gain = 0;
  for (std::size_t i : active) {
    double power = 0;
    for (float m : f.mel(i)) power += std::exp(m);
    gain += std::log(power / kVoiceMelBands + 1e-10);
  }
  gain /= n_active;

  // Mel bands.
  std::vector<double> values(active.size()), deltas(active.size());
  for (std::size_t b = 0; b < kVoiceMelBands; ++b) {
    for (std::size_t k = 0; k < active.size(); ++k) {
      values[k] = f.log_mel[active[k] * kVoiceMelBands + b] - gain;
      deltas[k] = Delta([&](std::size_t i) { return f.log_mel[i * kVoiceMelBands + b]; }, active[k], begin, end);
    }
    const Stats s = MeanSd(values);
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    out.Add(fmt::format("mel{:02}_mean", b), s.mean);
    out.Add(fmt::format("mel{:02}_sd", b), s.sd);
    out.Add(fmt::format("mel{:02}_p10", b), Quantile(sorted, 0.1));
    out.Add(fmt::format("mel{:02}_p90", b), Quantile(sorted, 0.9));
    out.Add(fmt::format("mel{:02}_delta_sd", b), MeanSd(deltas).sd);
  }
  // Voiced-frame spectrum in 8 coarse bands (5 mel bands each), relative to the gain;
  // and the temporal modulation of each coarse band's log energy (syllabic 2–4 Hz,
  // 4–8 Hz and faster 8–16 Hz) — how the spectrum moves, which statistics miss.
  {
    constexpr std::size_t kCoarse = 8, kPer = kVoiceMelBands / kCoarse;
    std::vector<std::vector<double>> tracks(kCoarse, std::vector<double>(end - begin, 0.0));
    for (std::size_t i = begin; i < end; ++i)
      for (std::size_t c = 0; c < kCoarse; ++c) {
        double e = 0;
        for (std::size_t b = c * kPer; b < (c + 1) * kPer; ++b) e += f.log_mel[i * kVoiceMelBands + b];
        tracks[c][i - begin] = e / kPer - gain;
      }
    for (std::size_t c = 0; c < kCoarse; ++c) {
      std::vector<double> voiced;
      for (std::size_t i : active)
        if (f.pitch_hz[i] > 0) voiced.push_back(tracks[c][i - begin]);
      out.Add(fmt::format("band{}_voiced_mean", c), voiced.empty() ? 0.0 : MeanSd(voiced).mean);
      // Band-pass by differences of moving averages (boxcar lengths in frames:
      // 2–4 Hz ≈ 25 vs 12, 4–8 Hz ≈ 12 vs 6, 8–16 Hz ≈ 6 vs 3), RMS over the utterance.
      const std::vector<double>& x = tracks[c];
      std::vector<double> prefix(x.size() + 1, 0.0);
      for (std::size_t i = 0; i < x.size(); ++i) prefix[i + 1] = prefix[i] + x[i];
      const auto smooth = [&](std::size_t i, std::size_t len) {
        const std::size_t lo = i >= len / 2 ? i - len / 2 : 0, hi = std::min(x.size(), i + len / 2 + 1);
        return (prefix[hi] - prefix[lo]) / static_cast<double>(hi - lo);
      };
      const std::pair<std::size_t, std::size_t> bands[3] = {{25, 12}, {12, 6}, {6, 3}};
      const char* names[3] = {"mod2_4", "mod4_8", "mod8_16"};
      for (int k = 0; k < 3; ++k) {
        double sum = 0;
        for (std::size_t i = 0; i < x.size(); ++i) {
          const double v = smooth(i, bands[k].second) - smooth(i, bands[k].first);
          sum += v * v;
        }
        out.Add(fmt::format("band{}_{}", c, names[k]), x.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(x.size())));
      }
    }
  }
  // MFCCs (c0 is level: only its spread).
  for (std::size_t c = 0; c < kVoiceMfccs; ++c) {
    for (std::size_t k = 0; k < active.size(); ++k) {
      values[k] = f.mfcc[active[k] * kVoiceMfccs + c];
      deltas[k] = Delta([&](std::size_t i) { return f.mfcc[i * kVoiceMfccs + c]; }, active[k], begin, end);
    }
    const Stats s = MeanSd(values);
    if (c > 0) out.Add(fmt::format("mfcc{:02}_mean", c), s.mean);
    out.Add(fmt::format("mfcc{:02}_sd", c), s.sd);
    out.Add(fmt::format("mfcc{:02}_delta_sd", c), MeanSd(deltas).sd);
  }

  // Pitch, in semitones above 100 Hz, over voiced active frames.
  std::vector<double> pitch, pitch_time, pitch_speed;
  std::size_t voiced_runs = 0;
  std::size_t run_length = 0;
  std::vector<double> run_lengths;
  std::vector<double> jitter, shimmer, periodicity;
  for (std::size_t i = begin; i < end; ++i) {
    const bool voiced = f.pitch_hz[i] > 0 && f.level_db[i] >= threshold_db;
    if (voiced) {
      const double st = 12 * std::log2(f.pitch_hz[i] / 100.0);
      pitch.push_back(st);
      pitch_time.push_back(static_cast<double>(i - begin) * kFrameSeconds);
      periodicity.push_back(f.periodicity[i]);
      if (run_length > 0) {
        const double prev_hz = f.pitch_hz[i - 1];
        pitch_speed.push_back(std::abs(st - 12 * std::log2(prev_hz / 100.0)));
        jitter.push_back(std::abs(1.0 / f.pitch_hz[i] - 1.0 / prev_hz) / (0.5 * (1.0 / f.pitch_hz[i] + 1.0 / prev_hz)));
        const double a = std::pow(10.0, f.level_db[i] / 20), b = std::pow(10.0, f.level_db[i - 1] / 20);
        shimmer.push_back(std::abs(a - b) / (0.5 * (a + b)));
      }
      if (run_length == 0) ++voiced_runs;
      ++run_length;
    } else if (run_length > 0) {
      run_lengths.push_back(static_cast<double>(run_length) * kFrameSeconds);
      run_length = 0;
    }
  }
  if (run_length > 0) run_lengths.push_back(static_cast<double>(run_length) * kFrameSeconds);
  {
    const Stats s = MeanSd(pitch);
    std::vector<double> sorted = pitch;
    std::sort(sorted.begin(), sorted.end());
    double slope = 0;
    if (pitch.size() >= 2) {
      const Stats t = MeanSd(pitch_time);
      double cov = 0;
      for (std::size_t k = 0; k < pitch.size(); ++k) cov += (pitch_time[k] - t.mean) * (pitch[k] - s.mean);
      slope = t.sd > 1e-9 ? cov / static_cast<double>(pitch.size()) / (t.sd * t.sd) : 0;
    }
    const double neutral = pitch.empty() ? 0.0 : 1.0;  // an utterance with no pitch reads as flat
    out.Add("pitch_st_mean", s.mean);
    out.Add("pitch_st_sd", s.sd);
    out.Add("pitch_st_p05", Quantile(sorted, 0.05));
    out.Add("pitch_st_p25", Quantile(sorted, 0.25));
    out.Add("pitch_st_p50", Quantile(sorted, 0.5));
    out.Add("pitch_st_p75", Quantile(sorted, 0.75));
    out.Add("pitch_st_p95", Quantile(sorted, 0.95));
    out.Add("pitch_st_range", Quantile(sorted, 0.95) - Quantile(sorted, 0.05));
    out.Add("pitch_st_slope", std::clamp(slope, -60.0, 60.0));
    out.Add("pitch_st_speed", neutral * MeanSd(pitch_speed).mean);
    out.Add("pitch_st_speed_sd", neutral * MeanSd(pitch_speed).sd);
    out.Add("pitch_st_skew", Skew(pitch, s));
    // The intonation's shape whatever the speaker's register: percentiles around the
    // median, and the median relative to a typical voice of the register it is in
    // (120 Hz below 165 Hz, else 210 Hz), which sets men's and women's voices side by side.
    const double median = Quantile(sorted, 0.5);
    out.Add("pitch_st_p05_re_median", Quantile(sorted, 0.05) - median);
    out.Add("pitch_st_p25_re_median", Quantile(sorted, 0.25) - median);
    out.Add("pitch_st_p75_re_median", Quantile(sorted, 0.75) - median);
    out.Add("pitch_st_p95_re_median", Quantile(sorted, 0.95) - median);
    const double low_register = 12 * std::log2(120.0 / 100), high_register = 12 * std::log2(210.0 / 100);
    const double split = 12 * std::log2(165.0 / 100);
    out.Add("pitch_st_re_register", pitch.empty() ? 0.0 : median - (median < split ? low_register : high_register));
    out.Add("pitch_high_register", pitch.empty() ? 0.5 : median < split ? 0.0 : 1.0);
  }

  // Level contour over active frames, relative to the utterance's loud level.
  std::vector<double> level, level_speed;
  for (std::size_t i : active) {
    level.push_back(f.level_db[i]);
    level_speed.push_back(std::abs(Delta([&](std::size_t j) { return double{f.level_db[j]}; }, i, begin, end)));
  }
  {
    std::vector<double> sorted = level;
    std::sort(sorted.begin(), sorted.end());
    const double top = Quantile(sorted, 0.95);
    const Stats s = MeanSd(level);
    out.Add("level_p95_dbfs", top);
    out.Add("level_mean_re_p95", s.mean - top);
    out.Add("level_sd", s.sd);
    out.Add("level_p10_re_p95", Quantile(sorted, 0.1) - top);
    out.Add("level_p50_re_p95", Quantile(sorted, 0.5) - top);
    out.Add("level_skew", Skew(level, s));
    out.Add("level_speed", MeanSd(level_speed).mean);
    out.Add("level_speed_sd", MeanSd(level_speed).sd);
  }

  // Spectral shape over active frames, and over voiced ones.
  const auto shape = [&](const char* name, const std::vector<float>& track, bool log_scale) {
    std::vector<double> all, voiced;
    for (std::size_t i : active) {
      const double v = log_scale ? std::log(std::max(1e-6f, track[i])) : track[i];
      all.push_back(v);
      if (f.pitch_hz[i] > 0) voiced.push_back(v);
    }
    const Stats s = MeanSd(all);
    out.Add(fmt::format("{}_mean", name), s.mean);
    out.Add(fmt::format("{}_sd", name), s.sd);
    out.Add(fmt::format("{}_voiced_mean", name), voiced.empty() ? s.mean : MeanSd(voiced).mean);
  };
  shape("log_centroid", f.centroid_hz, true);
  shape("log_rolloff", f.rolloff_hz, true);
  shape("log_flatness", f.flatness, true);
  shape("flux", f.flux, false);
  shape("alpha_ratio", f.alpha_ratio_db, false);
  shape("hammarberg", f.hammarberg_db, false);
  shape("zcr", f.zero_crossing, false);

  // Voice quality.
  {
    std::vector<double> hnr;
    for (double p : periodicity) hnr.push_back(10 * std::log10(std::clamp(p, 0.01, 0.99) / (1 - std::clamp(p, 0.01, 0.99))));
    out.Add("hnr_mean", MeanSd(hnr).mean);
    out.Add("hnr_sd", MeanSd(hnr).sd);
    out.Add("jitter", std::min(1.0, MeanSd(jitter).mean));
    out.Add("shimmer", std::min(2.0, MeanSd(shimmer).mean));
  }

  // Rhythm.
  {
    const double seconds = std::max(kFrameSeconds, static_cast<double>(end - begin) * kFrameSeconds);
    // Syllable-like peaks: local maxima of level (over ±50 ms) at least 4 dB above
    // the lowest level within ±150 ms on both sides.
    std::size_t peaks = 0;
    for (std::size_t i = begin; i < end; ++i) {
      if (f.level_db[i] < threshold_db) continue;
      bool is_peak = true;
      for (std::size_t j = i >= begin + 5 ? i - 5 : begin; j < std::min(end, i + 6) && is_peak; ++j)
        if (f.level_db[j] > f.level_db[i] || (f.level_db[j] == f.level_db[i] && j < i)) is_peak = false;
      if (!is_peak) continue;
      double left = f.level_db[i], right = f.level_db[i];
      for (std::size_t j = i >= begin + 15 ? i - 15 : begin; j < i; ++j) left = std::min<double>(left, f.level_db[j]);
      for (std::size_t j = i + 1; j < std::min(end, i + 16); ++j) right = std::min<double>(right, f.level_db[j]);
      if (f.level_db[i] - left >= 4 && f.level_db[i] - right >= 4) ++peaks;
    }
    out.Add("syllable_rate", static_cast<double>(peaks) / seconds);
    out.Add("voiced_run_rate", static_cast<double>(voiced_runs) / seconds);
    out.Add("voiced_run_mean_s", MeanSd(run_lengths).mean);
    out.Add("voiced_share", static_cast<double>(pitch.size()) / n_active);
    out.Add("pause_share", 1.0 - n_active / std::max(1.0, static_cast<double>(end - begin)));
    out.Add("log_duration_s", std::log(seconds));
  }
}

}  // namespace

const std::vector<std::string>& VoiceFeatureNames() {
  static const std::vector<std::string> names = [] {
    VoiceFrames frames;
    frames.count = 1;
    frames.level_db = {0};
    frames.log_mel.assign(kVoiceMelBands, 0);
    frames.mfcc.assign(kVoiceMfccs, 0);
    frames.pitch_hz = frames.periodicity = frames.centroid_hz = frames.rolloff_hz = frames.flatness = frames.flux =
        frames.alpha_ratio_db = frames.hammarberg_db = frames.zero_crossing = {0};
    std::vector<std::string> out;
    Sink sink{nullptr, &out};
    Compute(frames, SpeechSegment{0, 1}, -100, sink);
    return out;
  }();
  return names;
}

std::vector<float> ComputeVoiceFeatures(const VoiceFrames& frames, const SpeechSegment& utterance, double threshold_db) {
  std::vector<float> values;
  values.reserve(VoiceFeatureCount());
  Sink sink{&values, nullptr};
  Compute(frames, utterance, threshold_db, sink);
  return values;
}

}  // namespace emotune
