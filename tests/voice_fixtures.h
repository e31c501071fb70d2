// Voice fixtures the voice tests make themselves: a synthetic voice (a glottal pulse
// train through three formant resonators, in syllables with pauses, its pitch
// gliding), steady tones and chords, noise, silence — all as float samples, written
// with the audio fixtures' WAV writer or FFmpeg encoders. Header-only.
#pragma once

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "audio_fixtures.h"
#include "emotune/voice_emotion_model.h"
#include "emotune/voice_mood.h"

namespace emotune::testing {

struct VoiceStyle {
  double pitch_hz = 140;        // mean f0
  double pitch_swing = 0.25;    // f0 varies by ± this share
  double syllables_per_s = 4;
  double level = 0.3;           // peak amplitude
  double pause_every_s = 1.6;   // a pause of 0.3 s this often (0: none)
  unsigned seed = 1;
};

// A voice-like signal: what voice activity should call speech.
inline Signal SyntheticVoice(double seconds, int rate = 16000, const VoiceStyle& style = {}) {
  const auto n = static_cast<std::size_t>(seconds * rate);
  Signal s{std::vector<float>(n), 1, rate};
  std::mt19937 gen(style.seed);
  std::normal_distribution<double> breath(0.0, 1.0);
  double phase = 0;
  double y1[3] = {}, y2[3] = {};
  const double formants[3] = {650, 1150, 2500};
  const double bandwidth[3] = {80, 100, 140};
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / rate;
    const double f0 = style.pitch_hz * (1 + style.pitch_swing * std::sin(2 * std::numbers::pi * 0.6 * t + 0.3 * std::sin(2 * std::numbers::pi * 2.1 * t)));
    phase += f0 / rate;
    const double frac = phase - std::floor(phase);
    const double source = (frac < 0.4 ? std::sin(std::numbers::pi * frac / 0.4) : 0.0) + 0.02 * breath(gen);
    double v = 0;
    for (int k = 0; k < 3; ++k) {
      const double r = std::exp(-std::numbers::pi * bandwidth[k] / rate), w = 2 * std::numbers::pi * formants[k] / rate;
      const double y = (1 - r) * source + 2 * r * std::cos(w) * y1[k] - r * r * y2[k];
      y2[k] = y1[k];
      y1[k] = y;
      v += y / (k + 1);
    }
    const double syllable = std::pow(std::max(0.0, std::sin(std::numbers::pi * style.syllables_per_s * t)), 1.5);
    const bool pause = style.pause_every_s > 0 && std::fmod(t, style.pause_every_s) > style.pause_every_s - 0.3;
    s.samples[i] = static_cast<float>(pause ? 0.0 : v * syllable);
  }
  float peak = 1e-9f;
  for (float v : s.samples) peak = std::max(peak, std::abs(v));
  // Breath and fricative noise across the whole band, following the syllables, as
  // real speech has above 4 kHz (telephone audio lacks it).
  std::uniform_real_distribution<double> hiss(-1.0, 1.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / rate;
    const double syllable = std::max(0.0, std::sin(std::numbers::pi * style.syllables_per_s * t));
    s.samples[i] = static_cast<float>(s.samples[i] / peak + (s.samples[i] != 0.0f ? 0.02 * syllable * hiss(gen) : 0.0));
    s.samples[i] *= static_cast<float>(style.level);
  }
  return s;
}

// `seconds` of silence, then `inner`, then silence again.
inline Signal Padded(const Signal& inner, double seconds) {
  Signal s = inner;
  const auto pad = static_cast<std::size_t>(seconds * inner.rate) * static_cast<std::size_t>(inner.channels);
  s.samples.insert(s.samples.begin(), pad, 0.0f);
  s.samples.insert(s.samples.end(), pad, 0.0f);
  return s;
}

// A held tone with harmonics (an organ note): voiced, but without speech's rhythm.
inline Signal HeldTone(double hz, double seconds, int rate = 16000) {
  Signal s{std::vector<float>(static_cast<std::size_t>(seconds * rate)), 1, rate};
  for (std::size_t i = 0; i < s.samples.size(); ++i) {
    const double t = static_cast<double>(i) / rate;
    double v = 0;
    for (int h = 1; h <= 5; ++h) v += std::sin(2 * std::numbers::pi * hz * h * t) / h;
    s.samples[i] = static_cast<float>(0.2 * v);
  }
  return s;
}

// Two styles a tiny test model can tell apart: high, lively, fast ("angry", RAVDESS
// index 4) and low, flat, slow ("sad", index 3).
inline VoiceStyle Lively(unsigned seed) { return {210, 0.35, 5.5, 0.5, 1.6, seed}; }
inline VoiceStyle Flat(unsigned seed) { return {105, 0.05, 2.5, 0.1, 1.6, seed}; }

// A small model trained in the test on synthetic voices of both styles: enough to
// exercise every path that needs a model without the shipped one.
inline std::shared_ptr<const VoiceEmotionModel> TinyVoiceModel() {
  static const std::shared_ptr<const VoiceEmotionModel> model = [] {
    std::vector<VoiceExample> examples;
    for (unsigned seed = 1; seed <= 8; ++seed)
      for (int lively = 0; lively < 2; ++lively) {
        VoiceStyle style = lively ? Lively(seed) : Flat(seed);
        style.pitch_hz *= 0.85 + 0.05 * seed;
        const Signal s = Padded(SyntheticVoice(2.0, 16000, style), 0.3);
        UtteranceFeatures found = ExtractUtteranceFeatures(s.samples);
        for (auto& f : found.features) examples.push_back({std::move(f), lively ? 4u : 3u, 1.0});
      }
    VoiceTrainingOptions options;
    options.hidden = 8;
    options.members = 1;
    options.epochs = 150;
    auto trained = VoiceEmotionModel::Train(examples, options, "test model");
    if (!trained.ok()) throw std::runtime_error(trained.status().message());
    return std::shared_ptr<const VoiceEmotionModel>(std::move(*trained));
  }();
  return model;
}

inline std::string ReadBytes(const std::string& path) { return ReadFile(path); }

}  // namespace emotune::testing
