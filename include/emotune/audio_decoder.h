// AudioDecoder: any audio file FFmpeg's libraries read (MP3, Ogg Vorbis, Opus, FLAC,
// WAV, AIFF, M4A/AAC, …), at any rate and channel count, streamed in blocks so memory
// stays bounded whatever the file's length. Each block comes twice:
//   - `interleaved`: the file's own channels at its own rate, as float — what loudness
//     must be measured on (EBU R128 weights channels; a mono downmix would be 3 LU off);
//   - `mono`: the channels averaged and resampled to the analysis rate — what every
//     other feature is computed from.
// Opening also reads the tags and the embedded cover art.
//
// A decoder reads a file by path, or encoded bytes already in memory (an upload the
// server must never write to disk; FFmpeg reads them through a custom AVIOContext).
//
// One decoder per file and per thread; not thread-safe. libav's own logging is
// silenced; every failure is a Status whose message names the file.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "emotune/status.h"

namespace emotune {

// The rate every analysis feature is computed at: the band up to 11 kHz holds what
// tempo, key and timbre need, and half of 44.1 kHz halves the cost of every FFT.
inline constexpr int kAnalysisSampleRate = 22050;

// A file's tags, from the container's and the audio stream's metadata (ID3v1/v2,
// Vorbis comments, MP4 atoms, RIFF INFO …). Empty / nullopt when the file has none.
struct AudioTags {
  std::string title;          // the file name without extension if the file has no title tag
  bool title_from_file_name = false;
  std::string artist;
  std::string album;
  std::string album_artist;
  std::string genre;
  std::string language;       // as tagged (often an ISO 639-2 code: "eng")
  std::string date;           // as tagged: "1999", "1999-04-12" …
  std::optional<int> year;    // the first four-digit year in the date tag
  std::optional<int> track_number;  // "3/12" gives 3
  std::optional<int> track_total;   // "3/12" gives 12
};

// An embedded picture (ID3 APIC, FLAC/Vorbis METADATA_BLOCK_PICTURE, MP4 covr).
struct CoverArt {
  std::string mime_type;             // "image/jpeg", "image/png", … or "application/octet-stream"
  std::vector<std::uint8_t> bytes;   // the image file as embedded
};

struct AudioStreamInfo {
  std::string container;             // FFmpeg's demuxer name: "mp3", "ogg", "mov,mp4,m4a,…"
  std::string codec;                 // "mp3", "vorbis", "flac", "pcm_s16le" …
  int sample_rate = 0;               // the file's own rate, Hz
  int channels = 0;                  // the file's own channel count
  std::int64_t bit_rate = 0;         // bits per second as the container says; 0 if unknown
  std::optional<double> declared_duration_s;  // as the container says (may be wrong)
};

// Where a channel sits, for loudness weighting (EBU R128 / ITU-R BS.1770).
enum class ChannelRole { kFront, kCenter, kSurround, kLowFrequency };

// A view of one decoded block; the spans point into the decoder's buffers and stay
// valid until the next call to Next().
struct DecodedBlock {
  std::span<const float> interleaved;  // frames × channels at the file's rate, -1..1
  std::span<const float> mono;         // at the mono rate (resampler delay included)
};

struct AudioDecodeOptions {
  // The rate of DecodedBlock::mono, Hz; default kAnalysisSampleRate (22050). Speech
  // models want 16000. Range 1000..192000.
  int mono_sample_rate = kAnalysisSampleRate;
};

class AudioDecoder {
 public:
  // Opens `path` and finds its audio stream. NotFound if it does not exist,
  // InvalidArgument if it is empty, not audio or unreadable by FFmpeg; the message
  // starts with the path.
  static Result<std::unique_ptr<AudioDecoder>> Open(const std::string& path);
  static Result<std::unique_ptr<AudioDecoder>> Open(const std::string& path, const AudioDecodeOptions& options);
  // Decodes `bytes` (a whole encoded file) from memory; `bytes` must outlive the
  // decoder. `name` stands for the file in messages ("upload"). InvalidArgument for
  // empty bytes or anything FFmpeg cannot read as audio.
  static Result<std::unique_ptr<AudioDecoder>> OpenMemory(std::span<const std::uint8_t> bytes, const std::string& name,
                                                          const AudioDecodeOptions& options = {});
  virtual ~AudioDecoder() = default;

  virtual const AudioStreamInfo& info() const = 0;
  virtual const AudioTags& tags() const = 0;
  virtual const std::optional<CoverArt>& cover_art() const = 0;
  // The role of each of the file's channels, in interleaved order.
  virtual const std::vector<ChannelRole>& channel_roles() const = 0;

  // Decodes the next block into `block`. Returns true with a block (possibly empty of
  // mono samples while the resampler fills), false at the end of the file. Damaged
  // packets are skipped and counted; a file that yields no audio at all is an error.
  virtual Result<bool> Next(DecodedBlock& block) = 0;

  // Counts so far: frames at the file's rate, and packets skipped as undecodable.
  virtual std::int64_t frames_decoded() const = 0;
  virtual std::int64_t packets_skipped() const = 0;
};

// Tags only, without decoding: for a scan that wants to know what a file is cheaply.
// Same errors as AudioDecoder::Open.
Result<AudioTags> ReadAudioTags(const std::string& path);

}  // namespace emotune
