// Label maps: every label of every set, pinned.
#include <numeric>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "emotune/label_map.h"
#include "emotune/mood_estimate.h"

namespace emotune {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::array<LabelSet, 5> kAllSets = {LabelSet::kCarer, LabelSet::kGoEmotionsEkman,
                                              LabelSet::kFer2013, LabelSet::kRavdess,
                                              LabelSet::kDataMoods};

double Mass(const EmotionDistribution& d, Emotion e) { return d[EmotionIndex(e)]; }

TEST(LabelMapTest, CanonicalLabelOrder) {
  EXPECT_THAT(Labels(LabelSet::kCarer),
              ElementsAre("sadness", "joy", "love", "anger", "fear", "surprise"));
  EXPECT_THAT(Labels(LabelSet::kGoEmotionsEkman),
              ElementsAre("anger", "disgust", "fear", "joy", "sadness", "surprise", "neutral"));
  EXPECT_THAT(Labels(LabelSet::kFer2013),
              ElementsAre("angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"));
  EXPECT_THAT(Labels(LabelSet::kRavdess), ElementsAre("neutral", "calm", "happy", "sad", "angry",
                                                      "fearful", "disgust", "surprised"));
  EXPECT_THAT(Labels(LabelSet::kDataMoods), ElementsAre("Happy", "Sad", "Energetic", "Calm"));
}

TEST(LabelMapTest, SetNamesRoundTrip) {
  EXPECT_EQ(LabelSetName(LabelSet::kGoEmotionsEkman), "goemotions_ekman");
  EXPECT_EQ(LabelSetName(LabelSet::kDataMoods), "data_moods");
  for (LabelSet set : kAllSets) {
    Result<LabelSet> parsed = ParseLabelSet(LabelSetName(set));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, set);
  }
  EXPECT_EQ(*ParseLabelSet(" FER2013 "), LabelSet::kFer2013);
  Result<LabelSet> bad = ParseLabelSet("affectnet");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("'affectnet'"));
  EXPECT_THAT(bad.status().message(), HasSubstr("ravdess"));
}

TEST(LabelMapTest, EveryLabelMapsWhereExpected) {
  const std::vector<std::tuple<LabelSet, std::string, Emotion>> expected = {
      {LabelSet::kCarer, "sadness", Emotion::kSadness},
      {LabelSet::kCarer, "joy", Emotion::kJoy},
      {LabelSet::kCarer, "love", Emotion::kLove},
      {LabelSet::kCarer, "anger", Emotion::kAnger},
      {LabelSet::kCarer, "fear", Emotion::kFear},
      {LabelSet::kCarer, "surprise", Emotion::kSurprise},
      {LabelSet::kGoEmotionsEkman, "anger", Emotion::kAnger},
      {LabelSet::kGoEmotionsEkman, "disgust", Emotion::kDisgust},
      {LabelSet::kGoEmotionsEkman, "fear", Emotion::kFear},
      {LabelSet::kGoEmotionsEkman, "joy", Emotion::kJoy},
      {LabelSet::kGoEmotionsEkman, "sadness", Emotion::kSadness},
      {LabelSet::kGoEmotionsEkman, "surprise", Emotion::kSurprise},
      {LabelSet::kGoEmotionsEkman, "neutral", Emotion::kNeutral},
      {LabelSet::kFer2013, "angry", Emotion::kAnger},
      {LabelSet::kFer2013, "disgust", Emotion::kDisgust},
      {LabelSet::kFer2013, "fear", Emotion::kFear},
      {LabelSet::kFer2013, "happy", Emotion::kJoy},
      {LabelSet::kFer2013, "neutral", Emotion::kNeutral},
      {LabelSet::kFer2013, "sad", Emotion::kSadness},
      {LabelSet::kFer2013, "surprise", Emotion::kSurprise},
      {LabelSet::kRavdess, "neutral", Emotion::kNeutral},
      {LabelSet::kRavdess, "calm", Emotion::kCalm},
      {LabelSet::kRavdess, "happy", Emotion::kJoy},
      {LabelSet::kRavdess, "sad", Emotion::kSadness},
      {LabelSet::kRavdess, "angry", Emotion::kAnger},
      {LabelSet::kRavdess, "fearful", Emotion::kFear},
      {LabelSet::kRavdess, "disgust", Emotion::kDisgust},
      {LabelSet::kRavdess, "surprised", Emotion::kSurprise},
      {LabelSet::kDataMoods, "Happy", Emotion::kJoy},
      {LabelSet::kDataMoods, "Sad", Emotion::kSadness},
      {LabelSet::kDataMoods, "Energetic", Emotion::kJoy},
      {LabelSet::kDataMoods, "Calm", Emotion::kCalm},
  };
  std::size_t label_count = 0;
  for (LabelSet set : kAllSets) label_count += Labels(set).size();
  ASSERT_EQ(expected.size(), label_count) << "a label is missing from this test";

  for (const auto& [set, label, emotion] : expected) {
    Result<EmotionDistribution> d = MapLabel(set, label);
    ASSERT_TRUE(d.ok()) << LabelSetName(set) << " " << label;
    EXPECT_TRUE(IsNormalized(*d)) << LabelSetName(set) << " " << label;
    EXPECT_EQ(DominantEmotion(*d), emotion) << LabelSetName(set) << " " << label;
    const bool spread = set == LabelSet::kDataMoods && (label == "Happy" || label == "Energetic");
    if (!spread) {
      EXPECT_EQ(Mass(*d, emotion), 1.0) << LabelSetName(set) << " " << label;
    }
  }
}

TEST(LabelMapTest, DataMoodsSpreadLabels) {
  const EmotionDistribution happy = *MapLabel(LabelSet::kDataMoods, "Happy");
  EXPECT_DOUBLE_EQ(Mass(happy, Emotion::kJoy), 0.8);
  EXPECT_DOUBLE_EQ(Mass(happy, Emotion::kLove), 0.2);
  const EmotionDistribution energetic = *MapLabel(LabelSet::kDataMoods, "Energetic");
  EXPECT_DOUBLE_EQ(Mass(energetic, Emotion::kJoy), 0.5);
  EXPECT_DOUBLE_EQ(Mass(energetic, Emotion::kSurprise), 0.3);
  EXPECT_DOUBLE_EQ(Mass(energetic, Emotion::kAnger), 0.2);
  // Energetic reads as positive and aroused, more aroused than Happy.
  EXPECT_GT(ExpectedPlace(energetic).valence, 0.3);
  EXPECT_GT(ExpectedPlace(energetic).arousal, ExpectedPlace(happy).arousal);
}

TEST(LabelMapTest, LabelsIgnoreCaseAndSpace) {
  EXPECT_EQ(DominantEmotion(*MapLabel(LabelSet::kDataMoods, "calm")), Emotion::kCalm);
  EXPECT_EQ(DominantEmotion(*MapLabel(LabelSet::kFer2013, "HAPPY")), Emotion::kJoy);
  EXPECT_EQ(DominantEmotion(*MapLabel(LabelSet::kRavdess, " Fearful\n")), Emotion::kFear);
}

TEST(LabelMapTest, UnknownLabelNamesLabelAndSet) {
  Result<EmotionDistribution> d = MapLabel(LabelSet::kFer2013, "contempt");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(d.status().message(), HasSubstr("'contempt'"));
  EXPECT_THAT(d.status().message(), HasSubstr("fer2013"));
  EXPECT_THAT(d.status().message(), HasSubstr("angry, disgust, fear, happy"));
  // A label of another set is still unknown here.
  EXPECT_FALSE(MapLabel(LabelSet::kCarer, "neutral").ok());
  EXPECT_FALSE(MapLabel(LabelSet::kDataMoods, "").ok());
}

TEST(LabelMapTest, MapDistributionConservesMass) {
  for (LabelSet set : kAllSets) {
    std::vector<double> probs(Labels(set).size());
    for (std::size_t i = 0; i < probs.size(); ++i) probs[i] = 0.1 + 0.37 * static_cast<double>(i);
    const double in = std::accumulate(probs.begin(), probs.end(), 0.0);
    const EmotionDistribution out = MapDistribution(set, probs);
    EXPECT_NEAR(std::accumulate(out.begin(), out.end(), 0.0), in, 1e-12) << LabelSetName(set);
  }
}

TEST(LabelMapTest, MapDistributionOfOneLabelIsItsRow) {
  for (LabelSet set : kAllSets) {
    const auto labels = Labels(set);
    for (std::size_t i = 0; i < labels.size(); ++i) {
      std::vector<double> probs(labels.size(), 0.0);
      probs[i] = 1;
      EXPECT_EQ(MapDistribution(set, probs), *MapLabel(set, labels[i])) << labels[i];
    }
  }
}

TEST(LabelMapTest, MapDistributionMixes) {
  // FER2013 output 60% happy, 30% sad, 10% neutral.
  const std::vector<double> probs = {0, 0, 0, 0.6, 0.1, 0.3, 0};
  const EmotionDistribution d = MapDistribution(LabelSet::kFer2013, probs);
  EXPECT_DOUBLE_EQ(Mass(d, Emotion::kJoy), 0.6);
  EXPECT_DOUBLE_EQ(Mass(d, Emotion::kSadness), 0.3);
  EXPECT_DOUBLE_EQ(Mass(d, Emotion::kNeutral), 0.1);
  // Negative entries carry no mass.
  const std::vector<double> noisy = {-1, 0.5, 0.5, 0};
  const EmotionDistribution m = MapDistribution(LabelSet::kDataMoods, noisy);
  EXPECT_DOUBLE_EQ(std::accumulate(m.begin(), m.end(), 0.0), 1.0);
  EXPECT_EQ(Mass(m, Emotion::kLove), 0.0);
}

TEST(LabelMapTest, MapDistributionSizeMismatchThrows) {
  const std::vector<double> six(6, 1.0 / 6);
  EXPECT_NO_THROW(MapDistribution(LabelSet::kCarer, six));
  EXPECT_THROW(MapDistribution(LabelSet::kFer2013, six), std::invalid_argument);
  EXPECT_THROW(MapDistribution(LabelSet::kDataMoods, {}), std::invalid_argument);
}

TEST(LabelMapTest, LabelFor) {
  auto label_for = [](LabelSet set, Emotion e) -> std::string {
    Result<std::string_view> r = LabelFor(set, e);
    return r.ok() ? std::string(*r) : "<" + r.status().message() + ">";
  };
  EXPECT_EQ(label_for(LabelSet::kDataMoods, Emotion::kCalm), "Calm");
  EXPECT_EQ(label_for(LabelSet::kDataMoods, Emotion::kJoy), "Happy");  // 0.8 beats 0.5
  EXPECT_EQ(label_for(LabelSet::kDataMoods, Emotion::kLove), "Happy");
  EXPECT_EQ(label_for(LabelSet::kDataMoods, Emotion::kSurprise), "Energetic");
  EXPECT_EQ(label_for(LabelSet::kDataMoods, Emotion::kAnger), "Energetic");
  EXPECT_EQ(label_for(LabelSet::kDataMoods, Emotion::kDisgust), "Sad");  // nearest by VA
  EXPECT_EQ(label_for(LabelSet::kFer2013, Emotion::kLove), "happy");
  EXPECT_EQ(label_for(LabelSet::kRavdess, Emotion::kLove), "happy");
  EXPECT_EQ(label_for(LabelSet::kCarer, Emotion::kDisgust), "sadness");
  EXPECT_EQ(label_for(LabelSet::kGoEmotionsEkman, Emotion::kNeutral), "neutral");

  Result<std::string_view> none = LabelFor(LabelSet::kDataMoods, Emotion::kFear);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), Status::Code::kNotFound);
  EXPECT_THAT(none.status().message(), HasSubstr("data_moods has no label for fear"));
  EXPECT_FALSE(LabelFor(LabelSet::kCarer, Emotion::kCalm).ok());
  EXPECT_FALSE(LabelFor(LabelSet::kCarer, Emotion::kNeutral).ok());
}

// Whatever a label stands for, asking for that emotion gives back a label that
// stands for it too.
TEST(LabelMapTest, LabelForRoundTrips) {
  for (LabelSet set : kAllSets) {
    for (std::string_view label : Labels(set)) {
      const Emotion e = DominantEmotion(*MapLabel(set, label));
      Result<std::string_view> back = LabelFor(set, e);
      ASSERT_TRUE(back.ok()) << label;
      EXPECT_EQ(DominantEmotion(*MapLabel(set, *back)), e) << label;
    }
  }
}

}  // namespace
}  // namespace emotune
