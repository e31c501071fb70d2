#include "emotune/track_clusters.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <map>
#include <random>

#include <fmt/format.h>

#include "emotune/track_mood.h"

namespace emotune {
namespace {

constexpr std::size_t kDims = 9;
using Point = std::array<double, kDims>;

std::array<std::optional<double>, kDims> Raw(const AudioFeatures& f) {
  return {f.danceability, f.energy, f.spotify_valence, f.acousticness, f.instrumentalness,
          f.speechiness,  f.liveness, f.loudness_db, f.tempo_bpm};
}

AudioFeatures FromRaw(const Point& p) {
  AudioFeatures f;
  f.danceability = p[0];
  f.energy = p[1];
  f.spotify_valence = p[2];
  f.acousticness = p[3];
  f.instrumentalness = p[4];
  f.speechiness = p[5];
  f.liveness = p[6];
  f.loudness_db = p[7];
  f.tempo_bpm = p[8];
  return f;
}

double SquaredDistance(const Point& a, const Point& b) {
  double sum = 0;
  for (std::size_t d = 0; d < kDims; ++d) sum += (a[d] - b[d]) * (a[d] - b[d]);
  return sum;
}

// A uniform double in [0, 1) from the generator's bits: the same on every standard
// library, unlike std::uniform_real_distribution.
double Unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

}  // namespace

Result<Clustering> ClusterTracks(std::span<const Track> tracks, const ClusterOptions& o) {
  if (o.k < 1 || o.k > 256) return Status::InvalidArgument(fmt::format("k must be in 1..256, not {}", o.k));
  Clustering out;
  // Usable tracks and the mean of each feature over the tracks that have it.
  std::vector<std::size_t> usable;
  Point mean{}, count{};
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    const auto raw = Raw(tracks[i].features);
    if (!raw[1] || !raw[2]) {
      ++out.skipped;
      continue;
    }
    usable.push_back(i);
    for (std::size_t d = 0; d < kDims; ++d)
      if (raw[d]) {
        mean[d] += *raw[d];
        count[d] += 1;
      }
  }
  if (usable.size() < static_cast<std::size_t>(o.k))
    return Status::InvalidArgument(
        fmt::format("{} tracks with energy and valence cannot make {} clusters", usable.size(), o.k));
  for (std::size_t d = 0; d < kDims; ++d) mean[d] = count[d] > 0 ? mean[d] / count[d] : 0;

  // Standardise, so tempo in BPM does not outweigh valence in 0..1.
  std::vector<Point> points(usable.size());
  Point sd{};
  for (std::size_t n = 0; n < usable.size(); ++n) {
    const auto raw = Raw(tracks[usable[n]].features);
    for (std::size_t d = 0; d < kDims; ++d) points[n][d] = raw[d].value_or(mean[d]);
    for (std::size_t d = 0; d < kDims; ++d) sd[d] += (points[n][d] - mean[d]) * (points[n][d] - mean[d]);
  }
  for (std::size_t d = 0; d < kDims; ++d) sd[d] = std::sqrt(sd[d] / usable.size());
  for (auto& p : points)
    for (std::size_t d = 0; d < kDims; ++d) p[d] = sd[d] > 0 ? (p[d] - mean[d]) / sd[d] : 0;

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
  for (std::size_t n = 0; n < points.size(); ++n) out.clusters[assignment[n]].track_ids.push_back(tracks[usable[n]].id);
  for (std::size_t c = 0; c < k; ++c) {
    Point original;
    for (std::size_t d = 0; d < kDims; ++d) original[d] = centres[c][d] * sd[d] + mean[d];
    TrackCluster& cluster = out.clusters[c];
    cluster.centroid = FromRaw(original);
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
