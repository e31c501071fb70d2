// The recommender against a real SQLite catalog the test fills with ~200 generated
// tracks: filters, diversity rules, determinism, short playlists and their notes,
// reasons, and an uplift playlist that actually lifts.
#include <algorithm>
#include <map>
#include <random>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "emotune/ascii_text.h"
#include "emotune/catalog_store.h"
#include "emotune/feature_space.h"
#include "emotune/recommender.h"
#include "emotune/track_mood.h"
#include "test_files.h"

namespace emotune {
namespace {

using ::testing::HasSubstr;
using emotune::testing::TempDir;

const char* const kGenres[] = {"pop", "rock", "jazz", "ambient", "metal"};

// 200 tracks with varied features. Artist 0 gets about a third of them so the
// share cap has something to bite on. Fixed seed, portable arithmetic (no
// std::uniform_*_distribution, whose output differs between standard libraries).
std::vector<Track> GeneratedTracks() {
  std::mt19937_64 rng(42);
  const auto unit = [&] { return static_cast<double>(rng() % 1001) / 1000.0; };
  std::vector<Track> tracks;
  for (int i = 0; i < 200; ++i) {
    Track t;
    t.external_id = "gen-" + std::to_string(i);
    t.title = "Song " + std::to_string(i);
    const int artist = rng() % 3 == 0 ? 0 : static_cast<int>(rng() % 24) + 1;
    t.artists = {"Artist " + std::to_string(artist)};
    if (i % 17 == 0) t.artists.push_back("Guest " + std::to_string(i % 3));
    t.genre = kGenres[rng() % 5];
    t.language = i % 4 == 0 ? "es" : "en";
    t.release_year = 1970 + static_cast<int>(rng() % 54);
    t.duration_ms = 120000 + static_cast<std::int64_t>(rng() % 300000);
    t.features.spotify_valence = unit();
    t.features.energy = unit();
    t.features.danceability = unit();
    t.features.tempo_bpm = 60 + static_cast<double>(rng() % 130);
    t.features.loudness_db = -30 + 28 * unit();
    t.features.key = static_cast<int>(rng() % 12);
    t.features.mode = static_cast<int>(rng() % 2);
    tracks.push_back(std::move(t));
  }
  return tracks;
}

class RecommendEngineTest : public ::testing::Test {
 protected:
  std::unique_ptr<CatalogStore> Store(const std::vector<Track>& tracks, const std::string& name = "catalog.db") {
    auto store = OpenSqliteStore(dir_.File(name));
    EXPECT_TRUE(store.ok()) << store.status().message();
    if (!tracks.empty()) {
      auto writer = (*store)->BeginWrite(static_cast<std::int64_t>(tracks.size()));
      EXPECT_TRUE(writer.ok()) << writer.status().message();
      for (const Track& t : tracks) EXPECT_TRUE((*writer)->Put(t).ok());
      EXPECT_TRUE((*writer)->Commit().ok());
    }
    return std::move(*store);
  }

  static PlaylistRequest Request(Emotion listener, MoodStrategy strategy) {
    PlaylistRequest r;
    r.mood = MoodEstimate::FromPoint(EmotionPlace(listener), 1.0, "test");
    r.strategy = strategy;
    return r;
  }

  Recommendation Run(CatalogStore& store, const PlaylistRequest& request, const RecommendOptions& options) {
    auto rec = Recommend(store, request, options);
    EXPECT_TRUE(rec.ok()) << rec.status().message();
    return rec.ok() ? std::move(*rec) : Recommendation{};
  }

  static std::vector<std::int64_t> Ids(const Recommendation& rec) {
    std::vector<std::int64_t> ids;
    for (const auto& s : rec.slots) ids.push_back(s.track.id);
    return ids;
  }

  static bool Credits(const Track& t, const std::string& artist) {
    return std::any_of(t.artists.begin(), t.artists.end(),
                       [&](const std::string& a) { return AsciiLower(a) == AsciiLower(artist); });
  }

  TempDir dir_;
};

TEST_F(RecommendEngineTest, FiltersAreAlwaysHonoured) {
  auto store = Store(GeneratedTracks());
  RecommendOptions genre;
  genre.count = 10;
  genre.filters.genre = "JAZZ";
  for (auto strategy : {MoodStrategy::kMatch, MoodStrategy::kUplift, MoodStrategy::kEnergize}) {
    const Recommendation rec = Run(*store, Request(Emotion::kSadness, strategy), genre);
    EXPECT_EQ(rec.slots.size(), 10u) << rec.note;
    for (const auto& s : rec.slots) EXPECT_EQ(s.track.genre, "jazz");
  }
  RecommendOptions years;
  years.count = 10;
  years.filters.year_from = 1990;
  years.filters.year_to = 1999;
  for (const auto& s : Run(*store, Request(Emotion::kJoy, MoodStrategy::kCalm), years).slots) {
    ASSERT_TRUE(s.track.release_year);
    EXPECT_GE(*s.track.release_year, 1990);
    EXPECT_LE(*s.track.release_year, 1999);
  }
  RecommendOptions artist;
  artist.count = 5;
  artist.filters.artist = "artist 0";
  artist.max_artist_share = 1;
  const Recommendation one_artist = Run(*store, Request(Emotion::kJoy, MoodStrategy::kMatch), artist);
  // Asking for one artist turns artist spacing off: a whole playlist of theirs.
  ASSERT_EQ(one_artist.slots.size(), 5u);
  for (const auto& slot : one_artist.slots) EXPECT_TRUE(Credits(slot.track, "Artist 0"));
  EXPECT_EQ(one_artist.note, "");
}

TEST_F(RecommendEngineTest, RequestGenreAppliesWhenTheFiltersSayNothing) {
  auto store = Store(GeneratedTracks());
  PlaylistRequest r = Request(Emotion::kCalm, MoodStrategy::kMatch);
  r.genre = "ambient";
  RecommendOptions o;
  o.count = 6;
  for (const auto& s : Run(*store, r, o).slots) EXPECT_EQ(s.track.genre, "ambient");
}

TEST_F(RecommendEngineTest, NoArtistTwiceInARowAndTheShareCapHolds) {
  auto store = Store(GeneratedTracks());
  for (auto strategy : {MoodStrategy::kMatch, MoodStrategy::kUplift, MoodStrategy::kCalm}) {
    for (double share : {1.0 / 3, 0.25, 0.1}) {
      RecommendOptions o;
      o.count = 20;
      o.max_artist_share = share;
      const Recommendation rec = Run(*store, Request(Emotion::kSadness, strategy), o);
      EXPECT_EQ(rec.slots.size(), 20u) << rec.note;
      const std::size_t cap = std::max<std::size_t>(1, static_cast<std::size_t>(share * 20));
      std::map<std::string, std::size_t> per_artist;
      for (std::size_t i = 0; i < rec.slots.size(); ++i) {
        for (const auto& a : rec.slots[i].track.artists) {
          EXPECT_LE(++per_artist[a], cap) << a;
          if (i > 0) {
            EXPECT_FALSE(Credits(rec.slots[i - 1].track, a)) << "slot " << i << ": " << a;
          }
        }
      }
    }
  }
}

TEST_F(RecommendEngineTest, TheSameSeedGivesTheSamePlaylist) {
  auto store = Store(GeneratedTracks());
  RecommendOptions o;
  o.count = 15;
  o.seed = 99;
  const PlaylistRequest r = Request(Emotion::kFear, MoodStrategy::kUplift);
  const Recommendation a = Run(*store, r, o);
  const Recommendation b = Run(*store, r, o);
  EXPECT_EQ(Ids(a), Ids(b));
  ASSERT_EQ(a.path.size(), 15u);
  for (std::size_t i = 0; i < a.slots.size(); ++i) EXPECT_EQ(a.slots[i].reason, b.slots[i].reason);
}

TEST_F(RecommendEngineTest, AnotherSeedBreaksTiesDifferently) {
  // Ten tracks at one point: only the seed decides which plays first.
  std::vector<Track> same;
  for (int i = 0; i < 10; ++i) {
    Track t;
    t.title = "Twin " + std::to_string(i);
    t.artists = {"Band " + std::to_string(i)};
    t.features.spotify_valence = 0.5;
    t.features.energy = 0.5;
    same.push_back(t);
  }
  auto store = Store(same);
  RecommendOptions o;
  o.count = 1;
  std::set<std::int64_t> firsts;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    o.seed = seed;
    const Recommendation rec = Run(*store, Request(Emotion::kNeutral, MoodStrategy::kMatch), o);
    ASSERT_EQ(rec.slots.size(), 1u);
    firsts.insert(rec.slots[0].track.id);
    EXPECT_EQ(Ids(rec), Ids(Run(*store, Request(Emotion::kNeutral, MoodStrategy::kMatch), o)));
  }
  EXPECT_GT(firsts.size(), 1u);
}

TEST_F(RecommendEngineTest, NearDuplicatesAreDropped) {
  std::vector<Track> tracks;
  const auto add = [&](std::string title, std::string artist, std::string external, std::string file) {
    Track t;
    t.title = std::move(title);
    t.artists = {std::move(artist)};
    t.external_id = std::move(external);
    t.file_path = std::move(file);
    t.features.spotify_valence = 0.5;
    t.features.energy = 0.5;
    tracks.push_back(t);
  };
  add("Hello", "Echo", "a", "");
  add("hello ", "ECHO", "b", "");  // the same song, another release
  add("Tune", "Other", "", "/music/tune.flac");
  for (int i = 0; i < 6; ++i) add("Filler " + std::to_string(i), "Filler band " + std::to_string(i), "f" + std::to_string(i), "");
  EXPECT_TRUE(NearDuplicates(tracks[0], tracks[1]));
  EXPECT_FALSE(NearDuplicates(tracks[0], tracks[2]));
  Track same_file = tracks[2];
  same_file.title = "Tune (remaster)";
  EXPECT_TRUE(NearDuplicates(tracks[2], same_file));

  auto store = Store(tracks);
  RecommendOptions o;
  o.count = 9;
  o.max_artist_share = 1;
  const Recommendation rec = Run(*store, Request(Emotion::kNeutral, MoodStrategy::kMatch), o);
  EXPECT_EQ(rec.slots.size(), 8u);
  std::set<std::string> titles;
  for (const auto& s : rec.slots) EXPECT_TRUE(titles.insert(AsciiLower(TrimSpace(s.track.title))).second);
  EXPECT_THAT(rec.note, HasSubstr("near-duplicate"));
}

TEST_F(RecommendEngineTest, AnEmptyCatalogSaysToImport) {
  auto store = Store({});
  const Recommendation rec = Run(*store, Request(Emotion::kJoy, MoodStrategy::kMatch), {});
  EXPECT_TRUE(rec.slots.empty());
  EXPECT_EQ(rec.path.size(), 20u);
  EXPECT_EQ(rec.note, "the catalog is empty — import tracks first");
}

TEST_F(RecommendEngineTest, NarrowFiltersSayHowManyMatch) {
  auto store = Store(GeneratedTracks());
  RecommendOptions o;
  o.count = 20;
  o.max_artist_share = 1;
  o.filters.genre = "jazz";
  o.filters.year_from = 1990;
  o.filters.year_to = 2000;
  auto matching = store->CountTracks(o.filters);
  ASSERT_TRUE(matching.ok());
  ASSERT_GT(*matching, 0);
  ASSERT_LT(*matching, 20);
  const Recommendation rec = Run(*store, Request(Emotion::kJoy, MoodStrategy::kMatch), o);
  EXPECT_LE(rec.slots.size(), static_cast<std::size_t>(*matching));
  EXPECT_THAT(rec.note, HasSubstr("only " + std::to_string(*matching) + " track"));
  EXPECT_THAT(rec.note, HasSubstr("match the filters"));

  o.filters.genre = "polka";
  const Recommendation none = Run(*store, Request(Emotion::kJoy, MoodStrategy::kMatch), o);
  EXPECT_TRUE(none.slots.empty());
  EXPECT_EQ(none.note, "no tracks match the filters");
}

TEST_F(RecommendEngineTest, TracksWithoutMoodOrTooLongAreLeftOut) {
  std::vector<Track> tracks = GeneratedTracks();
  tracks.resize(30);
  Track unplaced;
  unplaced.title = "Mystery";
  unplaced.artists = {"Nobody"};
  unplaced.features.tempo_bpm = 100;  // tempo alone does not place a track
  tracks.push_back(unplaced);
  auto store = Store(tracks);
  RecommendOptions o;
  o.count = 40;
  o.max_artist_share = 1;
  o.max_duration_s = 300;
  const Recommendation rec = Run(*store, Request(Emotion::kNeutral, MoodStrategy::kMatch), o);
  for (const auto& s : rec.slots) {
    EXPECT_NE(s.track.title, "Mystery");
    ASSERT_TRUE(s.track.duration_ms);
    EXPECT_LE(*s.track.duration_ms, 300000);
    EXPECT_TRUE(s.mood.known);
  }
  EXPECT_THAT(rec.note, HasSubstr("only 31 tracks match the filters"));
  EXPECT_THAT(rec.note, HasSubstr("1 without valence or energy"));
  EXPECT_THAT(rec.note, HasSubstr("longer than 300 s"));
}

TEST_F(RecommendEngineTest, EverySlotExplainsItself) {
  auto store = Store(GeneratedTracks());
  RecommendOptions o;
  o.count = 12;
  const Recommendation rec = Run(*store, Request(Emotion::kAnger, MoodStrategy::kCalm), o);
  ASSERT_EQ(rec.slots.size(), 12u);
  for (const auto& s : rec.slots) {
    EXPECT_THAT(s.reason, HasSubstr("valence "));
    EXPECT_THAT(s.reason, HasSubstr("BPM"));
    EXPECT_THAT(s.reason, HasSubstr(" — "));
    EXPECT_THAT(s.reason, HasSubstr("near " + std::string(EmotionName(NearestEmotion(s.mood.point)))));
  }
}

TEST_F(RecommendEngineTest, UpliftTrendsUpward) {
  auto store = Store(GeneratedTracks());
  RecommendOptions o;
  o.count = 15;
  const Recommendation rec = Run(*store, Request(Emotion::kSadness, MoodStrategy::kUplift), o);
  ASSERT_EQ(rec.slots.size(), 15u);
  const auto mean_valence = [&](std::size_t from, std::size_t to) {
    double sum = 0;
    for (std::size_t i = from; i < to; ++i) sum += rec.slots[i].mood.point.valence;
    return sum / static_cast<double>(to - from);
  };
  EXPECT_GT(mean_valence(10, 15), mean_valence(0, 5) + 0.5);
  EXPECT_LT(rec.slots.front().mood.point.valence, 0);
  EXPECT_GT(rec.slots.back().mood.point.valence, 0);
}

TEST_F(RecommendEngineTest, BadOptionsAreInvalidArguments) {
  auto store = Store({});
  RecommendOptions o;
  o.count = 0;
  EXPECT_EQ(Recommend(*store, {}, o).status().code(), Status::Code::kInvalidArgument);
  o = {};
  o.max_artist_share = 0;
  EXPECT_EQ(Recommend(*store, {}, o).status().code(), Status::Code::kInvalidArgument);
  o = {};
  o.max_duration_s = 0;
  EXPECT_EQ(Recommend(*store, {}, o).status().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace emotune

namespace emotune {
namespace {

class RecommendFeedbackTest : public RecommendEngineTest {};

TEST_F(RecommendFeedbackTest, ADislikedTrackIsNeverChosenForThatListenerOnly) {
  auto store = Store(GeneratedTracks());
  RecommendOptions o;
  o.count = 10;
  const Recommendation before = Run(*store, Request(Emotion::kJoy, MoodStrategy::kMatch), o);
  ASSERT_FALSE(before.slots.empty());
  const std::int64_t first = before.slots[0].track.id;
  ASSERT_TRUE(store->AddFeedback("ana", first, FeedbackKind::kDislike).ok());
  o.user = "ana";
  const auto ana = Ids(Run(*store, Request(Emotion::kJoy, MoodStrategy::kMatch), o));
  EXPECT_EQ(std::find(ana.begin(), ana.end(), first), ana.end());
  o.user = "ben";
  EXPECT_EQ(Ids(Run(*store, Request(Emotion::kJoy, MoodStrategy::kMatch), o)), Ids(before));
}

TEST_F(RecommendFeedbackTest, LikesPullNearbyTracksIn) {
  auto store = Store(GeneratedTracks());
  RecommendOptions o;
  o.count = 10;
  const PlaylistRequest request = Request(Emotion::kSadness, MoodStrategy::kMatch);
  const Recommendation before = Run(*store, request, o);
  // Like a track a little way from the sad corner: its neighbours should move up.
  auto all = store->FindTracks({});
  ASSERT_TRUE(all.ok());
  const AffectPoint sad = EmotionPlace(Emotion::kSadness);
  const Track* liked = nullptr;
  for (const Track& t : *all) {
    const double d = Distance(TrackMoodFromFeatures(t.features).point, sad);
    if (d > 0.35 && d < 0.5) {
      liked = &t;
      break;
    }
  }
  ASSERT_NE(liked, nullptr);
  const AffectPoint liked_point = TrackMoodFromFeatures(liked->features).point;
  ASSERT_TRUE(store->AddFeedback("ana", liked->id, FeedbackKind::kLike).ok());
  o.user = "ana";
  const Recommendation after = Run(*store, request, o);
  const auto mean_distance = [&](const Recommendation& rec) {
    double sum = 0;
    for (const auto& s : rec.slots) sum += Distance(s.mood.point, liked_point);
    return sum / static_cast<double>(rec.slots.size());
  };
  EXPECT_LT(mean_distance(after), mean_distance(before));
  EXPECT_TRUE(std::any_of(after.slots.begin(), after.slots.end(),
                          [](const PlaylistSlot& s) { return s.reason.find("you liked") != std::string::npos; }));
}

TEST_F(RecommendFeedbackTest, FeedbackNeedsARealTrackAndUser) {
  auto store = Store(GeneratedTracks());
  EXPECT_EQ(store->AddFeedback("ana", 999999, FeedbackKind::kLike).code(), Status::Code::kNotFound);
  EXPECT_EQ(store->AddFeedback("  ", 1, FeedbackKind::kLike).code(), Status::Code::kInvalidArgument);
  ASSERT_TRUE(store->AddFeedback("ana", 1, FeedbackKind::kSkip).ok());
  ASSERT_TRUE(store->AddFeedback("ana", 1, FeedbackKind::kLike).ok());
  auto events = store->UserFeedback("ana");
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[1].kind, FeedbackKind::kLike);
  EXPECT_TRUE(store->UserFeedback("nobody")->empty());
  EXPECT_EQ(ParseFeedbackKind("LIKE").value(), FeedbackKind::kLike);
  EXPECT_FALSE(ParseFeedbackKind("meh").ok());
}

TEST_F(RecommendFeedbackTest, RecentlyPlayedTracksAreHeldBackForThatListenerOnly) {
  auto store = Store(GeneratedTracks());
  RecommendOptions o;
  o.count = 10;
  const PlaylistRequest request = Request(Emotion::kCalm, MoodStrategy::kMatch);
  const auto before = Ids(Run(*store, request, o));
  ASSERT_EQ(before.size(), 10u);
  for (std::int64_t id : before) ASSERT_TRUE(store->AddPlay("ana", id).ok());
  o.user = "ana";
  const auto after = Ids(Run(*store, request, o));
  ASSERT_EQ(after.size(), 10u);
  for (std::int64_t id : before) EXPECT_EQ(std::count(after.begin(), after.end(), id), 0) << id;
  o.history_window = 0;  // history off: the same playlist as before
  EXPECT_EQ(Ids(Run(*store, request, o)), before);
  o.history_window = 50;
  o.user = "ben";
  EXPECT_EQ(Ids(Run(*store, request, o)), before);
}

TEST_F(RecommendFeedbackTest, RecentPlaysComeBackWhenNothingElseFits) {
  std::vector<Track> tracks = GeneratedTracks();
  tracks.resize(6);
  for (std::size_t i = 0; i < tracks.size(); ++i) tracks[i].artists = {"Artist " + std::to_string(i)};
  auto store = Store(tracks);
  auto all = store->FindTracks({});
  ASSERT_TRUE(all.ok());
  ASSERT_TRUE(store->AddPlay("ana", all->front().id).ok());
  RecommendOptions o;
  o.count = 6;
  o.user = "ana";
  const Recommendation rec = Run(*store, Request(Emotion::kJoy, MoodStrategy::kMatch), o);
  ASSERT_EQ(rec.slots.size(), 6u);
  const auto played = std::find_if(rec.slots.begin(), rec.slots.end(),
                                   [&](const PlaylistSlot& s) { return s.track.id == all->front().id; });
  ASSERT_NE(played, rec.slots.end());
  EXPECT_THAT(played->reason, HasSubstr("played recently"));
}

TEST_F(RecommendFeedbackTest, HistoryKeepsEachTrackOnceNewestFirst) {
  auto store = Store(GeneratedTracks());
  EXPECT_EQ(store->AddPlay("ana", 999999).code(), Status::Code::kNotFound);
  EXPECT_EQ(store->AddPlay(" ", 1).code(), Status::Code::kInvalidArgument);
  for (std::int64_t id : {1, 2, 3, 1, 4}) ASSERT_TRUE(store->AddPlay("ana", id).ok());
  EXPECT_THAT(store->RecentlyPlayed("ana", 10).value(), ::testing::ElementsAre(4, 1, 3, 2));
  EXPECT_THAT(store->RecentlyPlayed("ana", 2).value(), ::testing::ElementsAre(4, 1));
  EXPECT_TRUE(store->RecentlyPlayed("ben", 10)->empty());
}

TEST_F(RecommendFeedbackTest, MoreLikeThisRanksBySound) {
  auto store = Store(GeneratedTracks());
  auto all = store->FindTracks({});
  ASSERT_TRUE(all.ok());
  const Track& seed_track = (*all)[17];
  RecommendOptions o;
  o.count = 8;
  o.like_track_id = seed_track.id;
  PlaylistRequest request = Request(Emotion::kNeutral, MoodStrategy::kMatch);
  const Recommendation like = Run(*store, request, o);
  ASSERT_EQ(like.slots.size(), 8u) << like.note;
  const FeatureSpace space = FeatureSpace::Fit(*all);
  const auto sound = [&](const Track& t) {
    return FeatureSpace::SquaredDistance(space.Standardise(t.features), space.Standardise(seed_track.features));
  };
  double chosen = 0, everyone = 0;
  for (const auto& slot : like.slots) {
    EXPECT_NE(slot.track.id, seed_track.id);
    EXPECT_THAT(slot.reason, HasSubstr("sounds like"));
    chosen += sound(slot.track) / 8;
  }
  for (const Track& t : *all) everyone += sound(t) / static_cast<double>(all->size());
  EXPECT_LT(chosen, everyone / 2);  // far nearer than the catalog on average
  o.like_track_id = 987654;
  auto missing = Recommend(*store, request, o);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace emotune
