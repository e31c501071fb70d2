// The affect space: the nine places, names, soft assignment, MoodEstimate basics.
#include <cmath>
#include <limits>
#include <numbers>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "emotune/emotion.h"
#include "emotune/mood_estimate.h"

namespace emotune {
namespace {

using ::testing::HasSubstr;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double Warriner(double rating) { return (rating - 5) / 4; }  // 1..9 → [-1, 1]

EmotionDistribution OneHot(Emotion e) {
  EmotionDistribution d{};
  d[EmotionIndex(e)] = 1;
  return d;
}

TEST(EmotionTest, EnumOrderIsTheApi) {
  const std::array<Emotion, kEmotionCount> expected = {
      Emotion::kJoy,  Emotion::kLove,  Emotion::kCalm,    Emotion::kNeutral, Emotion::kSurprise,
      Emotion::kFear, Emotion::kAnger, Emotion::kDisgust, Emotion::kSadness};
  EXPECT_EQ(AllEmotions(), expected);
  for (std::size_t i = 0; i < kEmotionCount; ++i) EXPECT_EQ(EmotionIndex(expected[i]), i);
}

TEST(EmotionTest, NamesAreLowercaseAndRoundTrip) {
  EXPECT_EQ(EmotionName(Emotion::kJoy), "joy");
  EXPECT_EQ(EmotionName(Emotion::kSurprise), "surprise");
  EXPECT_EQ(EmotionName(Emotion::kSadness), "sadness");
  for (Emotion e : AllEmotions()) {
    Result<Emotion> parsed = ParseEmotion(EmotionName(e));
    ASSERT_TRUE(parsed.ok()) << EmotionName(e);
    EXPECT_EQ(*parsed, e);
  }
  EXPECT_EQ(*ParseEmotion("  Sadness\t"), Emotion::kSadness);
  EXPECT_EQ(*ParseEmotion("JOY"), Emotion::kJoy);
}

TEST(EmotionTest, UnknownNameNamesTheValueAndTheChoices) {
  Result<Emotion> parsed = ParseEmotion("happyish");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("'happyish'"));
  EXPECT_THAT(parsed.status().message(), HasSubstr("joy, love, calm, neutral, surprise"));
  EXPECT_FALSE(ParseEmotion("").ok());
}

TEST(EmotionTest, EveryPlaceIsInThePlane) {
  for (Emotion e : AllEmotions()) {
    const AffectPoint p = EmotionPlace(e);
    EXPECT_GE(p.valence, -1) << EmotionName(e);
    EXPECT_LE(p.valence, 1) << EmotionName(e);
    EXPECT_GE(p.arousal, -1) << EmotionName(e);
    EXPECT_LE(p.arousal, 1) << EmotionName(e);
  }
}

TEST(EmotionTest, DesignAnchors) {
  EXPECT_NEAR(EmotionPlace(Emotion::kJoy).valence, 0.80, 0.005);
  EXPECT_NEAR(EmotionPlace(Emotion::kSadness).valence, -0.72, 0.006);
  EXPECT_NEAR(EmotionPlace(Emotion::kCalm).arousal, -0.83, 0.005);
  EXPECT_EQ(EmotionPlace(Emotion::kNeutral).valence, 0);
  EXPECT_EQ(EmotionPlace(Emotion::kNeutral).arousal, 0);
}

TEST(EmotionTest, Quadrants) {
  auto v = [](Emotion e) { return EmotionPlace(e).valence; };
  auto a = [](Emotion e) { return EmotionPlace(e).arousal; };
  EXPECT_GT(v(Emotion::kJoy), 0.5);
  EXPECT_GT(a(Emotion::kJoy), 0);
  EXPECT_GT(v(Emotion::kLove), 0.5);
  EXPECT_LT(a(Emotion::kLove), a(Emotion::kJoy));
  EXPECT_GT(v(Emotion::kCalm), 0);
  EXPECT_LT(a(Emotion::kCalm), -0.5);
  EXPECT_GT(v(Emotion::kSurprise), 0);
  EXPECT_LT(v(Emotion::kSurprise), v(Emotion::kJoy));
  EXPECT_GT(a(Emotion::kSurprise), a(Emotion::kJoy));
  for (Emotion e : {Emotion::kFear, Emotion::kAnger}) {
    EXPECT_LT(v(e), 0) << EmotionName(e);
    EXPECT_GT(a(e), 0.4) << EmotionName(e);
  }
  EXPECT_GT(a(Emotion::kAnger), a(Emotion::kFear));  // Russell: angry 99.1°, afraid 116.8°
  EXPECT_LT(v(Emotion::kDisgust), 0);
  EXPECT_LT(std::abs(a(Emotion::kDisgust)), 0.3);
  EXPECT_LT(v(Emotion::kSadness), 0);
  EXPECT_LT(a(Emotion::kSadness), 0);
}

TEST(EmotionTest, PlacesAreDistinct) {
  for (Emotion a : AllEmotions()) {
    for (Emotion b : AllEmotions()) {
      if (a == b) continue;
      EXPECT_GE(Distance(EmotionPlace(a), EmotionPlace(b)), 0.15)
          << EmotionName(a) << " vs " << EmotionName(b);
    }
  }
}

// The table's comments say how each number was derived; redo the arithmetic.
TEST(EmotionTest, PlacesFollowTheirStatedDerivation) {
  auto expect_w = [](Emotion e, double v_rating, double a_rating) {
    EXPECT_NEAR(EmotionPlace(e).valence, Warriner(v_rating), 1e-12) << EmotionName(e);
    EXPECT_NEAR(EmotionPlace(e).arousal, Warriner(a_rating), 1e-12) << EmotionName(e);
  };
  expect_w(Emotion::kLove, 8.00, 5.36);
  expect_w(Emotion::kCalm, 6.89, 1.67);
  expect_w(Emotion::kDisgust, 3.32, 5.00);
  expect_w(Emotion::kSadness, 2.10, 3.49);

  auto expect_h = [](Emotion e, double v_rating, double a_rating, double russell_degrees) {
    const double r = std::hypot(Warriner(v_rating), Warriner(a_rating));
    const double arousal = r * std::sin(russell_degrees * std::numbers::pi / 180);
    EXPECT_NEAR(EmotionPlace(e).valence, Warriner(v_rating), 1e-12) << EmotionName(e);
    EXPECT_NEAR(EmotionPlace(e).arousal, arousal, 0.0005) << EmotionName(e);
  };
  expect_h(Emotion::kJoy, 8.21, 5.55, (7.8 + 24.9 + 48.6) / 3);
  expect_h(Emotion::kSurprise, 7.44, 6.57, 69.8);
  expect_h(Emotion::kFear, 2.93, 6.14, 116.8);
  expect_h(Emotion::kAnger, 2.50, 5.93, 99.1);
}

TEST(EmotionTest, NearestEmotion) {
  for (Emotion e : AllEmotions()) EXPECT_EQ(NearestEmotion(EmotionPlace(e)), e);
  EXPECT_EQ(NearestEmotion({0.05, -0.05}), Emotion::kNeutral);
  EXPECT_EQ(NearestEmotion({0.6, -0.9}), Emotion::kCalm);
  EXPECT_EQ(NearestEmotion({-0.9, -0.6}), Emotion::kSadness);
  EXPECT_EQ(NearestEmotion({-0.7, 0.9}), Emotion::kAnger);
  EXPECT_EQ(NearestEmotion({kNaN, kNaN}), Emotion::kNeutral);  // bad data reads as neutral
  EXPECT_EQ(NearestEmotion({-5.0, -5.0}), Emotion::kSadness);  // clamped to (-1, -1)
}

TEST(EmotionTest, DistributionNearIsASoftNearest) {
  for (double v = -1; v <= 1.0001; v += 0.1) {
    for (double a = -1; a <= 1.0001; a += 0.1) {
      const EmotionDistribution d = DistributionNear({v, a});
      ASSERT_TRUE(IsNormalized(d)) << v << "," << a;
      EXPECT_EQ(DominantEmotion(d), NearestEmotion({v, a})) << v << "," << a;
    }
  }
  const EmotionDistribution at_calm = DistributionNear(EmotionPlace(Emotion::kCalm));
  EXPECT_GT(at_calm[EmotionIndex(Emotion::kCalm)], 0.5);
  EXPECT_LT(at_calm[EmotionIndex(Emotion::kAnger)], 0.001);  // the far side does not share
  // Fear and anger are neighbours: sitting on one leaves real mass on the other.
  const EmotionDistribution at_fear = DistributionNear(EmotionPlace(Emotion::kFear));
  EXPECT_GT(at_fear[EmotionIndex(Emotion::kAnger)], 0.2);
}

TEST(EmotionTest, DistributionNearSharpness) {
  const AffectPoint p = EmotionPlace(Emotion::kJoy);
  for (double x : DistributionNear(p, 0)) EXPECT_DOUBLE_EQ(x, 1.0 / 9);
  for (double x : DistributionNear(p, kNaN)) EXPECT_DOUBLE_EQ(x, 1.0 / 9);
  const auto joy = [&](double s) { return DistributionNear(p, s)[EmotionIndex(Emotion::kJoy)]; };
  EXPECT_LT(joy(1), joy(10));
  EXPECT_LT(joy(10), joy(100));
  EXPECT_DOUBLE_EQ(joy(1e6), 1.0);
  EXPECT_DOUBLE_EQ(joy(std::numeric_limits<double>::infinity()), 1.0);
}

TEST(MoodEstimateTest, Normalized) {
  EmotionDistribution d{};
  d[0] = 3;
  d[1] = 1;
  d[2] = -4;
  d[3] = kNaN;
  const EmotionDistribution n = Normalized(d);
  EXPECT_TRUE(IsNormalized(n));
  EXPECT_DOUBLE_EQ(n[0], 0.75);
  EXPECT_DOUBLE_EQ(n[1], 0.25);
  EXPECT_EQ(n[2], 0);
  EXPECT_EQ(n[3], 0);
  for (double x : Normalized(EmotionDistribution{})) EXPECT_DOUBLE_EQ(x, 1.0 / 9);
  d.fill(0);
  d[4] = std::numeric_limits<double>::infinity();
  d[5] = 1e300;
  EXPECT_EQ(Normalized(d), OneHot(Emotion::kSurprise));
  EXPECT_FALSE(IsNormalized(d));
}

TEST(MoodEstimateTest, ExpectedPlace) {
  for (Emotion e : AllEmotions()) {
    EXPECT_DOUBLE_EQ(ExpectedPlace(OneHot(e)).valence, EmotionPlace(e).valence);
    EXPECT_DOUBLE_EQ(ExpectedPlace(OneHot(e)).arousal, EmotionPlace(e).arousal);
  }
  EmotionDistribution half{};
  half[EmotionIndex(Emotion::kJoy)] = 2;  // unnormalised on purpose
  half[EmotionIndex(Emotion::kSadness)] = 2;
  const AffectPoint mid = ExpectedPlace(half);
  EXPECT_NEAR(mid.valence, (0.8025 - 0.725) / 2, 1e-12);
  EXPECT_NEAR(mid.arousal, (0.371 - 0.3775) / 2, 1e-12);
}

TEST(MoodEstimateTest, DistributionConfidence) {
  EXPECT_DOUBLE_EQ(DistributionConfidence(OneHot(Emotion::kFear)), 1.0);
  EXPECT_NEAR(DistributionConfidence(EmotionDistribution{}), 0.0, 1e-12);  // uniform
  EmotionDistribution split{};
  split[0] = split[1] = 0.5;
  EXPECT_NEAR(DistributionConfidence(split), 0.5 * (1 - std::log(2) / std::log(9)), 1e-12);
  EXPECT_NEAR(DistributionConfidence(split), 0.342, 0.001);
  EmotionDistribution peaked;
  peaked.fill(0.025);
  peaked[0] = 0.8;
  EXPECT_NEAR(DistributionConfidence(peaked), 0.679, 0.001);
}

TEST(MoodEstimateTest, FromDistribution) {
  EmotionDistribution d{};
  d[EmotionIndex(Emotion::kSadness)] = 3;
  d[EmotionIndex(Emotion::kCalm)] = 1;
  const MoodEstimate m = MoodEstimate::FromDistribution(d, 1.7, "text");
  EXPECT_TRUE(IsNormalized(m.distribution));
  EXPECT_DOUBLE_EQ(m.distribution[EmotionIndex(Emotion::kSadness)], 0.75);
  EXPECT_EQ(m.dominant(), Emotion::kSadness);
  EXPECT_DOUBLE_EQ(m.valence, ExpectedPlace(d).valence);
  EXPECT_DOUBLE_EQ(m.point().arousal, ExpectedPlace(d).arousal);
  EXPECT_EQ(m.confidence, 1.0);  // clamped
  ASSERT_EQ(m.sources.size(), 1u);
  EXPECT_EQ(m.sources[0].name, "text");
  EXPECT_EQ(m.sources[0].emotion, Emotion::kSadness);
  EXPECT_EQ(m.sources[0].confidence, 1.0);
  EXPECT_EQ(MoodEstimate::FromDistribution(d, kNaN, "x").confidence, 0.0);
}

TEST(MoodEstimateTest, FromPointKeepsThePoint) {
  const MoodEstimate m = MoodEstimate::FromPoint({0.5, -0.7}, 0.4, "track");
  EXPECT_EQ(m.valence, 0.5);
  EXPECT_EQ(m.arousal, -0.7);
  EXPECT_EQ(m.distribution, DistributionNear({0.5, -0.7}));
  EXPECT_EQ(m.dominant(), Emotion::kCalm);
  EXPECT_EQ(m.sources[0].emotion, Emotion::kCalm);
  const MoodEstimate clamped = MoodEstimate::FromPoint({2, kNaN}, 0.4, "bad");
  EXPECT_EQ(clamped.valence, 1.0);
  EXPECT_EQ(clamped.arousal, 0.0);
}

TEST(MoodEstimateTest, IsConfident) {
  MoodEstimate m = MoodEstimate::FromPoint({}, 0.49, "text");
  EXPECT_FALSE(IsConfident(m));
  m.confidence = 0.5;
  EXPECT_TRUE(IsConfident(m));
  EXPECT_FALSE(IsConfident(m, 0.8));
}

}  // namespace
}  // namespace emotune
