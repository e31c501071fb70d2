// Mood fusion: confidence × recency weighting and agreement-aware confidence.
#include <limits>
#include <stdexcept>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "emotune/mood_fusion.h"

namespace emotune {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

double Mass(const MoodEstimate& m, Emotion e) { return m.distribution[EmotionIndex(e)]; }

MoodEstimate Said(Emotion e, double confidence, std::string source) {
  EmotionDistribution d{};
  d[EmotionIndex(e)] = 1;
  return MoodEstimate::FromDistribution(d, confidence, std::move(source));
}

MoodEstimate Fuse(std::vector<TimedEstimate> inputs, FusionOptions options = {}) {
  return FuseMoods(inputs, options);
}

TEST(FusionTest, NothingToFuseIsNeutralAndUnsure) {
  const MoodEstimate m = Fuse({});
  EXPECT_EQ(m.dominant(), Emotion::kNeutral);
  EXPECT_EQ(Mass(m, Emotion::kNeutral), 1.0);
  EXPECT_EQ(m.valence, 0);
  EXPECT_EQ(m.arousal, 0);
  EXPECT_EQ(m.confidence, 0);
  EXPECT_TRUE(m.sources.empty());
  EXPECT_FALSE(IsConfident(m));
}

TEST(FusionTest, OneFreshInputIsItself) {
  EmotionDistribution d{};
  d[EmotionIndex(Emotion::kCalm)] = 0.7;
  d[EmotionIndex(Emotion::kSadness)] = 0.3;
  const MoodEstimate text = MoodEstimate::FromDistribution(d, 0.6, "text");
  const MoodEstimate m = Fuse({{text, 0}});
  for (std::size_t k = 0; k < kEmotionCount; ++k) {
    EXPECT_NEAR(m.distribution[k], text.distribution[k], 1e-12);
  }
  EXPECT_NEAR(m.valence, text.valence, 1e-12);
  EXPECT_NEAR(m.arousal, text.arousal, 1e-12);
  EXPECT_NEAR(m.confidence, 0.6, 1e-12);
}

TEST(FusionTest, AgreementRaisesConfidence) {
  const MoodEstimate m =
      Fuse({{Said(Emotion::kJoy, 0.6, "text"), 0}, {Said(Emotion::kJoy, 0.6, "face"), 0}});
  EXPECT_EQ(m.dominant(), Emotion::kJoy);
  EXPECT_NEAR(m.confidence, 1 - 0.4 * 0.4, 1e-12);  // 0.84 > 0.6
  EXPECT_TRUE(IsConfident(m));
  // Two unsure sources that agree can together be sure enough to act on.
  const MoodEstimate weak = Fuse(
      {{Said(Emotion::kSadness, 0.35, "text"), 0}, {Said(Emotion::kSadness, 0.35, "voice"), 0}});
  EXPECT_GT(weak.confidence, 0.5);
}

TEST(FusionTest, DisagreementLowersConfidence) {
  const MoodEstimate agree =
      Fuse({{Said(Emotion::kJoy, 0.8, "text"), 0}, {Said(Emotion::kJoy, 0.8, "face"), 0}});
  const MoodEstimate clash =
      Fuse({{Said(Emotion::kJoy, 0.8, "text"), 0}, {Said(Emotion::kSadness, 0.8, "face"), 0}});
  EXPECT_NEAR(Mass(clash, Emotion::kJoy), 0.5, 1e-12);
  EXPECT_NEAR(Mass(clash, Emotion::kSadness), 0.5, 1e-12);
  EXPECT_NEAR(clash.confidence, 1 - 0.6 * 0.6, 1e-12);  // 0.64
  EXPECT_LT(clash.confidence, 0.8);
  EXPECT_LT(clash.confidence, agree.confidence);
}

TEST(FusionTest, ConfidentFaceOutweighsUnsureText) {
  const MoodEstimate m =
      Fuse({{Said(Emotion::kSadness, 0.3, "text"), 0}, {Said(Emotion::kJoy, 0.9, "face"), 0}});
  EXPECT_EQ(m.dominant(), Emotion::kJoy);
  EXPECT_NEAR(Mass(m, Emotion::kJoy), 0.75, 1e-12);
  EXPECT_NEAR(Mass(m, Emotion::kSadness), 0.25, 1e-12);
  EXPECT_NEAR(m.confidence, 1 - (1 - 0.9 * 0.75) * (1 - 0.3 * 0.25), 1e-12);
  EXPECT_LT(m.confidence, 0.9);  // the text's doubt still costs something
}

TEST(FusionTest, OldTurnsCountLess) {
  // Three turns ago (one half-life) the listener was happy; now they are sad.
  const MoodEstimate m = Fuse({{Said(Emotion::kJoy, 0.8, "chat turn 1"), 3},
                               {Said(Emotion::kSadness, 0.8, "chat turn 4"), 0}});
  EXPECT_EQ(m.dominant(), Emotion::kSadness);
  EXPECT_NEAR(Mass(m, Emotion::kSadness), 0.8 / 1.2, 1e-12);
  // The same old turn alone is half as sure as it was.
  EXPECT_NEAR(Fuse({{Said(Emotion::kJoy, 0.8, "t"), 3}}).confidence, 0.4, 1e-12);
  EXPECT_NEAR(Fuse({{Said(Emotion::kJoy, 0.8, "t"), 6}}).confidence, 0.2, 1e-12);
  FusionOptions seconds;
  seconds.recency_half_life = 60;
  EXPECT_NEAR(Fuse({{Said(Emotion::kJoy, 0.8, "t"), 60}}, seconds).confidence, 0.4, 1e-12);
}

TEST(FusionTest, PointIsTheWeightedMeanOfPoints) {
  const MoodEstimate calm = MoodEstimate::FromPoint({0.4, -0.8}, 0.6, "slider");
  const MoodEstimate angry = MoodEstimate::FromPoint({-0.6, 0.6}, 0.2, "voice");
  const MoodEstimate m = Fuse({{calm, 0}, {angry, 0}});
  EXPECT_NEAR(m.valence, 0.75 * 0.4 + 0.25 * -0.6, 1e-12);
  EXPECT_NEAR(m.arousal, 0.75 * -0.8 + 0.25 * 0.6, 1e-12);
  // For estimates made from distributions the point and the distribution agree.
  const MoodEstimate d =
      Fuse({{Said(Emotion::kFear, 0.7, "face"), 1}, {Said(Emotion::kLove, 0.4, "text"), 0}});
  EXPECT_NEAR(d.valence, ExpectedPlace(d.distribution).valence, 1e-12);
  EXPECT_NEAR(d.arousal, ExpectedPlace(d.distribution).arousal, 1e-12);
}

TEST(FusionTest, SourcesListEveryInput) {
  const MoodEstimate earlier = Fuse({{Said(Emotion::kCalm, 0.5, "chat turn 1"), 0},
                                     {Said(Emotion::kCalm, 0.5, "chat turn 2"), 0}});
  const MoodEstimate m = Fuse({{earlier, 1},
                               {Said(Emotion::kFear, 0.0, "face"), 0},  // weightless, still listed
                               {Said(Emotion::kCalm, 0.7, "voice"), 0}});
  EXPECT_THAT(
      m.sources,
      ElementsAre(Field(&MoodSource::name, "chat turn 1"), Field(&MoodSource::name, "chat turn 2"),
                  Field(&MoodSource::name, "face"), Field(&MoodSource::name, "voice")));
  EXPECT_EQ(m.sources[2].emotion, Emotion::kFear);
  EXPECT_EQ(Mass(m, Emotion::kFear), 0.0);
}

TEST(FusionTest, MinWeightDropsTheNegligible) {
  FusionOptions options;
  options.min_weight = 0.1;
  const MoodEstimate m = Fuse(
      {{Said(Emotion::kAnger, 0.05, "guess"), 0}, {Said(Emotion::kCalm, 0.6, "text"), 0}}, options);
  EXPECT_EQ(Mass(m, Emotion::kAnger), 0.0);
  EXPECT_NEAR(m.confidence, 0.6, 1e-12);
  EXPECT_EQ(m.sources.size(), 2u);
}

TEST(FusionTest, AllNegligibleKeepsWhatWasSaidButIsUnsure) {
  const MoodEstimate m =
      Fuse({{Said(Emotion::kJoy, 0.9, "turn 1"), 100}, {Said(Emotion::kLove, 0.0, "turn 2"), 0}});
  EXPECT_NEAR(Mass(m, Emotion::kJoy), 0.5, 1e-12);
  EXPECT_NEAR(Mass(m, Emotion::kLove), 0.5, 1e-12);
  EXPECT_EQ(m.confidence, 0.0);
}

TEST(FusionTest, OddAgesAndOptions) {
  const MoodEstimate future = Fuse({{Said(Emotion::kJoy, 0.5, "clock skew"), -4}});
  EXPECT_NEAR(future.confidence, 0.5, 1e-12);
  const MoodEstimate nan_age =
      Fuse({{Said(Emotion::kJoy, 0.5, "?"), std::numeric_limits<double>::quiet_NaN()}});
  EXPECT_NEAR(nan_age.confidence, 0.5, 1e-12);
  FusionOptions forever;
  forever.recency_half_life = std::numeric_limits<double>::infinity();
  EXPECT_NEAR(Fuse({{Said(Emotion::kJoy, 0.5, "old"), 1e6}}, forever).confidence, 0.5, 1e-12);
  FusionOptions broken;
  broken.recency_half_life = 0;
  EXPECT_THROW(Fuse({}, broken), std::invalid_argument);
  broken.recency_half_life = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(Fuse({}, broken), std::invalid_argument);
}

}  // namespace
}  // namespace emotune
