// Audio analysis benchmark: the full analysis `emotune scan` and `emotune analyze` run
// (decoding included: FFmpeg decode, downmix and resampling, EBU R128 loudness, the
// STFT and every descriptor, tempo, key) over the demo library — the Wesnoth 1.16 and
// Hedgewars music, 67 Ogg Vorbis files — at -j 1 and -j 2 (one analyzer per thread, a
// file per thread at a time, as a scan runs), decoding alone (the ceiling for the
// analysis), and one long file generated from the library (default 60 min) to show
// that memory does not grow with the file. In the same run bench/peer_aubio_tempo.py
// times aubio's default tempo tracker (Debian python3-aubio; tempo only) on the same
// files.
//
// Every measurement is a separate process (this program re-run with --child), so its
// CPU time (user + system, all threads) and peak RSS come from wait4's rusage and
// nothing of one run leaks into the next. "× real time per core" = audio seconds / CPU
// seconds, which stays meaningful on a loaded machine; "× real time" = audio seconds /
// wall seconds. The load average is printed beside the figures.
//
//   build/release/bench/audio_bench [FILE...] [--dir DIR] [--long-minutes N] [--no-peer] [--json]
// Without FILEs: the demo library (scripts/setup installs it).
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "emotune/audio_analysis.h"
#include "emotune/audio_decoder.h"

namespace fs = std::filesystem;

namespace {

const char* const kDemoDirs[] = {"/usr/share/games/wesnoth/1.16/data/core/music",
                                 "/usr/share/games/hedgewars/Data/Music"};

// --- child: one measured run ------------------------------------------------------------

// Analyses (or only decodes) `files` on `jobs` threads; prints "files audio_seconds".
int RunChild(const std::string& mode, int jobs, const std::vector<std::string>& files) {
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  double audio_seconds = 0;
  int failures = 0;
  auto work = [&] {
    emotune::AudioAnalyzer analyzer;
    emotune::DecodedBlock block;
    for (std::size_t i = next++; i < files.size(); i = next++) {
      double seconds = 0;
      bool ok = true;
      if (mode == "analyze") {
        auto a = analyzer.Analyze(files[i]);
        ok = a.ok();
        if (ok) seconds = a->descriptors.duration_s;
      } else {
        auto decoder = emotune::AudioDecoder::Open(files[i]);
        ok = decoder.ok();
        while (ok) {
          auto more = (*decoder)->Next(block);
          ok = more.ok();
          if (!ok || !*more) break;
        }
        if (ok) seconds = static_cast<double>((*decoder)->frames_decoded()) / (*decoder)->info().sample_rate;
      }
      std::lock_guard lock(mutex);
      audio_seconds += seconds;
      if (!ok) {
        fmt::print(stderr, "audio_bench: {} failed\n", files[i]);
        ++failures;
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 1; t < jobs; ++t) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  fmt::print("{} {}\n", files.size(), audio_seconds);
  return failures == 0 ? 0 : 1;
}

// --- parent ---------------------------------------------------------------------------

struct Measure {
  std::string label;
  double audio_seconds = 0;
  double wall_s = 0, cpu_s = 0;
  double peak_rss_mib = 0;
  bool ok = false;
};

// Runs argv with its stdout captured (and its stderr dropped if `quiet`: aubio lets
// FFmpeg log a line per Vorbis file); times it and reads its rusage.
Measure Run(const std::string& label, const std::vector<std::string>& argv, bool quiet = false) {
  Measure m;
  m.label = label;
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return m;
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    dup2(pipe_fds[1], STDOUT_FILENO);
    if (quiet) std::freopen("/dev/null", "w", stderr);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    execv(args[0], args.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  std::string out;
  char buffer[4096];
  for (ssize_t n; (n = read(pipe_fds[0], buffer, sizeof buffer)) > 0;) out.append(buffer, static_cast<std::size_t>(n));
  close(pipe_fds[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  m.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  m.cpu_s = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
            static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  m.peak_rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;
  long files = 0;
  m.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && std::sscanf(out.c_str(), "%ld %lf", &files, &m.audio_seconds) == 2;
  return m;
}

void PutLe(std::ofstream& out, std::uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.put(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// A long 16-bit WAV made of the library's files one after another (those with the first
// file's rate and channels), repeated until `minutes` of audio; returns its length in s.
double WriteLongFile(const std::string& path, const std::vector<std::string>& files, double minutes) {
  std::ofstream out(path, std::ios::binary);
  out.write("RIFF\0\0\0\0WAVEfmt ", 16);
  int rate = 0, channels = 0;
  std::uint64_t frames = 0;
  const auto target = [&] { return static_cast<std::uint64_t>(minutes * 60 * rate); };
  std::vector<std::int16_t> pcm;
  emotune::DecodedBlock block;
  for (std::size_t pass = 0; pass < 1000 && (rate == 0 || frames < target()); ++pass) {
    bool any = false;
    for (const auto& f : files) {
      auto decoder = emotune::AudioDecoder::Open(f);
      if (!decoder.ok()) continue;
      const auto& info = (*decoder)->info();
      if (rate == 0) {
        rate = info.sample_rate;
        channels = info.channels;
        PutLe(out, 16, 4);
        PutLe(out, 1, 2);
        PutLe(out, static_cast<std::uint32_t>(channels), 2);
        PutLe(out, static_cast<std::uint32_t>(rate), 4);
        PutLe(out, static_cast<std::uint32_t>(rate * channels * 2), 4);
        PutLe(out, static_cast<std::uint32_t>(channels * 2), 2);
        PutLe(out, 16, 2);
        out.write("data\0\0\0\0", 8);
      }
      if (info.sample_rate != rate || info.channels != channels) continue;
      any = true;
      while (frames < target()) {
        auto more = (*decoder)->Next(block);
        if (!more.ok() || !*more) break;
        const std::size_t n = std::min<std::uint64_t>(block.interleaved.size() / static_cast<std::size_t>(channels),
                                                       target() - frames);
        pcm.resize(n * static_cast<std::size_t>(channels));
        for (std::size_t i = 0; i < pcm.size(); ++i)
          pcm[i] = static_cast<std::int16_t>(std::clamp(block.interleaved[i], -1.0f, 1.0f) * 32767.0f);
        out.write(reinterpret_cast<const char*>(pcm.data()), static_cast<std::streamsize>(pcm.size() * 2));
        frames += n;
      }
      if (frames >= target()) break;
    }
    if (!any) break;
  }
  const std::uint64_t data_bytes = frames * static_cast<std::uint64_t>(channels) * 2;
  out.seekp(4);
  PutLe(out, static_cast<std::uint32_t>(36 + data_bytes), 4);
  out.seekp(40);
  PutLe(out, static_cast<std::uint32_t>(data_bytes), 4);
  return rate > 0 ? static_cast<double>(frames) / rate : 0.0;
}

std::string Hms(double seconds) {
  const auto s = static_cast<long>(seconds + 0.5);
  return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 4 && std::string(argv[1]) == "--child") {
    std::vector<std::string> files(argv + 4, argv + argc);
    return RunChild(argv[2], std::atoi(argv[3]), files);
  }
  std::vector<std::string> files;
  std::string dir;
  double long_minutes = 60;
  bool peer = true, json = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--dir" && i + 1 < argc) dir = argv[++i];
    else if (a == "--long-minutes" && i + 1 < argc) long_minutes = std::atof(argv[++i]);
    else if (a == "--no-peer") peer = false;
    else if (a == "--json") json = true;
    else if (!a.empty() && a[0] != '-') files.push_back(a);
    else {
      fmt::print(stderr, "usage: audio_bench [FILE...] [--dir DIR] [--long-minutes N] [--no-peer] [--json]\n");
      return 2;
    }
  }
  if (files.empty()) {
    for (const char* d : kDemoDirs) {
      std::error_code ec;
      for (const auto& e : fs::directory_iterator(d, ec))
        if (e.path().extension() == ".ogg") files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
      fmt::print(stderr, "audio_bench: no demo library (wesnoth-1.16-music, hedgewars-data: scripts/setup)\n");
      return 1;
    }
  }
  const bool own_dir = dir.empty();
  if (own_dir) {
    char tmpl[] = "/tmp/emotune-audio-bench-XXXXXX";
    if (!mkdtemp(tmpl)) return 1;
    dir = tmpl;
  }
  fs::create_directories(dir);
  const std::string self = fs::read_symlink("/proc/self/exe").string();
  auto child = [&](const std::string& mode, int jobs, const std::vector<std::string>& inputs) {
    std::vector<std::string> args{self, "--child", mode, std::to_string(jobs)};
    args.insert(args.end(), inputs.begin(), inputs.end());
    return args;
  };
  double load[3] = {0, 0, 0};
  getloadavg(load, 3);
  const double load_before = load[0];

  std::vector<Measure> runs;
  runs.push_back(Run("full analysis -j 1", child("analyze", 1, files)));
  runs.push_back(Run("full analysis -j 2", child("analyze", 2, files)));
  runs.push_back(Run("decode only -j 1", child("decode", 1, files)));
  double long_seconds = 0;
  if (long_minutes > 0) {
    const std::string long_file = (fs::path(dir) / "long.wav").string();
    long_seconds = WriteLongFile(long_file, files, long_minutes);
    runs.push_back(Run(fmt::format("long file ({}) -j 1", Hms(long_seconds)), child("analyze", 1, {long_file})));
    fs::remove(long_file);
  }
  if (peer) {
    std::vector<std::string> args{"/usr/bin/python3", std::string(EMOTUNE_SOURCE_DIR) + "/bench/peer_aubio_tempo.py"};
    args.insert(args.end(), files.begin(), files.end());
    runs.push_back(Run("aubio tempo only -j 1", args, /*quiet=*/true));
    if (!runs.back().ok)
      fmt::print(stderr, "audio_bench: the aubio peer failed (is python3-aubio installed? scripts/setup --bench)\n");
  }
  getloadavg(load, 3);
  if (own_dir) fs::remove_all(dir);
  for (const auto& m : runs)
    if (!m.ok && m.label.rfind("aubio", 0) != 0) {
      fmt::print(stderr, "audio_bench: {} failed\n", m.label);
      return 1;
    }

  const double scaling = runs[0].wall_s / runs[1].wall_s;
  if (json) {
    std::string items;
    for (const auto& m : runs) {
      if (!m.ok) continue;
      items += fmt::format(
          "{}{{\"run\": \"{}\", \"audio_s\": {:.1f}, \"wall_s\": {:.3f}, \"cpu_s\": {:.3f}, \"x_realtime\": {:.1f}, "
          "\"x_realtime_per_core\": {:.1f}, \"peak_rss_mib\": {:.1f}}}",
          items.empty() ? "" : ", ", m.label, m.audio_seconds, m.wall_s, m.cpu_s, m.audio_seconds / m.wall_s,
          m.audio_seconds / m.cpu_s, m.peak_rss_mib);
    }
    fmt::print("{{\"files\": {}, \"hardware_threads\": {}, \"load_average_before\": {:.2f}, \"load_average_after\": {:.2f}, "
               "\"scaling_j2\": {:.2f}, \"runs\": [{}]}}\n",
               files.size(), std::thread::hardware_concurrency(), load_before, load[0], scaling, items);
    return 0;
  }
  fmt::print("audio_bench: {} files, {} of audio; {} hardware threads, load average {:.2f} before, {:.2f} after\n", files.size(),
             Hms(runs[0].audio_seconds), std::thread::hardware_concurrency(), load_before, load[0]);
  fmt::print("  {:<28} {:>9} {:>8} {:>8} {:>6} {:>12} {:>14} {:>9}\n", "", "audio", "wall s", "CPU s", "cores",
             "x real time", "x RT per core", "peak RSS");
  for (const auto& m : runs) {
    if (!m.ok) continue;
    fmt::print("  {:<28} {:>9} {:>8.2f} {:>8.2f} {:>6.2f} {:>12.0f} {:>14.0f} {:>5.1f} MiB\n", m.label,
               Hms(m.audio_seconds), m.wall_s, m.cpu_s, m.cpu_s / m.wall_s, m.audio_seconds / m.wall_s,
               m.audio_seconds / m.cpu_s, m.peak_rss_mib);
  }
  // "cores" = CPU s / wall s: what the machine gave the run. On a busy machine -j 2 may
  // get no more than -j 1 did, and then the wall-clock ratio says nothing about scaling.
  fmt::print("  -j 2 over -j 1: {:.2f}x the wall-clock speed on {:.2f} vs {:.2f} cores; CPU per audio second {:+.1f} %\n",
             scaling, runs[1].cpu_s / runs[1].wall_s, runs[0].cpu_s / runs[0].wall_s,
             100.0 * (runs[1].cpu_s / runs[0].cpu_s - 1));
  const Measure& decode = runs[2];
  fmt::print("  decoding is {:.0f} % of the full analysis's CPU time; decoding alone runs at {:.0f}x real time per core\n",
             100.0 * decode.cpu_s / runs[0].cpu_s, decode.audio_seconds / decode.cpu_s);
  return 0;
}
