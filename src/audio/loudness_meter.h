// EBU R128 loudness with libebur128: integrated loudness (ITU-R BS.1770-4 gating) and
// loudness range (EBU Tech 3342), on the file's own channels at its own rate — the
// same measure FFmpeg's ebur128 filter reports. Histogram mode keeps memory constant
// however long the file is (0.1 LU bins, well inside the 0.5 LU we promise).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "emotune/audio_decoder.h"
#include "emotune/status.h"

namespace emotune::audio {

struct LoudnessReading {
  double integrated_lufs = -70;  // -70: below the absolute gate (silence, or shorter than 0.4 s)
  double range_lu = 0;
};

class LoudnessMeter {
 public:
  // `roles`: one per channel, in interleaved order.
  static Result<LoudnessMeter> Create(int sample_rate, const std::vector<ChannelRole>& roles);
  LoudnessMeter(LoudnessMeter&& other) noexcept;
  LoudnessMeter& operator=(LoudnessMeter&& other) noexcept;
  ~LoudnessMeter();

  Status Add(std::span<const float> interleaved);
  LoudnessReading Read() const;

 private:
  explicit LoudnessMeter(void* state, std::size_t channels) : state_(state), channels_(channels) {}
  void* state_ = nullptr;  // ebur128_state*: libebur128's typedef cannot be forward-declared
  std::size_t channels_ = 0;
};

}  // namespace emotune::audio
