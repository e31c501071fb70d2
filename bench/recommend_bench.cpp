// Recommend benchmark (issue 5, "Scale"): a generated 1,000,000-track catalog
// (bench_catalog.h, fixed seed) written to a fresh SQLite catalog, then timed:
// TrackIndex build, k-means (k = 6 and 64) over the standardised features,
// 20-track playlists from the kept index (varied moods, strategies, filters,
// "more like this"), and nearest-neighbour queries with recall@10 against an exact
// scan; memory of the loaded index. In the same run bench/peer_sklearn.py times
// scikit-learn's KMeans and NearestNeighbors (Debian python3-sklearn) on the same
// matrix, which it reads from a raw float32 file with a shape header.
//
//   build/release/bench/recommend_bench [--tracks N] [--dir DIR] [--requests N] [--queries N] [--no-peer]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
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

// VmRSS or VmHWM of this process, MiB.
double ProcMiB(const std::string& field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind(field + ":", 0) == 0) return std::stod(line.substr(field.size() + 1)) / 1024.0;
  return 0;
}

double Percentile(std::vector<double> v, double p) {
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

}  // namespace

int main(int argc, char** argv) {
  long tracks = 1000000, requests = 1000, queries = 1000;
  std::string dir = "/tmp/emotune-recommend-bench";
  bool peer = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--tracks" && i + 1 < argc) tracks = std::stol(argv[++i]);
    else if (a == "--dir" && i + 1 < argc) dir = argv[++i];
    else if (a == "--requests" && i + 1 < argc) requests = std::stol(argv[++i]);
    else if (a == "--queries" && i + 1 < argc) queries = std::stol(argv[++i]);
    else if (a == "--no-peer") peer = false;
    else {
      fmt::print(stderr, "usage: recommend_bench [--tracks N] [--dir DIR] [--requests N] [--queries N] [--no-peer]\n");
      return 2;
    }
  }
  fs::remove_all(dir);
  fs::create_directories(dir);
  const double baseline_mib = ProcMiB("VmRSS");

  // The catalog, written once; ids come out 1..N in generation order.
  auto store = OpenSqliteStore(dir + "/catalog.db");
  if (!store.ok()) Fail("open", store.status());
  auto start = Clock::now();
  {
    auto writer = (*store)->BeginWrite(tracks);
    if (!writer.ok()) Fail("write", writer.status());
    bench::CatalogGenerator gen(7);
    for (long i = 0; i < tracks; ++i)
      if (Status s = (*writer)->Put(gen.Next(i)); !s.ok()) Fail("write", s);
    if (auto c = (*writer)->Commit(); !c.ok()) Fail("commit", c.status());
  }
  const double write_s = Since(start);

  start = Clock::now();
  auto index = TrackIndex::Build(**store);
  if (!index.ok()) Fail("index", index.status());
  const double build_store_s = Since(start);
  const double index_rss_mib = ProcMiB("VmRSS") - baseline_mib;
  const double index_mib = static_cast<double>(index->MemoryBytes()) / (1 << 20);

  // The same tracks fed to a Builder straight from the generator: the index's own
  // share of the build, without SQLite's row reading.
  double build_memory_s = 0;
  std::vector<float> matrix;  // placed tracks' standardised features, for k-means and the peer
  constexpr std::size_t kDims = FeatureSpace::kDims;
  {
    TrackIndex::Builder builder(static_cast<std::size_t>(tracks));
    bench::CatalogGenerator gen(7);
    matrix.reserve(static_cast<std::size_t>(tracks) * kDims);
    for (long i = 0; i < tracks; ++i) {
      Track t = gen.Next(i);
      t.id = i + 1;
      if (TrackMoodFromFeatures(t.features).known)
        for (double x : index->space().Standardise(t.features)) matrix.push_back(static_cast<float>(x));
      start = Clock::now();
      builder.Add(t);
      build_memory_s += Since(start);
    }
    start = Clock::now();
    auto again = std::move(builder).Finish();
    build_memory_s += Since(start);
    if (!again.ok()) Fail("index", again.status());
  }
  const std::size_t rows = matrix.size() / kDims;

  constexpr int kMaxIterations = 100;
  constexpr double kTolerance = 1e-4;
  constexpr std::uint64_t kSeed = 1;
  double kmeans_s[2] = {};
  int kmeans_iterations[2] = {};
  const int ks[2] = {6, 64};
  for (int i = 0; i < 2; ++i) {
    start = Clock::now();
    auto km = KMeans(matrix, kDims, {.k = ks[i], .seed = kSeed, .max_iterations = kMaxIterations, .tolerance = kTolerance});
    kmeans_s[i] = Since(start);
    if (!km.ok()) Fail("k-means", km.status());
    kmeans_iterations[i] = km->iterations;
  }

  // Nearest neighbours of catalog tracks' own points (each finds itself first).
  std::mt19937_64 rng(11);
  std::vector<std::size_t> query_rows(static_cast<std::size_t>(queries));
  for (auto& q : query_rows) q = rng() % rows;
  std::vector<double> nn_ms;
  std::vector<std::vector<std::int64_t>> found;
  for (std::size_t q : query_rows) {
    FeatureSpace::Point p;
    for (std::size_t d = 0; d < kDims; ++d) p[d] = matrix[q * kDims + d];
    start = Clock::now();
    const auto near = index->Nearest(p, 10);
    nn_ms.push_back(Since(start) * 1e3);
    found.emplace_back();
    for (const auto& n : near) found.back().push_back(n.id);
  }
  // Recall against an exact scan; matrix rows map to ids through the placed tracks.
  std::vector<std::int64_t> row_ids;
  {
    bench::CatalogGenerator gen(7);
    for (long i = 0; i < tracks; ++i)
      if (TrackMoodFromFeatures(gen.Next(i).features).known) row_ids.push_back(i + 1);
  }
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
  std::vector<double> playlist_ms;
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
    start = Clock::now();
    auto rec = Recommend(*index, **store, request, o);
    playlist_ms.push_back(Since(start) * 1e3);
    if (!rec.ok()) Fail("recommend", rec.status());
    short_playlists += rec->slots.size() < o.count;
  }

  double nn_total_ms = 0;
  for (double ms : nn_ms) nn_total_ms += ms;
  fmt::print("recommend bench: {} tracks ({} placed), {} thread(s)\n", tracks, rows, std::thread::hardware_concurrency());
  fmt::print("  catalog write (SQLite)        {:8.2f} s\n", write_s);
  fmt::print("  index build from the store    {:8.2f} s\n", build_store_s);
  fmt::print("  index build, index's share    {:8.2f} s   (Builder fed from memory)\n", build_memory_s);
  fmt::print("  index memory                  {:8.1f} MiB (MemoryBytes); RSS +{:.1f} MiB after load; peak RSS {:.1f} MiB\n",
             index_mib, index_rss_mib, ProcMiB("VmHWM"));
  for (int i = 0; i < 2; ++i)
    fmt::print("  k-means k={:<3}                 {:8.2f} s   ({} iterations)\n", ks[i], kmeans_s[i], kmeans_iterations[i]);
  fmt::print("  playlist (20 tracks)          p50 {:.2f} ms, p99 {:.2f} ms, max {:.2f} ms over {} requests ({} short)\n",
             Percentile(playlist_ms, 0.5), Percentile(playlist_ms, 0.99), Percentile(playlist_ms, 1.0), requests,
             short_playlists);
  fmt::print("  nearest 10                    p50 {:.3f} ms, p99 {:.3f} ms over {} queries; recall@10 {:.4f}\n",
             Percentile(nn_ms, 0.5), Percentile(nn_ms, 0.99), queries, recall);
  if (!peer) return 0;

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
  double sk_kmeans[2] = {}, sk_fit = 0, sk_query = 0;
  int sk_iterations[2] = {};
  if (!pipe || std::fscanf(pipe, "%lf %d %lf %d %lf %lf", &sk_kmeans[0], &sk_iterations[0], &sk_kmeans[1],
                           &sk_iterations[1], &sk_fit, &sk_query) != 6) {
    fmt::print(stderr, "recommend_bench: the peer failed (is python3-sklearn installed? scripts/setup --bench)\n");
    return 1;
  }
  pclose(pipe);
  fmt::print("scikit-learn peer (same matrix, same max_iter/tol/seed):\n");
  for (int i = 0; i < 2; ++i)
    fmt::print("  KMeans k={:<3}                  {:8.2f} s   ({} iterations); ours {:.1f}x faster\n", ks[i], sk_kmeans[i],
               sk_iterations[i], sk_kmeans[i] / kmeans_s[i]);
  fmt::print("  NearestNeighbors fit          {:8.2f} s\n", sk_fit);
  fmt::print("  NearestNeighbors {} queries  {:8.3f} s   ({:.3f} ms per query, batched); ours {:.3f} s one at a time, {:.1f}x faster\n",
             queries, sk_query, sk_query * 1e3 / static_cast<double>(queries), nn_total_ms / 1e3,
             sk_query * 1e3 / nn_total_ms);
  return 0;
}
