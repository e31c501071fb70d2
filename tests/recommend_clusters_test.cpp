// k-means mood clusters: separated groups are found, the same seed gives the same
// clusters, names come from the centroid's place in the affect plane. KMeans itself:
// the bounds that let points skip the distance loop never change an answer (the
// result is a Lloyd fixed point), and the thread count changes nothing.
#include <cmath>
#include <random>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "emotune/kmeans.h"
#include "emotune/track_clusters.h"

namespace emotune {
namespace {

// Three well-separated kinds of track: bright and loud, dark and quiet, calm and acoustic.
std::vector<Track> ThreeGroups(int per_group) {
  std::mt19937_64 rng(3);
  const auto jitter = [&] { return (static_cast<double>(rng() % 1000) / 1000.0 - 0.5) * 0.1; };
  struct Kind { double valence, energy, acoustic, tempo, loudness; };
  const Kind kinds[3] = {{0.9, 0.9, 0.05, 130, -4}, {0.1, 0.3, 0.6, 80, -14}, {0.5, 0.1, 0.95, 70, -25}};
  std::vector<Track> tracks;
  for (int g = 0; g < 3; ++g)
    for (int i = 0; i < per_group; ++i) {
      Track t;
      t.id = g * 1000 + i + 1;
      t.title = "t";
      const Kind& k = kinds[g];
      t.features.spotify_valence = k.valence + jitter();
      t.features.energy = k.energy + jitter();
      t.features.acousticness = k.acoustic + jitter();
      t.features.danceability = 0.5 + jitter();
      t.features.tempo_bpm = k.tempo + 40 * jitter();
      t.features.loudness_db = k.loudness + 10 * jitter();
      tracks.push_back(t);
    }
  return tracks;
}

std::set<std::set<std::int64_t>> Partition(const Clustering& c) {
  std::set<std::set<std::int64_t>> groups;
  for (const auto& cluster : c.clusters) groups.insert({cluster.track_ids.begin(), cluster.track_ids.end()});
  return groups;
}

TEST(TrackClustersTest, FindsSeparatedGroups) {
  const auto tracks = ThreeGroups(30);
  auto c = ClusterTracks(tracks, {.k = 3, .seed = 1, .max_iterations = 100});
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_EQ(c->clusters.size(), 3u);
  for (const auto& cluster : c->clusters) {
    ASSERT_EQ(cluster.track_ids.size(), 30u);
    const std::int64_t group = cluster.track_ids.front() / 1000;
    for (auto id : cluster.track_ids) EXPECT_EQ(id / 1000, group);
  }
}

TEST(TrackClustersTest, NamesComeFromTheAffectPlane) {
  auto c = ClusterTracks(ThreeGroups(20), {.k = 3, .seed = 1, .max_iterations = 100});
  ASSERT_TRUE(c.ok());
  for (const auto& cluster : c->clusters) {
    EXPECT_EQ(cluster.emotion, NearestEmotion(cluster.mood));
    if (cluster.track_ids.front() / 1000 == 0) {
      EXPECT_GT(cluster.mood.valence, 0.5);  // bright and loud
    }
    if (cluster.track_ids.front() / 1000 == 1) {
      EXPECT_LT(cluster.mood.valence, -0.5);  // dark
    }
  }
  // Two clusters near the same emotion are told apart by a number.
  auto many = ClusterTracks(ThreeGroups(20), {.k = 6, .seed = 1, .max_iterations = 100});
  ASSERT_TRUE(many.ok());
  std::set<std::string> names;
  for (const auto& cluster : many->clusters) names.insert(cluster.name);
  EXPECT_EQ(names.size(), 6u);
}

TEST(TrackClustersTest, SameSeedSameClusters) {
  const auto tracks = ThreeGroups(25);
  auto a = ClusterTracks(tracks, {.k = 5, .seed = 9, .max_iterations = 100});
  auto b = ClusterTracks(tracks, {.k = 5, .seed = 9, .max_iterations = 100});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(Partition(*a), Partition(*b));
  EXPECT_DOUBLE_EQ(a->inertia, b->inertia);
}

TEST(TrackClustersTest, TracksWithoutMoodFeaturesAreSkippedAndKIsChecked) {
  auto tracks = ThreeGroups(5);
  Track bare;
  bare.id = 99999;
  tracks.push_back(bare);
  auto c = ClusterTracks(tracks, {.k = 2, .seed = 1, .max_iterations = 100});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->skipped, 1u);
  EXPECT_FALSE(ClusterTracks(tracks, {.k = 0, .seed = 1, .max_iterations = 100}).ok());
  EXPECT_FALSE(ClusterTracks(ThreeGroups(1), {.k = 4, .seed = 1, .max_iterations = 100}).ok());
}

// Gaussian blobs around `centres` random centres in `dims` dimensions, float rows.
std::vector<float> Blobs(std::size_t n, std::size_t dims, int centres, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<float> middle(static_cast<std::size_t>(centres) * dims);
  for (float& x : middle) x = 3 * normal(rng);
  std::vector<float> points;
  points.reserve(n * dims);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t c = rng() % static_cast<std::size_t>(centres);
    for (std::size_t d = 0; d < dims; ++d) points.push_back(middle[c * dims + d] + normal(rng));
  }
  return points;
}

TEST(KMeansTest, ConvergedResultIsALloydFixedPoint) {
  constexpr std::size_t kDims = 9;
  const auto points = Blobs(20000, kDims, 12, 5);
  auto r = KMeans(points, kDims, {.k = 16, .seed = 3, .max_iterations = 1000, .tolerance = 0});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_LT(r->iterations, 1000);
  const std::size_t n = points.size() / kDims, k = 16;
  std::vector<double> sums(k * kDims, 0);
  std::vector<std::size_t> sizes(k, 0);
  double inertia = 0;
  for (std::size_t i = 0; i < n; ++i) {
    // Every point's label is its nearest centre (up to float rounding).
    double best = INFINITY, own = 0;
    for (std::size_t c = 0; c < k; ++c) {
      double sum = 0;
      for (std::size_t d = 0; d < kDims; ++d) {
        const double diff = double{points[i * kDims + d]} - r->centres[c * kDims + d];
        sum += diff * diff;
      }
      best = std::min(best, sum);
      if (c == r->labels[i]) own = sum;
    }
    ASSERT_LE(own, best * (1 + 1e-5) + 1e-9) << "point " << i;
    inertia += own;
    ++sizes[r->labels[i]];
    for (std::size_t d = 0; d < kDims; ++d) sums[r->labels[i] * kDims + d] += points[i * kDims + d];
  }
  // Every centre is the mean of its points.
  for (std::size_t c = 0; c < k; ++c) {
    ASSERT_GT(sizes[c], 0u);
    for (std::size_t d = 0; d < kDims; ++d)
      EXPECT_NEAR(r->centres[c * kDims + d], sums[c * kDims + d] / static_cast<double>(sizes[c]), 1e-4);
  }
  EXPECT_NEAR(r->inertia, inertia, 1e-6 * inertia);
}

TEST(KMeansTest, ThreadCountChangesNothing) {
  // More points than the seeding sample, so the sampled seeding is covered too.
  constexpr std::size_t kDims = 4;
  const auto points = Blobs(70000, kDims, 20, 9);
  KMeansResult results[3];
  for (int t = 1; t <= 3; ++t) {
    auto r = KMeans(points, kDims, {.k = 24, .seed = 7, .max_iterations = 60, .threads = t});
    ASSERT_TRUE(r.ok());
    results[t - 1] = std::move(*r);
  }
  for (int t = 1; t < 3; ++t) {
    EXPECT_EQ(results[t].centres, results[0].centres);
    EXPECT_EQ(results[t].labels, results[0].labels);
    EXPECT_EQ(results[t].iterations, results[0].iterations);
    EXPECT_EQ(results[t].inertia, results[0].inertia);
  }
}

TEST(KMeansTest, OneClusterIsTheMean) {
  const std::vector<float> points = {0, 0, 2, 0, 0, 4, 2, 4};
  auto r = KMeans(points, 2, {.k = 1});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->centres, (std::vector<float>{1, 2}));
  EXPECT_EQ(r->labels, (std::vector<std::uint32_t>(4, 0)));
  EXPECT_DOUBLE_EQ(r->inertia, 4 * 5.0);
  EXPECT_FALSE(KMeans(points, 2, {.k = 5}).ok());
  EXPECT_FALSE(KMeans(points, 0, {.k = 1}).ok());
}

}  // namespace
}  // namespace emotune
