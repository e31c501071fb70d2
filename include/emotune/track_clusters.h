// Mood clusters the way the seed projects made them, done right: k-means with
// k-means++ seeding over standardised audio features, a fixed seed, and each cluster
// named from where its centroid sits in the affect plane — not from a hand-written
// cluster→emotion table. The clustering itself is KMeans (kmeans.h). Pure function
// over its inputs; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "emotune/emotion.h"
#include "emotune/status.h"
#include "emotune/track.h"

namespace emotune {

struct ClusterOptions {
  int k = 6;                  // clusters; range 1..256, default 6
  std::uint64_t seed = 1;     // k-means++ seeding; the same seed gives the same clusters
  int max_iterations = 100;   // Lloyd iterations at most; default 100
  double tolerance = 1e-4;    // stop when the centres barely move; see KMeansOptions
};

struct TrackCluster {
  std::string name;                      // "joy", "calm", "sadness 2", …
  Emotion emotion = Emotion::kNeutral;   // nearest emotion to the centroid's mood
  AffectPoint mood;                      // the centroid's place in the affect plane
  AudioFeatures centroid;                // the centroid in the features' own units
  std::vector<std::int64_t> track_ids;   // members, in catalog order
};

struct Clustering {
  std::vector<TrackCluster> clusters;    // largest first
  std::size_t skipped = 0;               // tracks without energy and valence
  int iterations = 0;
  double inertia = 0;                    // sum of squared standardised distances
};

// Clusters `tracks` on danceability, energy, valence, acousticness,
// instrumentalness, speechiness, liveness, loudness and tempo; a missing feature
// counts as the catalog's mean for it. InvalidArgument when k is out of range or
// there are fewer usable tracks than k.
Result<Clustering> ClusterTracks(std::span<const Track> tracks, const ClusterOptions& options = {});

}  // namespace emotune
