// Recommend benchmark (issue 5, "Scale"): a generated 1,000,000-track catalog
// (bench_catalog.h, fixed seed) written to a fresh SQLite catalog, then timed:
// TrackIndex build, k-means (k = 6 and 64) over the standardised features,
// 20-track playlists from the kept index (varied moods, strategies, filters,
// "more like this"), and nearest-neighbour queries with recall@10 against an exact
// scan; memory of the loaded index. In the same run bench/peer_sklearn.py times
// scikit-learn's KMeans and NearestNeighbors (Debian python3-sklearn) on the same
// matrix, which it reads from a raw float32 file with a shape header.
//
// Every phase reports wall time and CPU time (the process's, all threads, for the
// build and k-means; the calling thread's per request and query), so that figures
// taken on a loaded machine still say how much work was done.
//
//   build/release/bench/recommend_bench [--tracks N] [--dir DIR] [--requests N] [--queries N] [--no-peer]
//                                       [--reuse] [--slowest] [--no-kmeans]
//
// --reuse keeps DIR/catalog.db when it already holds N tracks (written by an
// earlier run with the same N), skipping the write; --slowest lists the slowest
// playlists and queries; --no-kmeans skips k-means (and the peer), for profiling.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "bench_catalog.h"
#include "emotune/catalog_store.h"
#include "emotune/kmeans.h"
#include "emotune/recommender.h"
#include "emotune/track_index.h"
#include "emotune/track_mood.h"

namespace fs = std::filesystem;
using namespace emotune;
using Clock = std::chrono::steady_clock;

namespace {

double Since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double CpuSeconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
// CPU time of the whole process (every thread) and of the calling thread.
double ProcessCpu() { return CpuSeconds(CLOCK_PROCESS_CPUTIME_ID); }
double ThreadCpu() { return CpuSeconds(CLOCK_THREAD_CPUTIME_ID); }

// VmRSS or VmHWM of this process, MiB.
double ProcMiB(const std::string& field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind(field + ":", 0) == 0) return std::stod(line.substr(field.size() + 1)) / 1024.0;
  return 0;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

void Fail(const std::string& what, const Status& s) {
  fmt::print(stderr, "recommend_bench: {}: {}\n", what, s.message());
  std::exit(1);
}

// The exact 10 nearest rows of `matrix` to row `q`, by a full scan.
std::vector<std::uint32_t> ExactNearest(const std::vector<float>& matrix, std::size_t dims, std::size_t q, std::size_t k) {
  const std::size_t n = matrix.size() / dims;
  std::vector<std::pair<float, std::uint32_t>> all(n);
  for (std::size_t i = 0; i < n; ++i) {
    float sum = 0;
    for (std::size_t d = 0; d < dims; ++d) {
      const float diff = matrix[i * dims + d] - matrix[q * dims + d];
      sum += diff * diff;
    }
    all[i] = {sum, static_cast<std::uint32_t>(i)};
  }
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k), all.end());
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < k; ++i) out.push_back(all[i].second);
  return out;
}

// Wall and CPU seconds of one phase.
struct Timed {
  double wall = 0, cpu = 0;
};
template <class Work>
Timed Time(Work work) {
  const auto start = Clock::now();
  const double cpu = ProcessCpu();
  work();
  return {Since(start), ProcessCpu() - cpu};
}

// Per-call samples, milliseconds: wall and the calling thread's CPU.
struct Samples {
  std::vector<double> wall, cpu;
  std::vector<std::string> what;
  template <class Work>
  void Add(std::string label, Work work) {
    const auto start = Clock::now();
    const double cpu0 = ThreadCpu();
    work();
    cpu.push_back((ThreadCpu() - cpu0) * 1e3);
    wall.push_back(Since(start) * 1e3);
    what.push_back(std::move(label));
  }
  double Total(const std::vector<double>& v) const { return std::accumulate(v.begin(), v.end(), 0.0); }
  std::string Line(const char* unit_fmt) const {
    return fmt::format(fmt::runtime(unit_fmt), Percentile(wall, 0.5), Percentile(wall, 0.99), Percentile(wall, 1.0),
                       Percentile(cpu, 0.5), Percentile(cpu, 0.99), Percentile(cpu, 1.0));
  }
  // The slowest calls by CPU time, for finding what makes the tail.
  void PrintSlowest(std::size_t n) const {
    std::vector<std::size_t> order(cpu.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cpu[a] > cpu[b]; });
    for (std::size_t i = 0; i < std::min(n, order.size()); ++i)
      fmt::print("      {:8.3f} ms CPU {:8.3f} ms wall  {}\n", cpu[order[i]], wall[order[i]], what[order[i]]);
  }
};

}  // namespace

int main(int argc, char** argv) {
  long tracks = 1000000, requests = 1000, queries = 1000;
  std::string dir = "/tmp/emotune-recommend-bench";
  bool peer = true, reuse = false, slowest = false, kmeans = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--tracks" && i + 1 < argc) tracks = std::stol(argv[++i]);
    else if (a == "--dir" && i + 1 < argc) dir = argv[++i];
    else if (a == "--requests" && i + 1 < argc) requests = std::stol(argv[++i]);
    else if (a == "--queries" && i + 1 < argc) queries = std::stol(argv[++i]);
    else if (a == "--no-peer") peer = false;
    else if (a == "--reuse") reuse = true;
    else if (a == "--slowest") slowest = true;
    else if (a == "--no-kmeans") kmeans = false;
    else {
      fmt::print(stderr, "usage: recommend_bench [--tracks N] [--dir DIR] [--requests N] [--queries N] [--no-peer] "
                         "[--reuse] [--slowest] [--no-kmeans]\n");
      return 2;
    }
  }
  const std::string db_path = dir + "/catalog.db";
  bool written = false;
  if (reuse && fs::exists(db_path)) {
    auto old = OpenSqliteStore(db_path);
    auto count = old.ok() ? (*old)->CountTracks({}) : Result<std::int64_t>(old.status());
    written = count.ok() && *count == tracks;
  }

  // The catalog, written once through its own connection (which a large write
  // leaves with a large page cache); ids come out 1..N in generation order.
  Timed write;
  if (!written) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto store = OpenSqliteStore(db_path);
    if (!store.ok()) Fail("open", store.status());
    write = Time([&] {
      auto writer = (*store)->BeginWrite(tracks);
      if (!writer.ok()) Fail("write", writer.status());
      bench::CatalogGenerator gen(7);
      for (long i = 0; i < tracks; ++i)
        if (Status s = (*writer)->Put(gen.Next(i)); !s.ok()) Fail("write", s);
      if (auto c = (*writer)->Commit(); !c.ok()) Fail("commit", c.status());
    });
  }

  // What a server does: open the catalog and load its index.
  const double baseline_mib = ProcMiB("VmRSS");
  auto store = OpenSqliteStore(db_path);
  if (!store.ok()) Fail("open", store.status());
  std::optional<TrackIndex> index;
  const Timed build_store = Time([&] {
    auto built = TrackIndex::Build(**store);
    if (!built.ok()) Fail("index", built.status());
    index = std::move(*built);
  });
  const double index_rss_mib = ProcMiB("VmRSS") - baseline_mib;
  const double load_peak_mib = ProcMiB("VmHWM");  // nothing bigger has run yet
  const double index_mib = static_cast<double>(index->MemoryBytes()) / (1 << 20);

  // The same tracks fed to a Builder from memory (batches of generated Tracks): the
  // index's own share of the build, without SQLite's row reading.
  Timed build_memory;
  std::vector<float> matrix;  // placed tracks' standardised features, for k-means and the peer
  std::vector<std::int64_t> row_ids;  // matrix row → track id
  constexpr std::size_t kDims = FeatureSpace::kDims;
  {
    TrackIndex::Builder builder(static_cast<std::size_t>(tracks));
    bench::CatalogGenerator gen(7);
    matrix.reserve(static_cast<std::size_t>(tracks) * kDims);
    std::vector<Track> batch;
    for (long i = 0; i < tracks;) {
      batch.clear();
      for (; i < tracks && batch.size() < 65536; ++i) {
        Track t = gen.Next(i);
        t.id = i + 1;
        if (TrackMoodFromFeatures(t.features).known) {
          for (double x : index->space().Standardise(t.features)) matrix.push_back(static_cast<float>(x));
          row_ids.push_back(t.id);
        }
        batch.push_back(std::move(t));
      }
      const Timed add = Time([&] {
        for (const Track& t : batch) builder.Add(t);
      });
      build_memory.wall += add.wall;
      build_memory.cpu += add.cpu;
    }
    batch = {};
    const Timed finish = Time([&] {
      auto again = std::move(builder).Finish();
      if (!again.ok()) Fail("index", again.status());
    });
    build_memory.wall += finish.wall;
    build_memory.cpu += finish.cpu;
  }
  const std::size_t rows = matrix.size() / kDims;

  constexpr int kMaxIterations = 100;
  constexpr double kTolerance = 1e-4;
  constexpr std::uint64_t kSeed = 1;
  Timed kmeans_time[2];
  int kmeans_iterations[2] = {};
  double kmeans_inertia[2] = {};
  const int ks[2] = {6, 64};
  for (int i = 0; i < (kmeans ? 2 : 0); ++i) {
    kmeans_time[i] = Time([&] {
      auto km = KMeans(matrix, kDims, {.k = ks[i], .seed = kSeed, .max_iterations = kMaxIterations, .tolerance = kTolerance});
      if (!km.ok()) Fail("k-means", km.status());
      kmeans_iterations[i] = km->iterations;
      kmeans_inertia[i] = km->inertia;
    });
  }

  // Nearest neighbours of catalog tracks' own points (each finds itself first).
  std::mt19937_64 rng(11);
  std::vector<std::size_t> query_rows(static_cast<std::size_t>(queries));
  for (auto& q : query_rows) q = rng() % rows;
  Samples nn;
  std::vector<std::vector<std::int64_t>> found;
  for (std::size_t q : query_rows) {
    FeatureSpace::Point p;
    for (std::size_t d = 0; d < kDims; ++d) p[d] = matrix[q * kDims + d];
    std::vector<TrackIndex::Neighbour> near;
    nn.Add(fmt::format("row {}", q), [&] { near = index->Nearest(p, 10); });
    found.emplace_back();
    for (const auto& n : near) found.back().push_back(n.id);
  }
  // Recall against an exact scan.
  std::size_t hits = 0;
  std::vector<std::vector<std::uint32_t>> exact(query_rows.size());
  {
    std::vector<std::thread> pool;
    const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    for (unsigned t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        for (std::size_t i = t; i < query_rows.size(); i += threads) exact[i] = ExactNearest(matrix, kDims, query_rows[i], 10);
      });
    for (auto& t : pool) t.join();
  }
  for (std::size_t i = 0; i < query_rows.size(); ++i) {
    const std::set<std::int64_t> ours(found[i].begin(), found[i].end());
    for (std::uint32_t r : exact[i]) hits += ours.count(row_ids[r]);
  }
  const double recall = static_cast<double>(hits) / (10.0 * static_cast<double>(query_rows.size()));

  // Playlists from the kept index: varied moods and strategies; some with a genre,
  // a decade, a length limit, or "more like this".
  const MoodStrategy strategies[] = {MoodStrategy::kMatch, MoodStrategy::kUplift, MoodStrategy::kCalm,
                                     MoodStrategy::kEnergize, MoodStrategy::kTarget};
  const char* strategy_names[] = {"match", "uplift", "calm", "energize", "target"};
  Samples playlists;
  std::size_t short_playlists = 0;
  for (long i = 0; i < requests; ++i) {
    const auto coord = [&] { return static_cast<double>(rng() % 2001) / 1000.0 - 1; };
    PlaylistRequest request;
    request.mood = MoodEstimate::FromPoint({coord(), coord()}, 1.0, "bench");
    request.strategy = strategies[i % 5];
    if (request.strategy == MoodStrategy::kTarget) request.target = AffectPoint{coord(), coord()};
    RecommendOptions o;
    o.count = 20;
    o.seed = static_cast<std::uint64_t>(i);
    if (i % 4 == 1) o.filters.genre = bench::kGenres[rng() % 20];
    if (i % 6 == 2) o.filters.year_from = 1990, o.filters.year_to = 1999;
    if (i % 8 == 3) o.max_duration_s = 240;
    if (i % 10 == 7) o.like_track_id = 1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(tracks));
    std::string label = fmt::format("#{} {} at ({:.2f}, {:.2f})", i, strategy_names[i % 5], request.mood.point().valence,
                                    request.mood.point().arousal);
    if (!o.filters.genre.empty()) label += " genre " + o.filters.genre;
    if (o.filters.year_from) label += " 1990s";
    if (o.max_duration_s) label += " <=240 s";
    if (o.like_track_id) label += fmt::format(" like {}", *o.like_track_id);
    Result<Recommendation> rec = Status::Ok();
    playlists.Add(std::move(label), [&] { rec = Recommend(*index, **store, request, o); });
    if (!rec.ok()) Fail("recommend", rec.status());
    short_playlists += rec->slots.size() < o.count;
  }

  fmt::print("recommend bench: {} tracks ({} placed), {} hardware thread(s); wall s / CPU s (all threads)\n", tracks,
             rows, std::thread::hardware_concurrency());
  if (written) fmt::print("  catalog write (SQLite)        reused {}\n", db_path);
  else fmt::print("  catalog write (SQLite)        {:8.2f} s wall {:8.2f} s CPU\n", write.wall, write.cpu);
  fmt::print("  index build from SQLite       {:8.2f} s wall {:8.2f} s CPU  (rows read from the store + index)\n",
             build_store.wall, build_store.cpu);
  fmt::print("  index build from memory       {:8.2f} s wall {:8.2f} s CPU  (Builder fed Tracks already in memory)\n",
             build_memory.wall, build_memory.cpu);
  fmt::print("  index memory                  {:8.1f} MiB (MemoryBytes); RSS +{:.1f} MiB after load (store open, "
             "index built; process RSS {:.1f} MiB); peak RSS while loading {:.1f} MiB\n",
             index_mib, index_rss_mib, index_rss_mib + baseline_mib, load_peak_mib);
  for (int i = 0; i < 2; ++i)
    fmt::print("  k-means k={:<3}                 {:8.2f} s wall {:8.2f} s CPU  ({} iterations, inertia {:.6g})\n", ks[i],
               kmeans_time[i].wall, kmeans_time[i].cpu, kmeans_iterations[i], kmeans_inertia[i]);
  fmt::print("  playlist (20 tracks)          {} over {} requests ({} short)\n",
             playlists.Line("wall p50 {:.2f} ms, p99 {:.2f} ms, max {:.2f} ms; CPU p50 {:.2f} ms, p99 {:.2f} ms, max {:.2f} ms"),
             requests, short_playlists);
  if (slowest) playlists.PrintSlowest(12);
  fmt::print("  nearest 10                    {} over {} queries; recall@10 {:.4f}\n",
             nn.Line("wall p50 {:.3f} ms, p99 {:.3f} ms, max {:.3f} ms; CPU p50 {:.3f} ms, p99 {:.3f} ms, max {:.3f} ms"),
             queries, recall);
  if (slowest) nn.PrintSlowest(5);
  if (!peer || !kmeans) return 0;

  // The peer reads the same matrix and query rows.
  const std::string matrix_path = dir + "/features.f32", queries_path = dir + "/queries.txt";
  {
    std::ofstream out(matrix_path, std::ios::binary);
    const std::int64_t shape[2] = {static_cast<std::int64_t>(rows), static_cast<std::int64_t>(kDims)};
    out.write(reinterpret_cast<const char*>(shape), sizeof shape);
    out.write(reinterpret_cast<const char*>(matrix.data()), static_cast<std::streamsize>(matrix.size() * sizeof(float)));
    std::ofstream q(queries_path);
    for (std::size_t r : query_rows) q << r << '\n';
  }
  const std::string command = fmt::format("/usr/bin/python3 {}/bench/peer_sklearn.py {} {} {} {} {}", EMOTUNE_SOURCE_DIR,
                                          matrix_path, queries_path, kMaxIterations, kTolerance, kSeed);
  std::FILE* pipe = popen(command.c_str(), "r");
  double sk[12] = {};
  if (!pipe || std::fscanf(pipe, "%lf %lf %lf %lf %lf %lf %lf %lf %lf %lf %lf %lf", &sk[0], &sk[1], &sk[2], &sk[3], &sk[4],
                           &sk[5], &sk[6], &sk[7], &sk[8], &sk[9], &sk[10], &sk[11]) != 12) {
    fmt::print(stderr, "recommend_bench: the peer failed (is python3-sklearn installed? scripts/setup --bench)\n");
    return 1;
  }
  pclose(pipe);
  // Per k: wall, CPU, iterations, inertia; then the NN fit and queries, wall and CPU.
  fmt::print("scikit-learn peer (same matrix, same max_iter/tol/seed); wall s / CPU s:\n");
  for (int i = 0; i < 2; ++i)
    fmt::print("  KMeans k={:<3}                  {:8.2f} s wall {:8.2f} s CPU  ({:.0f} iterations, inertia {:.6g}); "
               "ours {:.1f}x faster (wall), {:.1f}x (CPU)\n",
               ks[i], sk[4 * i], sk[4 * i + 1], sk[4 * i + 2], sk[4 * i + 3], sk[4 * i] / kmeans_time[i].wall,
               sk[4 * i + 1] / kmeans_time[i].cpu);
  fmt::print("  NearestNeighbors fit          {:8.2f} s wall {:8.2f} s CPU\n", sk[8], sk[9]);
  fmt::print("  NearestNeighbors {} queries  {:8.3f} s wall {:8.3f} s CPU (batched); ours one at a time {:.3f} s wall "
             "{:.3f} s CPU: {:.1f}x faster (wall), {:.1f}x (CPU)\n",
             queries, sk[10], sk[11], nn.Total(nn.wall) / 1e3, nn.Total(nn.cpu) / 1e3, sk[10] * 1e3 / nn.Total(nn.wall),
             sk[11] * 1e3 / nn.Total(nn.cpu));
  return 0;
}
