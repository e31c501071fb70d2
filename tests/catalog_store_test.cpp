// The SQLite catalog store: queries, stats, the default path, WAL, and schema
// migrations (including refusing files it must not touch).
#include <sqlite3.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "catalog/catalog_schema.h"
#include "emotune/track_import.h"
#include "emotune/catalog_store.h"
#include "test_files.h"

namespace emotune {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Optional;
using emotune::testing::ReadFile;
using emotune::testing::TempDir;
using emotune::testing::WriteFile;

Track MakeTrack(std::string title, std::vector<std::string> artists, std::optional<int> year = std::nullopt) {
  Track t;
  t.title = std::move(title);
  t.artists = std::move(artists);
  t.release_year = year;
  return t;
}

std::vector<std::string> Titles(const std::vector<Track>& tracks) {
  std::vector<std::string> out;
  for (const auto& t : tracks) out.push_back(t.title);
  return out;
}

// Runs `sql` on the SQLite file at `path` with the raw C API.
void RawExec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

std::string RawQueryText(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(stmt, 0);
    if (text) out = reinterpret_cast<const char*>(text);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenSqliteStore(path_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
  }

  std::vector<std::int64_t> Put(const std::vector<Track>& tracks) {
    auto writer = store_->BeginWrite();
    EXPECT_TRUE(writer.ok()) << writer.status().message();
    if (!writer.ok()) return {};
    for (const auto& t : tracks) EXPECT_TRUE((*writer)->Put(t).ok());
    auto counts = (*writer)->Commit();
    EXPECT_TRUE(counts.ok()) << counts.status().message();
    std::vector<std::int64_t> ids;
    auto all = store_->FindTracks({});
    for (const auto& t : *all) ids.push_back(t.id);
    return ids;
  }

  std::vector<std::string> Find(const TrackQuery& q) {
    auto found = store_->FindTracks(q);
    EXPECT_TRUE(found.ok()) << found.status().message();
    return found.ok() ? Titles(*found) : std::vector<std::string>{};
  }

  // A small catalog: five tracks with different artists, genres, years and moods.
  void PutSample() {
    Track a = MakeTrack("Alpha", {"Ann", "Bob"}, 1990);
    a.genre = "Rock";
    a.language = "en";
    a.given_mood = "Happy";
    a.duration_ms = 200000;
    a.features.energy = 0.8;
    a.features.spotify_valence = 0.6;
    Track b = MakeTrack("Beta", {"bob"}, 1995);
    b.genre = "rock";
    b.language = "EN";
    b.given_mood = "sad";
    b.duration_ms = 100000;
    b.features.energy = 0.2;
    Track c = MakeTrack("Gamma", {"Carla", "Dee \"D\" Smith"}, 2005);
    c.genre = "jazz";
    c.language = "pt";
    c.given_mood = "Sad";
    c.file_path = "/music/gamma.flac";
    c.features.energy = 0.4;
    c.features.spotify_valence = 0.2;
    Track d = MakeTrack("Delta", {"Bobby"}, 2010);
    d.genre = "pop";
    Track e = MakeTrack("Epsilon", {});
    Put({a, b, c, d, e});
  }

  TempDir dir_;
  std::string path_ = dir_.File("catalog.db");
  std::unique_ptr<CatalogStore> store_;
};

TEST_F(StoreTest, FreshStoreIsAtTheCurrentVersionAndEmpty) {
  EXPECT_EQ(store_->SchemaVersion(), kCatalogSchemaVersion);
  auto n = store_->CountTracks({});
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0);
  auto stats = store_->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->tracks, 0);
  EXPECT_EQ(stats->year_min, std::nullopt);
  EXPECT_TRUE(stats->feature_means.empty());
}

TEST_F(StoreTest, PutAndGetRoundTripsEveryField) {
  Track t = MakeTrack("Everything", {"One", "Two, Three", "Quote \" and \\ back"}, 2001);
  t.external_id = "abc123";
  t.album = "Album";
  t.release_date = "2001-02-03";
  t.duration_ms = 123456;
  t.genre = "ambient";
  t.language = "fr";
  t.popularity = 42;
  t.explicit_lyrics = false;
  t.spotify_uri = "spotify:track:abc123";
  t.file_path = "/music/every thing.mp3";
  t.given_mood = "Calm";
  t.features = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, -12.5, 99.5, 11, 0, 5};
  auto ids = Put({t});
  ASSERT_EQ(ids.size(), 1u);
  auto got = store_->GetTrack(ids[0]);
  ASSERT_TRUE(got.ok()) << got.status().message();
  t.id = ids[0];
  EXPECT_EQ(*got, t);
}

// ForEachTrack reuses one Track for every row: nothing of a row may leak into the
// next (artists, optional fields), and the index's lean read fills exactly the
// fields it promises, artists with escapes included.
TEST_F(StoreTest, ForEachTrackFillsEachRowAfreshInBothForms) {
  Track full = MakeTrack("Full", {"One", "Quote \" and \\ back", "Tab\there", "Ünï"}, 2001);
  full.external_id = "abc";
  full.album = "Album";
  full.release_date = "2001-02-03";
  full.duration_ms = 123456;
  full.genre = "ambient";
  full.language = "fr";
  full.popularity = 42;
  full.explicit_lyrics = true;
  full.spotify_uri = "spotify:track:abc";
  full.file_path = "/music/full.flac";
  full.given_mood = "Calm";
  full.features = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, -12.5, 99.5, 11, 0, 5};
  Track bare = MakeTrack("Bare", {});
  Track plain = MakeTrack("Plain", {" Spaced ", "Two"});
  plain.features.energy = 0.5;
  auto ids = Put({full, bare, plain});
  ASSERT_EQ(ids.size(), 3u);
  auto expected = store_->FindTracks({});
  ASSERT_TRUE(expected.ok());
  ASSERT_EQ(expected->size(), 3u);

  std::vector<Track> all;
  ASSERT_TRUE(store_->ForEachTrack({}, [&](const Track& t) { all.push_back(t); return Status::Ok(); }).ok());
  EXPECT_EQ(all, *expected);

  std::vector<Track> lean;
  ASSERT_TRUE(store_
                  ->ForEachTrack({}, [&](const Track& t) { lean.push_back(t); return Status::Ok(); },
                                 TrackFields::kForIndex)
                  .ok());
  ASSERT_EQ(lean.size(), 3u);
  for (std::size_t i = 0; i < lean.size(); ++i) {
    Track want = (*expected)[i];
    want.external_id.clear();
    want.album.clear();
    want.release_date.clear();
    want.explicit_lyrics.reset();
    want.spotify_uri.clear();
    want.features.key.reset();
    want.features.mode.reset();
    want.features.time_signature.reset();
    EXPECT_EQ(lean[i], want) << i;
  }
  EXPECT_EQ(lean[0].artists, full.artists);
  EXPECT_TRUE(lean[1].artists.empty());
  EXPECT_EQ(lean[2].artists, plain.artists);
}

TEST_F(StoreTest, GetTrackNotFound) {
  PutSample();
  auto got = store_->GetTrack(999);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), Status::Code::kNotFound);
  EXPECT_THAT(got.status().message(), HasSubstr("999"));
}

TEST_F(StoreTest, ArtistMatchesAnyCreditedArtistCaseInsensitively) {
  PutSample();
  TrackQuery q;
  q.artist = "BOB";
  EXPECT_THAT(Find(q), ElementsAre("Alpha", "Beta"));  // second credit of Alpha; not "Bobby"
  q.artist = "carla";
  EXPECT_THAT(Find(q), ElementsAre("Gamma"));
  q.artist = "Bobby";
  EXPECT_THAT(Find(q), ElementsAre("Delta"));
  q.artist = "Bo";
  EXPECT_THAT(Find(q), ::testing::IsEmpty());
}

TEST_F(StoreTest, ArtistWithAQuoteInALaterCredit) {
  PutSample();
  TrackQuery q;
  q.artist = "dee \"d\" smith";
  EXPECT_THAT(Find(q), ElementsAre("Gamma"));
}

TEST_F(StoreTest, GenreLanguageAndMoodAreCaseInsensitive) {
  PutSample();
  TrackQuery q;
  q.genre = "ROCK";
  EXPECT_THAT(Find(q), ElementsAre("Alpha", "Beta"));
  q = {};
  q.language = "en";
  EXPECT_THAT(Find(q), ElementsAre("Alpha", "Beta"));
  q = {};
  q.given_mood = "SAD";
  EXPECT_THAT(Find(q), ElementsAre("Beta", "Gamma"));
  q.genre = "jazz";
  EXPECT_THAT(Find(q), ElementsAre("Gamma"));
}

TEST_F(StoreTest, YearRange) {
  PutSample();
  TrackQuery q;
  q.year_from = 1995;
  q.year_to = 2005;
  EXPECT_THAT(Find(q), ElementsAre("Beta", "Gamma"));
  q.year_to.reset();
  EXPECT_THAT(Find(q), ElementsAre("Beta", "Gamma", "Delta"));  // unknown years never match
  q = {};
  q.year_to = 1990;
  EXPECT_THAT(Find(q), ElementsAre("Alpha"));
}

TEST_F(StoreTest, IdsKeepTheCallersOrder) {
  PutSample();
  auto all = store_->FindTracks({});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 5u);
  TrackQuery q;
  q.ids = {(*all)[3].id, (*all)[0].id, 12345, (*all)[2].id};
  EXPECT_THAT(Find(q), ElementsAre("Delta", "Alpha", "Gamma"));
}

TEST_F(StoreTest, LimitAndOffset) {
  PutSample();
  TrackQuery q;
  q.limit = 2;
  EXPECT_THAT(Find(q), ElementsAre("Alpha", "Beta"));
  q.offset = 2;
  EXPECT_THAT(Find(q), ElementsAre("Gamma", "Delta"));
  q.limit = 0;
  q.offset = 3;
  EXPECT_THAT(Find(q), ElementsAre("Delta", "Epsilon"));
}

TEST_F(StoreTest, CountTracksIgnoresLimits) {
  PutSample();
  TrackQuery q;
  q.genre = "rock";
  q.limit = 1;
  q.offset = 1;
  auto n = store_->CountTracks(q);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2);
  auto all = store_->CountTracks({});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, 5);
}

TEST_F(StoreTest, StatsNumbers) {
  PutSample();
  auto s = store_->Stats();
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->tracks, 5);
  EXPECT_EQ(s->artists, 5);  // any credit, case-insensitive: Ann, Bob/bob, Carla, Dee "D" Smith, Bobby
  EXPECT_EQ(s->with_features, 2);
  EXPECT_EQ(s->local_files, 1);
  EXPECT_THAT(s->year_min, Optional(1990));
  EXPECT_THAT(s->year_max, Optional(2010));
  EXPECT_EQ(s->total_duration_ms, 300000);
  EXPECT_EQ(s->by_given_mood.at("Happy"), 1);
  std::int64_t labelled = 0;
  for (const auto& [mood, n] : s->by_given_mood) labelled += n;
  EXPECT_EQ(labelled, 3);  // Epsilon and Delta carry no label
  ASSERT_FALSE(s->top_genres.empty());
  EXPECT_EQ(s->top_genres[0].second, 2);  // Rock and rock together
  EXPECT_EQ(s->top_genres.size(), 3u);
  EXPECT_DOUBLE_EQ(s->feature_means.at("energy"), (0.8 + 0.2 + 0.4) / 3);
  EXPECT_DOUBLE_EQ(s->feature_means.at("spotify_valence"), (0.6 + 0.2) / 2);
  EXPECT_EQ(s->feature_means.count("tempo_bpm"), 0u);
}

TEST_F(StoreTest, UncommittedWriterRollsBack) {
  PutSample();
  {
    auto writer = store_->BeginWrite();
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Put(MakeTrack("Ghost", {"Nobody"})).ok());
  }
  auto n = store_->CountTracks({});
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 5);
}

TEST_F(StoreTest, UpsertCountsAndKeepsKnownFields) {
  Track t = MakeTrack("Song", {"Band"}, 1999);
  t.external_id = "x1";
  t.genre = "rock";
  Put({t});
  auto writer = store_->BeginWrite();
  ASSERT_TRUE(writer.ok());
  Track update;
  update.external_id = "x1";
  update.title = "Song (Remastered)";
  update.features.energy = 0.5;
  ASSERT_TRUE((*writer)->Put(update).ok());
  ASSERT_TRUE((*writer)->Put(MakeTrack("Other", {"Band"})).ok());
  auto counts = (*writer)->Commit();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->added, 1);
  EXPECT_EQ(counts->updated, 1);
  auto all = store_->FindTracks({});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  const Track& s = (*all)[0];
  EXPECT_EQ(s.title, "Song (Remastered)");
  EXPECT_EQ(s.genre, "rock");
  EXPECT_THAT(s.release_year, Optional(1999));
  EXPECT_THAT(s.artists, ElementsAre("Band"));
  EXPECT_THAT(s.features.energy, Optional(0.5));
}

TEST_F(StoreTest, WalModeIsOn) {
  PutSample();
  EXPECT_EQ(RawQueryText(path_, "PRAGMA journal_mode"), "wal");
}

TEST_F(StoreTest, SecondConnectionSeesCommittedTracks) {
  PutSample();
  StoreOptions read_only;
  read_only.read_only = true;
  auto other = OpenSqliteStore(path_, read_only);
  ASSERT_TRUE(other.ok()) << other.status().message();
  auto n = (*other)->CountTracks({});
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 5);
}

TEST_F(StoreTest, LogImportWorks) {
  EXPECT_TRUE(store_->LogImport("/tmp/x.csv", "generic", {3, 1}, 2).ok());
  EXPECT_EQ(RawQueryText(path_, "SELECT source || ':' || added || ':' || skipped FROM imports"), "/tmp/x.csv:3:2");
}

// --- Opening and migrating ---

TEST(StoreOpenTest, CreatesMissingFolders) {
  TempDir dir;
  const std::string path = dir.File("a/b/c/catalog.db");
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(StoreOpenTest, MissingFileWithoutCreateIsNotFound) {
  TempDir dir;
  StoreOptions options;
  options.create_if_missing = false;
  auto store = OpenSqliteStore(dir.File("none.db"), options);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(dir.File("none.db")));
}

TEST(StoreOpenTest, FolderIsRefused) {
  TempDir dir;
  auto store = OpenSqliteStore(dir.path().string());
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.status().message(), HasSubstr("folder"));
}

TEST(StoreOpenTest, MigratesAVersion1Catalog) {
  TempDir dir;
  const std::string path = dir.File("old.db");
  RawExec(path, std::string(kCatalogSchemaV1) +
                    "PRAGMA user_version = 1;"
                    "INSERT INTO tracks (id, dedup_hash, external_id, title, artists, release_year, genre, "
                    "energy, spotify_valence, added_at, updated_at) VALUES (7, 12345, 'old1', 'Old Song', "
                    "'[\"Old Band\",\"Guest\"]', 1977, 'disco', 0.9, 0.8, 1, 1);");
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_EQ((*store)->SchemaVersion(), kCatalogSchemaVersion);
  auto t = (*store)->GetTrack(7);
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->title, "Old Song");
  EXPECT_EQ(t->external_id, "old1");
  EXPECT_THAT(t->artists, ElementsAre("Old Band", "Guest"));
  EXPECT_THAT(t->release_year, Optional(1977));
  EXPECT_EQ(t->genre, "disco");
  EXPECT_THAT(t->features.energy, Optional(0.9));
  EXPECT_EQ(t->language, "");
  EXPECT_EQ(t->given_mood, "");
  // The new tables and columns work.
  EXPECT_TRUE((*store)->LogImport("x.csv", "generic", {}, 0).ok());
  TrackQuery q;
  q.artist = "guest";
  auto found = (*store)->FindTracks(q);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->size(), 1u);
  auto stats = (*store)->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->tracks, 1);
  EXPECT_TRUE(stats->by_given_mood.empty());
  store->reset();
  EXPECT_EQ(RawQueryText(path, "PRAGMA user_version"), std::to_string(kCatalogSchemaVersion));
}

TEST(StoreOpenTest, MigratedTracksKeepTheirIdentity) {
  TempDir dir;
  const std::string path = dir.File("old.db");
  RawExec(path, std::string(kCatalogSchemaV1) + "PRAGMA user_version = 1;" +
                    fmt::format("INSERT INTO tracks (id, dedup_hash, external_id, title, artists, added_at, updated_at) "
                                "VALUES (3, {}, 'abc', 'Old Title', '[\"Band\"]', 1, 1);",
                                CatalogHash("id:abc")));
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store.ok()) << store.status().message();
  // The same track imported again updates the migrated row instead of adding one.
  const std::string csv = WriteFile(dir.File("again.csv"), "id,title,artist,energy\nabc,New Title,Band,0.5\n");
  auto report = ImportTracks(**store, csv);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->counts.added, 0);
  EXPECT_EQ(report->counts.updated, 1);
  auto t = (*store)->GetTrack(3);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->title, "New Title");
  EXPECT_THAT(t->features.energy, Optional(0.5));
}

TEST(StoreOpenTest, NewerSchemaIsRefused) {
  TempDir dir;
  const std::string path = dir.File("future.db");
  RawExec(path, std::string(kCatalogSchemaV1) + "PRAGMA user_version = 99;");
  auto store = OpenSqliteStore(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kUnsupported);
  EXPECT_THAT(store.status().message(), HasSubstr("99"));
  EXPECT_EQ(RawQueryText(path, "PRAGMA user_version"), "99");
}

TEST(StoreOpenTest, ReadOnlyOldVersionIsRefused) {
  TempDir dir;
  const std::string path = dir.File("old.db");
  RawExec(path, std::string(kCatalogSchemaV1) + "PRAGMA user_version = 1;");
  StoreOptions options;
  options.read_only = true;
  auto store = OpenSqliteStore(path, options);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kUnsupported);
}

TEST(StoreOpenTest, ForeignSqliteFileIsRefusedAndLeftUnchanged) {
  TempDir dir;
  const std::string path = dir.File("other.db");
  RawExec(path, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep');");
  const std::string before = ReadFile(path);
  auto store = OpenSqliteStore(path);
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.status().message(), HasSubstr("not an Emotune catalog"));
  EXPECT_TRUE(ReadFile(path) == before) << "the file was changed";
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
  EXPECT_EQ(RawQueryText(path, "SELECT body FROM notes"), "keep");
  EXPECT_EQ(RawQueryText(path, "SELECT count(*) FROM sqlite_master WHERE name = 'tracks'"), "0");
}

TEST(StoreOpenTest, NewerSchemaFileIsLeftUnchanged) {
  TempDir dir;
  const std::string path = dir.File("future.db");
  RawExec(path, "CREATE TABLE t (x); PRAGMA user_version = 99;");
  const std::string before = ReadFile(path);
  ASSERT_FALSE(OpenSqliteStore(path).ok());
  EXPECT_TRUE(ReadFile(path) == before) << "the file was changed";
}

TEST(StoreOpenTest, TextFileIsRefused) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 200; ++i) text += "title,artist\nthis is not a database,at all\n";
  const std::string path = WriteFile(dir.File("notes.db"), text);
  auto store = OpenSqliteStore(path);
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store.status().message(), HasSubstr("notes.db"));
  EXPECT_THAT(store.status().message(), HasSubstr("not a database"));
  EXPECT_TRUE(ReadFile(path) == text) << "the file was changed";
}

// --- DefaultCatalogPath ---

class ScopedEnv {
 public:
  explicit ScopedEnv(const char* name) : name_(name) {
    if (const char* v = std::getenv(name)) old_ = v;
  }
  ~ScopedEnv() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }
  void Set(const std::string& value) { ::setenv(name_, value.c_str(), 1); }
  void Unset() { ::unsetenv(name_); }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(DefaultCatalogPathTest, Precedence) {
  ScopedEnv db("EMOTUNE_DB"), xdg("XDG_DATA_HOME"), home("HOME");
  db.Set("/env/db.sqlite");
  xdg.Set("/xdg");
  home.Set("/home/u");
  EXPECT_EQ(DefaultCatalogPath("/explicit.db"), "/explicit.db");
  EXPECT_EQ(DefaultCatalogPath(), "/env/db.sqlite");
  db.Set("");  // empty counts as unset
  EXPECT_EQ(DefaultCatalogPath(), "/xdg/emotune/catalog.db");
  db.Unset();
  EXPECT_EQ(DefaultCatalogPath(), "/xdg/emotune/catalog.db");
  xdg.Unset();
  EXPECT_EQ(DefaultCatalogPath(), "/home/u/.local/share/emotune/catalog.db");
  home.Unset();
  EXPECT_FALSE(DefaultCatalogPath().empty());
  EXPECT_EQ(DefaultCatalogPath("/explicit.db"), "/explicit.db");
}

}  // namespace
}  // namespace emotune
