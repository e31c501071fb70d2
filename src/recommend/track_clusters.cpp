#include "emotune/track_clusters.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "emotune/feature_space.h"
#include "emotune/kmeans.h"
#include "emotune/track_mood.h"

namespace emotune {

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
  constexpr std::size_t kDims = FeatureSpace::kDims;
  std::vector<float> points;
  points.reserve(usable.size() * kDims);
  for (const Track& t : usable)
    for (double x : space.Standardise(t.features)) points.push_back(static_cast<float>(x));
  auto means = KMeans(points, kDims, {.k = o.k, .seed = o.seed, .max_iterations = o.max_iterations, .tolerance = o.tolerance});
  if (!means.ok()) return means.status();
  out.iterations = means->iterations;
  out.inertia = means->inertia;
  const std::size_t k = static_cast<std::size_t>(o.k);
  out.clusters.resize(k);
  for (std::size_t n = 0; n < usable.size(); ++n) out.clusters[means->labels[n]].track_ids.push_back(usable[n].id);
  for (std::size_t c = 0; c < k; ++c) {
    TrackCluster& cluster = out.clusters[c];
    FeatureSpace::Point centre;
    for (std::size_t d = 0; d < kDims; ++d) centre[d] = means->centres[c * kDims + d];
    cluster.centroid = space.Restore(centre);
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
