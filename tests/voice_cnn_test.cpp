// The voice CNN: its log-mel input, the training dump, the shipped ONNX network as
// OpenCV's dnn runs it (against the probe output tools/train_voice_cnn.py recorded
// from PyTorch), bad model files, and the reader averaging it with the feature network.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "emotune/voice_cnn.h"
#include "emotune/voice_mood.h"
#include "voice_fixtures.h"

namespace emotune {
namespace {

using ::testing::HasSubstr;
using testing::Padded;
using testing::SyntheticVoice;
using testing::TempDir;

const std::filesystem::path kModels = std::filesystem::path(__FILE__).parent_path().parent_path() / "models";
const std::string kShippedCnn = (kModels / "voice-emotion-cnn.onnx").string();

std::shared_ptr<const VoiceCnnModel> ShippedCnn() {
  static const std::shared_ptr<const VoiceCnnModel> model = [] {
    auto loaded = VoiceCnnModel::Load(kShippedCnn);
    if (!loaded.ok()) throw std::runtime_error(loaded.status().message());
    return std::shared_ptr<const VoiceCnnModel>(std::move(*loaded));
  }();
  return model;
}

// tools/train_voice_cnn.py's probe_input(): 4 sin(0.37 t + 0.23 b) cos(0.11 t − 0.19 b).
VoiceCnnInput ProbeInput(std::size_t frames = 150) {
  VoiceCnnInput input{frames, std::vector<float>(kVoiceMelBands * frames)};
  for (std::size_t b = 0; b < kVoiceMelBands; ++b)
    for (std::size_t t = 0; t < frames; ++t) {
      const double tb = static_cast<double>(t), bb = static_cast<double>(b);
      input.values[b * frames + t] = static_cast<float>(4 * std::sin(0.37 * tb + 0.23 * bb) * std::cos(0.11 * tb - 0.19 * bb));
    }
  return input;
}

void ExpectDistribution(const RavdessProbabilities& p) {
  for (double v : p) {
    EXPECT_TRUE(std::isfinite(v));
    EXPECT_GE(v, 0);
  }
  EXPECT_NEAR(std::accumulate(p.begin(), p.end(), 0.0), 1.0, 1e-4);
}

// A voice with a room's noise floor (about −60 dBFS; no digital silence), at `gain`.
UtteranceFeatures VoiceUtterances(double gain = 1) {
  testing::Signal s = Padded(SyntheticVoice(2.5, 16000, testing::Lively(3)), 0.4);
  std::mt19937 gen(11);
  std::normal_distribution<float> noise(0.0f, 1e-3f);
  for (float& v : s.samples) v = static_cast<float>(gain) * (v + noise(gen));
  return ExtractUtteranceFeatures(s.samples);
}

TEST(VoiceCnnInput, IsTheUtterancesLogMelBandMajorRelativeToItsMeanLevel) {
  testing::Signal s = Padded(SyntheticVoice(2.0, 16000, testing::Lively(2)), 0.3);
  const VoiceFrames frames = AnalyseVoiceFrames(s.samples);
  const VoiceActivity activity = DetectVoiceActivity(frames);
  ASSERT_FALSE(activity.utterances.empty());
  const SpeechSegment& u = activity.utterances[0];
  const VoiceCnnInput input = MakeVoiceCnnInput(frames, u);
  ASSERT_EQ(input.frames, u.end - u.begin);
  ASSERT_EQ(input.values.size(), kVoiceMelBands * input.frames);
  double mean = 0;
  for (std::size_t i = u.begin; i < u.end; ++i)
    for (float v : frames.mel(i)) mean += v;
  mean /= static_cast<double>(kVoiceMelBands * input.frames);
  // Band 7 of the utterance's 5th frame sits at row 7, column 5.
  EXPECT_NEAR(input.values[7 * input.frames + 5], std::max<double>(kVoiceCnnFloor, frames.mel(u.begin + 5)[7] - mean), 1e-4);
  for (float v : input.values) EXPECT_GE(v, kVoiceCnnFloor);
}

TEST(VoiceCnnInput, DoesNotDependOnTheMicrophonesGain) {
  const UtteranceFeatures loud = VoiceUtterances(1.0), quiet = VoiceUtterances(0.25);
  ASSERT_EQ(loud.cnn_inputs.size(), quiet.cnn_inputs.size());
  ASSERT_FALSE(loud.cnn_inputs.empty());
  const VoiceCnnInput &a = loud.cnn_inputs[0], &b = quiet.cnn_inputs[0];
  ASSERT_EQ(a.frames, b.frames);
  double worst = 0;
  for (std::size_t i = 0; i < a.values.size(); ++i)
    if (a.values[i] > kVoiceCnnFloor + 1 && b.values[i] > kVoiceCnnFloor + 1) worst = std::max<double>(worst, std::abs(a.values[i] - b.values[i]));
  EXPECT_LT(worst, 0.05);
}

TEST(VoiceCnnInput, RepeatsAShortUtteranceToTheNetworksMinimum) {
  const VoiceFrames frames = AnalyseVoiceFrames(SyntheticVoice(1.0, 16000, testing::Lively(4)).samples);
  SpeechSegment short_one;
  short_one.begin = 20;
  short_one.end = 30;
  const VoiceCnnInput input = MakeVoiceCnnInput(frames, short_one);
  ASSERT_EQ(input.frames, kVoiceCnnMinFrames);
  for (std::size_t b = 0; b < kVoiceMelBands; ++b) EXPECT_EQ(input.values[b * input.frames + 12], input.values[b * input.frames + 2]);
  EXPECT_EQ(MakeVoiceCnnInput(frames, SpeechSegment{}).frames, 0u);
}

TEST(VoiceCnnDump, RoundTripsAndNamesABrokenFile) {
  TempDir dir;
  const UtteranceFeatures found = VoiceUtterances();
  std::vector<VoiceCnnRecord> records = {{found.cnn_inputs[0], 4, 13, 0, 0}, {ProbeInput(40), 7, 2, 5, 3}};
  const std::string path = dir.File("dump.bin");
  ASSERT_TRUE(WriteVoiceCnnRecords(path, records).ok());
  auto back = ReadVoiceCnnRecords(path);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ((*back)[i].label, records[i].label);
    EXPECT_EQ((*back)[i].actor, records[i].actor);
    EXPECT_EQ((*back)[i].clip, records[i].clip);
    EXPECT_EQ((*back)[i].copy, records[i].copy);
    EXPECT_EQ((*back)[i].input.frames, records[i].input.frames);
    EXPECT_EQ((*back)[i].input.values, records[i].input.values);
  }
  const std::string bytes = testing::ReadFile(path);
  testing::WriteFile(path, bytes.substr(0, bytes.size() - 7));
  auto truncated = ReadVoiceCnnRecords(path);
  ASSERT_FALSE(truncated.ok());
  EXPECT_THAT(truncated.status().message(), HasSubstr(path));
  EXPECT_EQ(ReadVoiceCnnRecords(dir.File("none.bin")).status().code(), Status::Code::kNotFound);
}

TEST(VoiceCnnModel, ShippedNetworkMatchesPyTorchOnTheProbe) {
  std::ifstream in(kModels / "voice-emotion-cnn.json");
  const nlohmann::json reference = nlohmann::json::parse(in);
  const auto& want = reference["probe"]["probabilities"];
  ASSERT_EQ(want.size(), kRavdessEmotionCount);
  const RavdessProbabilities got = ShippedCnn()->Predict(ProbeInput());
  for (std::size_t k = 0; k < kRavdessEmotionCount; ++k) EXPECT_NEAR(got[k], want[k].get<double>(), 1e-4) << "class " << k;
}

TEST(VoiceCnnModel, GivesADistributionForAnyUtteranceLength) {
  for (std::size_t frames : {kVoiceCnnMinFrames, std::size_t{33}, std::size_t{157}, std::size_t{800}}) {
    SCOPED_TRACE(frames);
    ExpectDistribution(ShippedCnn()->Predict(ProbeInput(frames)));
  }
  const UtteranceFeatures found = VoiceUtterances();
  ASSERT_FALSE(found.cnn_inputs.empty());
  const RavdessProbabilities p = ShippedCnn()->Predict(found.cnn_inputs[0]);
  ExpectDistribution(p);
  EXPECT_LT(*std::max_element(p.begin(), p.end()), 1.0);
  EXPECT_THROW(ShippedCnn()->Predict(VoiceCnnInput{}), std::invalid_argument);
}

TEST(VoiceCnnModel, BadFilesAreClearErrorsNamingTheFile) {
  TempDir dir;
  const std::string missing = dir.File("missing.onnx");
  auto none = VoiceCnnModel::Load(missing);
  EXPECT_EQ(none.status().code(), Status::Code::kNotFound);
  EXPECT_THAT(none.status().message(), HasSubstr(missing));

  const std::string garbage = testing::WriteFile(dir.File("garbage.onnx"), "not an onnx model at all");
  auto corrupt = VoiceCnnModel::Load(garbage);
  EXPECT_EQ(corrupt.status().code(), Status::Code::kCorruption);
  EXPECT_THAT(corrupt.status().message(), HasSubstr(garbage));

  const std::string truncated = testing::WriteFile(dir.File("truncated.onnx"), testing::ReadFile(kShippedCnn).substr(0, 5000));
  auto cut = VoiceCnnModel::Load(truncated);
  EXPECT_EQ(cut.status().code(), Status::Code::kCorruption);
  EXPECT_THAT(cut.status().message(), HasSubstr(truncated));

  // A real ONNX network of another shape: the face expression model (1×1×64×64 → 7).
  const std::string face = (kModels / "face-expression.onnx").string();
  auto wrong = VoiceCnnModel::Load(face);
  EXPECT_EQ(wrong.status().code(), Status::Code::kCorruption);
  EXPECT_THAT(wrong.status().message(), HasSubstr(face));
}

TEST(VoiceCnnReader, AveragesTheFeatureNetworkAndTheCnnByWeight) {
  const testing::Signal s = Padded(SyntheticVoice(2.5, 16000, testing::Flat(5)), 0.5);
  VoiceClip clip;
  clip.samples = s.samples;
  clip.source_rate = 16000;
  clip.source_channels = 1;
  const auto read = [&](double weight, std::shared_ptr<const VoiceCnnModel> cnn, int views = 1) {
    VoiceMoodOptions options;
    options.views = views;
    options.cnn_weight = weight;
    auto result = VoiceMoodReader(testing::TinyVoiceModel(), options, std::move(cnn)).ReadClip(clip, "clip");
    EXPECT_TRUE(result.ok());
    return result->probabilities;
  };
  const RavdessProbabilities mlp = read(0.5, nullptr), cnn = read(1.0, ShippedCnn()), mixed = read(0.3, ShippedCnn());
  EXPECT_EQ(read(0.0, ShippedCnn()), mlp);
  const UtteranceFeatures found = ExtractUtteranceFeatures(clip.samples);
  ASSERT_EQ(found.utterances.size(), 1u);
  const RavdessProbabilities direct = ShippedCnn()->Predict(found.cnn_inputs[0]);
  for (std::size_t k = 0; k < kRavdessEmotionCount; ++k) {
    EXPECT_NEAR(cnn[k], direct[k], 1e-6);
    EXPECT_NEAR(mixed[k], 0.7 * mlp[k] + 0.3 * cnn[k], 1e-6);
  }
  ExpectDistribution(mixed);
  EXPECT_NE(mlp, cnn);  // otherwise the averaging above proves nothing
  // Test-time views are the feature network's; the CNN reads the clip as recorded.
  const RavdessProbabilities mlp3 = read(0.0, nullptr, 3), mixed3 = read(0.3, ShippedCnn(), 3);
  EXPECT_NE(mlp3, mlp);
  for (std::size_t k = 0; k < kRavdessEmotionCount; ++k) EXPECT_NEAR(mixed3[k], 0.7 * mlp3[k] + 0.3 * cnn[k], 1e-6);
}

TEST(VoiceCnnReader, LoadsTheCompanionBesideTheModelFile) {
  TempDir dir;
  const std::string model = dir.File("voice.bin");
  ASSERT_TRUE(testing::TinyVoiceModel()->Save(model).ok());
  EXPECT_EQ(VoiceCnnCompanionPath(model), dir.File("voice-cnn.onnx"));

  auto alone = VoiceMoodReader::Load(model);
  ASSERT_TRUE(alone.ok()) << alone.status().message();
  EXPECT_EQ((*alone)->cnn(), nullptr);

  testing::WriteFile(dir.File("voice-cnn.onnx"), testing::ReadFile(kShippedCnn));
  auto both = VoiceMoodReader::Load(model);
  ASSERT_TRUE(both.ok()) << both.status().message();
  ASSERT_NE((*both)->cnn(), nullptr);
  auto read = (*both)->ReadFile(testing::WriteWav(dir.File("v.wav"), Padded(SyntheticVoice(2.0, 16000, testing::Lively(6)), 0.4)));
  ASSERT_TRUE(read.ok()) << read.status().message();
  ExpectDistribution(read->probabilities);

  VoiceMoodOptions without;
  without.cnn_weight = 0;
  auto off = VoiceMoodReader::Load(model, without);
  ASSERT_TRUE(off.ok());
  EXPECT_EQ((*off)->cnn(), nullptr);

  testing::WriteFile(dir.File("voice-cnn.onnx"), "garbage");
  auto broken = VoiceMoodReader::Load(model);
  ASSERT_FALSE(broken.ok());
  EXPECT_THAT(broken.status().message(), HasSubstr(dir.File("voice-cnn.onnx")));
}

}  // namespace
}  // namespace emotune
