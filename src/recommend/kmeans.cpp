#include "emotune/kmeans.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <random>
#include <thread>

#include <fmt/format.h>

namespace emotune {
namespace {

// Work is cut into this many chunks whatever the thread count, and their sums are
// added in chunk order, so the result does not depend on the machine.
constexpr std::size_t kChunks = 64;

// Bounds are kept in float, nudged outward by this factor at every store: more
// than float's rounding of a nine-term squared distance and its square root, so a
// bound never claims more than the exact distances allow (a point is only ever
// skipped when it provably keeps its centre).
constexpr float kUp = 1.0f + 0x1.0p-18f, kDown = 1.0f - 0x1.0p-18f;

// What one chunk of points holds between iterations: the sums and sizes of its
// points per centre, kept up to date as points change centre.
struct Chunk {
  std::vector<double> sums;  // k × dims
  std::vector<std::size_t> sizes;
  std::size_t changed = 0;   // labels changed in the last pass
  double inertia = 0;
};

// The vector helpers below return 32-byte vectors; they are internal and always
// inlined, so GCC's warning on that ABI (AVX vectors without AVX enabled) does not
// apply.
#pragma GCC diagnostic ignored "-Wpsabi"

// Eight floats: the compiler's vector extension, so that a group of eight centres'
// distances accumulate in one register (two on a machine without AVX).
typedef float Float8 __attribute__((vector_size(32)));
typedef std::int32_t Int8 __attribute__((vector_size(32)));

// Centres are handled in groups of eight; a group short of eight is padded with
// centres this far out in every dimension: never nearest, and nine squared gaps
// stay finite.
constexpr std::size_t kGroup = 8;
constexpr float kFarAway = 1e18f;

__attribute__((always_inline)) inline Float8 Min(const Float8& a, const Float8& b) { return a < b ? a : b; }
__attribute__((always_inline)) inline Int8 Min(const Int8& a, const Int8& b) { return a < b ? a : b; }
// Every lane: the least of the eight.
__attribute__((always_inline)) inline Float8 LeastOfAll(const Float8& of) {
  Float8 v = of;
  v = Min(v, __builtin_shuffle(v, Int8{4, 5, 6, 7, 0, 1, 2, 3}));
  v = Min(v, __builtin_shuffle(v, Int8{2, 3, 0, 1, 6, 7, 4, 5}));
  return Min(v, __builtin_shuffle(v, Int8{1, 0, 3, 2, 5, 4, 7, 6}));
}
__attribute__((always_inline)) inline Int8 LeastOfAll(const Int8& of) {
  Int8 v = of;
  v = Min(v, __builtin_shuffle(v, Int8{4, 5, 6, 7, 0, 1, 2, 3}));
  v = Min(v, __builtin_shuffle(v, Int8{2, 3, 0, 1, 6, 7, 4, 5}));
  return Min(v, __builtin_shuffle(v, Int8{1, 0, 3, 2, 5, 4, 7, 6}));
}

// What an assignment pass reads. The bounds are Hamerly's (Hamerly 2010): per
// point an upper bound on the distance to its centre and a lower bound on the
// distance to any other, carried across an update by how far the centres moved.
// A point that must look for its nearest centre measures all of them, eight at a
// time. (Per-group bounds, Yinyang k-means', and balls around groups of centres
// were tried on the benchmark's million points: with 64 centres in nine
// dimensions the full look costs ~130 ns, less than their bookkeeping saved.)
struct Pass {
  const float* points;
  std::size_t dims, k, groups;
  const float* centres;      // k × dims
  const float* blocks;       // groups × dims × 8: group g's dimension d at blocks[(g * dims + d) * 8]
  const float* half_gap;     // per centre: half the distance to the nearest other centre
  const float* moved;        // per centre: how far it moved in the last update
  float max_moved, second_moved;  // the largest move and the largest of the others
  std::uint32_t max_mover;
  bool first;                // no labels yet
  std::uint32_t* labels;
  float* upper;              // per point: at least the distance to its centre
  float* lower;              // per point: at most the distance to any other centre
};

// The squared distances from `p` to the eight points of a block (dims × 8 floats).
template <std::size_t Dims>
__attribute__((always_inline)) inline Float8 BlockDistances(const float* p, const float* block, std::size_t dims) {
  Float8 sum = {};
  for (std::size_t d = 0; d < (Dims ? Dims : dims); ++d) {
    Float8 centre;
    __builtin_memcpy(&centre, block + d * kGroup, sizeof centre);
    const Float8 diff = p[d] - centre;
    sum += diff * diff;
  }
  return sum;
}

// Labels rows [begin, end). A point keeps its centre without a look at the others
// when its upper bound stays below its lower bound or half the gap to its centre's
// nearest neighbour (triangle inequality); otherwise it is measured against every
// centre, eight at a time. Changes of label move the point between the chunk's
// sums. `Dims` is the points' dimension when known when compiling (the
// nine audio features), 0 otherwise.
template <std::size_t Dims>
__attribute__((always_inline)) inline void AssignRowsOf(const Pass& s, std::size_t begin, std::size_t end,
                                                        Chunk& out) {
  const std::size_t dims = Dims ? Dims : s.dims;
  constexpr float kInf = std::numeric_limits<float>::infinity();
  const Int8 lanes = {0, 1, 2, 3, 4, 5, 6, 7};
  const Int8 no_index = Int8{} + std::numeric_limits<std::int32_t>::max();
  for (std::size_t n = begin; n < end; ++n) {
    const float* p = s.points + n * dims;
    const std::uint32_t had = s.labels[n];
    if (!s.first) {
      float up = (s.upper[n] + s.moved[had]) * kUp;
      const float low = (s.lower[n] - (had == s.max_mover ? s.second_moved : s.max_moved)) * kDown;
      const float bound = std::max(s.half_gap[had], low);
      if (up <= bound) {
        s.upper[n] = up;
        s.lower[n] = low;
        continue;
      }
      // Tighten the upper bound to the exact distance and try again.
      const float* c = s.centres + had * dims;
      float squared = 0;
      for (std::size_t d = 0; d < dims; ++d) squared += (p[d] - c[d]) * (p[d] - c[d]);
      up = std::sqrt(squared) * kUp;
      if (up <= bound) {
        s.upper[n] = up;
        s.lower[n] = low;
        continue;
      }
    }
    // Per lane: the nearest and second nearest of the centres it has seen (ties
    // keep the earlier centre).
    Float8 best8 = Float8{} + kInf, second8 = best8;
    Int8 index = lanes, lane = lanes;
    for (std::size_t g = 0; g < s.groups; ++g) {
      const Float8 sum = BlockDistances<Dims>(p, s.blocks + g * dims * kGroup, dims);
      const Int8 nearer = sum < best8;
      second8 = nearer ? best8 : Min(sum, second8);
      best8 = nearer ? sum : best8;
      index = nearer ? lane : index;
      lane += static_cast<std::int32_t>(kGroup);
    }
    // Across lanes: the nearest (ties: the lower centre; each lane holds other
    // centres), and the second nearest of all the rest.
    const Float8 least = LeastOfAll(best8);
    const Int8 winner = LeastOfAll(best8 == least ? index : no_index);
    const auto best = static_cast<std::uint32_t>(winner[0]);
    const float second_squared = LeastOfAll(index == winner ? second8 : best8)[0];
    s.upper[n] = std::sqrt(least[0]) * kUp;
    s.lower[n] = std::sqrt(second_squared) * kDown;
    if (best == had) continue;
    ++out.changed;
    s.labels[n] = best;
    ++out.sizes[best];
    double* add = out.sums.data() + best * dims;
    for (std::size_t d = 0; d < dims; ++d) add[d] += p[d];
    if (s.first) continue;
    --out.sizes[had];
    double* take = out.sums.data() + had * dims;
    for (std::size_t d = 0; d < dims; ++d) take[d] -= p[d];
  }
}

__attribute__((target_clones("avx2", "default"))) void AssignRows(const Pass& s, std::size_t begin, std::size_t end,
                                                                  Chunk& out) {
  if (s.dims == 9) AssignRowsOf<9>(s, begin, end, out);
  else AssignRowsOf<0>(s, begin, end, out);
}

// The squared distance of each of rows [begin, end) to its centre, summed.
double Inertia(const float* points, std::size_t dims, const float* centres, const std::uint32_t* labels,
               std::size_t begin, std::size_t end) {
  double total = 0;
  for (std::size_t n = begin; n < end; ++n) {
    const float* p = points + n * dims;
    const float* c = centres + labels[n] * dims;
    float sum = 0;
    for (std::size_t d = 0; d < dims; ++d) sum += (p[d] - c[d]) * (p[d] - c[d]);
    total += sum;
  }
  return total;
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

// k-means++ seeding draws from at most this many points: a uniform sample of a
// larger set (Knuth's selection sampling, from the same seeded generator) is ample
// to place 256 centres, and seeding a million points would otherwise cost k full
// passes before the first iteration.
constexpr std::size_t kSeedingSample = 1 << 16;

// k-means++ (Arthur & Vassilvitskii 2007) over `points`: each next centre drawn
// with probability proportional to its squared distance from the nearest centre
// so far. Returns k rows of dims.
std::vector<float> SeedCentres(const float* points, std::size_t n, std::size_t dims, std::size_t k,
                               std::mt19937_64& rng) {
  std::vector<float> sample;
  if (n > kSeedingSample) {
    sample.reserve(kSeedingSample * dims);
    std::size_t wanted = kSeedingSample;
    for (std::size_t i = 0; i < n && wanted > 0; ++i)
      if (Unit(rng) * static_cast<double>(n - i) < static_cast<double>(wanted)) {
        sample.insert(sample.end(), points + i * dims, points + (i + 1) * dims);
        --wanted;
      }
    points = sample.data();
    n = sample.size() / dims;
  }
  std::vector<float> centres;
  const auto add_centre = [&](std::size_t row) { centres.insert(centres.end(), points + row * dims, points + (row + 1) * dims); };
  add_centre(rng() % n);
  std::vector<float> nearest(n, std::numeric_limits<float>::max());
  while (centres.size() < k * dims) {
    const double total = NearerTo(points, n, dims, centres.data() + centres.size() - dims, nearest.data());
    double pick = Unit(rng) * total;
    std::size_t chosen = n - 1;
    for (std::size_t i = 0; i < n; ++i)
      if ((pick -= nearest[i]) < 0) {
        chosen = i;
        break;
      }
    add_centre(chosen);
  }
  return centres;
}

}  // namespace

Result<KMeansResult> KMeans(std::span<const float> points, std::size_t dims, const KMeansOptions& o) {
  if (o.k < 1 || o.k > 256) return Status::InvalidArgument(fmt::format("k must be in 1..256, not {}", o.k));
  if (dims == 0) return Status::InvalidArgument("k-means: points need at least one dimension");
  const std::size_t n = points.size() / dims, k = static_cast<std::size_t>(o.k);
  if (n < k) return Status::InvalidArgument(fmt::format("{} points cannot make {} clusters", n, o.k));
  const int threads = o.threads > 0 ? o.threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  const float* data = points.data();

  KMeansResult out;
  std::mt19937_64 rng(o.seed);
  out.centres = SeedCentres(data, n, dims, k, rng);

  // The stopping shift, scaled like scikit-learn's: tol × mean per-dimension variance.
  std::vector<double> mean(dims, 0), sq(dims, 0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t d = 0; d < dims; ++d) mean[d] += data[i * dims + d], sq[d] += double{data[i * dims + d]} * data[i * dims + d];
  double variance = 0;
  for (std::size_t d = 0; d < dims; ++d) variance += sq[d] / n - (mean[d] / n) * (mean[d] / n);
  const double tolerance = o.tolerance * variance / dims;

  const std::size_t groups = (k + kGroup - 1) / kGroup;
  std::vector<float> blocks(groups * dims * kGroup, kFarAway), half_gap(k), moved(k);
  std::vector<float> upper(n), lower(n);
  std::vector<Chunk> chunks(kChunks);
  for (Chunk& c : chunks) {
    c.sums.assign(k * dims, 0.0);
    c.sizes.assign(k, 0);
  }
  out.labels.assign(n, static_cast<std::uint32_t>(k));
  Pass pass{data, dims, k, groups, out.centres.data(), blocks.data(), half_gap.data(),
            moved.data(), 0, 0, 0, true, out.labels.data(), upper.data(), lower.data()};
  // One assignment pass against out.centres; returns how many labels changed.
  const auto assign = [&] {
    for (std::size_t c = 0; c < k; ++c)
      for (std::size_t d = 0; d < dims; ++d) blocks[((c / kGroup) * dims + d) * kGroup + c % kGroup] = out.centres[c * dims + d];
    const auto distance = [&](const float* a, const float* b) {
      double sum = 0;
      for (std::size_t d = 0; d < dims; ++d) sum += (double{a[d]} - b[d]) * (double{a[d]} - b[d]);
      return std::sqrt(sum);
    };
    for (std::size_t a = 0; a < k; ++a) {
      double gap = std::numeric_limits<double>::infinity();
      for (std::size_t b = 0; b < k; ++b)
        if (b != a) gap = std::min(gap, distance(&out.centres[a * dims], &out.centres[b * dims]));
      half_gap[a] = static_cast<float>(gap / 2) * kDown;
    }
    ForEachChunk(threads, [&](std::size_t chunk) {
      chunks[chunk].changed = 0;
      AssignRows(pass, n * chunk / kChunks, n * (chunk + 1) / kChunks, chunks[chunk]);
    });
    pass.first = false;
    std::size_t changed = 0;
    for (const Chunk& c : chunks) changed += c.changed;
    return changed;
  };
  assign();
  std::vector<double> sums(k * dims);
  std::vector<std::size_t> sizes(k);
  while (out.iterations < o.max_iterations) {
    std::fill(sums.begin(), sums.end(), 0.0);
    std::fill(sizes.begin(), sizes.end(), 0);
    for (const Chunk& c : chunks) {
      for (std::size_t i = 0; i < sums.size(); ++i) sums[i] += c.sums[i];
      for (std::size_t j = 0; j < k; ++j) sizes[j] += c.sizes[j];
    }
    double shift = 0;
    pass.max_moved = pass.second_moved = 0;
    pass.max_mover = 0;
    for (std::size_t c = 0; c < k; ++c) {
      double own = 0;
      if (sizes[c] != 0) {  // an emptied cluster keeps its centre
        for (std::size_t d = 0; d < dims; ++d) {
          const auto to = static_cast<float>(sums[c * dims + d] / static_cast<double>(sizes[c]));
          const double step = double{to} - out.centres[c * dims + d];
          own += step * step;
          out.centres[c * dims + d] = to;
        }
      }
      shift += own;
      moved[c] = static_cast<float>(std::sqrt(own)) * kUp;
      if (moved[c] > pass.max_moved) {
        pass.second_moved = pass.max_moved;
        pass.max_moved = moved[c];
        pass.max_mover = static_cast<std::uint32_t>(c);
      } else if (moved[c] > pass.second_moved) {
        pass.second_moved = moved[c];
      }
    }
    ++out.iterations;
    // Labels always match the final centres, as scikit-learn's do.
    if (assign() == 0 || shift <= tolerance) break;
  }
  ForEachChunk(threads, [&](std::size_t chunk) {
    chunks[chunk].inertia =
        Inertia(data, dims, out.centres.data(), out.labels.data(), n * chunk / kChunks, n * (chunk + 1) / kChunks);
  });
  out.inertia = 0;
  for (const Chunk& c : chunks) out.inertia += c.inertia;
  return out;
}

}  // namespace emotune
