#include "emotune/voice_corpus.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "emotune/hash64.h"
#include "emotune/voice_clip.h"
#include "emotune/voice_frames.h"
#include "emotune/voice_mood.h"
#include "voice/resample_speed.h"

namespace emotune {
namespace {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Normal() {
    const double u = std::max(Uniform(), 1e-300), v = Uniform();
    return std::sqrt(-2 * std::log(u)) * std::cos(2 * M_PI * v);
  }

 private:
  std::uint64_t state_;
};

// Through a telephone channel: the band above 3.4 kHz removed (a 101-tap windowed-sinc
// low-pass, about 60 dB down from 3.9 kHz), as an 8 kHz call has it.
std::vector<float> TelephoneBand(const std::vector<float>& x) {
  constexpr int kTaps = 101;
  constexpr double kCutoff = 3400.0 / kVoiceSampleRate;
  std::array<double, kTaps> h{};
  double sum = 0;
  for (int i = 0; i < kTaps; ++i) {
    const double m = i - (kTaps - 1) / 2.0;
    const double sinc = m == 0 ? 2 * kCutoff : std::sin(2 * M_PI * kCutoff * m) / (M_PI * m);
    const double blackman = 0.42 - 0.5 * std::cos(2 * M_PI * i / (kTaps - 1)) + 0.08 * std::cos(4 * M_PI * i / (kTaps - 1));
    sum += h[static_cast<std::size_t>(i)] = sinc * blackman;
  }
  std::vector<float> out(x.size());
  for (std::size_t n = 0; n < x.size(); ++n) {
    double acc = 0;
    for (int i = 0; i < kTaps; ++i) {
      const std::ptrdiff_t at = static_cast<std::ptrdiff_t>(n) + i - (kTaps - 1) / 2;
      if (at >= 0 && at < static_cast<std::ptrdiff_t>(x.size())) acc += h[static_cast<std::size_t>(i)] * x[static_cast<std::size_t>(at)];
    }
    out[n] = static_cast<float>(acc / sum);
  }
  return out;
}

void AddNoise(std::vector<float>& x, double snr_db, Rng& rng) {
  // The speech level: the RMS of the loudest 30 % of 25 ms blocks.
  std::vector<double> blocks;
  for (std::size_t i = 0; i + 400 <= x.size(); i += 400) {
    double e = 0;
    for (std::size_t j = i; j < i + 400; ++j) e += static_cast<double>(x[j]) * x[j];
    blocks.push_back(e / 400);
  }
  if (blocks.empty()) return;
  std::sort(blocks.rbegin(), blocks.rend());
  const std::size_t top = std::max<std::size_t>(1, blocks.size() * 3 / 10);
  double level = 0;
  for (std::size_t i = 0; i < top; ++i) level += blocks[i];
  level /= static_cast<double>(top);
  const double sd = std::sqrt(level / std::pow(10.0, snr_db / 10));
  double pink = 0;  // a little low-passed, as room noise is
  for (float& v : x) {
    pink = 0.7 * pink + 0.3 * rng.Normal();
    v += static_cast<float>(sd * pink / 0.42);  // 0.42: the SD of that filter's output
  }
}

}  // namespace

std::optional<RavdessName> ParseRavdessName(std::string_view file_name) {
  const std::size_t slash = file_name.find_last_of('/');
  if (slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
  const std::size_t dot = file_name.find('.');
  const std::string_view stem = file_name.substr(0, dot);
  if (stem.size() != 20) return std::nullopt;
  int fields[7] = {};
  for (int i = 0; i < 7; ++i) {
    const std::size_t at = static_cast<std::size_t>(i) * 3;
    if (i > 0 && stem[at - 1] != '-') return std::nullopt;
    if (stem[at] < '0' || stem[at] > '9' || stem[at + 1] < '0' || stem[at + 1] > '9') return std::nullopt;
    fields[i] = (stem[at] - '0') * 10 + (stem[at + 1] - '0');
  }
  RavdessName n{fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6]};
  if (n.emotion < 1 || n.emotion > 8 || n.actor < 1) return std::nullopt;
  return n;
}

Result<std::vector<RavdessClip>> FindRavdessClips(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return Status::NotFound(fmt::format("{}: no such folder", dir));
  std::vector<RavdessClip> clips;
  if (fs::is_regular_file(dir, ec)) {
    if (auto name = ParseRavdessName(dir)) clips.push_back({dir, *name});
  } else {
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      if (auto name = ParseRavdessName(it->path().filename().string())) clips.push_back({it->path().string(), *name});
    }
    if (ec) return Status::IoError(fmt::format("{}: {}", dir, ec.message()));
  }
  if (clips.empty())
    return Status::InvalidArgument(fmt::format("{}: no RAVDESS-named audio files (MM-CC-EE-II-SS-RR-AA.ext, EE = 01..08)", dir));
  std::sort(clips.begin(), clips.end(), [](const RavdessClip& a, const RavdessClip& b) { return a.path < b.path; });
  return clips;
}

VoiceCorpus ExtractVoiceCorpus(const std::vector<RavdessClip>& clips, const VoiceCorpusOptions& options) {
  struct PerClip {
    std::vector<VoiceExample> examples;
    std::vector<bool> augmented;
    std::vector<double> seconds;
    std::vector<VoiceCnnInput> cnn_inputs;
    std::vector<int> copy_of;
    std::string left_out;
  };
  std::vector<PerClip> results(clips.size());
  std::atomic<std::size_t> next{0}, done{0};
  std::mutex progress_mutex;
  const auto work = [&] {
    for (std::size_t c; (c = next++) < clips.size();) {
      PerClip& out = results[c];
      const RavdessClip& clip = clips[c];
      auto decoded = DecodeVoiceClip(clip.path);
      if (!decoded.ok()) {
        out.left_out = decoded.status().message();
      } else {
        Rng rng(Hash64(std::filesystem::path(clip.path).filename().string(), options.augment.seed));
        for (int copy = 0; copy <= options.augment.copies; ++copy) {
          std::vector<float> samples = decoded->samples;
          if (copy > 0) {
            const double r = options.augment.speed_range;
            samples = voice::ChangeSpeed(samples, 1 - r + 2 * r * rng.Uniform());
            // A louder or quieter microphone (±gain_db) …
            const double gain = std::pow(10.0, options.augment.gain_db * (2 * rng.Uniform() - 1) / 20);
            for (float& v : samples) v = static_cast<float>(std::clamp(v * gain, -1.0, 1.0));
            // … and a recording cut shorter at either end.
            const double keep = 1 - options.augment.max_crop * rng.Uniform();
            const auto length = static_cast<std::size_t>(keep * static_cast<double>(samples.size()));
            const auto offset = static_cast<std::size_t>(rng.Uniform() * static_cast<double>(samples.size() - length));
            samples = std::vector<float>(samples.begin() + static_cast<std::ptrdiff_t>(offset),
                                         samples.begin() + static_cast<std::ptrdiff_t>(offset + length));
            if (rng.Uniform() < options.augment.telephone_share) samples = TelephoneBand(samples);
            AddNoise(samples, options.augment.min_snr_db + (options.augment.max_snr_db - options.augment.min_snr_db) * rng.Uniform(), rng);
          }
          UtteranceFeatures found = ExtractUtteranceFeatures(samples, options.activity);
          if (found.utterances.empty()) {
            if (copy == 0) {
              out.left_out = fmt::format("{}: no speech found ({})", clip.path, found.no_speech_reason);
              break;
            }
            continue;
          }
          for (std::size_t u = 0; u < found.features.size(); ++u) {
            out.examples.push_back({std::move(found.features[u]), clip.name.label(), copy == 0 ? 1.0 : options.augment.copy_weight});
            out.augmented.push_back(copy > 0);
            out.copy_of.push_back(copy);
            out.seconds.push_back(found.utterances[u].end_s - found.utterances[u].start_s);
            if (options.keep_cnn_inputs) out.cnn_inputs.push_back(std::move(found.cnn_inputs[u]));
          }
        }
      }
      const std::size_t finished = ++done;
      if (options.progress) {
        std::lock_guard lock(progress_mutex);
        options.progress(finished, clips.size());
      }
    }
  };
  const unsigned threads = options.threads > 0 ? static_cast<unsigned>(options.threads)
                                               : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(1, clips.size()))); ++t)
    pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  VoiceCorpus corpus;
  for (std::size_t c = 0; c < clips.size(); ++c) {
    if (!results[c].left_out.empty()) corpus.left_out.push_back(results[c].left_out);
    for (std::size_t i = 0; i < results[c].examples.size(); ++i) {
      corpus.examples.push_back(std::move(results[c].examples[i]));
      corpus.clip_of.push_back(c);
      corpus.augmented.push_back(results[c].augmented[i]);
      corpus.seconds.push_back(results[c].seconds[i]);
      corpus.copy_of.push_back(results[c].copy_of[i]);
      if (options.keep_cnn_inputs) corpus.cnn_inputs.push_back(std::move(results[c].cnn_inputs[i]));
    }
  }
  return corpus;
}

}  // namespace emotune
