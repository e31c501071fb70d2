// VoiceClip: a recording decoded for voice analysis — any format FFmpeg reads (WAV,
// FLAC, MP3, Ogg/Opus, WebM/Opus from a browser's MediaRecorder, M4A …), any rate
// and channel count, from a file or from bytes in memory, mixed to mono and
// resampled to kVoiceSampleRate. Decoding stops at a time bound, so a ten-minute or
// ten-hour file costs no more than its first `max_seconds`. Also measured on the way:
// clipping, DC offset, and whether the audio is narrowband (telephone-like).
//
// Pure functions: thread-safe (each call has its own decoder).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "emotune/status.h"

namespace emotune {

struct VoiceClipLimits {
  // Seconds decoded at most; the rest is not read. Default 120 s.
  double max_seconds = 120;
  // Files larger than this are refused before decoding; default 1 GiB.
  std::int64_t max_file_bytes = 1LL << 30;
  // Shorter recordings are refused (nothing to read a mood from); default 0.25 s.
  double min_seconds = 0.25;
};

struct VoiceClip {
  std::vector<float> samples;    // mono at kVoiceSampleRate, -1..1
  int source_rate = 0;           // the file's own rate, Hz
  int source_channels = 0;
  std::string codec;             // FFmpeg's decoder name ("opus", "flac", "pcm_s16le" …)
  double source_seconds = 0;     // what was decoded (or, when truncated, the length the file declares, if any)
  bool truncated = false;        // decoding stopped at max_seconds
  double clipped_fraction = 0;   // samples at or beyond ±0.999 of full scale, in the file's own channels
  double dc_offset = 0;          // mean of the mono signal (removed before analysis)

  double seconds() const;        // of `samples`
};

// NotFound for a missing file; InvalidArgument (naming the file) for an empty or
// over-large file, one FFmpeg cannot read as audio, or a recording shorter than
// min_seconds.
Result<VoiceClip> DecodeVoiceClip(const std::string& path, const VoiceClipLimits& limits = {});
// The same for a whole file's bytes in memory; `name` stands for it in messages.
Result<VoiceClip> DecodeVoiceClip(std::span<const std::uint8_t> bytes, const std::string& name,
                                  const VoiceClipLimits& limits = {});

}  // namespace emotune
