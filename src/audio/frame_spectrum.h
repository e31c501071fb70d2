// Short-time spectrum: mono samples in, one Hann-windowed magnitude spectrum per hop
// out. The one STFT every spectral feature shares. The FFTW plan is made once, at
// construction (FFTW's planner is not thread-safe, so plans are made under a lock);
// Pop writes into caller-owned memory and allocates nothing.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "audio/parameter_spec.h"

namespace emotune::audio {

struct FrameSpectrumConfig {
  int frame_size = 2048;  // at 22050 Hz: 93 ms, 10.8 Hz bins — librosa's default, enough for chroma above 100 Hz
  int hop_size = 512;     // 23 ms: 43 onset-envelope values per second
};

class FrameSpectrum {
 public:
  static constexpr std::array<ParameterSpec, 2> kParameters{{
      {"frame_size", 256, 16384, 2048, "samples", "FFT length (a power of two)"},
      {"hop_size", 64, 8192, 512, "samples", "distance between frames, at most frame_size"},
  }};
  static Status Check(const FrameSpectrumConfig& config);

  explicit FrameSpectrum(FrameSpectrumConfig config = {});
  ~FrameSpectrum();
  FrameSpectrum(const FrameSpectrum&) = delete;
  FrameSpectrum& operator=(const FrameSpectrum&) = delete;

  int frame_size() const { return config_.frame_size; }
  int hop_size() const { return config_.hop_size; }
  std::size_t bins() const { return static_cast<std::size_t>(config_.frame_size / 2 + 1); }

  void Reset();
  // Appends samples; frames become available to Pop as soon as they are complete.
  void Push(std::span<const float> samples);
  // Pads the tail with silence so its last samples make a frame (called once at the end).
  void Finish();
  // Writes the next frame's magnitude spectrum (bins() values) to `magnitude`; false
  // when no complete frame is waiting.
  bool Pop(std::span<float> magnitude);

 private:
  FrameSpectrumConfig config_;
  std::vector<float> pending_;   // samples not yet consumed by a frame; compacted as it goes
  std::size_t read_ = 0;         // start of the next frame in pending_
  std::size_t frames_popped_ = 0;
  std::vector<float> window_;
  float* fft_in_ = nullptr;      // fftwf_malloc'd for SIMD alignment
  void* fft_out_ = nullptr;      // fftwf_complex[bins]
  void* plan_ = nullptr;         // fftwf_plan
};

}  // namespace emotune::audio
