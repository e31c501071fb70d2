#include "emotune/voice_activity.h"

#include <algorithm>
#include <cmath>

namespace emotune {
namespace {

constexpr double kFrameSeconds = static_cast<double>(kVoiceHopSamples) / kVoiceSampleRate;

std::size_t Frames(double seconds) { return static_cast<std::size_t>(std::lround(seconds / kFrameSeconds)); }

double Percentile(std::vector<float> values, double q) {
  if (values.empty()) return 0;
  const auto k = static_cast<std::size_t>(q * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

// The speech checks' measurements over one segment.
void Measure(const VoiceFrames& frames, const std::vector<std::uint8_t>& active, SpeechSegment& s) {
  std::size_t n_active = 0, voiced = 0;
  std::vector<float> pitches;
  // Level around a 0.4 s moving average: syllables rise and fall 3–8 times a second.
  const std::size_t half = Frames(0.2);
  double sum_sq = 0;
  for (std::size_t i = s.begin; i < s.end; ++i) {
    if (!active[i]) continue;
    ++n_active;
    if (frames.pitch_hz[i] > 0) {
      ++voiced;
      pitches.push_back(frames.pitch_hz[i]);
    }
    const std::size_t lo = i >= s.begin + half ? i - half : s.begin, hi = std::min(s.end, i + half + 1);
    double mean = 0;
    for (std::size_t j = lo; j < hi; ++j) mean += frames.level_db[j];
    mean /= static_cast<double>(hi - lo);
    sum_sq += (frames.level_db[i] - mean) * (frames.level_db[i] - mean);
  }
  s.start_s = static_cast<double>(s.begin) * kFrameSeconds;
  s.end_s = static_cast<double>(s.end) * kFrameSeconds + (kVoiceWindowSamples - kVoiceHopSamples) / double{kVoiceSampleRate};
  s.voiced_fraction = n_active ? static_cast<double>(voiced) / static_cast<double>(n_active) : 0;
  s.modulation_db = n_active ? std::sqrt(sum_sq / static_cast<double>(n_active)) : 0;
  s.median_pitch_hz = Percentile(pitches, 0.5);
}

}  // namespace

VoiceActivity DetectVoiceActivity(const VoiceFrames& frames, const VoiceActivityOptions& options) {
  VoiceActivity out;
  const std::size_t n = frames.count;
  out.active.assign(n, 0);
  if (n == 0) {
    out.no_speech_reason = "too short to hold speech";
    return out;
  }
  out.noise_floor_db = Percentile(frames.level_db, 0.10);
  const double loud = Percentile(frames.level_db, 0.99);
  out.threshold_db = std::max({out.noise_floor_db + options.floor_margin_db, loud - options.dynamic_range_db,
                               options.min_level_dbfs});
  for (std::size_t i = 0; i < n; ++i) out.active[i] = frames.level_db[i] >= out.threshold_db;

  // Segments of active frames with short gaps bridged.
  const std::size_t bridge = Frames(options.bridge_gap_s), split = Frames(options.split_pause_s);
  std::vector<SpeechSegment> runs;
  for (std::size_t i = 0; i < n;) {
    if (!out.active[i]) {
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    while (j < n && out.active[j]) ++j;
    if (!runs.empty() && i - runs.back().end <= bridge) runs.back().end = j;
    else runs.push_back({i, j});
    i = j;
  }
  // Utterances: segments closer than a long pause merge; too-long ones are cut.
  std::vector<SpeechSegment> merged;
  for (const SpeechSegment& r : runs) {
    if (!merged.empty() && r.begin - merged.back().end < split) merged.back().end = r.end;
    else merged.push_back(r);
  }
  const std::size_t max_len = std::max<std::size_t>(Frames(options.max_utterance_s), 20);
  std::vector<SpeechSegment> pieces;
  for (SpeechSegment s : merged) {
    while (s.end - s.begin > max_len) {
      // The quietest frame in the middle half of the allowed length.
      const std::size_t lo = s.begin + max_len / 2, hi = s.begin + max_len;
      std::size_t cut = lo;
      for (std::size_t i = lo; i < hi; ++i)
        if (frames.level_db[i] < frames.level_db[cut]) cut = i;
      pieces.push_back({s.begin, cut});
      s.begin = cut;
    }
    pieces.push_back(s);
  }
  const std::size_t min_len = Frames(options.min_utterance_s);
  std::size_t quiet = 0, unvoiced = 0, steady = 0;
  for (SpeechSegment& s : pieces) {
    Measure(frames, out.active, s);
    if (s.end - s.begin < min_len) {
      ++quiet;
    } else if (s.voiced_fraction < options.min_voiced_fraction || s.median_pitch_hz <= 0) {
      ++unvoiced;
    } else if (s.modulation_db < options.min_modulation_db) {
      ++steady;
    } else {
      s.speech = true;
      out.utterances.push_back(s);
    }
    out.segments.push_back(s);
  }
  if (out.utterances.empty()) {
    if (pieces.empty() && loud > options.min_level_dbfs) out.no_speech_reason = "a steady sound without speech (noise or hum?)";
    else if (unvoiced == 0 && steady == 0) out.no_speech_reason = "only silence or clicks";
    else if (steady >= unvoiced) out.no_speech_reason = "sound without the rhythm of speech (music or a steady tone?)";
    else out.no_speech_reason = "sound but no voice (noise?)";
  }
  return out;
}

}  // namespace emotune
