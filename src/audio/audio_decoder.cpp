// Streaming decode with libavcodec: packets in, one block of samples out per decoded
// frame, in two forms (see audio_decoder.h). Buffers only grow to the largest frame the
// codec produces, so a block costs no allocation once the first few are through.
#include "emotune/audio_decoder.h"

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <system_error>

#include "audio/libav_input.h"
#include "audio/sample_conversion.h"

namespace emotune::audio {

std::string LibavErrorText(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof text);
  return text;
}

Result<OpenedInput> OpenAudioInput(const std::string& path) {
  static std::once_flag quiet;
  std::call_once(quiet, [] { av_log_set_level(AV_LOG_QUIET); });
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) return Status::NotFound(path + ": no such file");
  if (std::filesystem::is_directory(status)) return Status::InvalidArgument(path + ": is a folder, not an audio file");
  if (std::filesystem::file_size(path, ec) == 0 && !ec) return Status::InvalidArgument(path + ": file is empty");

  AVFormatContext* raw = nullptr;
  if (int err = avformat_open_input(&raw, path.c_str(), nullptr, nullptr); err < 0)
    return Status::InvalidArgument(path + ": not an audio file FFmpeg can read (" + LibavErrorText(err) + ")");
  OpenedInput input;
  input.format.reset(raw);
  return FindAudioStream(std::move(input), path);
}

namespace {

int ReadMemory(void* opaque, std::uint8_t* buffer, int size) {
  auto& reader = *static_cast<MemoryReader*>(opaque);
  const auto total = static_cast<std::int64_t>(reader.bytes.size());
  const std::int64_t n = std::min<std::int64_t>(size, total - reader.position);
  if (n <= 0) return AVERROR_EOF;
  std::copy_n(reader.bytes.data() + reader.position, n, buffer);
  reader.position += n;
  return static_cast<int>(n);
}

std::int64_t SeekMemory(void* opaque, std::int64_t offset, int whence) {
  auto& reader = *static_cast<MemoryReader*>(opaque);
  const auto total = static_cast<std::int64_t>(reader.bytes.size());
  std::int64_t target = 0;
  switch (whence & ~AVSEEK_FORCE) {
    case AVSEEK_SIZE: return total;
    case SEEK_SET: target = offset; break;
    case SEEK_CUR: target = reader.position + offset; break;
    case SEEK_END: target = total + offset; break;
    default: return AVERROR(EINVAL);
  }
  if (target < 0 || target > total) return AVERROR(EINVAL);
  reader.position = target;
  return target;
}

}  // namespace

Result<OpenedInput> FindAudioStream(OpenedInput input, const std::string& name) {
  AVFormatContext* raw = input.format.get();
  if (int err = avformat_find_stream_info(raw, nullptr); err < 0)
    return Status::InvalidArgument(name + ": cannot read the stream headers (" + LibavErrorText(err) + ")");
  const int stream = av_find_best_stream(raw, AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  if (stream < 0) return Status::InvalidArgument(name + ": no audio stream in this file");
  input.audio_stream = stream;
  return input;
}

Result<OpenedInput> OpenAudioMemory(std::span<const std::uint8_t> bytes, const std::string& name) {
  static std::once_flag quiet;
  std::call_once(quiet, [] { av_log_set_level(AV_LOG_QUIET); });
  if (bytes.empty()) return Status::InvalidArgument(name + ": the audio is empty (0 bytes)");
  OpenedInput input;
  input.memory = std::make_unique<MemoryReader>(MemoryReader{bytes, 0});
  constexpr int kBufferSize = 32 * 1024;
  auto* buffer = static_cast<unsigned char*>(av_malloc(kBufferSize));
  if (buffer == nullptr) return Status::IoError(name + ": out of memory");
  input.io.reset(avio_alloc_context(buffer, kBufferSize, 0, input.memory.get(), ReadMemory, nullptr, SeekMemory));
  if (!input.io) {
    av_free(buffer);
    return Status::IoError(name + ": out of memory");
  }
  AVFormatContext* raw = avformat_alloc_context();
  if (raw == nullptr) return Status::IoError(name + ": out of memory");
  raw->pb = input.io.get();
  raw->flags |= AVFMT_FLAG_CUSTOM_IO;
  // On failure avformat_open_input frees the context (not our AVIOContext).
  if (int err = avformat_open_input(&raw, nullptr, nullptr, nullptr); err < 0)
    return Status::InvalidArgument(name + ": not audio FFmpeg can read (" + LibavErrorText(err) + ")");
  input.format.reset(raw);
  return FindAudioStream(std::move(input), name);
}

namespace {

std::vector<ChannelRole> RolesOf(const AVChannelLayout& given) {
  AVChannelLayout layout{};
  if (given.order == AV_CHANNEL_ORDER_UNSPEC) av_channel_layout_default(&layout, given.nb_channels);
  else av_channel_layout_copy(&layout, &given);
  std::vector<ChannelRole> roles;
  for (int i = 0; i < given.nb_channels; ++i) {
    switch (av_channel_layout_channel_from_index(&layout, static_cast<unsigned>(i))) {
      case AV_CHAN_FRONT_LEFT: case AV_CHAN_FRONT_RIGHT: case AV_CHAN_FRONT_LEFT_OF_CENTER:
      case AV_CHAN_FRONT_RIGHT_OF_CENTER: roles.push_back(ChannelRole::kFront); break;
      case AV_CHAN_FRONT_CENTER: roles.push_back(ChannelRole::kCenter); break;
      case AV_CHAN_LOW_FREQUENCY: case AV_CHAN_LOW_FREQUENCY_2: roles.push_back(ChannelRole::kLowFrequency); break;
      default: roles.push_back(ChannelRole::kSurround); break;
    }
  }
  av_channel_layout_uninit(&layout);
  return roles;
}

class LibavDecoder final : public AudioDecoder {
 public:
  LibavDecoder(std::string path, OpenedInput input, const AudioDecodeOptions& options)
      : path_(std::move(path)), input_(std::move(input)), mono_rate_(options.mono_sample_rate) {}

  Status Init() {
    AVFormatContext& fmt = *input_.format;
    AVStream& st = *fmt.streams[input_.audio_stream];
    for (unsigned i = 0; i < fmt.nb_streams; ++i)
      if (static_cast<int>(i) != input_.audio_stream) fmt.streams[i]->discard = AVDISCARD_ALL;
    const AVCodec* codec = avcodec_find_decoder(st.codecpar->codec_id);
    if (codec == nullptr)
      return Status::Unsupported(path_ + ": no decoder for codec '" + avcodec_get_name(st.codecpar->codec_id) + "'");
    codec_.reset(avcodec_alloc_context3(codec));
    if (!codec_ || avcodec_parameters_to_context(codec_.get(), st.codecpar) < 0)
      return Status::InvalidArgument(path_ + ": cannot set up the " + codec->name + " decoder");
    codec_->thread_count = 1;  // parallelism is one file per core, not threads per file
    if (int err = avcodec_open2(codec_.get(), codec, nullptr); err < 0)
      return Status::InvalidArgument(path_ + ": cannot open the " + codec->name + " decoder (" + LibavErrorText(err) + ")");
    info_.container = fmt.iformat != nullptr ? fmt.iformat->name : "";
    info_.codec = codec->name;
    info_.sample_rate = codec_->sample_rate;
    info_.channels = codec_->ch_layout.nb_channels;
    info_.bit_rate = fmt.bit_rate > 0 ? fmt.bit_rate : st.codecpar->bit_rate;
    if (fmt.duration > 0) info_.declared_duration_s = static_cast<double>(fmt.duration) / AV_TIME_BASE;
    if (info_.sample_rate <= 0 || info_.channels <= 0)
      return Status::InvalidArgument(path_ + ": the audio stream declares no sample rate or no channels");
    roles_ = RolesOf(codec_->ch_layout);
    tags_ = ReadTags(fmt, st, path_);
    cover_ = ReadCoverArt(fmt);
    packet_.reset(av_packet_alloc());
    frame_.reset(av_frame_alloc());
    if (mono_rate_ < 1000 || mono_rate_ > 192000)
      return Status::InvalidArgument(path_ + ": mono rate " + std::to_string(mono_rate_) + " Hz is outside 1000..192000");
    if (info_.sample_rate != mono_rate_) {
      SwrContext* swr = nullptr;
      AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
      if (swr_alloc_set_opts2(&swr, &mono, AV_SAMPLE_FMT_FLT, mono_rate_, &mono, AV_SAMPLE_FMT_FLT,
                              info_.sample_rate, 0, nullptr) < 0 || swr_init(swr) < 0) {
        swr_free(&swr);
        return Status::Unsupported(path_ + ": cannot resample from " + std::to_string(info_.sample_rate) + " Hz");
      }
      resampler_.reset(swr);
    }
    return Status::Ok();
  }

  const AudioStreamInfo& info() const override { return info_; }
  const AudioTags& tags() const override { return tags_; }
  const std::optional<CoverArt>& cover_art() const override { return cover_; }
  const std::vector<ChannelRole>& channel_roles() const override { return roles_; }
  std::int64_t frames_decoded() const override { return frames_; }
  std::int64_t packets_skipped() const override { return skipped_; }

  Result<bool> Next(DecodedBlock& block) override {
    block = {};
    while (true) {
      if (!decoder_drained_) {
        const int got = avcodec_receive_frame(codec_.get(), frame_.get());
        if (got == 0) {
          const bool usable = Convert(*frame_);
          av_frame_unref(frame_.get());
          if (!usable) continue;
          block.interleaved = {interleaved_.data(), interleaved_size_};
          block.mono = {mono_.data(), mono_size_};
          return true;
        }
        if (got == AVERROR_EOF) {
          decoder_drained_ = true;
          continue;
        }
        if (got != AVERROR(EAGAIN)) {
          ++skipped_;  // a damaged frame: keep going with the next packet
        }
        if (!input_done_) {
          ReadPacket();
          continue;
        }
        decoder_drained_ = true;  // flushed decoder that neither yields nor says EOF
        continue;
      }
      if (frames_ == 0)
        return Status::InvalidArgument(path_ + ": no audio could be decoded" +
                                       (skipped_ > 0 ? " (" + std::to_string(skipped_) + " damaged packets)" : ""));
      if (resampler_ && !resampler_flushed_) {
        resampler_flushed_ = true;
        const int room = swr_get_out_samples(resampler_.get(), 0);
        if (room > 0) {
          if (mono_.size() < static_cast<std::size_t>(room)) mono_.resize(static_cast<std::size_t>(room));
          auto* out = reinterpret_cast<std::uint8_t*>(mono_.data());
          const int n = swr_convert(resampler_.get(), &out, room, nullptr, 0);
          if (n > 0) {
            block.mono = {mono_.data(), static_cast<std::size_t>(n)};
            return true;
          }
        }
      }
      return false;
    }
  }

 private:
  void ReadPacket() {
    while (true) {
      const int err = av_read_frame(input_.format.get(), packet_.get());
      if (err < 0) {  // end of file, or a read error that ends it: flush what is decoded
        input_done_ = true;
        avcodec_send_packet(codec_.get(), nullptr);
        return;
      }
      const bool ours = packet_->stream_index == input_.audio_stream;
      if (ours && avcodec_send_packet(codec_.get(), packet_.get()) < 0) ++skipped_;
      av_packet_unref(packet_.get());
      if (ours) return;
    }
  }

  // The frame as interleaved float and as resampled mono; false if it cannot join the
  // stream (a mid-stream rate change, which only broken or chained files have).
  bool Convert(const AVFrame& frame) {
    if (frame.sample_rate != info_.sample_rate || frame.nb_samples <= 0) {
      ++skipped_;
      return false;
    }
    const auto frames = static_cast<std::size_t>(frame.nb_samples);
    const auto channels = static_cast<std::size_t>(info_.channels);
    if (interleaved_.size() < frames * channels) interleaved_.resize(frames * channels);
    if (mono_native_.size() < frames) mono_native_.resize(frames);
    if (!ToInterleavedFloat(frame, info_.channels, interleaved_.data())) {
      ++skipped_;
      return false;
    }
    interleaved_size_ = frames * channels;
    DownmixToMono(interleaved_.data(), frames, channels, mono_native_.data());
    frames_ += frame.nb_samples;
    if (!resampler_) {
      if (mono_.size() < frames) mono_.resize(frames);
      std::copy_n(mono_native_.data(), frames, mono_.data());
      mono_size_ = frames;
      return true;
    }
    const int room = swr_get_out_samples(resampler_.get(), frame.nb_samples);
    if (mono_.size() < static_cast<std::size_t>(room)) mono_.resize(static_cast<std::size_t>(room));
    auto* out = reinterpret_cast<std::uint8_t*>(mono_.data());
    const auto* in = reinterpret_cast<const std::uint8_t*>(mono_native_.data());
    const int n = swr_convert(resampler_.get(), &out, room, &in, frame.nb_samples);
    mono_size_ = n > 0 ? static_cast<std::size_t>(n) : 0;
    return true;
  }

  std::string path_;
  OpenedInput input_;
  int mono_rate_ = kAnalysisSampleRate;
  std::unique_ptr<AVCodecContext, CodecContextFreer> codec_;
  std::unique_ptr<AVPacket, PacketFreer> packet_;
  std::unique_ptr<AVFrame, FrameFreer> frame_;
  std::unique_ptr<SwrContext, ResamplerFreer> resampler_;
  AudioStreamInfo info_;
  AudioTags tags_;
  std::optional<CoverArt> cover_;
  std::vector<ChannelRole> roles_;
  std::vector<float> interleaved_, mono_native_, mono_;
  std::size_t interleaved_size_ = 0, mono_size_ = 0;
  std::int64_t frames_ = 0, skipped_ = 0;
  bool input_done_ = false, decoder_drained_ = false, resampler_flushed_ = false;
};

}  // namespace
}  // namespace emotune::audio

namespace emotune {

namespace {

Result<std::unique_ptr<AudioDecoder>> StartDecoder(Result<audio::OpenedInput> input, const std::string& name,
                                                   const AudioDecodeOptions& options) {
  if (!input.ok()) return input.status();
  auto decoder = std::make_unique<audio::LibavDecoder>(name, std::move(*input), options);
  if (Status s = decoder->Init(); !s.ok()) return s;
  return std::unique_ptr<AudioDecoder>(std::move(decoder));
}

}  // namespace

Result<std::unique_ptr<AudioDecoder>> AudioDecoder::Open(const std::string& path) {
  return Open(path, AudioDecodeOptions{});
}

Result<std::unique_ptr<AudioDecoder>> AudioDecoder::Open(const std::string& path, const AudioDecodeOptions& options) {
  return StartDecoder(audio::OpenAudioInput(path), path, options);
}

Result<std::unique_ptr<AudioDecoder>> AudioDecoder::OpenMemory(std::span<const std::uint8_t> bytes,
                                                               const std::string& name,
                                                               const AudioDecodeOptions& options) {
  return StartDecoder(audio::OpenAudioMemory(bytes, name), name, options);
}

Result<AudioTags> ReadAudioTags(const std::string& path) {
  auto input = audio::OpenAudioInput(path);
  if (!input.ok()) return input.status();
  const AVFormatContext& fmt = *input->format;
  return audio::ReadTags(fmt, *fmt.streams[input->audio_stream], path);
}

}  // namespace emotune
