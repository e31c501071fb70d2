#include "audio/frame_spectrum.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <numbers>

namespace emotune::audio {
namespace {
std::mutex& PlannerLock() {
  static std::mutex lock;
  return lock;
}
}  // namespace

Status FrameSpectrum::Check(const FrameSpectrumConfig& c) {
  for (auto [name, value] : {std::pair{"frame_size", c.frame_size}, std::pair{"hop_size", c.hop_size}})
    if (Status s = CheckParameter("FrameSpectrum", Spec(kParameters, name), value); !s.ok()) return s;
  if ((c.frame_size & (c.frame_size - 1)) != 0) return Status::InvalidArgument("FrameSpectrum: frame_size must be a power of two");
  if (c.hop_size > c.frame_size) return Status::InvalidArgument("FrameSpectrum: hop_size must not exceed frame_size");
  return Status::Ok();
}

FrameSpectrum::FrameSpectrum(FrameSpectrumConfig config) : config_(config) {
  const auto n = static_cast<std::size_t>(config_.frame_size);
  window_.resize(n);
  // Periodic Hann: overlapping frames at hop n/4 sum to a constant.
  for (std::size_t i = 0; i < n; ++i)
    window_[i] = static_cast<float>(0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(n)));
  pending_.reserve(n * 4);
  std::lock_guard guard(PlannerLock());
  fft_in_ = fftwf_alloc_real(n);
  fftwf_complex* out = fftwf_alloc_complex(bins());
  fft_out_ = out;
  plan_ = fftwf_plan_dft_r2c_1d(config_.frame_size, fft_in_, out, FFTW_ESTIMATE);
}

FrameSpectrum::~FrameSpectrum() {
  std::lock_guard guard(PlannerLock());
  fftwf_destroy_plan(static_cast<fftwf_plan>(plan_));
  fftwf_free(fft_in_);
  fftwf_free(fft_out_);
}

void FrameSpectrum::Reset() {
  pending_.clear();
  read_ = 0;
  frames_popped_ = 0;
}

void FrameSpectrum::Push(std::span<const float> samples) {
  // Compact before growing, so pending_ stays about one frame plus one block long.
  if (read_ > 0 && read_ >= pending_.size() / 2) {
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(read_));
    read_ = 0;
  }
  pending_.insert(pending_.end(), samples.begin(), samples.end());
}

void FrameSpectrum::Finish() {
  // Called once every complete frame is popped: fewer than frame_size samples are left.
  // Samples past the last frame's hop, or a clip shorter than one frame, make one more
  // frame padded with silence.
  const auto n = static_cast<std::size_t>(config_.frame_size);
  const std::size_t left = pending_.size() - read_;
  if (left > n - static_cast<std::size_t>(config_.hop_size) || (frames_popped_ == 0 && left > 0))
    pending_.resize(std::max(pending_.size(), read_ + n), 0.0f);
}

bool FrameSpectrum::Pop(std::span<float> magnitude) {
  const auto n = static_cast<std::size_t>(config_.frame_size);
  if (pending_.size() - read_ < n) return false;
  const float* frame = pending_.data() + read_;
  for (std::size_t i = 0; i < n; ++i) fft_in_[i] = frame[i] * window_[i];
  fftwf_execute(static_cast<fftwf_plan>(plan_));
  const auto* out = static_cast<const fftwf_complex*>(fft_out_);
  const std::size_t count = std::min(bins(), magnitude.size());
  for (std::size_t k = 0; k < count; ++k) magnitude[k] = std::sqrt(out[k][0] * out[k][0] + out[k][1] * out[k][1]);
  read_ += static_cast<std::size_t>(config_.hop_size);
  ++frames_popped_;
  return true;
}

}  // namespace emotune::audio
