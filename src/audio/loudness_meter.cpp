#include "audio/loudness_meter.h"

#include <ebur128.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace emotune::audio {
namespace {
ebur128_state* Meter(void* p) { return static_cast<ebur128_state*>(p); }
void Destroy(void* p) {
  auto* state = Meter(p);
  ebur128_destroy(&state);
}
}  // namespace

Result<LoudnessMeter> LoudnessMeter::Create(int sample_rate, const std::vector<ChannelRole>& roles) {
  ebur128_state* state = ebur128_init(static_cast<unsigned>(roles.size()), static_cast<unsigned long>(sample_rate),
                                      EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_HISTOGRAM);
  if (state == nullptr)
    return Status::Unsupported("cannot measure loudness of " + std::to_string(roles.size()) + " channels at " +
                               std::to_string(sample_rate) + " Hz");
  for (std::size_t c = 0; c < roles.size(); ++c) {
    // BS.1770 weights: front and centre 1.0, surround 1.41 (+1.5 dB), LFE left out.
    int channel = EBUR128_LEFT;
    switch (roles[c]) {
      case ChannelRole::kFront: channel = EBUR128_LEFT; break;
      case ChannelRole::kCenter: channel = EBUR128_CENTER; break;
      case ChannelRole::kSurround: channel = EBUR128_LEFT_SURROUND; break;
      case ChannelRole::kLowFrequency: channel = EBUR128_UNUSED; break;
    }
    ebur128_set_channel(state, static_cast<unsigned>(c), channel);
  }
  return LoudnessMeter(state, roles.size());
}

LoudnessMeter::LoudnessMeter(LoudnessMeter&& other) noexcept
    : state_(std::exchange(other.state_, nullptr)), channels_(other.channels_) {}

LoudnessMeter& LoudnessMeter::operator=(LoudnessMeter&& other) noexcept {
  if (this != &other) {
    if (state_ != nullptr) Destroy(state_);
    state_ = std::exchange(other.state_, nullptr);
    channels_ = other.channels_;
  }
  return *this;
}

LoudnessMeter::~LoudnessMeter() {
  if (state_ != nullptr) Destroy(state_);
}

Status LoudnessMeter::Add(std::span<const float> interleaved) {
  if (interleaved.empty()) return Status::Ok();
  if (ebur128_add_frames_float(Meter(state_), interleaved.data(), interleaved.size() / channels_) != EBUR128_SUCCESS)
    return Status::Unsupported("loudness measurement failed");
  return Status::Ok();
}

LoudnessReading LoudnessMeter::Read() const {
  LoudnessReading r;
  double value = 0;
  if (ebur128_loudness_global(Meter(state_), &value) == EBUR128_SUCCESS && std::isfinite(value))
    r.integrated_lufs = std::max(-70.0, value);
  if (ebur128_loudness_range(Meter(state_), &value) == EBUR128_SUCCESS && std::isfinite(value)) r.range_lu = std::max(0.0, value);
  return r;
}

}  // namespace emotune::audio
