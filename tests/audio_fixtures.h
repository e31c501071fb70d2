// Audio fixtures the audio tests write themselves: synthetic signals (click tracks,
// chords, noise, silence), a WAV writer with RIFF INFO tags, and an encoder through
// FFmpeg's libraries for the other formats (nullopt when this FFmpeg build lacks the
// encoder, so a test can skip). Header-only.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
}

#include <cmath>
#include <cstdint>
#include <map>
#include <numbers>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "test_files.h"

namespace emotune::testing {

struct Signal {
  std::vector<float> samples;  // interleaved
  int channels = 1;
  int rate = 44100;
};

// 10 ms bursts of a 1 kHz tone, one per beat.
inline Signal ClickTrack(double bpm, double seconds, int rate = 44100) {
  Signal s{std::vector<float>(static_cast<std::size_t>(seconds * rate)), 1, rate};
  const double period = 60.0 / bpm;
  for (double t0 = 0.1; t0 < seconds; t0 += period) {
    const auto start = static_cast<std::size_t>(t0 * rate);
    for (std::size_t i = 0; i < static_cast<std::size_t>(0.01 * rate) && start + i < s.samples.size(); ++i)
      s.samples[start + i] = 0.8f * static_cast<float>(std::sin(2 * std::numbers::pi * 1000.0 * static_cast<double>(i) / rate));
  }
  return s;
}

// The same clicks at `positions` (in beats) of a cycle `cycle_beats` long, repeated:
// a rhythm whose beat is `bpm` but whose clicks need not fall on every beat.
inline Signal ClickPattern(double bpm, double cycle_beats, const std::vector<double>& positions, double seconds,
                           int rate = 44100) {
  Signal s{std::vector<float>(static_cast<std::size_t>(seconds * rate)), 1, rate};
  const double beat = 60.0 / bpm;
  for (double cycle = 0.1; cycle < seconds; cycle += cycle_beats * beat)
    for (double position : positions) {
      const auto start = static_cast<std::size_t>((cycle + position * beat) * rate);
      for (std::size_t i = 0; i < static_cast<std::size_t>(0.01 * rate) && start + i < s.samples.size(); ++i)
        s.samples[start + i] = 0.8f * static_cast<float>(std::sin(2 * std::numbers::pi * 1000.0 * static_cast<double>(i) / rate));
    }
  return s;
}

// Chords as sums of sines with a few harmonics (like a real instrument), one chord per
// `chord_seconds`, MIDI note numbers. Harmonic h has amplitude 1/h^rolloff (2: a soft,
// flute-like tone; 1: sawtooth-like; 0: organ-like), up to `harmonics` below Nyquist.
inline Signal Chords(const std::vector<std::vector<int>>& chords, double chord_seconds, int rate = 44100,
                     int harmonics = 3, double rolloff = 2) {
  Signal s{std::vector<float>(static_cast<std::size_t>(chord_seconds * rate * static_cast<double>(chords.size()))), 1, rate};
  const auto per = static_cast<std::size_t>(chord_seconds * rate);
  // Brighter tones are scaled down to the default tone's peak so chords do not clip.
  double sum = 0;
  for (int h = 1; h <= harmonics; ++h) sum += 1 / std::pow(h, rolloff);
  const double scale = 0.12 * (1 + 1 / 4.0 + 1 / 9.0) / sum;
  for (std::size_t c = 0; c < chords.size(); ++c)
    for (int note : chords[c]) {
      const double hz = 440.0 * std::pow(2.0, (note - 69) / 12.0);
      for (std::size_t i = 0; i < per; ++i) {
        const double t = static_cast<double>(i) / rate;
        double v = 0;
        for (int h = 1; h <= harmonics && hz * h < rate / 2.0; ++h)
          v += std::sin(2 * std::numbers::pi * hz * h * t) / std::pow(h, rolloff);
        s.samples[c * per + i] += static_cast<float>(scale * v);
      }
    }
  return s;
}

inline Signal WhiteNoise(double seconds, int rate = 44100, unsigned seed = 7) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> u(-0.5f, 0.5f);
  Signal s{std::vector<float>(static_cast<std::size_t>(seconds * rate)), 1, rate};
  for (float& v : s.samples) v = u(gen);
  return s;
}

inline Signal Silence(double seconds, int rate = 44100, int channels = 1) {
  return {std::vector<float>(static_cast<std::size_t>(seconds * rate) * static_cast<std::size_t>(channels)), channels, rate};
}

// The same mono signal in `channels` channels (resampling is the decoder's job; this
// only spreads the channels).
inline Signal Spread(const Signal& mono, int channels) {
  Signal s{std::vector<float>(mono.samples.size() * static_cast<std::size_t>(channels)), channels, mono.rate};
  for (std::size_t i = 0; i < mono.samples.size(); ++i)
    for (int c = 0; c < channels; ++c) s.samples[i * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)] = mono.samples[i];
  return s;
}

// 16-bit PCM WAV, with a LIST/INFO chunk for `info` tags (INAM title, IART artist,
// IPRD album, IGNR genre, ICRD date, ITRK track).
inline std::string WriteWav(const std::string& path, const Signal& s, const std::map<std::string, std::string>& info = {}) {
  std::string out;
  auto u32 = [&](std::uint32_t v) { for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff)); };
  auto u16 = [&](std::uint16_t v) { out.push_back(static_cast<char>(v & 0xff)); out.push_back(static_cast<char>(v >> 8)); };
  std::string list;
  for (const auto& [id, value] : info) {
    std::string v = value + '\0';
    if (v.size() % 2) v.push_back('\0');
    list += id;
    for (int i = 0; i < 4; ++i) list.push_back(static_cast<char>(((value.size() + 1) >> (8 * i)) & 0xff));
    list += v;
  }
  const auto data_bytes = static_cast<std::uint32_t>(s.samples.size() * 2);
  out += "RIFF";
  u32(static_cast<std::uint32_t>(4 + 8 + 16 + 8 + data_bytes + (list.empty() ? 0 : 12 + list.size())));
  out += "WAVEfmt ";
  u32(16); u16(1); u16(static_cast<std::uint16_t>(s.channels)); u32(static_cast<std::uint32_t>(s.rate));
  u32(static_cast<std::uint32_t>(s.rate * s.channels * 2)); u16(static_cast<std::uint16_t>(s.channels * 2)); u16(16);
  if (!list.empty()) {
    out += "LIST";
    u32(static_cast<std::uint32_t>(4 + list.size()));
    out += "INFO" + list;
  }
  out += "data";
  u32(data_bytes);
  for (float v : s.samples) u16(static_cast<std::uint16_t>(static_cast<std::int16_t>(std::lround(std::clamp(v, -1.0f, 1.0f) * 32767.0f))));
  return WriteFile(path, out);
}

// Encodes `s` into `path` with FFmpeg's `codec` encoder and the muxer the extension
// picks, with `tags` in the container's metadata and, if given, `cover_jpeg` as an
// attached picture. nullopt if the encoder or muxer is missing or refuses.
inline std::optional<std::string> EncodeWithLibav(const std::string& path, const Signal& s, const char* codec_name,
                                                  const std::map<std::string, std::string>& tags = {},
                                                  const std::string& cover_jpeg = "") {
  av_log_set_level(AV_LOG_QUIET);
  const AVCodec* codec = avcodec_find_encoder_by_name(codec_name);
  if (codec == nullptr) return std::nullopt;
  AVFormatContext* fmt = nullptr;
  if (avformat_alloc_output_context2(&fmt, nullptr, nullptr, path.c_str()) < 0) return std::nullopt;
  AVCodecContext* enc = avcodec_alloc_context3(codec);
  bool ok = false;
  AVFrame* frame = av_frame_alloc();
  AVPacket* pkt = av_packet_alloc();
  do {
    enc->sample_rate = s.rate;
    av_channel_layout_default(&enc->ch_layout, s.channels);
    enc->sample_fmt = codec->sample_fmts ? codec->sample_fmts[0] : AV_SAMPLE_FMT_FLTP;
    for (const AVSampleFormat* f = codec->sample_fmts; f && *f != AV_SAMPLE_FMT_NONE; ++f)
      if (*f == AV_SAMPLE_FMT_FLTP || *f == AV_SAMPLE_FMT_S16) { enc->sample_fmt = *f; break; }
    enc->bit_rate = 128000;
    enc->time_base = {1, s.rate};
    if (fmt->oformat->flags & AVFMT_GLOBALHEADER) enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if (avcodec_open2(enc, codec, nullptr) < 0) break;
    AVStream* st = avformat_new_stream(fmt, nullptr);
    avcodec_parameters_from_context(st->codecpar, enc);
    st->time_base = enc->time_base;
    AVStream* pic = nullptr;
    if (!cover_jpeg.empty()) {
      pic = avformat_new_stream(fmt, nullptr);
      pic->disposition = AV_DISPOSITION_ATTACHED_PIC;
      pic->codecpar->codec_type = AVMEDIA_TYPE_VIDEO;
      pic->codecpar->codec_id = AV_CODEC_ID_MJPEG;
      pic->codecpar->width = pic->codecpar->height = 1;
      pic->time_base = {1, 90000};
    }
    for (const auto& [k, v] : tags) av_dict_set(&fmt->metadata, k.c_str(), v.c_str(), 0);
    if (avio_open(&fmt->pb, path.c_str(), AVIO_FLAG_WRITE) < 0) break;
    if (avformat_write_header(fmt, nullptr) < 0) break;
    if (pic != nullptr) {
      AVPacket* p = av_packet_alloc();
      av_new_packet(p, static_cast<int>(cover_jpeg.size()));
      std::copy(cover_jpeg.begin(), cover_jpeg.end(), p->data);
      p->stream_index = pic->index;
      p->flags |= AV_PKT_FLAG_KEY;
      av_interleaved_write_frame(fmt, p);
      av_packet_free(&p);
    }
    const int chunk = enc->frame_size > 0 ? enc->frame_size : 1024;
    const auto total = static_cast<std::int64_t>(s.samples.size()) / s.channels;
    auto drain = [&]() {
      while (avcodec_receive_packet(enc, pkt) == 0) {
        av_packet_rescale_ts(pkt, enc->time_base, st->time_base);
        pkt->stream_index = st->index;
        av_interleaved_write_frame(fmt, pkt);
      }
    };
    for (std::int64_t pos = 0; pos < total; pos += chunk) {
      frame->nb_samples = static_cast<int>(std::min<std::int64_t>(chunk, total - pos));
      frame->format = enc->sample_fmt;
      av_channel_layout_copy(&frame->ch_layout, &enc->ch_layout);
      frame->sample_rate = s.rate;
      if (av_frame_get_buffer(frame, 0) < 0) break;
      for (int i = 0; i < frame->nb_samples; ++i)
        for (int c = 0; c < s.channels; ++c) {
          const float v = s.samples[static_cast<std::size_t>((pos + i) * s.channels + c)];
          if (enc->sample_fmt == AV_SAMPLE_FMT_FLTP) reinterpret_cast<float*>(frame->extended_data[c])[i] = v;
          else reinterpret_cast<std::int16_t*>(frame->extended_data[0])[i * s.channels + c] = static_cast<std::int16_t>(v * 32767);
        }
      frame->pts = pos;
      avcodec_send_frame(enc, frame);
      av_frame_unref(frame);
      drain();
    }
    avcodec_send_frame(enc, nullptr);
    drain();
    ok = av_write_trailer(fmt) == 0;
  } while (false);
  av_packet_free(&pkt);
  av_frame_free(&frame);
  avcodec_free_context(&enc);
  if (fmt->pb != nullptr) avio_closep(&fmt->pb);
  avformat_free_context(fmt);
  if (!ok) return std::nullopt;
  return path;
}

}  // namespace emotune::testing
