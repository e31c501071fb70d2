// VoiceMoodReader end to end on files and bytes the test writes: every container a
// browser or a phone produces (WAV, FLAC, MP3, Ogg/Opus, WebM/Opus) at odd rates and
// channel counts, files and memory giving the same answer, and bad input — an empty
// file, not audio, silence, noise, a ten-minute clip (bounded), clipping, DC offset,
// 8 kHz telephone audio. The model is a tiny one trained here, not the shipped one.
#include <chrono>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "emotune/audio_decoder.h"
#include "emotune/voice_json.h"
#include "emotune/voice_mood.h"
#include "voice_fixtures.h"

namespace emotune {
namespace {

using ::testing::HasSubstr;
using testing::Padded;
using testing::Signal;
using testing::SyntheticVoice;
using testing::TempDir;

Signal Resampled(const Signal& s, int rate) {  // linear interpolation: fine for tests
  Signal out{{}, 1, rate};
  const double step = static_cast<double>(s.rate) / rate;
  for (double at = 0; at + 1 < static_cast<double>(s.samples.size()); at += step) {
    const auto k = static_cast<std::size_t>(at);
    out.samples.push_back(static_cast<float>(s.samples[k] + (s.samples[k + 1] - s.samples[k]) * (at - static_cast<double>(k))));
  }
  return out;
}

class VoiceReaderTest : public ::testing::Test {
 protected:
  VoiceMoodReader reader_{testing::TinyVoiceModel(), VoiceMoodOptions{}};
  TempDir dir_;
  Signal voice_ = Padded(SyntheticVoice(2.5, 44100, testing::Lively(9)), 0.5);
};

TEST_F(VoiceReaderTest, ReadsEveryContainerAtAnyRateAndChannelCount) {
  const Signal stereo = testing::Spread(voice_, 2);
  std::vector<std::string> files = {testing::WriteWav(dir_.File("v.wav"), stereo),
                                    testing::WriteWav(dir_.File("v22.wav"), Resampled(voice_, 22050))};
  for (const auto& [name, codec] : std::vector<std::pair<std::string, const char*>>{
           {"v.flac", "flac"}, {"v.mp3", "libmp3lame"}, {"v.ogg", "libopus"}, {"v.webm", "libopus"}, {"v.m4a", "aac"}}) {
    Signal input = name == "v.ogg" || name == "v.webm" ? Resampled(voice_, 48000) : stereo;
    if (auto path = testing::EncodeWithLibav(dir_.File(name), input, codec)) files.push_back(*path);
  }
  EXPECT_GE(files.size(), 4u) << "this FFmpeg lacks most encoders";
  for (const std::string& file : files) {
    auto result = reader_.ReadFile(file);
    ASSERT_TRUE(result.ok()) << file << ": " << result.status().message();
    EXPECT_GT(result->probabilities[4], result->probabilities[3]) << file;  // the tiny model's "lively", not "flat"
    EXPECT_GE(result->utterances.size(), 1u);
    EXPECT_NEAR(result->seconds, 3.5, 0.2) << file;
    EXPECT_FALSE(result->narrowband) << file;
  }
}

TEST_F(VoiceReaderTest, DecoderReadsMemoryAtTheRateAsked) {
  const std::string path = testing::WriteWav(dir_.File("s.wav"), testing::Spread(voice_, 2));
  const std::string bytes = testing::ReadFile(path);
  const std::span<const std::uint8_t> view(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  AudioDecodeOptions options;
  options.mono_sample_rate = 16000;
  auto decoder = AudioDecoder::OpenMemory(view, "in memory", options);
  ASSERT_TRUE(decoder.ok()) << decoder.status().message();
  EXPECT_EQ((*decoder)->info().sample_rate, 44100);
  EXPECT_EQ((*decoder)->info().channels, 2);
  std::size_t mono = 0;
  DecodedBlock block;
  while (true) {
    auto more = (*decoder)->Next(block);
    ASSERT_TRUE(more.ok());
    if (!*more) break;
    mono += block.mono.size();
  }
  EXPECT_NEAR(static_cast<double>(mono), 3.5 * 16000, 200);
  auto from_memory = DecodeVoiceClip(view, "in memory");
  auto from_file = DecodeVoiceClip(path);
  ASSERT_TRUE(from_memory.ok() && from_file.ok());
  EXPECT_EQ(from_memory->samples, from_file->samples);
  options.mono_sample_rate = 10;
  EXPECT_EQ(AudioDecoder::OpenMemory(view, "in memory", options).status().code(), Status::Code::kInvalidArgument);
}

TEST_F(VoiceReaderTest, MemoryAndFileGiveTheSameAnswer) {
  const std::string path = testing::WriteWav(dir_.File("v.wav"), voice_);
  const std::string bytes = testing::ReadFile(path);
  auto from_file = reader_.ReadFile(path);
  auto from_memory = reader_.ReadMemory({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, "upload");
  ASSERT_TRUE(from_file.ok() && from_memory.ok());
  EXPECT_EQ(from_file->probabilities, from_memory->probabilities);
  // Several threads at once on one reader.
  std::vector<std::thread> threads;
  std::vector<RavdessProbabilities> answers(4);
  for (std::size_t t = 0; t < answers.size(); ++t)
    threads.emplace_back([&, t] { answers[t] = reader_.ReadFile(path)->probabilities; });
  for (auto& t : threads) t.join();
  for (const auto& a : answers) EXPECT_EQ(a, from_file->probabilities);
}

TEST_F(VoiceReaderTest, JsonHasTheMoodKeysOfEverySurface) {
  auto result = reader_.ReadFile(testing::WriteWav(dir_.File("v.wav"), voice_));
  ASSERT_TRUE(result.ok());
  const nlohmann::json j = VoiceMoodToJson(*result);
  for (const char* key : {"emotion", "confidence", "valence", "arousal", "distribution", "ravdess", "utterances", "audio", "notes"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["distribution"].size(), kEmotionCount);
  EXPECT_EQ(j["ravdess"].size(), kRavdessEmotionCount);
  EXPECT_EQ(j["audio"]["source_rate"], 44100);
}

TEST_F(VoiceReaderTest, RefusesEmptyMissingAndNonAudioNamingTheFile) {
  const std::string empty = testing::WriteFile(dir_.File("empty.wav"), "");
  auto r = reader_.ReadFile(empty);
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr(empty));
  EXPECT_THAT(r.status().message(), HasSubstr("empty"));
  EXPECT_EQ(reader_.ReadFile(dir_.File("none.wav")).status().code(), Status::Code::kNotFound);
  const std::string text = testing::WriteFile(dir_.File("notes.wav"), "these are not samples\n");
  EXPECT_EQ(reader_.ReadFile(text).status().code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(reader_.ReadMemory({}, "upload").status().message(), HasSubstr("upload"));
  const std::string garbage(5000, 'x');
  EXPECT_EQ(reader_.ReadMemory({reinterpret_cast<const std::uint8_t*>(garbage.data()), garbage.size()}, "upload").status().code(),
            Status::Code::kInvalidArgument);
  // A recording too short to hold a voice.
  const std::string blip = testing::WriteWav(dir_.File("blip.wav"), testing::Silence(0.05, 16000));
  EXPECT_THAT(reader_.ReadFile(blip).status().message(), HasSubstr("at least"));
}

TEST_F(VoiceReaderTest, NoSpeechIsSaidNotGuessed) {
  for (const Signal& s : {testing::Silence(3, 16000), testing::WhiteNoise(3, 16000), testing::HeldTone(196, 3)}) {
    auto r = reader_.ReadFile(testing::WriteWav(dir_.File("x.wav"), s));
    EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
    EXPECT_THAT(r.status().message(), HasSubstr("no speech found"));
  }
}

TEST_F(VoiceReaderTest, TenMinutesAreReadWithinBounds) {
  // 10 minutes at 8 kHz: voice every 20 s, silence between.
  Signal clip{{}, 1, 8000};
  const Signal voice = Resampled(SyntheticVoice(3, 16000), 8000);
  while (clip.samples.size() < 600u * 8000) {
    clip.samples.insert(clip.samples.end(), voice.samples.begin(), voice.samples.end());
    clip.samples.insert(clip.samples.end(), 17 * 8000, 0.0f);
  }
  const std::string path = testing::WriteWav(dir_.File("long.wav"), clip);
  const auto start = std::chrono::steady_clock::now();
  auto r = reader_.ReadFile(path);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->truncated);
  EXPECT_LE(r->seconds, VoiceClipLimits{}.max_seconds + 0.1);
  EXPECT_GE(r->utterances.size(), 5u);
  EXPECT_THAT(r->notes.front(), HasSubstr("first 120 s"));
  EXPECT_LT(seconds, 30);  // generous: sanitizer builds are slow
}

TEST_F(VoiceReaderTest, ClippingDcOffsetAndTelephoneAudioAreReadWithNotes) {
  Signal clipped = voice_;
  for (float& v : clipped.samples) v = std::clamp(v * 8.0f, -1.0f, 1.0f);
  auto c = reader_.ReadFile(testing::WriteWav(dir_.File("clipped.wav"), clipped));
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_GT(c->clipped_fraction, 0.01);
  EXPECT_THAT(c->notes, ::testing::Contains(HasSubstr("clipped")));

  Signal offset = voice_;
  for (float& v : offset.samples) v = v * 0.5f + 0.3f;
  auto d = reader_.ReadFile(testing::WriteWav(dir_.File("dc.wav"), offset));
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_THAT(d->notes, ::testing::Contains(HasSubstr("DC offset")));

  auto t = reader_.ReadFile(testing::WriteWav(dir_.File("phone.wav"), Resampled(voice_, 8000)));
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_TRUE(t->narrowband);
  EXPECT_EQ(t->source_rate, 8000);
  EXPECT_THAT(t->notes, ::testing::Contains(HasSubstr("narrowband")));
}

}  // namespace
}  // namespace emotune
