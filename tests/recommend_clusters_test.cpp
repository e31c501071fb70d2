// k-means mood clusters: separated groups are found, the same seed gives the same
// clusters, names come from the centroid's place in the affect plane.
#include <random>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace emotune
