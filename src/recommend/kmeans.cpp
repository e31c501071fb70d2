#include "emotune/kmeans.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <random>
#include <thread>

#include <fmt/format.h>

namespace emotune {
namespace {

// Work is cut into this many chunks whatever the thread count, and their sums are
// added in chunk order, so the result does not depend on the machine.
constexpr std::size_t kChunks = 64;

struct ChunkSums {
  std::vector<double> sums;  // k × dims
  std::vector<std::size_t> sizes;
  double inertia = 0;
  std::size_t changed = 0;
};

// Labels rows [begin, end) with their nearest centre. `by_dim` holds the centres
// dimension by dimension (dims rows of `stride` floats) so that the inner loop runs
// over centres contiguously and vectorises.
__attribute__((target_clones("avx2", "default"))) void AssignRows(
    const float* points, std::size_t dims, std::size_t begin, std::size_t end, const float* by_dim,
    std::size_t k, std::size_t stride, std::uint32_t* labels, ChunkSums& out) {
  float distance[256];
  for (std::size_t n = begin; n < end; ++n) {
    const float* p = points + n * dims;
    std::fill(distance, distance + stride, 0.0f);
    for (std::size_t d = 0; d < dims; ++d) {
      const float x = p[d];
      const float* c = by_dim + d * stride;
      for (std::size_t j = 0; j < stride; ++j) {
        const float diff = x - c[j];
        distance[j] += diff * diff;
      }
    }
    std::uint32_t best = 0;
    for (std::uint32_t j = 1; j < k; ++j)
      if (distance[j] < distance[best]) best = j;
    out.changed += labels[n] != best;
    labels[n] = best;
    out.inertia += distance[best];
    ++out.sizes[best];
    double* sum = out.sums.data() + best * dims;
    for (std::size_t d = 0; d < dims; ++d) sum[d] += p[d];
  }
}

// Each point's squared distance to `centre`, kept if nearer than before; returns
// the new total (k-means++'s sampling mass).
__attribute__((target_clones("avx2", "default"))) double NearerTo(const float* points, std::size_t n,
                                                                 std::size_t dims, const float* centre,
                                                                 float* nearest) {
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    float sum = 0;
    for (std::size_t d = 0; d < dims; ++d) {
      const float diff = points[i * dims + d] - centre[d];
      sum += diff * diff;
    }
    nearest[i] = std::min(nearest[i], sum);
    total += nearest[i];
  }
  return total;
}

// A uniform double in [0, 1) from the generator's bits: the same on every standard
// library, unlike std::uniform_real_distribution.
double Unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// Runs `work(chunk)` for every chunk on `threads` threads.
template <class Work>
void ForEachChunk(int threads, Work work) {
  std::atomic<std::size_t> next{0};
  const auto run = [&] {
    for (std::size_t c; (c = next.fetch_add(1)) < kChunks;) work(c);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(run);
  run();
  for (auto& t : pool) t.join();
}

}  // namespace

Result<KMeansResult> KMeans(std::span<const float> points, std::size_t dims, const KMeansOptions& o) {
  if (o.k < 1 || o.k > 256) return Status::InvalidArgument(fmt::format("k must be in 1..256, not {}", o.k));
  if (dims == 0) return Status::InvalidArgument("k-means: points need at least one dimension");
  const std::size_t n = points.size() / dims, k = static_cast<std::size_t>(o.k);
  if (n < k) return Status::InvalidArgument(fmt::format("{} points cannot make {} clusters", n, o.k));
  const int threads = o.threads > 0 ? o.threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  const float* data = points.data();

  // k-means++ (Arthur & Vassilvitskii 2007): each next centre drawn with probability
  // proportional to its squared distance from the nearest centre so far.
  KMeansResult out;
  std::mt19937_64 rng(o.seed);
  const auto add_centre = [&](std::size_t row) { out.centres.insert(out.centres.end(), data + row * dims, data + (row + 1) * dims); };
  add_centre(rng() % n);
  std::vector<float> nearest(n, std::numeric_limits<float>::max());
  while (out.centres.size() < k * dims) {
    const double total = NearerTo(data, n, dims, out.centres.data() + out.centres.size() - dims, nearest.data());
    double pick = Unit(rng) * total;
    std::size_t chosen = n - 1;
    for (std::size_t i = 0; i < n; ++i)
      if ((pick -= nearest[i]) < 0) {
        chosen = i;
        break;
      }
    add_centre(chosen);
  }
  nearest = {};

  // The stopping shift, scaled like scikit-learn's: tol × mean per-dimension variance.
  std::vector<double> mean(dims, 0), sq(dims, 0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t d = 0; d < dims; ++d) mean[d] += data[i * dims + d], sq[d] += double{data[i * dims + d]} * data[i * dims + d];
  double variance = 0;
  for (std::size_t d = 0; d < dims; ++d) variance += sq[d] / n - (mean[d] / n) * (mean[d] / n);
  const double tolerance = o.tolerance * variance / dims;

  const std::size_t stride = (k + 7) / 8 * 8;
  std::vector<float> by_dim(dims * stride, 0.0f);
  std::vector<ChunkSums> chunks(kChunks);
  out.labels.assign(n, static_cast<std::uint32_t>(k));
  // One assignment pass; returns how many labels changed.
  const auto assign = [&] {
    for (std::size_t c = 0; c < k; ++c)
      for (std::size_t d = 0; d < dims; ++d) by_dim[d * stride + c] = out.centres[c * dims + d];
    ForEachChunk(threads, [&](std::size_t chunk) {
      ChunkSums& s = chunks[chunk];
      s.sums.assign(k * dims, 0.0);
      s.sizes.assign(k, 0);
      s.inertia = 0;
      s.changed = 0;
      AssignRows(data, dims, n * chunk / kChunks, n * (chunk + 1) / kChunks, by_dim.data(), k, stride,
                 out.labels.data(), s);
    });
    std::size_t changed = 0;
    out.inertia = 0;
    for (const ChunkSums& s : chunks) changed += s.changed, out.inertia += s.inertia;
    return changed;
  };
  assign();
  while (out.iterations < o.max_iterations) {
    std::vector<double> sums(k * dims, 0.0);
    std::vector<std::size_t> sizes(k, 0);
    for (const ChunkSums& s : chunks) {
      for (std::size_t i = 0; i < sums.size(); ++i) sums[i] += s.sums[i];
      for (std::size_t c = 0; c < k; ++c) sizes[c] += s.sizes[c];
    }
    double shift = 0;
    for (std::size_t c = 0; c < k; ++c) {
      if (sizes[c] == 0) continue;  // an emptied cluster keeps its centre
      for (std::size_t d = 0; d < dims; ++d) {
        const auto moved = static_cast<float>(sums[c * dims + d] / static_cast<double>(sizes[c]));
        shift += (moved - out.centres[c * dims + d]) * (moved - out.centres[c * dims + d]);
        out.centres[c * dims + d] = moved;
      }
    }
    ++out.iterations;
    // Labels always match the final centres, as scikit-learn's do.
    if (assign() == 0 || shift <= tolerance) break;
  }
  return out;
}

}  // namespace emotune
