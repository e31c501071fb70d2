// VoiceFrames: the short-time analysis every voice step shares — a 16 kHz mono
// signal cut into 25 ms frames every 10 ms, each with its level, log-mel spectrum,
// MFCCs, pitch (YIN), periodicity and spectral shape. Voice activity (voice_activity.h)
// and the emotion features (voice_features.h) are both computed from it.
//
// AnalyseVoiceFrames is a pure function: thread-safe (the FFT plans are made once
// per process, under a lock, and only executed afterwards).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace emotune {

// The rate every voice feature is computed at: the band up to 8 kHz holds what
// speech emotion needs, and the shipped model was trained at it.
inline constexpr int kVoiceSampleRate = 16000;
inline constexpr int kVoiceHopSamples = 160;     // 10 ms
inline constexpr int kVoiceWindowSamples = 400;  // 25 ms, Hann, zero-padded to a 512-point FFT
inline constexpr std::size_t kVoiceMelBands = 40;  // 60 Hz – 7.6 kHz, Slaney-style triangles
inline constexpr std::size_t kVoiceMfccs = 20;     // c0 … c19 (DCT-II of the log-mel)
inline constexpr double kVoiceMinPitchHz = 60;
inline constexpr double kVoiceMaxPitchHz = 500;

struct VoiceFrames {
  std::size_t count = 0;              // frames; frame i is centred at i × 10 ms
  std::vector<float> level_db;        // RMS level of the window, dBFS (floor -100)
  std::vector<float> log_mel;         // count × kVoiceMelBands, natural log of band power
  std::vector<float> mfcc;            // count × kVoiceMfccs
  std::vector<float> pitch_hz;        // YIN estimate; 0 where unvoiced
  std::vector<float> periodicity;     // 1 − YIN's normalised difference at the period, [0, 1]
  std::vector<float> centroid_hz;     // spectral centroid
  std::vector<float> rolloff_hz;      // 85 % energy roll-off
  std::vector<float> flatness;        // spectral flatness (geometric / arithmetic mean), [0, 1]
  std::vector<float> flux;            // L2 change of the normalised magnitude spectrum since the last frame
  std::vector<float> alpha_ratio_db;  // energy 50 Hz–1 kHz over 1–5 kHz, dB
  std::vector<float> hammarberg_db;   // strongest bin 0–2 kHz over strongest 2–5 kHz, dB
  std::vector<float> zero_crossing;   // zero-crossing rate, per sample

  double seconds() const { return static_cast<double>(count) * kVoiceHopSamples / kVoiceSampleRate; }
  std::span<const float> mel(std::size_t frame) const { return {log_mel.data() + frame * kVoiceMelBands, kVoiceMelBands}; }
  std::span<const float> mfccs(std::size_t frame) const { return {mfcc.data() + frame * kVoiceMfccs, kVoiceMfccs}; }
};

// `samples` at kVoiceSampleRate, -1..1. The signal's DC offset is removed first
// (its mean, then a 40 Hz high-pass), so an offset or hum below the voice changes
// nothing. Fewer samples than one window give zero frames.
VoiceFrames AnalyseVoiceFrames(std::span<const float> samples);

}  // namespace emotune
