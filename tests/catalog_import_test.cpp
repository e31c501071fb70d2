// ImportTracks: every recognised layout, unknown-stays-unknown, bad input with its
// location, transactions, --skip-bad, and re-imports.
#include "emotune/track_import.h"

#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "emotune/catalog_store.h"
#include "test_files.h"

namespace emotune {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Optional;
using emotune::testing::TempDir;
using emotune::testing::WriteFile;

constexpr const char* kDataMoodsHeader =
    "name,album,artist,id,release_date,popularity,length,danceability,acousticness,energy,instrumentalness,"
    "liveness,valence,loudness,speechiness,tempo,key,time_signature,mood\n";
constexpr const char* kDataMoodsRow1 =
    "1999,1999,Prince,2H7PHVdQ3mXqEHXcvclTB0,1982-10-27,68,379266,0.866,0.137,0.73,0,0.0843,0.625,-8.201,"
    "0.0767,118.523,5,4,Happy\n";
constexpr const char* kDataMoodsRow2 =
    "Hurt,American IV,Johnny Cash,28cnXtME493VX9NOw9cIUh,2002,72,218013,0.538,0.849,0.177,0.000126,0.0922,"
    "0.167,-12.384,0.0333,93.847,9,4,Sad\n";

constexpr const char* kSpotifyHeader =
    "id,name,popularity,duration_ms,explicit,artists,id_artists,release_date,danceability,energy,key,loudness,"
    "mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature\n";

constexpr const char* kSongsHeader =
    "track_id,track_name,track_artist,track_popularity,track_album_id,track_album_name,"
    "track_album_release_date,playlist_name,playlist_id,playlist_genre,playlist_subgenre,danceability,energy,"
    "key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms\n";

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenSqliteStore(dir_.File("catalog.db"));
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
  }

  std::string Write(const std::string& name, const std::string& contents) {
    return WriteFile(dir_.File(name), contents);
  }
  Result<ImportReport> Import(const std::string& path, const ImportOptions& options = {}) {
    return ImportTracks(*store_, path, options);
  }
  std::vector<Track> All() {
    auto tracks = store_->FindTracks({});
    EXPECT_TRUE(tracks.ok()) << tracks.status().message();
    return tracks.ok() ? *tracks : std::vector<Track>{};
  }
  std::int64_t Count() {
    auto n = store_->CountTracks({});
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }
  // The one track with this title.
  Track ByTitle(const std::string& title) {
    for (const auto& t : All())
      if (t.title == title) return t;
    ADD_FAILURE() << "no track titled " << title;
    return {};
  }
  // Imports `contents` (after the data_moods header) and expects it to fail; returns
  // the message.
  std::string FailingDataMoods(const std::string& rows, const std::string& name = "moods.csv") {
    auto report = Import(Write(name, std::string(kDataMoodsHeader) + rows));
    EXPECT_FALSE(report.ok());
    if (report.ok()) return "";
    EXPECT_EQ(report.status().code(), Status::Code::kInvalidArgument);
    return report.status().message();
  }

  TempDir dir_;
  std::unique_ptr<CatalogStore> store_;
};

TEST_F(ImportTest, DataMoodsLayout) {
  auto report = Import(Write("data_moods.csv", std::string(kDataMoodsHeader) + kDataMoodsRow1 + kDataMoodsRow2));
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->layout, "data_moods");
  EXPECT_EQ(report->rows, 2);
  EXPECT_EQ(report->counts.added, 2);
  EXPECT_EQ(report->counts.updated, 0);
  EXPECT_EQ(report->skipped, 0);

  const Track t = ByTitle("1999");
  EXPECT_EQ(t.album, "1999");
  EXPECT_THAT(t.artists, ElementsAre("Prince"));
  EXPECT_EQ(t.external_id, "2H7PHVdQ3mXqEHXcvclTB0");
  EXPECT_EQ(t.release_date, "1982-10-27");
  EXPECT_THAT(t.release_year, Optional(1982));
  EXPECT_THAT(t.popularity, Optional(68));
  EXPECT_THAT(t.duration_ms, Optional(379266));
  EXPECT_THAT(t.features.danceability, Optional(0.866));
  EXPECT_THAT(t.features.acousticness, Optional(0.137));
  EXPECT_THAT(t.features.energy, Optional(0.73));
  EXPECT_THAT(t.features.instrumentalness, Optional(0.0));
  EXPECT_THAT(t.features.liveness, Optional(0.0843));
  EXPECT_THAT(t.features.spotify_valence, Optional(0.625));
  EXPECT_THAT(t.features.loudness_db, Optional(-8.201));
  EXPECT_THAT(t.features.speechiness, Optional(0.0767));
  EXPECT_THAT(t.features.tempo_bpm, Optional(118.523));
  EXPECT_THAT(t.features.key, Optional(5));
  EXPECT_THAT(t.features.time_signature, Optional(4));
  EXPECT_EQ(t.features.mode, std::nullopt);  // data_moods has no mode column
  EXPECT_EQ(t.given_mood, "Happy");
  EXPECT_EQ(t.genre, "");
  EXPECT_EQ(t.explicit_lyrics, std::nullopt);

  const Track hurt = ByTitle("Hurt");
  EXPECT_EQ(hurt.release_date, "2002");
  EXPECT_THAT(hurt.release_year, Optional(2002));
  EXPECT_EQ(hurt.given_mood, "Sad");
}

TEST_F(ImportTest, Spotify1921To2020LayoutWithListArtists) {
  const std::string csv = std::string(kSpotifyHeader) +
      "35iwgR4jXetI318WEWsa1Q,Carve,6,126903,0,\"['Uli', \"\"Guns N' Roses\"\"]\",\"['45tIt06XoI0Iio4LBEVpls', "
      "'3qm84nBOXUEQ2vnTfUTTFC']\",1922-02-22,0.645,0.445,0,-13.338,1,0.451,0.674,0.744,0.151,0.127,104.851,3\n"
      "021ht4sdgPcrDgSk7JTbKY,Capítulo 2.16,0,98200,1,['Fernando Pessoa'],['14jtPCOoNZwquk5wd9DxrY'],1922,"
      "0.695,0.263,-1,-22.136,1,0.957,0.797,0,0.148,0.655,0,0\n";
  auto report = Import(Write("tracks.csv", csv));
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->layout, "spotify-1921-2020");
  EXPECT_EQ(report->counts.added, 2);

  const Track carve = ByTitle("Carve");
  EXPECT_EQ(carve.external_id, "35iwgR4jXetI318WEWsa1Q");
  EXPECT_THAT(carve.artists, ElementsAre("Uli", "Guns N' Roses"));
  EXPECT_THAT(carve.popularity, Optional(6));
  EXPECT_THAT(carve.duration_ms, Optional(126903));
  EXPECT_THAT(carve.explicit_lyrics, Optional(false));
  EXPECT_THAT(carve.release_year, Optional(1922));
  EXPECT_THAT(carve.features.key, Optional(0));
  EXPECT_THAT(carve.features.mode, Optional(1));
  EXPECT_THAT(carve.features.spotify_valence, Optional(0.127));
  EXPECT_THAT(carve.features.tempo_bpm, Optional(104.851));
  EXPECT_THAT(carve.features.time_signature, Optional(3));
  EXPECT_EQ(carve.given_mood, "");

  // Spotify's "not detected" values stay unknown: tempo 0, key -1, time signature 0.
  const Track pessoa = ByTitle("Capítulo 2.16");
  EXPECT_THAT(pessoa.artists, ElementsAre("Fernando Pessoa"));
  EXPECT_THAT(pessoa.explicit_lyrics, Optional(true));
  EXPECT_EQ(pessoa.release_date, "1922");
  EXPECT_EQ(pessoa.features.tempo_bpm, std::nullopt);
  EXPECT_EQ(pessoa.features.key, std::nullopt);
  EXPECT_EQ(pessoa.features.time_signature, std::nullopt);
  EXPECT_THAT(pessoa.features.instrumentalness, Optional(0.0));  // a real 0 stays 0
}

TEST_F(ImportTest, TidyTuesdaySpotifySongsLayout) {
  const std::string csv = std::string(kSongsHeader) +
      "6f807x0ima9a1j3VPbc7VN,I Don't Care (with Justin Bieber) - Loud Luxury Remix,Ed Sheeran,66,"
      "2oCs0DGTsRO98Gh5ZSl2Cx,I Don't Care (with Justin Bieber) [Loud Luxury Remix],2019-06-14,Pop Remix,"
      "37i9dQZF1DXcZDD7cfEKhW,pop,dance pop,0.748,0.916,6,-2.634,1,0.0583,0.102,0,0.0653,0.518,122.036,194754\n"
      "0r7CVbZTWZgbTCYdfa2P31,Memories - Dillon Francis Remix,Maroon 5,67,63rPSO264uRjW1X5E6cWv6,"
      "Memories (Dillon Francis Remix),2019-12,Pop Remix,37i9dQZF1DXcZDD7cfEKhW,rock,dance pop,0.726,0.815,11,"
      "-4.969,1,0.0373,0.0724,0.00421,0.357,0.693,99.972,162600\n";
  auto report = Import(Write("spotify_songs.csv", csv));
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->layout, "tidytuesday-spotify-songs");
  EXPECT_EQ(report->counts.added, 2);

  const Track t = ByTitle("I Don't Care (with Justin Bieber) - Loud Luxury Remix");
  EXPECT_EQ(t.external_id, "6f807x0ima9a1j3VPbc7VN");
  EXPECT_THAT(t.artists, ElementsAre("Ed Sheeran"));
  EXPECT_EQ(t.album, "I Don't Care (with Justin Bieber) [Loud Luxury Remix]");
  EXPECT_EQ(t.genre, "pop");
  EXPECT_THAT(t.popularity, Optional(66));
  EXPECT_THAT(t.release_year, Optional(2019));
  EXPECT_THAT(t.duration_ms, Optional(194754));
  EXPECT_THAT(t.features.energy, Optional(0.916));
  EXPECT_THAT(t.features.spotify_valence, Optional(0.518));
  EXPECT_THAT(t.features.key, Optional(6));

  const Track m = ByTitle("Memories - Dillon Francis Remix");
  EXPECT_EQ(m.genre, "rock");
  EXPECT_EQ(m.release_date, "2019-12");
  EXPECT_THAT(m.release_year, Optional(2019));
}

TEST_F(ImportTest, JsonLines) {
  const std::string jsonl =
      "{\"title\": \"Song A\", \"artists\": [\"First\", \"Second\"], \"year\": 2001, \"valence\": 0.5, "
      "\"energy\": null, \"mood\": \"Calm\", \"genre\": \"jazz\", \"duration_ms\": 200000}\n"
      "\n"
      "{\"name\": \"Song B\", \"artist\": \"Solo\", \"language\": \"pt\", \"tempo\": 120.5, \"explicit\": true}\n";
  auto report = Import(Write("songs.jsonl", jsonl));
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->rows, 2);
  EXPECT_EQ(report->counts.added, 2);

  const Track a = ByTitle("Song A");
  EXPECT_THAT(a.artists, ElementsAre("First", "Second"));
  EXPECT_THAT(a.release_year, Optional(2001));
  EXPECT_THAT(a.features.spotify_valence, Optional(0.5));
  EXPECT_EQ(a.features.energy, std::nullopt);
  EXPECT_EQ(a.given_mood, "Calm");
  EXPECT_EQ(a.genre, "jazz");
  EXPECT_THAT(a.duration_ms, Optional(200000));

  const Track b = ByTitle("Song B");
  EXPECT_THAT(b.artists, ElementsAre("Solo"));
  EXPECT_EQ(b.language, "pt");
  EXPECT_THAT(b.features.tempo_bpm, Optional(120.5));
  EXPECT_THAT(b.explicit_lyrics, Optional(true));
  EXPECT_EQ(b.release_year, std::nullopt);
}

TEST_F(ImportTest, JsonLinesChosenByFirstByteOrOption) {
  const std::string path = Write("songs.data", "{\"title\": \"By content\"}\n");
  ASSERT_TRUE(Import(path).ok());
  ImportOptions options;
  options.format = "jsonl";
  const std::string forced = Write("forced.csv", "{\"title\": \"By option\"}\n");
  auto report = Import(forced, options);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(Count(), 2);
  ByTitle("By option");
}

TEST_F(ImportTest, ColumnMapForOtherLayouts) {
  ImportOptions options;
  options.column_map = {{"title", "Song Title"}, {"artists", "performer"}, {"valence", "val"},
                        {"energy", "nrg"}, {"mood", "feeling"}, {"duration_s", "secs"}};
  auto report = Import(Write("mine.csv",
                             "Song Title,performer,val,nrg,feeling,secs\n"
                             "My Song,Me,0.25,0.75,Angry,181.5\n"),
                       options);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->layout, "mapped");
  const Track t = ByTitle("My Song");
  EXPECT_THAT(t.artists, ElementsAre("Me"));
  EXPECT_THAT(t.features.spotify_valence, Optional(0.25));
  EXPECT_THAT(t.features.energy, Optional(0.75));
  EXPECT_EQ(t.given_mood, "Angry");
  EXPECT_THAT(t.duration_ms, Optional(181500));
}

TEST_F(ImportTest, ColumnMapOverridesABuiltInName) {
  ImportOptions options;
  options.column_map = {{"valence", "valence_fixed"}};
  auto report = Import(Write("m.csv", "title,valence,valence_fixed\nT,0.1,0.9\n"), options);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_THAT(ByTitle("T").features.spotify_valence, Optional(0.9));
}

TEST_F(ImportTest, ColumnMapErrors) {
  const std::string path = Write("m.csv", "title,val\nT,0.1\n");
  ImportOptions unknown_field;
  unknown_field.column_map = {{"happiness", "val"}};
  auto r1 = Import(path, unknown_field);
  ASSERT_FALSE(r1.ok());
  EXPECT_THAT(r1.status().message(), HasSubstr("unknown field 'happiness'"));
  ImportOptions missing_column;
  missing_column.column_map = {{"valence", "nope"}};
  auto r2 = Import(path, missing_column);
  ASSERT_FALSE(r2.ok());
  EXPECT_THAT(r2.status().message(), HasSubstr("no column 'nope'"));
  EXPECT_EQ(Count(), 0);
}

TEST_F(ImportTest, EmptyCellsStayUnknown) {
  auto report = Import(Write("moods.csv", std::string(kDataMoodsHeader) +
                                              "Sparse,,,,,,,,,,,,,,,,,,\n"));
  ASSERT_TRUE(report.ok()) << report.status().message();
  const Track t = ByTitle("Sparse");
  EXPECT_TRUE(t.artists.empty());
  EXPECT_EQ(t.album, "");
  EXPECT_EQ(t.external_id, "");
  EXPECT_EQ(t.release_year, std::nullopt);
  EXPECT_EQ(t.popularity, std::nullopt);
  EXPECT_EQ(t.duration_ms, std::nullopt);
  EXPECT_EQ(t.features, AudioFeatures{});
  EXPECT_EQ(t.given_mood, "");
}

// --- Bad input: the message names the file, the line and the column. ---

TEST_F(ImportTest, NonNumericFeatureNamesFileLineAndColumn) {
  const std::string msg = FailingDataMoods(std::string(kDataMoodsRow1) +
      "Bad,Album,Artist,xyz,2001,50,200000,0.5,0.5,abc,0,0.1,0.5,-5,0.05,120,5,4,Happy\n");
  EXPECT_THAT(msg, AllOf(HasSubstr("moods.csv:3:"), HasSubstr("energy"), HasSubstr("'abc' is not a number")));
  EXPECT_THAT(msg, HasSubstr("column 10"));
}

TEST_F(ImportTest, ValenceOutsideRangeNamesFileLineAndColumn) {
  const std::string msg = FailingDataMoods(
      "Bad,Album,Artist,xyz,2001,50,200000,0.5,0.5,0.5,0,0.1,1.7,-5,0.05,120,5,4,Happy\n");
  EXPECT_THAT(msg, AllOf(HasSubstr("moods.csv:2:"), HasSubstr("column 13 (valence)"),
                         HasSubstr("1.7 is outside 0..1")));
  const std::string negative = FailingDataMoods(
      "Bad,Album,Artist,xyz,2001,50,200000,0.5,0.5,0.5,0,0.1,-0.2,-5,0.05,120,5,4,Happy\n");
  EXPECT_THAT(negative, AllOf(HasSubstr("moods.csv:2:"), HasSubstr("valence"), HasSubstr("outside 0..1")));
}

TEST_F(ImportTest, BadQuotingNamesFileLineAndColumn) {
  const std::string msg = FailingDataMoods(std::string(kDataMoodsRow1) +
      "Bad,Al\"bum,Artist,xyz,2001,50,200000,0.5,0.5,0.5,0,0.1,0.5,-5,0.05,120,5,4,Happy\n");
  EXPECT_THAT(msg, AllOf(HasSubstr("moods.csv:3:"), HasSubstr("column 2 (album)"), HasSubstr("quote")));
}

TEST_F(ImportTest, MissingColumnNamesFileLineAndColumn) {
  // 18 fields: the mood column is missing.
  const std::string msg = FailingDataMoods(
      "Short,Album,Artist,xyz,2001,50,200000,0.5,0.5,0.5,0,0.1,0.5,-5,0.05,120,5,4\n" +
      std::string(kDataMoodsRow1));
  EXPECT_THAT(msg, AllOf(HasSubstr("moods.csv:2:"), HasSubstr("expected 19"), HasSubstr("found 18"),
                         HasSubstr("column 19 (mood)")));
}

TEST_F(ImportTest, ExtraColumnIsAnError) {
  auto report = Import(Write("extra.csv", "title,artist\nA,B\nC,D,E\n"));
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.status().message(),
              AllOf(HasSubstr("extra.csv:3:"), HasSubstr("found 3"), HasSubstr("column 3 has no header")));
  EXPECT_EQ(Count(), 0);
}

TEST_F(ImportTest, InvalidUtf8InTitleNamesFileLineAndColumn) {
  const std::string msg = FailingDataMoods(std::string(kDataMoodsRow1) + kDataMoodsRow2 +
      "Bad \xFF title,Album,Artist,xyz,2001,50,200000,0.5,0.5,0.5,0,0.1,0.5,-5,0.05,120,5,4,Happy\n");
  EXPECT_THAT(msg, AllOf(HasSubstr("moods.csv:4:"), HasSubstr("column 1 (name)"), HasSubstr("UTF-8")));
}

TEST_F(ImportTest, InvalidUtf8InJsonLines) {
  auto report = Import(Write("bad.jsonl", "{\"title\": \"ok\"}\n{\"title\": \"bad \xC3\x28\"}\n"));
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.status().message(), AllOf(HasSubstr("bad.jsonl:2:"), HasSubstr("UTF-8")));
  EXPECT_EQ(Count(), 0);
}

TEST_F(ImportTest, JsonLinesBadValueNamesTheField) {
  auto report = Import(Write("bad.jsonl", "{\"title\": \"ok\"}\n{\"title\": \"x\", \"valence\": 1.5}\n"));
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.status().message(),
              AllOf(HasSubstr("bad.jsonl:2:"), HasSubstr("\"valence\""), HasSubstr("outside 0..1")));
}

TEST_F(ImportTest, JsonLinesNotAnObject) {
  auto report = Import(Write("bad.jsonl", "{\"title\": \"ok\"}\n[1, 2]\n"));
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.status().message(), AllOf(HasSubstr("bad.jsonl:2:"), HasSubstr("object")));
}

TEST_F(ImportTest, TruncatedLastRow) {
  const std::string msg = FailingDataMoods(std::string(kDataMoodsRow1) + "Cut,Album,Artist,xyz,20");
  EXPECT_THAT(msg, AllOf(HasSubstr("moods.csv:3:"), HasSubstr("column 6 (popularity) is missing"),
                         HasSubstr("cut short")));
  EXPECT_EQ(Count(), 0);
}

TEST_F(ImportTest, TruncatedInsideAQuotedField) {
  const std::string msg = FailingDataMoods(std::string(kDataMoodsRow1) + "Cut,\"Album that never ends");
  EXPECT_THAT(msg, AllOf(HasSubstr("moods.csv:3:"), HasSubstr("column 2 (album)"), HasSubstr("unterminated")));
}

TEST_F(ImportTest, EmptyTitleIsRefused) {
  const std::string msg = FailingDataMoods(
      "  ,Album,Artist,xyz,2001,50,200000,0.5,0.5,0.5,0,0.1,0.5,-5,0.05,120,5,4,Happy\n");
  EXPECT_THAT(msg, AllOf(HasSubstr("moods.csv:2:"), HasSubstr("name"), HasSubstr("title is empty")));
}

TEST_F(ImportTest, BadDateAndOutOfRangeWholeNumbers) {
  EXPECT_THAT(FailingDataMoods("T,A,B,x,12/31/1999,50,200000,,,,,,,,,,,,\n"),
              AllOf(HasSubstr("moods.csv:2:"), HasSubstr("release_date")));
  EXPECT_THAT(FailingDataMoods("T,A,B,x,1999,101,200000,,,,,,,,,,,,\n"),
              AllOf(HasSubstr("moods.csv:2:"), HasSubstr("popularity"), HasSubstr("outside")));
  EXPECT_THAT(FailingDataMoods("T,A,B,x,1999,50,200000,,,,,,,,,,4.5,,\n"),
              AllOf(HasSubstr("moods.csv:2:"), HasSubstr("key"), HasSubstr("whole number")));
}

TEST_F(ImportTest, HeaderWithoutTitleColumn) {
  auto report = Import(Write("notitle.csv", "artist,valence\nX,0.5\n"));
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(report.status().message(),
              AllOf(HasSubstr("notitle.csv:1:"), HasSubstr("no title column"), HasSubstr("--map title=")));
}

TEST_F(ImportTest, EmptyFile) {
  auto report = Import(Write("empty.csv", ""));
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.status().message(), AllOf(HasSubstr("empty.csv"), HasSubstr("empty")));
}

TEST_F(ImportTest, HeaderOnlyFileImportsNothing) {
  auto report = Import(Write("header.csv", kDataMoodsHeader));
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->rows, 0);
  EXPECT_EQ(report->counts.added, 0);
  EXPECT_EQ(Count(), 0);
}

TEST_F(ImportTest, MissingFileIsNotFound) {
  auto csv = Import(dir_.File("missing.csv"));
  ASSERT_FALSE(csv.ok());
  EXPECT_EQ(csv.status().code(), Status::Code::kNotFound);
  EXPECT_THAT(csv.status().message(), HasSubstr("missing.csv"));
  auto jsonl = Import(dir_.File("missing.jsonl"));
  ASSERT_FALSE(jsonl.ok());
  EXPECT_EQ(jsonl.status().code(), Status::Code::kNotFound);
  EXPECT_THAT(jsonl.status().message(), HasSubstr("missing.jsonl"));
}

TEST_F(ImportTest, UnknownFormatOption) {
  ImportOptions options;
  options.format = "xml";
  auto report = Import(Write("a.csv", "title\nx\n"), options);
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.status().message(), HasSubstr("xml"));
}

// --- Transactions ---

TEST_F(ImportTest, FailedImportLeavesTheCatalogUnchanged) {
  ASSERT_TRUE(Import(Write("first.csv", std::string(kDataMoodsHeader) + kDataMoodsRow1)).ok());
  const Track before = ByTitle("1999");
  ASSERT_EQ(Count(), 1);

  // The second file updates the stored track, adds one, then hits a bad row.
  const std::string second = std::string(kDataMoodsHeader) +
      "1999 (remaster),1999,Prince,2H7PHVdQ3mXqEHXcvclTB0,1982-10-27,99,379266,0.1,0.1,0.1,0,0.1,0.1,-8,"
      "0.07,118,5,4,Sad\n" + kDataMoodsRow2 +
      "Bad,Album,Artist,xyz,2001,50,200000,0.5,0.5,0.5,0,0.1,9,-5,0.05,120,5,4,Happy\n";
  auto report = Import(Write("second.csv", second));
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.status().message(), HasSubstr("second.csv:4:"));

  EXPECT_EQ(Count(), 1);
  auto after = store_->GetTrack(before.id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*after, before);
}

TEST_F(ImportTest, FailureAfterManyBatchesRollsBackEverything) {
  // More rows than one writer batch, so earlier batches reach SQLite before the error.
  std::string csv = "id,title,energy\n";
  for (int i = 0; i < 5000; ++i) csv += "id" + std::to_string(i) + ",Song " + std::to_string(i) + ",0.5\n";
  csv += "bad,Bad,2\n";
  auto report = Import(Write("many.csv", csv));
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.status().message(), AllOf(HasSubstr("many.csv:5002:"), HasSubstr("energy")));
  EXPECT_EQ(Count(), 0);
  // And the store still works afterwards.
  ASSERT_TRUE(Import(Write("ok.csv", "title\nFine\n")).ok());
  EXPECT_EQ(Count(), 1);
}

TEST_F(ImportTest, SkipBadCountsRowsByReason) {
  const std::string csv = std::string(kDataMoodsHeader) + kDataMoodsRow1 +
      "Bad1,Album,Artist,b1,2001,50,200000,0.5,0.5,0.5,0,0.1,1.7,-5,0.05,120,5,4,Happy\n" +
      "Bad2,Album,Artist,b2,2001,50,200000,0.5,0.5,0.5,0,0.1,3,-5,0.05,120,5,4,Happy\n" +
      "Bad3,Al\"bum,Artist,b3,2001,50,200000,0.5,0.5,0.5,0,0.1,0.5,-5,0.05,120,5,4,Happy\n" +
      "Bad4,Album,Artist,b4,2001,50,200000,0.5,0.5,oops,0,0.1,0.5,-5,0.05,120,5,4,Happy\n" +
      kDataMoodsRow2;
  ImportOptions options;
  options.skip_bad = true;
  auto report = Import(Write("moods.csv", csv), options);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->rows, 6);
  EXPECT_EQ(report->skipped, 4);
  EXPECT_EQ(report->counts.added, 2);
  EXPECT_EQ(report->skip_reasons.at("bad valence"), 2);
  EXPECT_EQ(report->skip_reasons.at("bad energy"), 1);
  EXPECT_EQ(report->skip_reasons.at("malformed row"), 1);
  ASSERT_EQ(report->skip_examples.size(), 4u);
  EXPECT_THAT(report->skip_examples[0], AllOf(HasSubstr("moods.csv:3:"), HasSubstr("valence")));
  EXPECT_THAT(report->skip_examples[2], HasSubstr("moods.csv:5:"));
  EXPECT_EQ(Count(), 2);
  ByTitle("1999");
  ByTitle("Hurt");
}

TEST_F(ImportTest, SkipBadWithEveryRowBadFails) {
  ImportOptions options;
  options.skip_bad = true;
  auto report = Import(Write("allbad.csv", "title,valence\nA,2\nB,3\n"), options);
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.status().message(), AllOf(HasSubstr("allbad.csv"), HasSubstr("every row")));
  EXPECT_EQ(Count(), 0);
}

// --- Re-imports ---

TEST_F(ImportTest, ReimportingTheSameFileDoesNotDuplicate) {
  const std::string path = Write("moods.csv", std::string(kDataMoodsHeader) + kDataMoodsRow1 + kDataMoodsRow2);
  auto first = Import(path);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->counts.added, 2);
  const std::vector<Track> before = All();

  auto second = Import(path);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->counts.added, 0);
  EXPECT_EQ(second->counts.updated, 2);
  EXPECT_EQ(Count(), 2);
  EXPECT_EQ(All(), before);
}

TEST_F(ImportTest, ReimportWithoutIdsDedupsByTitleAndArtists) {
  const std::string path = Write("plain.csv", "title,artist\nSong,Band\nsong,band\nSong,Other\n");
  auto first = Import(path);
  ASSERT_TRUE(first.ok());
  // "song,band" is the same track as "Song,Band" (case-insensitive key).
  EXPECT_EQ(first->counts.added, 2);
  EXPECT_EQ(first->counts.updated, 1);
  auto second = Import(path);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->counts.added, 0);
  EXPECT_EQ(Count(), 2);
}

TEST_F(ImportTest, ReimportUpdatesChangedValuesAndKeepsMissingOnes) {
  ASSERT_TRUE(Import(Write("moods.csv", std::string(kDataMoodsHeader) + kDataMoodsRow1)).ok());
  const Track before = ByTitle("1999");
  // A second file knows the same track (by id) with a new energy, no valence column,
  // and an empty popularity cell.
  auto report = Import(Write("update.csv", "id,name,energy,popularity,genre\n"
                                           "2H7PHVdQ3mXqEHXcvclTB0,1999,0.99,,funk\n"));
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->counts.added, 0);
  EXPECT_EQ(report->counts.updated, 1);
  ASSERT_EQ(Count(), 1);
  const Track after = ByTitle("1999");
  EXPECT_EQ(after.id, before.id);
  EXPECT_THAT(after.features.energy, Optional(0.99));
  EXPECT_EQ(after.genre, "funk");
  EXPECT_EQ(after.features.spotify_valence, before.features.spotify_valence);
  EXPECT_THAT(after.popularity, Optional(68));
  EXPECT_THAT(after.artists, ElementsAre("Prince"));
  EXPECT_EQ(after.given_mood, "Happy");
  EXPECT_EQ(after.duration_ms, before.duration_ms);
}

TEST_F(ImportTest, CountsStayRightAcrossImportsOnOneStore) {
  // A header-only import logs itself; the next import's first new track must still
  // count as added.
  ASSERT_TRUE(Import(Write("header.csv", "title,artist\n")).ok());
  auto report = Import(Write("one.csv", "title,artist\nNew,Band\n"));
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->counts.added, 1);
  EXPECT_EQ(report->counts.updated, 0);
  auto again = Import(Write("two.csv", "title,artist\nNew,Band\nNewer,Band\n"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->counts.added, 1);
  EXPECT_EQ(again->counts.updated, 1);
}

TEST_F(ImportTest, ProgressIsReportedForLargeFiles) {
  std::string csv = "title\n";
  for (int i = 0; i < 70000; ++i) csv += "t" + std::to_string(i) + "\n";
  ImportOptions options;
  int calls = 0;
  ImportProgress last;
  options.progress = [&](const ImportProgress& p) {
    ++calls;
    last = p;
  };
  auto report = Import(Write("big.csv", csv), options);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->counts.added, 70000);
  EXPECT_GE(calls, 1);
  EXPECT_EQ(last.rows, 65536);
  EXPECT_EQ(last.total_bytes, static_cast<std::int64_t>(csv.size()));
  EXPECT_GT(last.bytes, 0);
}

}  // namespace
}  // namespace emotune
