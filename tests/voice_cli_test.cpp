// The voice commands end to end through the emotune binary: mood --voice (text and
// JSON), its refusals (empty file, no speech, two inputs), recommend --voice, and
// train voice / eval voice on a small RAVDESS-named tree the test writes. The model
// is one the test trains and points EMOTUNE_MODELS at.
#include <filesystem>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "voice_fixtures.h"

namespace emotune {
namespace {

using ::testing::HasSubstr;
using testing::CommandResult;
using testing::RunCommand;
using testing::TempDir;

class VoiceCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.File("models"));
    ASSERT_TRUE(testing::TinyVoiceModel()->Save(dir_.File("models/voice-emotion.bin")).ok());
    voice_ = testing::WriteWav(dir_.File("voice.wav"), testing::Padded(testing::SyntheticVoice(2.0, 22050, testing::Lively(3)), 0.4));
  }
  CommandResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {EMOTUNE_BINARY, "--db", dir_.File("catalog.db")});
    return RunCommand(args, {{"EMOTUNE_MODELS", dir_.File("models")}, {"XDG_DATA_HOME", dir_.File("xdg")}, {"HOME", dir_.File("home")}});
  }
  TempDir dir_;
  std::string voice_;
};

TEST_F(VoiceCliTest, MoodFromAVoiceClip) {
  const CommandResult json = Run({"mood", "--voice", voice_, "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto j = nlohmann::json::parse(json.out);
  for (const char* key : {"emotion", "confidence", "valence", "arousal", "distribution"}) EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["emotion"], "anger");
  const CommandResult text = Run({"mood", "--voice", voice_});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("anger"));
  EXPECT_THAT(text.out, HasSubstr("valence"));
}

TEST_F(VoiceCliTest, TheShippedModelLoadsAndReads) {
  // No EMOTUNE_MODELS: the models/ folder above the binary (models/voice-emotion.bin).
  const CommandResult r = RunCommand({EMOTUNE_BINARY, "mood", "--voice", voice_, "--json"},
                                     {{"EMOTUNE_MODELS", std::nullopt}, {"HOME", dir_.File("home")}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["ravdess"].size(), 8u);
  EXPECT_GT(j["confidence"].get<double>(), 0.0);
}

TEST_F(VoiceCliTest, BadClipsFailNamingTheFileAndTheReason) {
  const std::string empty = testing::WriteFile(dir_.File("empty.ogg"), "");
  const CommandResult e = Run({"mood", "--voice", empty});
  EXPECT_EQ(e.exit_code, 1);
  EXPECT_THAT(e.err, HasSubstr(empty));
  EXPECT_THAT(e.err, HasSubstr("empty"));
  const std::string silence = testing::WriteWav(dir_.File("silence.wav"), testing::Silence(2, 16000));
  const CommandResult s = Run({"mood", "--voice", silence});
  EXPECT_EQ(s.exit_code, 1);
  EXPECT_THAT(s.err, HasSubstr("no speech found"));
  EXPECT_EQ(Run({"mood", "--voice", dir_.File("missing.wav")}).exit_code, 1);
  EXPECT_EQ(Run({"mood", "--voice", voice_, "--text", "hi"}).exit_code, 2);
}

TEST_F(VoiceCliTest, RecommendFromAVoiceClip) {
  std::string csv = "name,artist,id,valence,energy,mood\n";
  for (int i = 0; i < 12; ++i) csv += fmt::format("Song {0},Band {1},id{0},{2:.2f},{3:.2f},\n", i, i % 4, (i % 4) / 3.0, (i / 4) / 2.0);
  ASSERT_EQ(Run({"import", testing::WriteFile(dir_.File("tracks.csv"), csv)}).exit_code, 0);
  const CommandResult r = Run({"recommend", "--voice", voice_, "-n", "3", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["tracks"].size(), 3u);
  EXPECT_EQ(Run({"recommend", "--voice", testing::WriteFile(dir_.File("e.wav"), ""), "-n", "3"}).exit_code, 1);
}

TEST_F(VoiceCliTest, TrainAndEvalOnRavdessNamedFiles) {
  // Three actors, each saying "sad" (flat) and "angry" (lively) twice.
  for (int actor = 1; actor <= 3; ++actor)
    for (int rep = 1; rep <= 2; ++rep)
      for (int emotion : {4, 5}) {
        testing::VoiceStyle style = emotion == 5 ? testing::Lively(static_cast<unsigned>(actor * 10 + rep))
                                                 : testing::Flat(static_cast<unsigned>(actor * 10 + rep));
        style.pitch_hz *= 1 + 0.07 * actor;
        const std::string name = fmt::format("tree/Actor_{0:02}/03-01-{1:02}-01-01-{2:02}-{0:02}.wav", actor, emotion, rep);
        testing::WriteWav(dir_.File(name), testing::Padded(testing::SyntheticVoice(1.5, 16000, style), 0.3));
      }
  testing::WriteFile(dir_.File("tree/README.txt"), "not a clip");
  const CommandResult train = Run({"train", "voice", "--data", dir_.File("tree"), "--holdout-actors", "3", "--out",
                                   dir_.File("m.bin"), "--augment", "1", "--hidden", "8", "--members", "1", "--epochs",
                                   "30", "-j", "1"});
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_THAT(train.out, HasSubstr("held-out actors 3"));
  EXPECT_TRUE(std::filesystem::exists(dir_.File("m.bin")));
  const CommandResult eval = Run({"eval", "voice", "--data", dir_.File("tree"), "--model", dir_.File("m.bin"), "--json"});
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  const auto j = nlohmann::json::parse(eval.out);
  EXPECT_EQ(j["n"], 12);
  EXPECT_GE(j["accuracy"].get<double>(), 0.75);
  EXPECT_TRUE(j.contains("macro_f1"));
  EXPECT_EQ(j["confusion"].size(), 8u);
  EXPECT_EQ(Run({"eval", "voice", "--data", dir_.File("models")}).exit_code, 1);  // no RAVDESS names there
  EXPECT_EQ(Run({"train", "voice", "--data", dir_.File("tree"), "--holdout-actors", "x"}).exit_code, 2);
}

}  // namespace
}  // namespace emotune
