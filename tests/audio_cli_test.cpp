// `emotune analyze` end to end: JSON Lines with the documented keys, the human form,
// and a bad file reported by name while the others are still analysed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

#include "audio_fixtures.h"

namespace emotune {
namespace {

using ::testing::HasSubstr;
using testing::RunCommand;
using testing::TempDir;
using testing::WriteWav;

class AudioCliTest : public ::testing::Test {
 protected:
  testing::CommandResult Analyze(std::vector<std::string> args) {
    args.insert(args.begin(), {EMOTUNE_BINARY, "analyze"});
    // The catalog must stay untouched: point it somewhere that must not appear.
    return RunCommand(args, {{"EMOTUNE_DB", dir_.File("must-not-exist.db")}, {"XDG_DATA_HOME", dir_.File("xdg")}});
  }
  TempDir dir_;
};

TEST_F(AudioCliTest, JsonLinesWithEveryField) {
  const auto a = WriteWav(dir_.File("a.wav"), testing::ClickTrack(120, 12), {{"INAM", "Pulse"}, {"IART", "Metro"}});
  const auto b = WriteWav(dir_.File("b.wav"), testing::Chords({{60, 64, 67}, {65, 69, 72}, {67, 71, 74}, {60, 64, 67}}, 2));
  const auto r = Analyze({a, b, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(testing::CountLines(r.out), 2u);
  std::istringstream lines(r.out);
  std::string line;
  std::vector<nlohmann::json> docs;
  while (std::getline(lines, line)) docs.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(docs.size(), 2u);
  for (const char* key : {"path", "title", "artist", "album", "album_artist", "genre", "year", "language", "track_number",
                          "duration_s", "tempo_bpm", "tempo_confidence", "beat_strength", "beat_regularity",
                          "onset_rate_hz", "key", "mode", "key_strength", "loudness_lufs", "loudness_range_lu",
                          "rms_dbfs", "energy", "danceability", "valence", "acousticness", "instrumentalness",
                          "speechiness", "spectral_centroid_hz", "spectral_rolloff_hz", "spectral_flatness",
                          "spectral_flux", "has_cover_art"})
    EXPECT_TRUE(docs[0].contains(key)) << key;
  EXPECT_EQ(docs[0]["path"], a);
  EXPECT_EQ(docs[0]["title"], "Pulse");
  EXPECT_EQ(docs[0]["artist"], "Metro");
  EXPECT_NEAR(docs[0]["tempo_bpm"].get<double>(), 120, 2.4);
  EXPECT_EQ(docs[0]["has_cover_art"], false);
  EXPECT_EQ(docs[1]["title"], "b");
  EXPECT_EQ(docs[1]["key"], "C");
  EXPECT_EQ(docs[1]["mode"], "major");
  EXPECT_FALSE(std::filesystem::exists(dir_.File("must-not-exist.db")));
  EXPECT_FALSE(std::filesystem::exists(dir_.File("xdg")));
}

TEST_F(AudioCliTest, BadFileIsNamedAndTheOthersStillAnalysed) {
  const auto good = WriteWav(dir_.File("good.wav"), testing::ClickTrack(100, 6));
  const auto bad = testing::WriteFile(dir_.File("broken.mp3"), "definitely not an mp3");
  const auto r = Analyze({bad, good, dir_.File("gone.ogg"), "--json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(testing::CountLines(r.out), 1u);
  EXPECT_THAT(r.out, HasSubstr("good.wav"));
  EXPECT_THAT(r.err, HasSubstr("emotune: " + bad + ": "));
  EXPECT_THAT(r.err, HasSubstr("gone.ogg: no such file"));
  EXPECT_EQ(testing::CountLines(r.err), 2u);
}

TEST_F(AudioCliTest, HumanFormAndUsage) {
  const auto a = WriteWav(dir_.File("a.wav"), testing::ClickTrack(120, 8));
  const auto r = Analyze({a});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("tempo"));
  EXPECT_THAT(r.out, HasSubstr("BPM"));
  EXPECT_THAT(r.out, HasSubstr("LUFS"));
  EXPECT_EQ(Analyze({}).exit_code, 2);
}

}  // namespace
}  // namespace emotune
