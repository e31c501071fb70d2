// `emotune scan` end to end with the real analyzer on WAV files the test writes: tags
// or the file name become titles, bad files are reported beside the good ones, the
// summary (text and JSON) and the exit codes.
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "audio_fixtures.h"
#include "emotune/catalog_store.h"
#include "emotune/library_scanner.h"
#include "test_files.h"

namespace emotune {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using emotune::testing::RunCommand;
using emotune::testing::TempDir;
using emotune::testing::WriteFile;
using emotune::testing::WriteWav;

class ScanCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteWav(dir_.File("music/tagged.wav"), testing::ClickTrack(120, 8), {{"INAM", "Pulse"}, {"IART", "Metro"}});
    WriteWav(dir_.File("music/album/plain_name.wav"),
             testing::Chords({{60, 64, 67}, {65, 69, 72}, {67, 71, 74}, {60, 64, 67}}, 1.5, 8000));
    WriteWav(dir_.File("music/short clip.wav"), testing::WhiteNoise(0.2, 192000));
    WriteFile(dir_.File("music/empty.flac"), "");
    WriteFile(dir_.File("music/not-audio.mp3"), std::string(5000, 'z'));
  }
  testing::CommandResult Emotune(std::vector<std::string> args) {
    args.insert(args.begin(), {EMOTUNE_BINARY, "--db", db_});
    return RunCommand(args);
  }

  TempDir dir_;
  std::string db_ = dir_.File("catalog.db");
};

TEST_F(ScanCliTest, AnalysesTheGoodFilesAndReportsTheBadOnes) {
  auto first = Emotune({"scan", dir_.File("music"), "-j", "2", "--json"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const auto json = nlohmann::json::parse(first.out);
  EXPECT_EQ(json["files"], 5);
  EXPECT_EQ(json["analysed"].get<int>() + json["failed"].get<int>(), 5);
  EXPECT_GE(json["analysed"].get<int>(), 2);  // a 0.2 s clip may or may not be measurable
  std::vector<std::string> failed;
  for (const auto& f : json["failures"]) {
    EXPECT_FALSE(f["reason"].get<std::string>().empty());
    failed.push_back(std::filesystem::path(f["path"].get<std::string>()).filename());
  }
  EXPECT_THAT(failed, ::testing::IsSupersetOf({"empty.flac", "not-audio.mp3"}));

  auto store = OpenSqliteStore(db_);
  ASSERT_TRUE(store.ok());
  auto tracks = (*store)->FindTracks({});
  ASSERT_TRUE(tracks.ok());
  std::vector<std::string> titles;
  for (const auto& t : *tracks) {
    titles.push_back(t.title);
    if (t.title == "Pulse") {
      EXPECT_THAT(t.artists, ::testing::ElementsAre("Metro"));
      ASSERT_TRUE(t.features.tempo_bpm.has_value());
      EXPECT_NEAR(*t.features.tempo_bpm, 120, 120 * 0.04);
      EXPECT_THAT(*(*store)->TrackDescriptors(t.id), HasSubstr("loudness_range_lu"));
    }
  }
  EXPECT_THAT(titles, ::testing::IsSupersetOf({"Pulse", "plain_name"}));
  store->reset();

  auto second = Emotune({"scan", dir_.File("music")});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_THAT(second.out, HasSubstr("0 analysed, 5 unchanged"));
}

TEST_F(ScanCliTest, TextSummaryNamesFailures) {
  auto result = Emotune({"scan", dir_.File("music")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("scanned 5 audio files"));
  EXPECT_THAT(result.out, HasSubstr("not-audio.mp3: "));
}

TEST_F(ScanCliTest, MissingFolderFails) {
  auto result = Emotune({"scan", dir_.File("music"), dir_.File("nowhere")});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("nowhere: no such file or folder"));
  auto usage = Emotune({"scan"});
  EXPECT_EQ(usage.exit_code, 2);
}

TEST(ScanRealAnalyzerTest, MovedWavKeepsItsTrack) {
  TempDir dir;
  const auto a = WriteWav(dir.File("music/a.wav"), testing::ClickTrack(100, 4));
  auto store = OpenSqliteStore(dir.File("catalog.db"));
  ASSERT_TRUE(store.ok());
  auto first = ScanLibrary(**store, {dir.File("music")});
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_EQ(first->analysed, 1);
  const std::int64_t id = (*store)->FindTracks({})->front().id;
  std::filesystem::rename(a, dir.File("music/b.wav"));
  auto second = ScanLibrary(**store, {dir.File("music")});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->moved, 1);
  EXPECT_EQ((*store)->GetTrack(id)->file_path, dir.File("music/b.wav"));
}

}  // namespace
}  // namespace emotune
