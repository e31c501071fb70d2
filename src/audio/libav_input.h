// What the decoder and the tag reader share: opening a file with libavformat, finding
// its audio stream, and turning libav's error codes into messages that name the file.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswresample/swresample.h>
}

#include <memory>
#include <optional>
#include <span>
#include <string>

#include "emotune/audio_decoder.h"
#include "emotune/status.h"

namespace emotune::audio {

struct FormatContextCloser {
  void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
struct CodecContextFreer {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct PacketFreer {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct FrameFreer {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct ResamplerFreer {
  void operator()(SwrContext* s) const { swr_free(&s); }
};
struct IoContextFreer {
  void operator()(AVIOContext* io) const {
    if (io != nullptr) av_freep(&io->buffer);
    avio_context_free(&io);
  }
};
using FormatContextPtr = std::unique_ptr<AVFormatContext, FormatContextCloser>;

// libav's text for an AVERROR code ("Invalid data found when processing input").
std::string LibavErrorText(int code);

// Bytes in memory read through a custom AVIOContext.
struct MemoryReader {
  std::span<const std::uint8_t> bytes;
  std::int64_t position = 0;
};

struct OpenedInput {
  // For input from memory: the reader and its AVIOContext, which must outlive
  // `format` (members are destroyed in reverse order). Null for files.
  std::unique_ptr<MemoryReader> memory;
  std::unique_ptr<AVIOContext, IoContextFreer> io;
  FormatContextPtr format;
  int audio_stream = -1;
};

// Opens `path`, reads its headers and picks the best audio stream. libav logs nothing
// (its log level is set to quiet once per process).
Result<OpenedInput> OpenAudioInput(const std::string& path);
// Reads the headers of an opened input and picks its best audio stream.
Result<OpenedInput> FindAudioStream(OpenedInput input, const std::string& name);
// The same for a whole file's bytes in memory; `name` stands for it in messages.
Result<OpenedInput> OpenAudioMemory(std::span<const std::uint8_t> bytes, const std::string& name);

AudioTags ReadTags(const AVFormatContext& format, const AVStream& audio, const std::string& path);
std::optional<CoverArt> ReadCoverArt(const AVFormatContext& format);

}  // namespace emotune::audio
