#include "emotune/track_clusters.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <map>
#include <random>

#include <fmt/format.h>

#include "emotune/feature_space.h"
#include "emotune/track_mood.h"

namespace emotune {
namespace {

using Point = FeatureSpace::Point;
constexpr std::size_t kDims = FeatureSpace::kDims;
constexpr auto SquaredDistance = FeatureSpace::SquaredDistance;

// A uniform double in [0, 1) from the generator's bits: the same on every standard
// library, unlike std::uniform_real_distribution.
double Unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

}  // namespace

Result<Clustering> ClusterTracks(std::span<const Track> tracks, const ClusterOptions& o) {
  if (o.k < 1 || o.k > 256) return Status::InvalidArgument(fmt::format("k must be in 1..256, not {}", o.k));
  Clustering out;
  // Usable tracks, standardised over themselves.
  std::vector<Track> usable;
  for (const Track& t : tracks) {
    if (!t.features.energy || !t.features.spotify_valence) {
      ++out.skipped;
      continue;
    }
    usable.push_back(t);
  }
  if (usable.size() < static_cast<std::size_t>(o.k))
    return Status::InvalidArgument(
        fmt::format("{} tracks with energy and valence cannot make {} clusters", usable.size(), o.k));
  const FeatureSpace space = FeatureSpace::Fit(usable);
  std::vector<Point> points;
  for (const Track& t : usable) points.push_back(space.Standardise(t.features));

  // k-means++ (Arthur & Vassilvitskii 2007): each next centre drawn with probability
  // proportional to its squared distance from the nearest centre so far.
  std::mt19937_64 rng(o.seed);
  const std::size_t k = static_cast<std::size_t>(o.k);
  std::vector<Point> centres = {points[rng() % points.size()]};
  std::vector<double> nearest(points.size(), std::numeric_limits<double>::max());
  while (centres.size() < k) {
    double total = 0;
    for (std::size_t n = 0; n < points.size(); ++n) total += nearest[n] = std::min(nearest[n], SquaredDistance(points[n], centres.back()));
    double pick = Unit(rng) * total;
    std::size_t chosen = points.size() - 1;
    for (std::size_t n = 0; n < points.size(); ++n) {
      pick -= nearest[n];
      if (pick < 0) {
        chosen = n;
        break;
      }
    }
    centres.push_back(points[chosen]);
  }

  // Lloyd's iterations until no track changes cluster.
  std::vector<std::size_t> assignment(points.size(), k);
  for (out.iterations = 0; out.iterations < o.max_iterations; ++out.iterations) {
    bool changed = false;
    out.inertia = 0;
    for (std::size_t n = 0; n < points.size(); ++n) {
      std::size_t best = 0;
      double best_d = std::numeric_limits<double>::max();
      for (std::size_t c = 0; c < k; ++c)
        if (const double d = SquaredDistance(points[n], centres[c]); d < best_d) {
          best_d = d;
          best = c;
        }
      changed |= assignment[n] != best;
      assignment[n] = best;
      out.inertia += best_d;
    }
    if (!changed) break;
    std::vector<Point> sums(k, Point{});
    std::vector<std::size_t> sizes(k, 0);
    for (std::size_t n = 0; n < points.size(); ++n) {
      for (std::size_t d = 0; d < kDims; ++d) sums[assignment[n]][d] += points[n][d];
      ++sizes[assignment[n]];
    }
    for (std::size_t c = 0; c < k; ++c)
      if (sizes[c] > 0)  // an emptied cluster keeps its centre
        for (std::size_t d = 0; d < kDims; ++d) centres[c][d] = sums[c][d] / sizes[c];
  }

  out.clusters.resize(k);
  for (std::size_t n = 0; n < points.size(); ++n) out.clusters[assignment[n]].track_ids.push_back(usable[n].id);
  for (std::size_t c = 0; c < k; ++c) {
    TrackCluster& cluster = out.clusters[c];
    cluster.centroid = space.Restore(centres[c]);
    cluster.mood = TrackMoodFromFeatures(cluster.centroid).point;
    cluster.emotion = NearestEmotion(cluster.mood);
  }
  std::stable_sort(out.clusters.begin(), out.clusters.end(),
                   [](const TrackCluster& a, const TrackCluster& b) { return a.track_ids.size() > b.track_ids.size(); });
  // Named by the nearest emotion; the second "calm" cluster is "calm 2", and so on.
  std::map<Emotion, int> seen;
  for (auto& cluster : out.clusters) {
    const int nth = ++seen[cluster.emotion];
    cluster.name = nth == 1 ? std::string(EmotionName(cluster.emotion))
                            : fmt::format("{} {}", EmotionName(cluster.emotion), nth);
  }
  return out;
}

}  // namespace emotune
