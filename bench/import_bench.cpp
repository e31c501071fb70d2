// Import benchmark: generates an N-row Spotify-style CSV (Kaggle "Spotify 1921–2020"
// layout, fixed seed), then times `emotune import` and the Python peer
// (bench/peer_import.py: Debian python3's csv + sqlite3 doing the same insert into the
// same schema) in the same run, each in a fresh catalog. Reports rows per second and
// peak RSS of each process (from wait4's rusage).
//
//   build/release/bench/import_bench [--rows N] [--dir DIR] [--json]
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace fs = std::filesystem;

namespace {

struct RunResult {
  double seconds = 0;
  long peak_rss_kib = 0;
  int exit_code = -1;
};

// Runs argv[0] with its output discarded; the benchmark prints only its own figures.
RunResult Run(const std::vector<std::string>& argv) {
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::freopen("/dev/null", "w", stdout);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  RunResult r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.peak_rss_kib = usage.ru_maxrss;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

void GenerateCsv(const std::string& path, long rows) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> unit(0, 1);
  const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::fputs(
      "id,name,popularity,duration_ms,explicit,artists,id_artists,release_date,danceability,energy,key,"
      "loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature\n",
      f);
  char id[23] = {};
  for (long i = 0; i < rows; ++i) {
    for (int k = 0; k < 22; ++k) id[k] = alphabet[rng() % 62];
    const unsigned artist = rng() % 50000;
    const std::string artists = rng() % 5 == 0 ? fmt::format("\"['Artist {}', \"\"Guest {}\"\"]\"", artist, rng() % 9999)
                                               : fmt::format("['Artist {}']", artist);
    fmt::print(f, "{},Song number {},{},{},{},{},['x'],{}-{:02}-{:02},{:.3f},{:.3f},{},{:.3f},{},{:.4f},{:.3f},{:.3f},{:.3f},{:.3f},{:.3f},4\n",
               id, i, rng() % 101, 60000 + rng() % 340000, rng() % 2, artists, 1921 + rng() % 100,
               1 + rng() % 12, 1 + rng() % 28, unit(rng), unit(rng), rng() % 12, -30 * unit(rng), rng() % 2,
               0.3 * unit(rng), unit(rng), unit(rng), unit(rng), unit(rng), 60 + 140 * unit(rng));
  }
  std::fclose(f);
}

}  // namespace

int main(int argc, char** argv) {
  long rows = 1000000;
  std::string dir = "bench/out";
  bool json = false;
  const fs::path self = fs::canonical("/proc/self/exe");
  std::string emotune = (self.parent_path().parent_path() / "emotune").string();
  std::string peer = (fs::path(EMOTUNE_SOURCE_DIR) / "bench/peer_import.py").string();
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--rows" && i + 1 < argc) rows = std::stol(argv[++i]);
    else if (a == "--dir" && i + 1 < argc) dir = argv[++i];
    else if (a == "--emotune" && i + 1 < argc) emotune = argv[++i];
    else if (a == "--json") json = true;
    else {
      fmt::print(stderr, "usage: import_bench [--rows N] [--dir DIR] [--emotune PATH] [--json]\n");
      return 2;
    }
  }
  fs::create_directories(dir);
  const std::string csv = fmt::format("{}/tracks-{}.csv", dir, rows);
  if (!fs::exists(csv)) GenerateCsv(csv, rows);
  const auto fresh_db = [&](const std::string& name) {
    const std::string db = dir + "/" + name;
    for (auto suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix);
    return db;
  };

  const std::string ours_db = fresh_db("emotune.db");
  const RunResult ours = Run({emotune, "--db", ours_db, "import", csv});
  // The peer inserts into the same schema: let emotune create it first.
  const std::string peer_db = fresh_db("peer.db");
  Run({emotune, "--db", peer_db, "stats"});
  const RunResult theirs = Run({"/usr/bin/python3", peer, csv, peer_db});
  if (ours.exit_code != 0 || theirs.exit_code != 0) {
    fmt::print(stderr, "import_bench: a run failed (emotune exit {}, peer exit {})\n", ours.exit_code,
               theirs.exit_code);
    return 1;
  }
  const double ours_rate = rows / ours.seconds, peer_rate = rows / theirs.seconds;
  if (json) {
    fmt::print(
        "{{\"rows\": {}, \"emotune\": {{\"seconds\": {:.3f}, \"rows_per_s\": {:.0f}, \"peak_rss_mib\": {:.1f}}}, "
        "\"python_peer\": {{\"seconds\": {:.3f}, \"rows_per_s\": {:.0f}, \"peak_rss_mib\": {:.1f}}}, \"speedup\": {:.2f}}}\n",
        rows, ours.seconds, ours_rate, ours.peak_rss_kib / 1024.0, theirs.seconds, peer_rate,
        theirs.peak_rss_kib / 1024.0, ours_rate / peer_rate);
  } else {
    fmt::print("import of {} rows ({})\n", rows, csv);
    fmt::print("  {:<22} {:>8} {:>12} {:>14}\n", "", "seconds", "rows/s", "peak RSS MiB");
    fmt::print("  {:<22} {:>8.2f} {:>12.0f} {:>14.1f}\n", "emotune import", ours.seconds, ours_rate,
               ours.peak_rss_kib / 1024.0);
    fmt::print("  {:<22} {:>8.2f} {:>12.0f} {:>14.1f}\n", "python csv+sqlite3", theirs.seconds, peer_rate,
               theirs.peak_rss_kib / 1024.0);
    fmt::print("  speedup {:.2f}x\n", ours_rate / peer_rate);
  }
  return 0;
}
