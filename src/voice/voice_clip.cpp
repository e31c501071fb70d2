#include "emotune/voice_clip.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "emotune/audio_decoder.h"
#include "emotune/voice_frames.h"

namespace emotune {
namespace {

Result<VoiceClip> Decode(Result<std::unique_ptr<AudioDecoder>> opened, const std::string& name,
                         const VoiceClipLimits& limits) {
  if (!opened.ok()) return opened.status();
  AudioDecoder& decoder = **opened;
  VoiceClip clip;
  clip.source_rate = decoder.info().sample_rate;
  clip.source_channels = decoder.info().channels;
  clip.codec = decoder.info().codec;
  const auto max_samples = static_cast<std::size_t>(std::max(0.0, limits.max_seconds) * kVoiceSampleRate);
  const auto max_frames = static_cast<std::int64_t>(std::max(0.0, limits.max_seconds) * clip.source_rate);
  std::int64_t clipped = 0, counted = 0;
  DecodedBlock block;
  while (true) {
    auto more = decoder.Next(block);
    if (!more.ok()) return more.status();
    if (!*more) break;
    for (float v : block.interleaved) clipped += std::abs(v) >= 0.999f;
    counted += static_cast<std::int64_t>(block.interleaved.size());
    const std::size_t room = max_samples - std::min(max_samples, clip.samples.size());
    clip.samples.insert(clip.samples.end(), block.mono.begin(),
                        block.mono.begin() + static_cast<std::ptrdiff_t>(std::min(room, block.mono.size())));
    if (decoder.frames_decoded() > max_frames) {
      clip.truncated = true;
      break;
    }
  }
  clip.clipped_fraction = counted > 0 ? static_cast<double>(clipped) / static_cast<double>(counted) : 0;
  clip.source_seconds = static_cast<double>(decoder.frames_decoded()) / clip.source_rate;
  if (clip.truncated && decoder.info().declared_duration_s)
    clip.source_seconds = std::max(clip.source_seconds, *decoder.info().declared_duration_s);
  double sum = 0;
  for (float v : clip.samples) sum += v;
  clip.dc_offset = clip.samples.empty() ? 0 : sum / static_cast<double>(clip.samples.size());
  if (clip.seconds() < limits.min_seconds)
    return Status::InvalidArgument(fmt::format("{}: the recording is {:.2f} s long; a voice needs at least {:.2f} s",
                                               name, clip.seconds(), limits.min_seconds));
  return clip;
}

}  // namespace

double VoiceClip::seconds() const { return static_cast<double>(samples.size()) / kVoiceSampleRate; }

Result<VoiceClip> DecodeVoiceClip(const std::string& path, const VoiceClipLimits& limits) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && static_cast<std::int64_t>(size) > limits.max_file_bytes)
    return Status::InvalidArgument(fmt::format("{}: {} MiB is over the {} MiB limit for a voice recording", path,
                                               size >> 20, limits.max_file_bytes >> 20));
  AudioDecodeOptions options;
  options.mono_sample_rate = kVoiceSampleRate;
  return Decode(AudioDecoder::Open(path, options), path, limits);
}

Result<VoiceClip> DecodeVoiceClip(std::span<const std::uint8_t> bytes, const std::string& name,
                                  const VoiceClipLimits& limits) {
  if (static_cast<std::int64_t>(bytes.size()) > limits.max_file_bytes)
    return Status::InvalidArgument(fmt::format("{}: {} MiB is over the {} MiB limit for a voice recording", name,
                                               bytes.size() >> 20, limits.max_file_bytes >> 20));
  AudioDecodeOptions options;
  options.mono_sample_rate = kVoiceSampleRate;
  return Decode(AudioDecoder::OpenMemory(bytes, name, options), name, limits);
}

}  // namespace emotune
