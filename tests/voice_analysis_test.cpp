// Voice analysis on signals the test makes: the pitch track of a synthetic voice,
// voice activity (speech found and placed; silence, noise, held tones and chords
// refused with a reason; long recordings split), DC offset and clipping, and the
// feature vector's shape and determinism.
#include <algorithm>
#include <cmath>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "emotune/voice_activity.h"
#include "emotune/voice_features.h"
#include "emotune/voice_frames.h"
#include "emotune/voice_mood.h"
#include "voice_fixtures.h"

namespace emotune {
namespace {

using ::testing::HasSubstr;
using testing::Padded;
using testing::Signal;
using testing::SyntheticVoice;

double MedianPitch(const VoiceFrames& f) {
  std::vector<float> voiced;
  for (float p : f.pitch_hz)
    if (p > 0) voiced.push_back(p);
  if (voiced.empty()) return 0;
  std::nth_element(voiced.begin(), voiced.begin() + static_cast<std::ptrdiff_t>(voiced.size() / 2), voiced.end());
  return voiced[voiced.size() / 2];
}

TEST(VoiceFrames, TracksThePitchOfAVoice) {
  testing::VoiceStyle style;
  style.pitch_hz = 140;
  style.pitch_swing = 0.05;
  const Signal voice = SyntheticVoice(3.0, 16000, style);
  const VoiceFrames f = AnalyseVoiceFrames(voice.samples);
  EXPECT_EQ(f.count, 1 + (voice.samples.size() - kVoiceWindowSamples) / kVoiceHopSamples);
  EXPECT_EQ(f.log_mel.size(), f.count * kVoiceMelBands);
  EXPECT_NEAR(MedianPitch(f), 140, 10);
  for (float level : f.level_db) EXPECT_TRUE(std::isfinite(level));
}

TEST(VoiceFrames, TooShortGivesNoFrames) {
  EXPECT_EQ(AnalyseVoiceFrames(std::vector<float>(100, 0.1f)).count, 0u);
  EXPECT_EQ(AnalyseVoiceFrames({}).count, 0u);
}

TEST(VoiceActivity, FindsSpeechBetweenSilences) {
  const Signal clip = Padded(SyntheticVoice(2.5), 1.0);
  const VoiceActivity activity = DetectVoiceActivity(AnalyseVoiceFrames(clip.samples));
  ASSERT_FALSE(activity.utterances.empty()) << activity.no_speech_reason;
  EXPECT_NEAR(activity.utterances.front().start_s, 1.0, 0.15);
  EXPECT_NEAR(activity.utterances.back().end_s, 3.5, 0.4);
  EXPECT_TRUE(activity.no_speech_reason.empty());
}

TEST(VoiceActivity, SilenceNoiseAndHeldTonesAreNotSpeech) {
  const auto reason = [](const Signal& s) {
    const VoiceActivity a = DetectVoiceActivity(AnalyseVoiceFrames(s.samples));
    EXPECT_TRUE(a.utterances.empty());
    return a.no_speech_reason;
  };
  EXPECT_THAT(reason(testing::Silence(3.0, 16000)), HasSubstr("silence"));
  EXPECT_THAT(reason(testing::WhiteNoise(3.0, 16000)), HasSubstr("noise"));
  EXPECT_THAT(reason(testing::HeldTone(220, 3.0)), HasSubstr("without"));
  // Sustained chords, one a second: music without speech.
  EXPECT_FALSE(reason(testing::Chords({{60, 64, 67}, {57, 60, 64}, {62, 65, 69}}, 1.0, 16000)).empty());
}

TEST(VoiceActivity, SplitsLongRecordingsIntoUtterances) {
  // Three 3-second stretches of voice with a second of silence between them.
  Signal clip = SyntheticVoice(3.0);
  for (int i = 0; i < 2; ++i) {
    clip.samples.insert(clip.samples.end(), 16000, 0.0f);
    const Signal more = SyntheticVoice(3.0, 16000, {140, 0.25, 4, 0.3, 1.6, static_cast<unsigned>(i + 2)});
    clip.samples.insert(clip.samples.end(), more.samples.begin(), more.samples.end());
  }
  const VoiceActivity activity = DetectVoiceActivity(AnalyseVoiceFrames(clip.samples));
  EXPECT_EQ(activity.utterances.size(), 3u);
  // An utterance longer than the limit is cut.
  VoiceActivityOptions options;
  options.max_utterance_s = 1.0;
  options.split_pause_s = 5;
  const VoiceActivity cut = DetectVoiceActivity(AnalyseVoiceFrames(clip.samples), options);
  EXPECT_GE(cut.utterances.size(), 8u);
  for (const SpeechSegment& u : cut.utterances) EXPECT_LE(u.end_s - u.start_s, 1.1);
}

TEST(VoiceFeatures, FixedLengthFiniteAndDeterministic) {
  const Signal clip = Padded(SyntheticVoice(2.0), 0.5);
  const UtteranceFeatures a = ExtractUtteranceFeatures(clip.samples);
  const UtteranceFeatures b = ExtractUtteranceFeatures(clip.samples);
  ASSERT_FALSE(a.features.empty());
  EXPECT_EQ(a.features[0].size(), VoiceFeatureCount());
  EXPECT_EQ(a.features, b.features);
  for (float v : a.features[0]) EXPECT_TRUE(std::isfinite(v));
  // Names are unique.
  std::set<std::string> names(VoiceFeatureNames().begin(), VoiceFeatureNames().end());
  EXPECT_EQ(names.size(), VoiceFeatureCount());
}

TEST(VoiceFeatures, DcOffsetChangesNothingThatMatters) {
  const Signal clip = Padded(SyntheticVoice(2.0), 0.5);
  Signal offset = clip;
  for (float& v : offset.samples) v += 0.25f;
  const UtteranceFeatures a = ExtractUtteranceFeatures(clip.samples);
  const UtteranceFeatures b = ExtractUtteranceFeatures(offset.samples);
  ASSERT_EQ(a.features.size(), b.features.size());
  ASSERT_FALSE(a.features.empty());
  const auto& names = VoiceFeatureNames();
  const auto at = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
  };
  EXPECT_NEAR(a.features[0][at("pitch_st_mean")], b.features[0][at("pitch_st_mean")], 0.5);
  EXPECT_NEAR(a.features[0][at("level_p95_dbfs")], b.features[0][at("level_p95_dbfs")], 1.0);
}

TEST(VoiceFeatures, ClippedSpeechIsStillSpeech) {
  Signal clip = Padded(SyntheticVoice(2.0), 0.5);
  for (float& v : clip.samples) v = std::clamp(v * 6.0f, -1.0f, 1.0f);
  const UtteranceFeatures found = ExtractUtteranceFeatures(clip.samples);
  EXPECT_FALSE(found.utterances.empty()) << found.no_speech_reason;
}

}  // namespace
}  // namespace emotune
