// k-means (Lloyd's iterations after k-means++ seeding) over float rows: the engine
// behind ClusterTracks, exposed so that a million standardised points can be
// clustered without building a million Tracks. Sized for small vectors (the nine
// audio features): the distance loop runs over centres held dimension by dimension,
// which the compiler vectorises (with an AVX2 clone picked at run time; the binary
// still runs on any x86-64), and the assignment step is split over threads.
//
// Each iteration is Lloyd's, computed with Hamerly's bounds (Hamerly 2010, "Making
// k-means even faster"): per point an upper bound on the distance to its centre and
// a lower bound on the distance to any other, carried across iterations by how far
// the centres moved, so that a point whose centre provably stays nearest skips the
// loop over all centres. The labels and centres are Lloyd's (bounds are rounded
// outward, never trusted past float rounding); only the work shrinks, most in the
// late iterations where few points move.
//
// k-means++ seeding runs over a uniform sample of at most 65,536 points (drawn from
// the seeded generator) when there are more: enough to place 256 centres, and it
// spares a million-point input k full passes before the first iteration.
//
// Deterministic: the same points, k and seed give the same centres and labels on
// any number of threads (work is cut into fixed chunks, summed in chunk order).
// A pure function; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "emotune/status.h"

namespace emotune {

struct KMeansOptions {
  int k = 6;                 // clusters; range 1..256, default 6
  std::uint64_t seed = 1;    // k-means++ seeding
  int max_iterations = 100;  // Lloyd iterations at most; default 100
  // Stop once the centres moved less than this in all (sum of squared shifts),
  // relative to the points' mean per-dimension variance — scikit-learn's `tol`, so
  // the two stop at the same place. Default 1e-4; 0 = only when no label changes.
  double tolerance = 1e-4;
  int threads = 0;           // 0 = one per hardware thread
};

struct KMeansResult {
  std::vector<float> centres;          // k rows of `dims`
  std::vector<std::uint32_t> labels;   // per point, its centre
  int iterations = 0;                  // Lloyd iterations run
  double inertia = 0;                  // sum of squared distances to the own centre
};

// Clusters `points` (rows of `dims` floats, row-major). InvalidArgument when k is
// out of range, dims is 0, or there are fewer points than k.
Result<KMeansResult> KMeans(std::span<const float> points, std::size_t dims, const KMeansOptions& options = {});

}  // namespace emotune
