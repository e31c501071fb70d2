// Mood paths and track moods: where each strategy leads, that it starts at the
// listener and never steps back, and how audio features become a point.
#include <cmath>

#include <gtest/gtest.h>

#include "emotune/mood_path.h"
#include "emotune/track_mood.h"

namespace emotune {
namespace {

PlaylistRequest Request(Emotion listener, MoodStrategy strategy) {
  PlaylistRequest r;
  r.mood = MoodEstimate::FromPoint(EmotionPlace(listener), 1.0, "test");
  r.strategy = strategy;
  return r;
}

void ExpectNear(AffectPoint a, AffectPoint b, double tolerance = 1e-9) {
  EXPECT_NEAR(a.valence, b.valence, tolerance);
  EXPECT_NEAR(a.arousal, b.arousal, tolerance);
}

// Each step gets no farther from `target` than the one before.
void ExpectApproaches(const std::vector<AffectPoint>& path, AffectPoint target) {
  for (std::size_t i = 1; i < path.size(); ++i)
    EXPECT_LE(Distance(path[i], target), Distance(path[i - 1], target) + 1e-12) << "step " << i;
}

TEST(MoodPathTest, UpliftStartsAtTheListenerAndClimbsToJoy) {
  const auto path = PlanMoodPath(Request(Emotion::kSadness, MoodStrategy::kUplift), 10);
  ASSERT_EQ(path.size(), 10u);
  ExpectNear(path.front(), EmotionPlace(Emotion::kSadness));
  ExpectNear(path.back(), EmotionPlace(Emotion::kJoy));
  ExpectApproaches(path, EmotionPlace(Emotion::kJoy));
  for (std::size_t i = 1; i < path.size(); ++i) EXPECT_GE(path[i].valence, path[i - 1].valence) << i;
  // The iso principle: the second slot stays close to where the listener is.
  EXPECT_LT(Distance(path[1], path[0]), Distance(path[9], path[0]) / 10);
}

TEST(MoodPathTest, UpliftHeadsForAnExplicitTarget) {
  PlaylistRequest r = Request(Emotion::kFear, MoodStrategy::kUplift);
  r.target = AffectPoint{0.4, -0.2};
  const auto path = PlanMoodPath(r, 7);
  ExpectNear(path.front(), EmotionPlace(Emotion::kFear));
  ExpectNear(path.back(), {0.4, -0.2});
  ExpectApproaches(path, {0.4, -0.2});
}

TEST(MoodPathTest, CalmAndEnergizeEndWhereTheySay) {
  const auto calm = PlanMoodPath(Request(Emotion::kAnger, MoodStrategy::kCalm), 8);
  ExpectNear(calm.front(), EmotionPlace(Emotion::kAnger));
  EXPECT_LT(Distance(calm.back(), EmotionPlace(Emotion::kCalm)), 1e-9);
  for (std::size_t i = 1; i < calm.size(); ++i) EXPECT_LE(calm[i].arousal, calm[i - 1].arousal + 1e-12);

  const auto up = PlanMoodPath(Request(Emotion::kCalm, MoodStrategy::kEnergize), 8);
  ExpectNear(up.front(), EmotionPlace(Emotion::kCalm));
  ExpectNear(up.back(), kEnergizeTarget);
  for (std::size_t i = 1; i < up.size(); ++i) EXPECT_GE(up[i].arousal, up[i - 1].arousal - 1e-12);
}

TEST(MoodPathTest, TargetGoesToTheNamedEmotionOrStaysWithoutOne) {
  PlaylistRequest r = Request(Emotion::kNeutral, MoodStrategy::kTarget);
  r.target_emotion = Emotion::kLove;
  const auto path = PlanMoodPath(r, 5);
  ExpectNear(path.front(), EmotionPlace(Emotion::kNeutral));
  ExpectNear(path.back(), EmotionPlace(Emotion::kLove));

  for (AffectPoint p : PlanMoodPath(Request(Emotion::kSurprise, MoodStrategy::kTarget), 4))
    ExpectNear(p, EmotionPlace(Emotion::kSurprise));
}

TEST(MoodPathTest, MatchStaysAtTheShiftedListener) {
  PlaylistRequest r = Request(Emotion::kLove, MoodStrategy::kMatch);
  for (AffectPoint p : PlanMoodPath(r, 6)) ExpectNear(p, EmotionPlace(Emotion::kLove));
  r.energy_shift = 0.3;
  r.valence_shift = -0.1;
  const AffectPoint love = EmotionPlace(Emotion::kLove);
  for (AffectPoint p : PlanMoodPath(r, 6)) ExpectNear(p, {love.valence - 0.1, love.arousal + 0.3});
}

TEST(MoodPathTest, EveryWaypointIsClampedToThePlane) {
  PlaylistRequest r;
  r.mood = MoodEstimate::FromPoint({0.9, 0.9}, 1.0, "test");
  r.energy_shift = 0.8;
  r.valence_shift = 0.8;
  for (AffectPoint p : PlanMoodPath(r, 5)) ExpectNear(p, {1, 1});
  r.strategy = MoodStrategy::kTarget;
  r.target = AffectPoint{-0.9, -0.9};
  r.energy_shift = r.valence_shift = -0.8;
  for (AffectPoint p : PlanMoodPath(r, 9)) {
    EXPECT_GE(p.valence, -1);
    EXPECT_LE(p.valence, 1);
    EXPECT_GE(p.arousal, -1);
    EXPECT_LE(p.arousal, 1);
  }
  ExpectNear(PlanMoodPath(r, 9).back(), {-1, -1});
}

TEST(MoodPathTest, ZeroAndOneSlots) {
  const PlaylistRequest r = Request(Emotion::kSadness, MoodStrategy::kUplift);
  EXPECT_TRUE(PlanMoodPath(r, 0).empty());
  const auto one = PlanMoodPath(r, 1);
  ASSERT_EQ(one.size(), 1u);
  ExpectNear(one[0], EmotionPlace(Emotion::kSadness));
}

TEST(TrackMoodTest, ValenceAndArousalFromTheFeatures) {
  AudioFeatures f;
  f.spotify_valence = 0.9;
  f.energy = 0.7;
  f.tempo_bpm = 120;   // tempo_norm 0.5
  f.loudness_db = -8;  // loudness_norm 0.8
  f.danceability = 0.5;
  const TrackMood m = TrackMoodFromFeatures(f);
  EXPECT_TRUE(m.known);
  EXPECT_NEAR(m.point.valence, 0.8, 1e-9);
  EXPECT_NEAR(m.point.arousal, 2 * (0.6 * 0.7 + 0.15 * 0.5 + 0.15 * 0.8 + 0.1 * 0.5) - 1, 1e-9);
  EXPECT_EQ(NearestEmotion(m.point), Emotion::kJoy);
  double sum = 0;
  for (double p : m.distribution) sum += p;
  EXPECT_NEAR(sum, 1, 1e-9);
}

TEST(TrackMoodTest, MissingPartsRenormaliseTheWeights) {
  AudioFeatures f;
  f.energy = 0.2;
  const TrackMood energy_only = TrackMoodFromFeatures(f);
  EXPECT_TRUE(energy_only.known);
  EXPECT_NEAR(energy_only.point.arousal, 2 * 0.2 - 1, 1e-9);
  EXPECT_EQ(energy_only.point.valence, 0);
  f.tempo_bpm = 60;  // tempo_norm 0
  EXPECT_NEAR(TrackMoodFromFeatures(f).point.arousal, 2 * (0.6 * 0.2 / 0.75) - 1, 1e-9);
}

TEST(TrackMoodTest, UnknownWithoutEnergyAndValence) {
  AudioFeatures f;
  f.tempo_bpm = 120;
  f.danceability = 0.7;
  EXPECT_FALSE(TrackMoodFromFeatures(f).known);
  f.spotify_valence = 0.1;
  EXPECT_TRUE(TrackMoodFromFeatures(f).known);
  AudioFeatures bad;
  bad.spotify_valence = std::nan("");
  bad.energy = 7;  // out of range: clamped to 1
  const TrackMood m = TrackMoodFromFeatures(bad);
  EXPECT_TRUE(m.known);
  EXPECT_EQ(m.point.valence, 0);
  EXPECT_NEAR(m.point.arousal, 1, 1e-9);
}

}  // namespace
}  // namespace emotune
