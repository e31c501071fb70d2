// `emotune recommend` end to end: import a small data_moods-style CSV into a temp
// catalog, then ask for playlists as JSON, as a list and as an M3U8 file, and check
// the usage errors.
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_files.h"

namespace emotune {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using emotune::testing::CommandResult;
using emotune::testing::ReadFile;
using emotune::testing::RunCommand;
using emotune::testing::TempDir;
using emotune::testing::WriteFile;

// 40 tracks by 10 artists spread over the plane: valence and energy walk the grid.
std::string Csv() {
  std::string csv =
      "name,album,artist,id,release_date,popularity,length,danceability,acousticness,energy,instrumentalness,"
      "liveness,valence,loudness,speechiness,tempo,key,time_signature,mood\n";
  for (int i = 0; i < 40; ++i) {
    const double valence = 0.05 + 0.9 * (i % 8) / 7.0;
    const double energy = 0.05 + 0.9 * (i / 8) / 4.0;
    csv += fmt::format("Song {0},Album {1},Band {1},id{0:04},2001,50,{2},0.5,0.3,{3:.3f},0,0.1,{4:.3f},-9,0.05,{5},{6},4,\n",
                       i, i % 10, 180000 + i * 1000, energy, valence, 70 + 2 * i, i % 12);
  }
  return csv;
}

class RecommendCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.File("catalog.db");
    const CommandResult r = Run({"import", WriteFile(dir_.File("tracks.csv"), Csv())});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  CommandResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {EMOTUNE_BINARY, "--db", db_});
    return RunCommand(args, {{"XDG_DATA_HOME", dir_.File("xdg")}, {"HOME", dir_.File("home")}});
  }
  TempDir dir_;
  std::string db_;
};

TEST_F(RecommendCliTest, UpliftJsonHasTracksReasonsAndAPath) {
  const CommandResult r = Run({"recommend", "--emotion", "sadness", "--strategy", "uplift", "-n", "5", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["strategy"], "uplift");
  EXPECT_EQ(j["mood"]["emotion"], "sadness");
  ASSERT_EQ(j["path"].size(), 5u);
  EXPECT_EQ(j["path"][0].size(), 2u);
  ASSERT_EQ(j["tracks"].size(), 5u);
  for (const auto& t : j["tracks"]) {
    EXPECT_TRUE(t["title"].is_string());
    EXPECT_FALSE(t["reason"].get<std::string>().empty());
    EXPECT_TRUE(t["mood"]["valence"].is_number());
    EXPECT_TRUE(t["mood"]["emotion"].is_string());
    EXPECT_EQ(t["waypoint"].size(), 2u);
  }
  EXPECT_LT(j["tracks"][0]["mood"]["valence"].get<double>(), j["tracks"][4]["mood"]["valence"].get<double>());
  EXPECT_EQ(j["note"], "");
}

TEST_F(RecommendCliTest, PlainListAndAShortPlaylistNote) {
  const CommandResult r = Run({"recommend", "--va", "0.3,-0.5", "-n", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("1. Band "));
  EXPECT_THAT(r.out, HasSubstr(" — Song "));
  EXPECT_THAT(r.out, HasSubstr("near "));
  EXPECT_EQ(emotune::testing::CountLines(r.out), 3u);

  const CommandResult short_list = Run({"recommend", "--emotion", "joy", "--genre", "polka", "--json"});
  EXPECT_EQ(short_list.exit_code, 0) << short_list.err;
  EXPECT_THAT(short_list.err, HasSubstr("no tracks match the filters"));
  EXPECT_TRUE(nlohmann::json::parse(short_list.out)["tracks"].empty());
}

TEST_F(RecommendCliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Run({"recommend", "--va", "2,0"}).exit_code, 2);
  EXPECT_EQ(Run({"recommend", "--va", "nope"}).exit_code, 2);
  EXPECT_EQ(Run({"recommend"}).exit_code, 2);
  EXPECT_EQ(Run({"recommend", "--emotion", "joy", "--va", "0,0"}).exit_code, 2);
  EXPECT_EQ(Run({"recommend", "--emotion", "glee"}).exit_code, 2);
  EXPECT_EQ(Run({"recommend", "--emotion", "joy", "--strategy", "sideways"}).exit_code, 2);
  EXPECT_EQ(Run({"recommend", "--emotion", "joy", "--strategy", "target"}).exit_code, 2);
  EXPECT_EQ(Run({"recommend", "--emotion", "joy", "-n", "0"}).exit_code, 2);
  const CommandResult r = Run({"recommend", "--text", "hello", "--model", dir_.File("missing.bin")});
  EXPECT_EQ(r.exit_code, 1);
}

TEST_F(RecommendCliTest, TargetAndDefaultStrategy) {
  const CommandResult to_calm = Run({"recommend", "--emotion", "anger", "--target", "calm", "-n", "4", "--json"});
  ASSERT_EQ(to_calm.exit_code, 0) << to_calm.err;
  EXPECT_EQ(nlohmann::json::parse(to_calm.out)["strategy"], "target");
  // A clear negative mood is lifted by default (the iso principle).
  const CommandResult sad = Run({"recommend", "--emotion", "sadness", "-n", "4", "--json"});
  ASSERT_EQ(sad.exit_code, 0) << sad.err;
  EXPECT_EQ(nlohmann::json::parse(sad.out)["strategy"], "uplift");
  const CommandResult joy = Run({"recommend", "--emotion", "joy", "-n", "4", "--json"});
  EXPECT_EQ(nlohmann::json::parse(joy.out)["strategy"], "match");
}

TEST_F(RecommendCliTest, WritesAnM3u8WithReasons) {
  const std::string out = dir_.File("lift.m3u8");
  const CommandResult r = Run({"recommend", "--emotion", "fear", "--strategy", "calm", "-n", "6", "--format", "m3u8",
                               "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string m3u = ReadFile(out);
  EXPECT_THAT(m3u, StartsWith("#EXTM3U"));
  EXPECT_THAT(m3u, HasSubstr("Song "));
}

TEST_F(RecommendCliTest, FeedbackIsStoredAndShapesThatListenersPlaylist) {
  const CommandResult before = Run({"recommend", "--emotion", "joy", "-n", "3", "--json"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  const std::int64_t top = nlohmann::json::parse(before.out)["tracks"][0]["id"];
  ASSERT_EQ(Run({"feedback", "--user", "ana", "--track", std::to_string(top), "dislike"}).exit_code, 0);
  const CommandResult after = Run({"recommend", "--emotion", "joy", "-n", "3", "--user", "ana", "--json"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  const auto doc = nlohmann::json::parse(after.out);  // kept alive: the loop walks inside it
  for (const auto& t : doc["tracks"]) EXPECT_NE(t["id"], top);
  const CommandResult list = Run({"feedback", "--user", "ana", "--list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(nlohmann::json::parse(list.out)["feedback"][0]["kind"], "dislike");
  EXPECT_EQ(Run({"feedback", "--user", "ana", "--track", "999999", "like"}).exit_code, 1);
  EXPECT_EQ(Run({"feedback", "--user", "ana", "--track", std::to_string(top), "meh"}).exit_code, 2);
  EXPECT_EQ(Run({"feedback", "--track", "1", "like"}).exit_code, 2);  // no --user
}

TEST_F(RecommendCliTest, PlayedTracksAreHeldBackUntilHistoryIsOff) {
  const CommandResult before = Run({"recommend", "--emotion", "calm", "-n", "2", "--json"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  const auto first = nlohmann::json::parse(before.out);
  const std::int64_t a = first["tracks"][0]["id"], b = first["tracks"][1]["id"];
  ASSERT_EQ(Run({"history", "--user", "ana", "--played", std::to_string(a), std::to_string(b)}).exit_code, 0);
  const CommandResult list = Run({"history", "--user", "ana", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  const auto played = nlohmann::json::parse(list.out)["recently_played"];
  ASSERT_EQ(played.size(), 2u);
  EXPECT_EQ(played[0]["id"], b);  // newest first
  const auto ids = [&](std::vector<std::string> args) {
    const CommandResult r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::int64_t> out;
    const auto doc = nlohmann::json::parse(r.out);  // kept alive: the loop walks inside it
    for (const auto& t : doc["tracks"]) out.push_back(t["id"]);
    return out;
  };
  const auto held = ids({"recommend", "--emotion", "calm", "-n", "2", "--user", "ana", "--json"});
  EXPECT_THAT(held, ::testing::Not(::testing::Contains(a)));
  EXPECT_THAT(held, ::testing::Not(::testing::Contains(b)));
  EXPECT_THAT(ids({"recommend", "--emotion", "calm", "-n", "2", "--user", "ana", "--history", "0", "--json"}),
              ::testing::ElementsAre(a, b));
  EXPECT_EQ(Run({"history", "--user", "ana", "--played", "999999"}).exit_code, 1);
  EXPECT_EQ(Run({"history", "--played", "1"}).exit_code, 2);  // no --user
}

TEST_F(RecommendCliTest, MoreLikeThis) {
  const CommandResult r = Run({"recommend", "--like", "1", "-n", "2", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["strategy"], "match");
  for (const auto& t : doc["tracks"]) EXPECT_NE(t["id"], 1);
  EXPECT_EQ(Run({"recommend", "--like", "424242"}).exit_code, 1);
  EXPECT_EQ(Run({"recommend", "--like", "1", "--emotion", "joy"}).exit_code, 2);
}

}  // namespace
}  // namespace emotune
