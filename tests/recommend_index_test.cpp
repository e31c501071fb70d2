// The index-backed recommender against a brute-force oracle: the scan over every
// filtered Track that Recommend was before it had an index, kept here verbatim in
// its rules (tie steps, seeded hash, artist spacing and cap, near-duplicates,
// taste, history, duration) so any pruning mistake in the trees shows up as a
// different playlist. Generated catalogs with many exact ties, several seeds,
// strategies, filters and listeners. Plus TrackIndex::Nearest against exact search.
#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "emotune/ascii_text.h"
#include "emotune/catalog_store.h"
#include "emotune/feature_space.h"
#include "emotune/hash64.h"
#include "emotune/mood_path.h"
#include "emotune/recommender.h"
#include "emotune/track_index.h"
#include "emotune/track_mood.h"
#include "recommend/track_index_data.h"
#include "test_files.h"

namespace emotune {
namespace {

// Coarse features (steps of 0.05) so that many tracks share a place: ties are where
// an index most easily disagrees with a scan.
std::vector<Track> Catalog(std::uint64_t seed, int n) {
  std::mt19937_64 rng(seed);
  const auto coarse = [&] { return static_cast<double>(rng() % 21) / 20.0; };
  const char* genres[] = {"pop", "Rock", "jazz", "ambient"};
  std::vector<Track> tracks;
  for (int i = 0; i < n; ++i) {
    Track t;
    t.external_id = "x" + std::to_string(i);
    t.title = "Song " + std::to_string(rng() % 5 == 0 ? i / 2 : i);  // some near-duplicates
    t.artists = {"Artist " + std::to_string(rng() % 40)};
    if (rng() % 9 == 0) t.artists.push_back("Guest " + std::to_string(rng() % 5));
    t.genre = genres[rng() % 4];
    t.release_year = 1980 + static_cast<int>(rng() % 40);
    if (rng() % 7) t.duration_ms = 100000 + static_cast<std::int64_t>(rng() % 300000);
    if (rng() % 25) t.features.energy = coarse();
    if (rng() % 25) t.features.spotify_valence = coarse();
    t.features.danceability = coarse();
    if (rng() % 3) t.features.tempo_bpm = 60 + 10.0 * static_cast<double>(rng() % 13);
    t.features.loudness_db = -30 + 2.0 * static_cast<double>(rng() % 15);
    t.features.acousticness = coarse();
    tracks.push_back(std::move(t));
  }
  return tracks;
}

// The oracle: every filtered track scanned for every waypoint. A track blocked by
// the artist rules counts toward the note when it ranked above the chosen one.
std::vector<std::int64_t> BruteForce(CatalogStore& store, const PlaylistRequest& request, const RecommendOptions& o,
                                     const std::vector<Track>& candidates_in, bool* artist_limited) {
  const auto folded = [](std::string_view s) { return AsciiLower(TrimSpace(s)); };
  std::set<std::int64_t> excluded(o.exclude_ids.begin(), o.exclude_ids.end()), disliked, recent;
  std::vector<std::pair<AffectPoint, double>> marks;
  if (!o.user.empty()) {
    auto played = store.RecentlyPlayed(o.user, o.history_window);
    if (o.history_window > 0) recent.insert(played->begin(), played->end());
    std::map<std::int64_t, FeedbackKind> latest;
    const auto events = store.UserFeedback(o.user);
    for (const auto& e : *events) latest[e.track_id] = e.kind;
    for (const auto& [id, kind] : latest) {
      const TrackMood m = TrackMoodFromFeatures(store.GetTrack(id)->features);
      if (kind == FeedbackKind::kDislike) disliked.insert(id);
      if (m.known) marks.emplace_back(m.point, kind == FeedbackKind::kLike ? -0.15 : kind == FeedbackKind::kDislike ? 0.25 : 0.08);
    }
  }
  std::optional<Track> liked;
  if (o.like_track_id) {
    liked = *store.GetTrack(*o.like_track_id);
    excluded.insert(liked->id);
  }
  const FeatureSpace space = FeatureSpace::Fit(candidates_in);
  struct C {
    const Track* t;
    AffectPoint p;
    double taste, unlike;
    std::uint64_t hash;
  };
  std::vector<C> cs;
  for (const Track& t : candidates_in) {
    const TrackMood m = TrackMoodFromFeatures(t.features);
    if (excluded.count(t.id) || disliked.count(t.id) || !m.known) continue;
    if (o.max_duration_s && t.duration_ms && *t.duration_ms > std::int64_t{*o.max_duration_s} * 1000) continue;
    double taste = 0;
    for (const auto& [q, w] : marks) taste += w * std::exp(-std::pow(Distance(m.point, q) / 0.2, 2));
    taste += recent.count(t.id) ? 3.0 : 0.0;
    const double unlike =
        liked ? std::sqrt(FeatureSpace::SquaredDistance(space.Standardise(t.features), space.Standardise(liked->features)) / 9) / 2 : 0;
    cs.push_back({&t, m.point, taste, unlike, Hash64(std::to_string(t.id), o.seed)});
  }
  const std::size_t cap = std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(o.max_artist_share * o.count)));
  const bool space_artists = o.filters.artist.empty() && request.artist.empty();
  std::set<std::string> titles, files, previous;
  std::map<std::string, std::size_t> per_artist;
  std::set<std::size_t> taken;
  std::vector<std::int64_t> ids;
  for (const AffectPoint& w : PlanMoodPath(request, o.count)) {
    std::vector<std::pair<std::pair<std::int64_t, std::uint64_t>, std::size_t>> order;
    for (std::size_t i = 0; i < cs.size(); ++i) {
      if (taken.count(i)) continue;
      const double d = std::max(0.0, (liked ? cs[i].unlike : Distance(cs[i].p, w)) + cs[i].taste);
      order.push_back({{static_cast<std::int64_t>(std::floor(d / 0.01)), cs[i].hash}, i});
    }
    std::sort(order.begin(), order.end());
    for (const auto& [key, i] : order) {
      const Track& t = *cs[i].t;
      std::set<std::string> artists;
      for (const auto& a : t.artists)
        if (!folded(a).empty()) artists.insert(folded(a));
      const std::string title = folded(t.title) + '\x1f' + (t.artists.empty() ? "" : folded(t.artists[0]));
      if (titles.count(title) || (!t.file_path.empty() && files.count(t.file_path))) continue;
      const bool artist_blocked = space_artists && std::any_of(artists.begin(), artists.end(), [&](const std::string& a) {
                                    return previous.count(a) || per_artist[a] >= cap;
                                  });
      if (artist_blocked) {
        *artist_limited = true;
        continue;
      }
      taken.insert(i);
      titles.insert(title);
      if (!t.file_path.empty()) files.insert(t.file_path);
      for (const auto& a : artists) ++per_artist[a];
      previous = artists;
      ids.push_back(t.id);
      break;
    }
  }
  return ids;
}

std::vector<std::int64_t> Ids(const Recommendation& rec) {
  std::vector<std::int64_t> ids;
  for (const auto& s : rec.slots) ids.push_back(s.track.id);
  return ids;
}

class RecommendIndexTest : public ::testing::TestWithParam<std::uint64_t> {
 protected:
  std::unique_ptr<CatalogStore> Store(const std::vector<Track>& tracks) {
    auto store = OpenSqliteStore(dir_.File("catalog.db"));
    auto writer = (*store)->BeginWrite();
    for (const Track& t : tracks) EXPECT_TRUE((*writer)->Put(t).ok());
    EXPECT_TRUE((*writer)->Commit().ok());
    return std::move(*store);
  }
  emotune::testing::TempDir dir_;
};

TEST_P(RecommendIndexTest, EqualsBruteForceOverStrategiesFiltersAndListeners) {
  const std::uint64_t seed = GetParam();
  auto store = Store(Catalog(seed, 600));
  auto index = TrackIndex::Build(*store);
  ASSERT_TRUE(index.ok()) << index.status().message();
  std::mt19937_64 rng(seed * 7 + 1);
  // A listener with likes, skips, dislikes and plays.
  for (int i = 0; i < 12; ++i)
    ASSERT_TRUE(store->AddFeedback("ana", 1 + static_cast<std::int64_t>(rng() % 600),
                                   static_cast<FeedbackKind>(rng() % 3)).ok());
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(store->AddPlay("ana", 1 + static_cast<std::int64_t>(rng() % 600)).ok());
  const MoodStrategy strategies[] = {MoodStrategy::kMatch, MoodStrategy::kUplift, MoodStrategy::kCalm,
                                     MoodStrategy::kEnergize, MoodStrategy::kTarget};
  for (int round = 0; round < 40; ++round) {
    PlaylistRequest request;
    const auto coord = [&] { return static_cast<double>(rng() % 201) / 100.0 - 1; };
    request.mood = MoodEstimate::FromPoint({coord(), coord()}, 1.0, "test");
    request.strategy = strategies[round % 5];
    if (round % 5 == 4) request.target = AffectPoint{coord(), coord()};
    RecommendOptions o;
    o.count = 1 + rng() % 30;
    o.seed = rng() % 4;
    if (round % 3 == 0) o.user = "ana";
    if (round % 4 == 1) o.filters.genre = "rock";
    if (round % 6 == 2) o.filters.year_from = 1995, o.filters.year_to = 2005;
    if (round % 7 == 3) request.artist = "artist 7";
    if (round % 8 == 5) o.max_duration_s = 250;
    if (round % 9 == 6) o.exclude_ids = {1, 2, 3, 4, 5};
    if (round % 10 == 7) o.max_artist_share = 0.1;
    const bool like = round % 5 == 3 && o.filters.genre.empty() && !o.filters.year_from && request.artist.empty();
    if (like) o.like_track_id = 1 + static_cast<std::int64_t>(rng() % 600);
    SCOPED_TRACE(::testing::Message() << "seed " << seed << " round " << round);

    TrackQuery query = o.filters;
    if (query.artist.empty()) query.artist = request.artist;
    if (query.genre.empty()) query.genre = request.genre;
    const auto filtered = *store->FindTracks(query);
    bool artist_limited = false;
    const auto expected = BruteForce(*store, request, o, filtered, &artist_limited);
    auto from_store = Recommend(*store, request, o);
    ASSERT_TRUE(from_store.ok()) << from_store.status().message();
    EXPECT_EQ(Ids(*from_store), expected);
    EXPECT_EQ(from_store->note.find("per artist") != std::string::npos,
              artist_limited && expected.size() < o.count) << from_store->note;
    auto from_index = Recommend(*index, *store, request, o);
    ASSERT_TRUE(from_index.ok()) << from_index.status().message();
    EXPECT_EQ(Ids(*from_index), expected);
    EXPECT_EQ(from_index->note, from_store->note);
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, RecommendIndexTest, ::testing::Values(1u, 2u, 3u, 4u));

TEST(TrackIndexNearest, EqualsExactSearch) {
  auto tracks = Catalog(9, 2000);
  for (std::size_t i = 0; i < tracks.size(); ++i) tracks[i].id = static_cast<std::int64_t>(i) + 1;
  auto index = TrackIndex::Build(tracks);
  ASSERT_TRUE(index.ok());
  std::mt19937_64 rng(3);
  for (int q = 0; q < 50; ++q) {
    FeatureSpace::Point query;
    for (double& x : query) x = static_cast<double>(rng() % 601) / 100.0 - 3;
    std::vector<std::pair<double, std::int64_t>> exact;
    for (std::size_t i = 0; i < tracks.size(); ++i)
      if (TrackMoodFromFeatures(tracks[i].features).known)
        exact.push_back({FeatureSpace::SquaredDistance(index->space().Standardise(tracks[i].features), query),
                         tracks[i].id});
    std::sort(exact.begin(), exact.end());
    const auto found = index->Nearest(query, 10);
    ASSERT_EQ(found.size(), 10u);
    for (std::size_t k = 0; k < 10; ++k) {
      EXPECT_DOUBLE_EQ(found[k].distance, std::sqrt(exact[k].first));
      EXPECT_EQ(found[k].id, exact[k].second);
    }
  }
}

TEST(TrackIndexNearest, NearestToLeavesTheTrackOutAndKnowsUnknownIds) {
  auto tracks = Catalog(5, 300);
  for (std::size_t i = 0; i < tracks.size(); ++i) tracks[i].id = static_cast<std::int64_t>(i) + 1;
  auto index = TrackIndex::Build(tracks);
  ASSERT_TRUE(index.ok());
  std::int64_t placed = 1;
  while (!TrackMoodFromFeatures(tracks[placed - 1].features).known) ++placed;
  auto near = index->NearestTo(placed, 5);
  ASSERT_TRUE(near.ok());
  ASSERT_EQ(near->size(), 5u);
  for (const auto& n : *near) EXPECT_NE(n.id, placed);
  EXPECT_TRUE(std::is_sorted(near->begin(), near->end(), [](auto& a, auto& b) { return a.distance < b.distance; }));
  EXPECT_EQ(index->NearestTo(99999, 5).status().code(), Status::Code::kNotFound);
}

// Every column, dictionary and tree of two indexes alike.
void ExpectSameIndex(const TrackIndex& x, const TrackIndex& y) {
  const recommend::TrackIndexData &a = x.data(), &b = y.data();
  ASSERT_EQ(a.ids, b.ids);
  EXPECT_EQ(a.title_keys, b.title_keys);
  EXPECT_EQ(a.files, b.files);
  EXPECT_EQ(a.artist_begin, b.artist_begin);
  EXPECT_EQ(a.artists, b.artists);
  EXPECT_EQ(a.genres, b.genres);
  EXPECT_EQ(a.languages, b.languages);
  EXPECT_EQ(a.given_moods, b.given_moods);
  EXPECT_EQ(a.artist_keys.keys(), b.artist_keys.keys());
  EXPECT_EQ(a.genre_keys.keys(), b.genre_keys.keys());
  EXPECT_EQ(a.years, b.years);
  EXPECT_EQ(a.durations_ms, b.durations_ms);
  EXPECT_EQ(a.by_id, b.by_id);
  EXPECT_EQ(a.feature_pos, b.feature_pos);
  for (std::size_t r = 0; r < a.size(); ++r) {
    ASSERT_EQ(a.placed(r), b.placed(r));
    const bool same_place = !a.placed(r) || (a.moods[r].valence == b.moods[r].valence && a.moods[r].arousal == b.moods[r].arousal);
    ASSERT_TRUE(same_place) << "row " << r;
  }
  for (std::size_t pos = 0; pos < a.trees.features.size(); ++pos) {
    ASSERT_EQ(a.trees.features.row(pos), b.trees.features.row(pos));
    ASSERT_EQ(a.trees.features.point(pos), b.trees.features.point(pos));
  }
  ASSERT_EQ(a.trees.moods.size(), b.trees.moods.size());
  for (std::size_t pos = 0; pos < a.trees.moods.size(); ++pos) ASSERT_EQ(a.trees.moods.row(pos), b.trees.moods.row(pos));
  EXPECT_EQ(x.MemoryBytes(), y.MemoryBytes());
}

// Large builds take other paths: rows read on one thread and added on another, or
// read in id ranges on several; trees built on several. None may change the index.
TEST(TrackIndexBuild, ThreadsAndThePipelineChangeNothing) {
  using recommend::FeatureTree;
  // A feature tree on one thread and on four.
  auto tracks = Catalog(11, 70000);
  for (std::size_t i = 0; i < tracks.size(); ++i) tracks[i].id = static_cast<std::int64_t>(i) + 1;
  const FeatureSpace space = FeatureSpace::Fit(tracks);
  std::vector<std::uint32_t> rows(tracks.size());
  std::vector<FeatureTree::Point> points(tracks.size());
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    rows[i] = static_cast<std::uint32_t>(i);
    points[i] = space.Standardise(tracks[i].features);
  }
  const FeatureTree one = FeatureTree::Build(rows, points, 1), four = FeatureTree::Build(rows, points, 4);
  ASSERT_EQ(one.nodes().size(), four.nodes().size());
  for (std::size_t n = 0; n < one.nodes().size(); ++n) {
    const auto &a = one.nodes()[n], &b = four.nodes()[n];
    ASSERT_TRUE(a.begin == b.begin && a.end == b.end && a.left == b.left && a.right == b.right && a.box.lo == b.box.lo &&
                a.box.hi == b.box.hi)
        << "node " << n;
  }
  for (std::size_t pos = 0; pos < one.size(); ++pos) {
    ASSERT_EQ(one.row(pos), four.row(pos));
    ASSERT_EQ(one.point(pos), four.point(pos));
  }

  // The index from a store (the reading pipeline) and from the same tracks in memory.
  emotune::testing::TempDir dir;
  auto store = OpenSqliteStore(dir.File("catalog.db"));
  ASSERT_TRUE(store.ok());
  {
    auto writer = (*store)->BeginWrite(static_cast<std::int64_t>(tracks.size()));
    for (const Track& t : tracks) ASSERT_TRUE((*writer)->Put(t).ok());
    ASSERT_TRUE((*writer)->Commit().ok());
  }
  auto stored = (*store)->FindTracks({});
  ASSERT_TRUE(stored.ok());
  auto direct = TrackIndex::Build(*stored);
  ASSERT_TRUE(direct.ok());
  // One connection (the pipeline), and id ranges read at once on 2 and 3 connections.
  for (unsigned parts : {1u, 2u, 3u}) {
    auto built = TrackIndex::Build(**store, {}, {.read_parts = parts});
    ASSERT_TRUE(built.ok()) << built.status().message();
    ExpectSameIndex(*built, *direct);
  }
}

// Builders filled with consecutive runs of tracks and joined in order make the index
// one builder given all of them makes, the runs' own artists and genres included.
TEST(TrackIndexBuild, JoinedBuildersEqualOne) {
  auto tracks = Catalog(5, 3000);
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    tracks[i].id = static_cast<std::int64_t>(i) + 1;
    if (i >= 2000) tracks[i].artists.push_back("Only Late " + std::to_string(i % 7));  // keys the first run lacks
    if (i >= 2500) tracks[i].genre = i % 2 ? "Late Genre" : "late genre";
  }
  auto whole = TrackIndex::Build(tracks);
  ASSERT_TRUE(whole.ok());
  TrackIndex::Builder first(tracks.size()), second, third;
  for (std::size_t i = 0; i < tracks.size(); ++i) (i < 1000 ? first : i < 2200 ? second : third).Add(tracks[i]);
  first.Append(std::move(second));
  first.Append(std::move(third));
  first.Append(TrackIndex::Builder());  // an empty run adds nothing
  auto joined = std::move(first).Finish();
  ASSERT_TRUE(joined.ok());
  ExpectSameIndex(*joined, *whole);
}

}  // namespace
}  // namespace emotune
