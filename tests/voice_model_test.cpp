// The voice emotion model: training on separable examples, determinism, the file
// round trip, refusals of bad options and of corrupt or foreign files.
#include <random>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "emotune/voice_emotion_model.h"
#include "emotune/voice_features.h"
#include "test_files.h"

namespace emotune {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

// Eight Gaussian clusters in the feature space, one per emotion.
std::vector<VoiceExample> Clusters(std::size_t per_class, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<float> noise(0.0f, 0.5f);
  std::vector<VoiceExample> out;
  const std::size_t n = VoiceFeatureCount();
  for (std::size_t k = 0; k < kRavdessEmotionCount; ++k)
    for (std::size_t i = 0; i < per_class; ++i) {
      VoiceExample e;
      e.label = k;
      e.features.resize(n);
      for (std::size_t f = 0; f < n; ++f) e.features[f] = noise(gen) + (f % kRavdessEmotionCount == k ? 2.0f : 0.0f);
      out.push_back(std::move(e));
    }
  return out;
}

std::size_t Argmax(const RavdessProbabilities& p) { return static_cast<std::size_t>(std::max_element(p.begin(), p.end()) - p.begin()); }

VoiceTrainingOptions Small() {
  VoiceTrainingOptions o;
  o.hidden = 8;
  o.members = 2;
  o.epochs = 20;
  return o;
}

TEST(VoiceEmotionModel, LearnsSeparableClassesAndPredictsProbabilities) {
  for (int hidden : {0, 8}) {
    VoiceTrainingOptions options = Small();
    options.hidden = hidden;
    auto model = VoiceEmotionModel::Train(Clusters(20, 1), options);
    ASSERT_TRUE(model.ok()) << model.status().message();
    int right = 0;
    const auto test = Clusters(10, 2);
    for (const auto& e : test) {
      const auto p = (*model)->Predict(e.features);
      double sum = 0;
      for (double v : p) sum += v;
      EXPECT_NEAR(sum, 1.0, 1e-6);
      right += Argmax(p) == e.label;
    }
    EXPECT_GE(right, static_cast<int>(test.size() * 9 / 10)) << "hidden " << hidden;
  }
}

TEST(VoiceEmotionModel, SameDataSameFileAndRoundTrip) {
  TempDir dir;
  const auto examples = Clusters(10, 3);
  auto a = VoiceEmotionModel::Train(examples, Small(), "test");
  auto b = VoiceEmotionModel::Train(examples, Small(), "test");
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE((*a)->Save(dir.File("a.bin")).ok());
  ASSERT_TRUE((*b)->Save(dir.File("b.bin")).ok());
  EXPECT_EQ(testing::ReadFile(dir.File("a.bin")), testing::ReadFile(dir.File("b.bin")));
  auto loaded = VoiceEmotionModel::Load(dir.File("a.bin"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ((*loaded)->description(), "test");
  EXPECT_EQ((*loaded)->Predict(examples[5].features), (*a)->Predict(examples[5].features));
}

TEST(VoiceEmotionModel, RefusesBadTrainingInput) {
  EXPECT_EQ(VoiceEmotionModel::Train({}, Small()).status().code(), Status::Code::kInvalidArgument);
  auto examples = Clusters(2, 4);
  VoiceTrainingOptions bad = Small();
  bad.members = 0;
  EXPECT_EQ(VoiceEmotionModel::Train(examples, bad).status().code(), Status::Code::kInvalidArgument);
  auto one_class = examples;
  for (auto& e : one_class) e.label = 2;
  EXPECT_THAT(VoiceEmotionModel::Train(one_class, Small()).status().message(), HasSubstr("two emotions"));
  examples[0].label = 9;
  EXPECT_EQ(VoiceEmotionModel::Train(examples, Small()).status().code(), Status::Code::kInvalidArgument);
  examples[0].label = 0;
  examples[1].features.pop_back();
  EXPECT_EQ(VoiceEmotionModel::Train(examples, Small()).status().code(), Status::Code::kInvalidArgument);
}

TEST(VoiceEmotionModel, RefusesMissingCorruptAndForeignFiles) {
  TempDir dir;
  EXPECT_EQ(VoiceEmotionModel::Load(dir.File("none.bin")).status().code(), Status::Code::kNotFound);
  auto model = VoiceEmotionModel::Train(Clusters(4, 5), Small());
  ASSERT_TRUE(model.ok());
  ASSERT_TRUE((*model)->Save(dir.File("m.bin")).ok());
  const std::string bytes = testing::ReadFile(dir.File("m.bin"));
  const auto refused = [&](const std::string& contents) {
    return VoiceEmotionModel::Load(testing::WriteFile(dir.File("x.bin"), contents)).status().code();
  };
  EXPECT_EQ(refused(""), Status::Code::kCorruption);
  EXPECT_EQ(refused("not a model at all"), Status::Code::kCorruption);
  EXPECT_EQ(refused(bytes.substr(0, bytes.size() / 2)), Status::Code::kCorruption);
  EXPECT_EQ(refused(bytes + "x"), Status::Code::kCorruption);
  std::string foreign = bytes;
  foreign[9] ^= 0x5a;  // the feature-names hash: trained on other features
  EXPECT_THAT(VoiceEmotionModel::Load(testing::WriteFile(dir.File("y.bin"), foreign)).status().message(), HasSubstr("other features"));
  EXPECT_THROW((*model)->Predict(std::vector<float>(3, 0.0f)), std::invalid_argument);
}

}  // namespace
}  // namespace emotune
