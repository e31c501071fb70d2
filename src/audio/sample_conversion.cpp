#include "audio/sample_conversion.h"

#include <algorithm>
#include <cstdint>
#include <type_traits>

namespace emotune::audio {
namespace {

template <typename T>
float ToFloat(T v) {
  if constexpr (std::is_same_v<T, std::uint8_t>) return (static_cast<float>(v) - 128.0f) * (1.0f / 128.0f);
  else if constexpr (std::is_same_v<T, std::int16_t>) return static_cast<float>(v) * (1.0f / 32768.0f);
  else if constexpr (std::is_same_v<T, std::int32_t>) return static_cast<float>(v) * (1.0f / 2147483648.0f);
  else if constexpr (std::is_same_v<T, std::int64_t>) return static_cast<float>(static_cast<double>(v) * (1.0 / 9223372036854775808.0));
  else return static_cast<float>(v);
}

template <typename T>
void Convert(const AVFrame& frame, bool planar, int channels, float* out) {
  const int have = std::min(channels, frame.ch_layout.nb_channels);
  const auto n = static_cast<std::size_t>(frame.nb_samples);
  const auto stride = static_cast<std::size_t>(channels);
  if (have < channels) std::fill_n(out, n * stride, 0.0f);
  if (planar) {
    for (int c = 0; c < have; ++c) {
      const T* in = reinterpret_cast<const T*>(frame.extended_data[c]);
      for (std::size_t i = 0; i < n; ++i) out[i * stride + static_cast<std::size_t>(c)] = ToFloat(in[i]);
    }
    return;
  }
  const T* in = reinterpret_cast<const T*>(frame.extended_data[0]);
  const auto in_stride = static_cast<std::size_t>(frame.ch_layout.nb_channels);
  for (std::size_t i = 0; i < n; ++i)
    for (int c = 0; c < have; ++c) out[i * stride + static_cast<std::size_t>(c)] = ToFloat(in[i * in_stride + static_cast<std::size_t>(c)]);
}

}  // namespace

bool ToInterleavedFloat(const AVFrame& frame, int channels, float* out) {
  const auto format = static_cast<AVSampleFormat>(frame.format);
  const bool planar = av_sample_fmt_is_planar(format) != 0;
  switch (av_get_packed_sample_fmt(format)) {
    case AV_SAMPLE_FMT_U8: Convert<std::uint8_t>(frame, planar, channels, out); return true;
    case AV_SAMPLE_FMT_S16: Convert<std::int16_t>(frame, planar, channels, out); return true;
    case AV_SAMPLE_FMT_S32: Convert<std::int32_t>(frame, planar, channels, out); return true;
    case AV_SAMPLE_FMT_S64: Convert<std::int64_t>(frame, planar, channels, out); return true;
    case AV_SAMPLE_FMT_FLT: Convert<float>(frame, planar, channels, out); return true;
    case AV_SAMPLE_FMT_DBL: Convert<double>(frame, planar, channels, out); return true;
    default: return false;
  }
}

void DownmixToMono(const float* interleaved, std::size_t frames, std::size_t channels, float* mono) {
  if (channels == 1) {
    std::copy_n(interleaved, frames, mono);
    return;
  }
  const float scale = 1.0f / static_cast<float>(channels);
  for (std::size_t i = 0; i < frames; ++i) {
    float sum = 0.0f;
    for (std::size_t c = 0; c < channels; ++c) sum += interleaved[i * channels + c];
    mono[i] = sum * scale;
  }
}

}  // namespace emotune::audio
