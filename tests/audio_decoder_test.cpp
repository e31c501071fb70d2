// Decoding: formats, rates and channel counts all come out as the analysis-rate mono
// stream; tags and cover art read back; bad files fail with a message naming them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "audio_fixtures.h"
#include "emotune/audio_analysis.h"
#include "emotune/audio_decoder.h"

namespace emotune {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::TempDir;
using testing::WriteFile;
using testing::WriteWav;

struct Decoded {
  std::int64_t mono_samples = 0;
  std::int64_t frames = 0;
  double mono_sum_squares = 0;
};

Result<Decoded> DecodeAll(const std::string& path) {
  auto decoder = AudioDecoder::Open(path);
  if (!decoder.ok()) return decoder.status();
  Decoded d;
  DecodedBlock block;
  while (true) {
    auto more = (*decoder)->Next(block);
    if (!more.ok()) return more.status();
    if (!*more) break;
    d.mono_samples += static_cast<std::int64_t>(block.mono.size());
    for (float v : block.mono) d.mono_sum_squares += static_cast<double>(v) * v;
  }
  d.frames = (*decoder)->frames_decoded();
  return d;
}

class AudioDecoderTest : public ::testing::Test {
 protected:
  TempDir dir_;
};

TEST_F(AudioDecoderTest, ResamplesAnyRateToTheAnalysisRate) {
  for (int rate : {8000, 22050, 44100, 48000, 192000}) {
    SCOPED_TRACE(rate);
    const auto path = WriteWav(dir_.File("tone" + std::to_string(rate) + ".wav"), testing::Chords({{69}}, 2.0, rate));
    auto d = DecodeAll(path);
    ASSERT_TRUE(d.ok()) << d.status().message();
    EXPECT_EQ(d->frames, 2 * rate);
    EXPECT_NEAR(static_cast<double>(d->mono_samples), 2.0 * kAnalysisSampleRate, 0.01 * kAnalysisSampleRate);
  }
}

TEST_F(AudioDecoderTest, SixChannelsAreAveragedAndKeepTheirRoles) {
  const auto path = WriteWav(dir_.File("six.wav"), testing::Spread(testing::Chords({{60}}, 1.0), 6));
  auto decoder = AudioDecoder::Open(path);
  ASSERT_TRUE(decoder.ok()) << decoder.status().message();
  EXPECT_EQ((*decoder)->info().channels, 6);
  ASSERT_EQ((*decoder)->channel_roles().size(), 6u);
  EXPECT_EQ((*decoder)->channel_roles()[3], ChannelRole::kLowFrequency);  // 5.1: L R C LFE Ls Rs
  auto mono = DecodeAll(path);
  auto single = DecodeAll(WriteWav(dir_.File("one.wav"), testing::Chords({{60}}, 1.0)));
  ASSERT_TRUE(mono.ok() && single.ok());
  EXPECT_NEAR(mono->mono_sum_squares, single->mono_sum_squares, 0.01 * single->mono_sum_squares);
}

TEST_F(AudioDecoderTest, ReadsWavInfoTagsAndFallsBackToTheFileName) {
  const auto tagged = WriteWav(dir_.File("tagged.wav"), testing::Chords({{60}}, 0.5),
                               {{"INAM", "Blue Hour"}, {"IART", "Ana Lima"}, {"IPRD", "Dawn"},
                                {"IGNR", "Ambient"}, {"ICRD", "2019-05-02"}, {"ITRK", "3/12"}});
  auto tags = ReadAudioTags(tagged);
  ASSERT_TRUE(tags.ok()) << tags.status().message();
  EXPECT_EQ(tags->title, "Blue Hour");
  EXPECT_FALSE(tags->title_from_file_name);
  EXPECT_EQ(tags->artist, "Ana Lima");
  EXPECT_EQ(tags->album, "Dawn");
  EXPECT_EQ(tags->genre, "Ambient");
  EXPECT_EQ(tags->year, 2019);
  EXPECT_EQ(tags->track_number, 3);
  EXPECT_EQ(tags->track_total, 12);

  auto bare = ReadAudioTags(WriteWav(dir_.File("07 - Night Drive.wav"), testing::Chords({{60}}, 0.5)));
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->title, "07 - Night Drive");
  EXPECT_TRUE(bare->title_from_file_name);
  EXPECT_TRUE(bare->artist.empty());
  EXPECT_FALSE(bare->year.has_value());
}

TEST_F(AudioDecoderTest, EveryCommonFormatDecodesWithItsTags) {
  const std::map<std::string, std::string> tags{{"title", "Río"}, {"artist", "Coro"}, {"album_artist", "Various"},
                                                {"date", "1987"}, {"language", "spa"}, {"track", "5"}};
  for (auto [name, codec] : {std::pair{"t.flac", "flac"}, std::pair{"t.ogg", "libvorbis"}, std::pair{"t.opus", "libopus"},
                             std::pair{"t.m4a", "aac"}, std::pair{"t.mp3", "libmp3lame"}, std::pair{"t.aiff", "pcm_s16be"}}) {
    SCOPED_TRACE(name);
    const int rate = std::string(codec) == "libopus" ? 48000 : 44100;
    auto path = testing::EncodeWithLibav(dir_.File(name), testing::Chords({{57, 60, 64}}, 2.0, rate), codec, tags);
    if (!path) {
      std::cerr << "skipping " << name << ": this FFmpeg cannot encode it\n";
      continue;
    }
    auto decoder = AudioDecoder::Open(*path);
    ASSERT_TRUE(decoder.ok()) << decoder.status().message();
    const AudioTags& t = (*decoder)->tags();
    EXPECT_EQ(t.title, "Río");
    if (std::string(codec) != "pcm_s16be") {  // FFmpeg's AIFF muxer writes only the title
      EXPECT_EQ(t.artist, "Coro");
      EXPECT_EQ(t.year, 1987);
      EXPECT_EQ(t.album_artist, "Various");
      EXPECT_EQ(t.track_number, 5);
    }
    const std::string c = codec;
    if (c == "flac" || c == "libvorbis" || c == "libopus" || c == "libmp3lame") {
      EXPECT_EQ(t.language, "spa");
    }
    auto d = DecodeAll(*path);
    ASSERT_TRUE(d.ok()) << d.status().message();
    EXPECT_NEAR(static_cast<double>(d->mono_samples) / kAnalysisSampleRate, 2.0, 0.1);
  }
}

TEST_F(AudioDecoderTest, KeepsEmbeddedCoverArt) {
  const std::string jpeg = std::string("\xFF\xD8\xFF\xE0", 4) + std::string(200, 'x') + std::string("\xFF\xD9", 2);
  auto path = testing::EncodeWithLibav(dir_.File("cover.mp3"), testing::Chords({{60}}, 1.0), "libmp3lame",
                                       {{"title", "With cover"}}, jpeg);
  if (!path) GTEST_SKIP() << "no MP3 encoder in this FFmpeg";
  auto decoder = AudioDecoder::Open(*path);
  ASSERT_TRUE(decoder.ok()) << decoder.status().message();
  ASSERT_TRUE((*decoder)->cover_art().has_value());
  EXPECT_EQ((*decoder)->cover_art()->mime_type, "image/jpeg");
  EXPECT_EQ(std::string((*decoder)->cover_art()->bytes.begin(), (*decoder)->cover_art()->bytes.end()), jpeg);
  EXPECT_TRUE(DecodeAll(*path).ok());
}

TEST_F(AudioDecoderTest, BadFilesFailWithAMessageNamingThem) {
  const std::string empty_mp3 = WriteFile(dir_.File("empty.mp3"), "");
  const std::string garbage_ogg = WriteFile(dir_.File("garbage.ogg"), std::string(5000, '\x5a') + "not audio at all");
  const std::string text_mp3 = WriteFile(dir_.File("notes.mp3"), "These are my shopping notes.\nEggs, milk.\n");
  for (const std::string& path : {empty_mp3, garbage_ogg, text_mp3, dir_.File("missing.flac"), dir_.path().string()}) {
    SCOPED_TRACE(path);
    auto d = DecodeAll(path);
    ASSERT_FALSE(d.ok());
    EXPECT_THAT(d.status().message(), StartsWith(path + ": "));
  }
  EXPECT_THAT(DecodeAll(empty_mp3).status().message(), HasSubstr("empty"));
  EXPECT_EQ(DecodeAll(dir_.File("missing.flac")).status().code(), Status::Code::kNotFound);
}

TEST_F(AudioDecoderTest, TruncatedFilesDecodeWhatIsThere) {
  auto path = testing::EncodeWithLibav(dir_.File("whole.mp3"), testing::Chords({{60, 64, 67}}, 4.0), "libmp3lame");
  if (!path) path = WriteWav(dir_.File("whole.wav"), testing::Chords({{60, 64, 67}}, 4.0));
  const std::string bytes = testing::ReadFile(*path);
  const std::string cut = WriteFile(dir_.File("cut" + std::filesystem::path(*path).extension().string()),
                                    bytes.substr(0, bytes.size() / 2));
  auto d = DecodeAll(cut);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_NEAR(static_cast<double>(d->mono_samples) / kAnalysisSampleRate, 2.0, 0.3);
}

}  // namespace
}  // namespace emotune
