// The `emotune` binary end to end: help, exit codes, one-line errors on stderr,
// --json output, export files and the catalog location.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "emotune/catalog_store.h"
#include "test_files.h"

namespace emotune {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using emotune::testing::CommandResult;
using emotune::testing::CountLines;
using emotune::testing::ReadFile;
using emotune::testing::RunCommand;
using emotune::testing::TempDir;
using emotune::testing::WriteFile;

constexpr const char* kMoods =
    "name,album,artist,id,release_date,popularity,length,danceability,acousticness,energy,instrumentalness,"
    "liveness,valence,loudness,speechiness,tempo,key,time_signature,mood\n"
    "1999,1999,Prince,2H7PHVdQ3mXqEHXcvclTB0,1982-10-27,68,379266,0.866,0.137,0.73,0,0.0843,0.625,-8.201,"
    "0.0767,118.523,5,4,Happy\n"
    "Hurt,American IV,Johnny Cash,28cnXtME493VX9NOw9cIUh,2002,72,218013,0.538,0.849,0.177,0.000126,0.0922,"
    "0.167,-12.384,0.0333,93.847,9,4,Sad\n"
    "Little Wing,Axis: Bold as Love,Jimi Hendrix,1Eolhana7nKHYpcYpdVcT5,1967-12-01,67,144693,0.449,0.497,"
    "0.369,0.00198,0.119,0.385,-14.014,0.0349,70.088,4,4,Calm\n";

class CliTest : public ::testing::Test {
 protected:
  // Runs emotune with `args`; EMOTUNE_DB points into the temp folder unless `env`
  // says otherwise, so no test ever touches the user's catalog.
  CommandResult Run(std::vector<std::string> args,
                    std::map<std::string, std::optional<std::string>> env = {}) {
    args.insert(args.begin(), EMOTUNE_BINARY);
    env.emplace("EMOTUNE_DB", dir_.File("env-default.db"));
    env.emplace("XDG_DATA_HOME", dir_.File("xdg"));
    env.emplace("HOME", dir_.File("home"));
    return RunCommand(args, env);
  }
  // Runs with --db on the test's catalog.
  CommandResult Db(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    return Run(std::move(args));
  }
  std::string Write(const std::string& name, const std::string& contents) {
    return WriteFile(dir_.File(name), contents);
  }
  nlohmann::json Json(const CommandResult& r) {
    auto doc = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(doc.is_discarded()) << "not JSON: " << r.out;
    return doc;
  }
  // The number of tracks the catalog holds, through `stats --json`.
  std::int64_t Tracks() {
    const CommandResult r = Db({"stats", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const auto doc = Json(r);
    return doc.is_object() ? doc.value("tracks", std::int64_t{-1}) : -1;
  }
  void ImportMoods() {
    const CommandResult r = Db({"import", Write("moods.csv", kMoods)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  // An error: exit code, and one line on stderr beginning "emotune: ".
  void ExpectOneLineError(const CommandResult& r, int code) {
    EXPECT_EQ(r.exit_code, code) << "stdout: " << r.out << "\nstderr: " << r.err;
    EXPECT_EQ(CountLines(r.err), 1u) << r.err;
    EXPECT_THAT(r.err, StartsWith("emotune: "));
  }

  TempDir dir_;
  std::string db_ = dir_.File("catalog.db");
};

TEST_F(CliTest, HelpMentionsEveryCommand) {
  const CommandResult r = Run({"--help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* command : {"import", "tracks", "stats", "export", "--db"})
    EXPECT_THAT(r.out, HasSubstr(command));
}

TEST_F(CliTest, EachCommandHasHelp) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> commands = {
      {"import", {"--map", "--skip-bad", "--format", "--json"}},
      {"tracks", {"--artist", "--genre", "--language", "--year", "--mood", "--ids", "--limit", "--json"}},
      {"stats", {"--json"}},
      {"export", {"--artist", "--year", "--format", "--output", "--title", "--ids"}},
  };
  for (const auto& [command, options] : commands) {
    SCOPED_TRACE(command);
    const CommandResult r = Run({command, "--help"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    for (const auto& option : options) EXPECT_THAT(r.out, HasSubstr(option));
  }
}

TEST_F(CliTest, NoCommandIsAUsageError) { ExpectOneLineError(Db({}), 2); }

TEST_F(CliTest, UnknownCommandIsAUsageError) { ExpectOneLineError(Db({"dance"}), 2); }

TEST_F(CliTest, UnknownOptionIsAUsageError) {
  ExpectOneLineError(Db({"tracks", "--colour", "blue"}), 2);
  ExpectOneLineError(Db({"--bogus", "stats"}), 2);
}

TEST_F(CliTest, BadYearIsAUsageError) {
  ImportMoods();
  for (const char* year : {"abc", "1999..1990", "..", "19x9..2000"}) {
    SCOPED_TRACE(year);
    const CommandResult r = Db({"tracks", "--year", year});
    ExpectOneLineError(r, 2);
    EXPECT_THAT(r.err, HasSubstr("--year"));
  }
  const CommandResult ids = Db({"export", "--ids", "1,x"});
  ExpectOneLineError(ids, 2);
  EXPECT_THAT(ids.err, HasSubstr("--ids"));
}

TEST_F(CliTest, BadFormatIsAUsageError) {
  ImportMoods();
  ExpectOneLineError(Db({"export", "--format", "wav"}), 2);
  ExpectOneLineError(Db({"export", "-o", dir_.File("out.mp3")}), 2);
  ExpectOneLineError(Db({"import", "--format", "xml", dir_.File("moods.csv")}), 2);
  ExpectOneLineError(Db({"import", "--map", "novalue", dir_.File("moods.csv")}), 2);
  ExpectOneLineError(Db({"import", "--map", "happiness=valence", dir_.File("moods.csv")}), 2);
}

TEST_F(CliTest, MissingImportFileFails) {
  const std::string missing = dir_.File("does-not-exist.csv");
  const CommandResult r = Db({"import", missing});
  ExpectOneLineError(r, 1);
  EXPECT_THAT(r.err, HasSubstr(missing));
}

TEST_F(CliTest, ImportWithoutFilesIsAUsageError) { ExpectOneLineError(Db({"import"}), 2); }

TEST_F(CliTest, BadRowFailsWithLocationAndLeavesTheCatalogUnchanged) {
  ImportMoods();
  ASSERT_EQ(Tracks(), 3);
  const std::string bad = Write("bad.csv",
                                "title,artist,valence\n"
                                "Fine,Someone,0.5\n"
                                "Broken,Someone,1.7\n");
  const CommandResult r = Db({"import", bad});
  ExpectOneLineError(r, 1);
  EXPECT_THAT(r.err, AllOf(HasSubstr(bad + ":3:"), HasSubstr("valence"), HasSubstr("1.7")));
  EXPECT_EQ(Tracks(), 3);
}

TEST_F(CliTest, SkipBadPrintsHowManyAndWhy) {
  const std::string bad = Write("bad.csv",
                                "title,artist,valence\n"
                                "Fine,Someone,0.5\n"
                                "Broken,Someone,1.7\n"
                                "Also fine,Someone,0.1\n");
  const CommandResult r = Db({"import", "--skip-bad", bad});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, AllOf(HasSubstr("2 added"), HasSubstr("1 skipped")));
  EXPECT_THAT(r.err, AllOf(HasSubstr("bad valence"), HasSubstr(bad + ":3:")));
  EXPECT_EQ(Tracks(), 2);
}

TEST_F(CliTest, ImportJsonReportsAddedAndUpdated) {
  const std::string path = Write("moods.csv", kMoods);
  const CommandResult first = Db({"import", "--json", path});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const auto doc = Json(first);
  ASSERT_TRUE(doc.is_array());
  ASSERT_EQ(doc.size(), 1u);
  EXPECT_EQ(doc[0].at("file"), path);
  EXPECT_EQ(doc[0].at("layout"), "data_moods");
  EXPECT_EQ(doc[0].at("rows"), 3);
  EXPECT_EQ(doc[0].at("added"), 3);
  EXPECT_EQ(doc[0].at("updated"), 0);
  EXPECT_EQ(doc[0].at("skipped"), 0);

  const CommandResult second = Db({"import", "--json", path});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const auto again = Json(second);
  ASSERT_TRUE(again.is_array());
  EXPECT_EQ(again[0].at("added"), 0);
  EXPECT_EQ(again[0].at("updated"), 3);
  EXPECT_EQ(Tracks(), 3);
}

TEST_F(CliTest, ImportSeveralFilesWithCountsPerFile) {
  const std::string header_only = Write("empty-body.csv", "title,artist\n");
  const std::string one = Write("one.csv", "title,artist\nNew,Band\n");
  const CommandResult r = Db({"import", "--json", header_only, one});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = Json(r);
  ASSERT_TRUE(doc.is_array());
  ASSERT_EQ(doc.size(), 2u);
  EXPECT_EQ(doc[0].at("added"), 0);
  EXPECT_EQ(doc[1].at("added"), 1);
  EXPECT_EQ(doc[1].at("updated"), 0);
}

TEST_F(CliTest, ImportMapOption) {
  const std::string path = Write("mine.csv", "Song,Who,happy\nMine,Me,0.9\n");
  const CommandResult r = Db({"import", "--json", "--map", "title=Song", "--map", "artists=Who", "--map",
                              "valence=happy", path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const CommandResult t = Db({"tracks", "--json"});
  const auto doc = Json(t);
  ASSERT_EQ(doc.at("tracks").size(), 1u);
  EXPECT_EQ(doc.at("tracks")[0].at("title"), "Mine");
  EXPECT_EQ(doc.at("tracks")[0].at("artists"), nlohmann::json({"Me"}));
  EXPECT_DOUBLE_EQ(doc.at("tracks")[0].at("features").at("spotify_valence").get<double>(), 0.9);
}

TEST_F(CliTest, TracksJson) {
  ImportMoods();
  const CommandResult r = Db({"tracks", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = Json(r);
  EXPECT_EQ(doc.at("count"), 3);
  EXPECT_EQ(doc.at("total"), 3);
  ASSERT_EQ(doc.at("tracks").size(), 3u);
  EXPECT_EQ(doc.at("tracks")[0].at("title"), "1999");
  EXPECT_EQ(doc.at("tracks")[0].at("given_mood"), "Happy");

  const CommandResult limited = Db({"tracks", "--json", "-n", "1", "--year", "1960..1999"});
  ASSERT_EQ(limited.exit_code, 0) << limited.err;
  const auto ldoc = Json(limited);
  EXPECT_EQ(ldoc.at("count"), 1);
  EXPECT_EQ(ldoc.at("total"), 2);

  const CommandResult by_artist = Db({"tracks", "--json", "--artist", "johnny cash"});
  const auto adoc = Json(by_artist);
  ASSERT_EQ(adoc.at("tracks").size(), 1u);
  EXPECT_EQ(adoc.at("tracks")[0].at("title"), "Hurt");

  const CommandResult by_mood = Db({"tracks", "--json", "--mood", "calm"});
  const auto mdoc = Json(by_mood);
  ASSERT_EQ(mdoc.at("tracks").size(), 1u);
  EXPECT_EQ(mdoc.at("tracks")[0].at("title"), "Little Wing");
}

TEST_F(CliTest, TracksTable) {
  ImportMoods();
  const CommandResult r = Db({"tracks", "--limit", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, AllOf(HasSubstr("1999"), HasSubstr("Prince"), HasSubstr("Hurt")));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("Little Wing")));
  EXPECT_THAT(r.err, HasSubstr("2 of 3"));
}

TEST_F(CliTest, StatsJson) {
  ImportMoods();
  const CommandResult r = Db({"stats", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = Json(r);
  EXPECT_EQ(doc.at("tracks"), 3);
  EXPECT_EQ(doc.at("artists"), 3);
  EXPECT_EQ(doc.at("year_min"), 1967);
  EXPECT_EQ(doc.at("year_max"), 2002);
  EXPECT_EQ(doc.at("schema_version"), kCatalogSchemaVersion);
  EXPECT_EQ(doc.at("catalog"), db_);
  EXPECT_EQ(doc.at("by_given_mood").at("Sad"), 1);
}

TEST_F(CliTest, StatsText) {
  ImportMoods();
  const CommandResult r = Db({"stats"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, AllOf(HasSubstr("tracks"), HasSubstr("3"), HasSubstr(db_)));
}

TEST_F(CliTest, ExportXspfFile) {
  ImportMoods();
  const std::string out = dir_.File("mix.xspf");
  const CommandResult r = Db({"export", "--mood", "happy", "-o", out, "--title", "Up"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  const std::string text = ReadFile(out);
  EXPECT_THAT(text, StartsWith("<?xml"));
  EXPECT_THAT(text, AllOf(HasSubstr("http://xspf.org/ns/0/"), HasSubstr("<title>Up</title>"),
                          HasSubstr("<title>1999</title>")));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("Hurt")));
}

TEST_F(CliTest, ExportToStandardOutput) {
  ImportMoods();
  const CommandResult m3u = Db({"export", "--artist", "Prince"});
  ASSERT_EQ(m3u.exit_code, 0) << m3u.err;
  EXPECT_THAT(m3u.out, StartsWith("#EXTM3U\n"));
  EXPECT_THAT(m3u.out, AllOf(HasSubstr("#EXTINF:379,Prince - 1999"), HasSubstr("spotify:track:2H7PHVdQ3mXqEHXcvclTB0")));

  const CommandResult json = Db({"export", "--format", "json", "--ids", "3,1"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto doc = Json(json);
  ASSERT_EQ(doc.at("tracks").size(), 2u);
  EXPECT_EQ(doc.at("tracks")[0].at("title"), "Little Wing");
  EXPECT_EQ(doc.at("tracks")[1].at("title"), "1999");
}

TEST_F(CliTest, ExportCsvReimportsIntoAFreshCatalog) {
  ImportMoods();
  const std::string out = dir_.File("all.csv");
  ASSERT_EQ(Db({"export", "-o", out}).exit_code, 0);
  const std::string fresh = dir_.File("fresh.db");
  const CommandResult imported = Run({"--db", fresh, "import", "--json", out});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(Json(imported)[0].at("added"), 3);
  const auto a = Json(Db({"tracks", "--json"}));
  const auto b = Json(Run({"--db", fresh, "tracks", "--json"}));
  ASSERT_EQ(a.at("tracks").size(), b.at("tracks").size());
  for (std::size_t i = 0; i < a.at("tracks").size(); ++i) {
    auto x = a.at("tracks")[i];
    auto y = b.at("tracks")[i];
    x.erase("id");
    y.erase("id");
    EXPECT_EQ(x, y);
  }
}

TEST_F(CliTest, ExportWithNoMatchFails) {
  ImportMoods();
  const std::string out = dir_.File("none.m3u8");
  const CommandResult r = Db({"export", "--artist", "Nobody", "-o", out});
  ExpectOneLineError(r, 1);
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST_F(CliTest, ExportToAMissingFolderFails) {
  ImportMoods();
  const CommandResult r = Db({"export", "-o", dir_.File("no/such/dir/mix.m3u8")});
  ExpectOneLineError(r, 1);
  EXPECT_THAT(r.err, HasSubstr("mix.m3u8"));
}

TEST_F(CliTest, EmotuneDbEnvironmentVariable) {
  const std::string env_db = dir_.File("from-env/catalog.db");
  const std::string path = Write("moods.csv", kMoods);
  const CommandResult r = Run({"import", path}, {{"EMOTUNE_DB", env_db}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(env_db));
  EXPECT_FALSE(std::filesystem::exists(db_));
  const CommandResult stats = Run({"stats", "--json"}, {{"EMOTUNE_DB", env_db}});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_EQ(Json(stats).at("tracks"), 3);
  EXPECT_EQ(Json(stats).at("catalog"), env_db);
  // --db wins over the environment.
  const CommandResult explicit_db = Run({"--db", db_, "stats", "--json"}, {{"EMOTUNE_DB", env_db}});
  ASSERT_EQ(explicit_db.exit_code, 0) << explicit_db.err;
  EXPECT_EQ(Json(explicit_db).at("tracks"), 0);
}

TEST_F(CliTest, XdgDataHomeIsTheFallback) {
  const CommandResult r = Run({"stats", "--json"}, {{"EMOTUNE_DB", std::nullopt}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json(r).at("catalog"), dir_.File("xdg") + "/emotune/catalog.db");
  EXPECT_TRUE(std::filesystem::exists(dir_.File("xdg/emotune/catalog.db")));
}

TEST_F(CliTest, CatalogThatIsNotADatabaseFails) {
  const std::string bogus = Write("bogus.db", std::string(4096, 'x'));
  const CommandResult r = Run({"--db", bogus, "stats"});
  ExpectOneLineError(r, 1);
  EXPECT_THAT(r.err, HasSubstr("bogus.db"));
}

}  // namespace
}  // namespace emotune
