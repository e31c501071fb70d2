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
using FormatContextPtr = std::unique_ptr<AVFormatContext, FormatContextCloser>;

// libav's text for an AVERROR code ("Invalid data found when processing input").
std::string LibavErrorText(int code);

struct OpenedInput {
  FormatContextPtr format;
  int audio_stream = -1;
};

// Opens `path`, reads its headers and picks the best audio stream. libav logs nothing
// (its log level is set to quiet once per process).
Result<OpenedInput> OpenAudioInput(const std::string& path);

AudioTags ReadTags(const AVFormatContext& format, const AVStream& audio, const std::string& path);
std::optional<CoverArt> ReadCoverArt(const AVFormatContext& format);

}  // namespace emotune::audio
