// voice_bench: how long the voice model takes to read a clip on one thread, decoding
// included — the whole of `emotune mood --voice` after the model is loaded.
//
//   voice_bench [--file CLIP] [--model models/voice-emotion.bin] [--runs 50]
//
// Without --file it writes a synthetic 5-second 44.1 kHz stereo WAV (a voiced,
// syllable-modulated signal with pauses, so resampling and voice activity are
// exercised) to a temporary file. Prints load time and median / p90 / best per clip,
// and the split between decoding and analysis.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <numbers>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <opencv2/core.hpp>

#include "emotune/voice_clip.h"
#include "emotune/voice_mood.h"

namespace {

double Ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
}

// 16-bit PCM WAV of a voiced signal: a glottal-like pulse train (f0 gliding between
// 110 and 220 Hz) through three formant resonators, in 4 Hz syllables with pauses.
std::string WriteSyntheticVoice(const std::string& path, double seconds) {
  const int rate = 44100, channels = 2;
  const auto n = static_cast<std::size_t>(seconds * rate);
  std::vector<float> mono(n);
  double phase = 0;
  double y1[3] = {}, y2[3] = {};
  const double formants[3] = {700, 1200, 2600};
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / rate;
    const double f0 = 150 + 40 * std::sin(2 * std::numbers::pi * 0.7 * t);
    phase += f0 / rate;
    const double pulse = phase - std::floor(phase) < 0.05 ? 1.0 : 0.0;
    double v = 0;
    for (int k = 0; k < 3; ++k) {
      const double r = 0.97, w = 2 * std::numbers::pi * formants[k] / rate;
      const double y = pulse + 2 * r * std::cos(w) * y1[k] - r * r * y2[k];
      y2[k] = y1[k];
      y1[k] = y;
      v += y / (k + 1);
    }
    const double syllable = std::pow(std::max(0.0, std::sin(2 * std::numbers::pi * 4 * t)), 2);
    const bool pause = std::fmod(t, 1.6) > 1.3;
    mono[i] = static_cast<float>(pause ? 0.0 : 0.02 * v * syllable);
  }
  float peak = 1e-6f;
  for (float v : mono) peak = std::max(peak, std::abs(v));
  std::string out;
  auto u32 = [&](std::uint32_t v) { for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff)); };
  auto u16 = [&](std::uint16_t v) { out.push_back(static_cast<char>(v & 0xff)); out.push_back(static_cast<char>(v >> 8)); };
  const auto data_bytes = static_cast<std::uint32_t>(n * channels * 2);
  out += "RIFF";
  u32(36 + data_bytes);
  out += "WAVEfmt ";
  u32(16); u16(1); u16(channels); u32(rate); u32(rate * channels * 2); u16(channels * 2); u16(16);
  out += "data";
  u32(data_bytes);
  for (float v : mono)
    for (int c = 0; c < channels; ++c) u16(static_cast<std::uint16_t>(static_cast<std::int16_t>(std::lround(0.5f * v / peak * 32767))));
  std::ofstream(path, std::ios::binary).write(out.data(), static_cast<std::streamsize>(out.size()));
  return path;
}

}  // namespace

int main(int argc, char** argv) {
  std::string file, model = std::string(EMOTUNE_SOURCE_DIR) + "/models/voice-emotion.bin";
  int runs = 50;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--file" && i + 1 < argc) file = argv[++i];
    else if (arg == "--model" && i + 1 < argc) model = argv[++i];
    else if (arg == "--runs" && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else {
      fmt::print(stderr, "usage: voice_bench [--file CLIP] [--model FILE] [--runs N]\n");
      return 2;
    }
  }
  std::string temporary;
  if (file.empty()) {
    temporary = fmt::format("/tmp/emotune-voice-bench-{}.wav", ::getpid());
    file = WriteSyntheticVoice(temporary, 5.0);
  }
  cv::setNumThreads(1);  // the CNN companion's dnn, on this one thread too
  const auto load_start = std::chrono::steady_clock::now();
  auto reader = emotune::VoiceMoodReader::Load(model);
  if (!reader.ok()) {
    fmt::print(stderr, "voice_bench: {}\n", reader.status().message());
    return 1;
  }
  const double load_ms = Ms(load_start);
  std::vector<double> total, decode;
  std::string answer;
  double clip_seconds = 0;
  for (int r = 0; r < runs + 2; ++r) {  // two warm-up runs
    const auto start = std::chrono::steady_clock::now();
    auto clip = emotune::DecodeVoiceClip(file);
    const double decoded = Ms(start);
    if (!clip.ok()) {
      fmt::print(stderr, "voice_bench: {}\n", clip.status().message());
      return 1;
    }
    auto result = (*reader)->ReadClip(*clip, file);
    const double all = Ms(start);
    if (!result.ok()) {
      fmt::print(stderr, "voice_bench: {}\n", result.status().message());
      return 1;
    }
    clip_seconds = clip->seconds();
    answer = fmt::format("{} ({:.2f}), {} utterance(s)", emotune::EmotionName(result->mood.dominant()),
                         result->mood.confidence, result->utterances.size());
    if (r >= 2) {
      total.push_back(all);
      decode.push_back(decoded);
    }
  }
  if (!temporary.empty()) std::remove(temporary.c_str());
  std::sort(total.begin(), total.end());
  std::sort(decode.begin(), decode.end());
  const auto at = [](const std::vector<double>& v, double q) { return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))]; };
  fmt::print("voice_bench: {} ({:.2f} s of audio{}), model {}{}\n", file, clip_seconds, temporary.empty() ? "" : ", synthetic", model,
             (*reader)->cnn() ? " + " + (*reader)->cnn()->path() : std::string(" (no CNN companion)"));
  fmt::print("  model load        {:8.2f} ms\n", load_ms);
  fmt::print("  per clip, 1 thread: median {:.2f} ms, p90 {:.2f} ms, best {:.2f} ms over {} runs\n", at(total, 0.5),
             at(total, 0.9), total.front(), runs);
  fmt::print("  of which decoding:  median {:.2f} ms\n", at(decode, 0.5));
  fmt::print("  answer: {}\n", answer);
  return 0;
}
