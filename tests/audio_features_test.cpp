// Descriptors on signals whose answer is known: click tracks at a set tempo, chord
// progressions in a set key, silence, white noise, very short and odd-format input.
#include <gtest/gtest.h>

#include "audio_fixtures.h"
#include "emotune/audio_analysis.h"

namespace emotune {
namespace {

using testing::TempDir;
using testing::WriteWav;

class AudioFeaturesTest : public ::testing::Test {
 protected:
  AudioDescriptors Analyze(const std::string& path) {
    auto a = analyzer_.Analyze(path);
    EXPECT_TRUE(a.ok()) << a.status().message();
    return a.ok() ? a->descriptors : AudioDescriptors{};
  }
  AudioDescriptors Analyze(const std::string& name, const testing::Signal& s) { return Analyze(WriteWav(dir_.File(name), s)); }
  TempDir dir_;
  AudioAnalyzer analyzer_;  // one analyzer for every file, as a scan uses it
};

TEST_F(AudioFeaturesTest, ClickTracksGiveTheirTempoWithinTwoPercent) {
  for (double bpm : {90.0, 120.0, 140.0, 97.3}) {
    SCOPED_TRACE(bpm);
    const AudioDescriptors d = Analyze("click.wav", testing::ClickTrack(bpm, 30));
    ASSERT_TRUE(d.tempo_bpm.has_value());
    EXPECT_NEAR(*d.tempo_bpm, bpm, 0.02 * bpm);
    EXPECT_GT(d.tempo_confidence, 0.5);
    EXPECT_GT(d.beat_strength, 0.7);
    EXPECT_NEAR(d.onset_rate_hz, bpm / 60, 0.15 * bpm / 60);
  }
}

TEST_F(AudioFeaturesTest, SyncopatedRhythmsGiveTheBeatNotThreeHalvesOrFourThirdsOfIt) {
  // Eighth notes grouped 3+3+3+3+2+2 over two 4/4 bars, nothing else: the clicks are
  // 1.5 beats apart more often than one beat. A comb of four period multiples read
  // 99.4 BPM (2/3 of the beat) at 150; eight (two bars) find the beat.
  const std::vector<double> grouping{0, 1.5, 3, 4.5, 6, 7};
  for (double bpm : {90.0, 150.0}) {
    SCOPED_TRACE(bpm);
    const AudioDescriptors d = Analyze("pattern.wav", testing::ClickPattern(bpm, 8, grouping, 60));
    ASSERT_TRUE(d.tempo_bpm.has_value());
    EXPECT_NEAR(*d.tempo_bpm, bpm, 0.02 * bpm);
  }
}

TEST_F(AudioFeaturesTest, SteadyTonesHaveNoTempo) {
  // Sustained pure triads: their onset envelope is a ripple of a thousandth of a
  // doubling, periodic enough that its normalised autocorrelation once read 89–118 BPM.
  for (const std::vector<int>& triad : {std::vector<int>{69, 73, 76}, {60, 64, 67}, {57, 60, 64}}) {
    SCOPED_TRACE(triad[0]);
    const AudioDescriptors d = Analyze("steady.wav", testing::Chords({triad}, 30, 44100, 1));
    EXPECT_FALSE(d.tempo_bpm.has_value()) << *d.tempo_bpm;
    EXPECT_TRUE(d.key.has_value());
  }
}

TEST_F(AudioFeaturesTest, ChordProgressionsGiveTheirKey) {
  // I–IV–V–I in C major; i–iv–V–i in A minor (with the raised leading tone G#).
  const AudioDescriptors c = Analyze("c.wav", testing::Chords({{60, 64, 67}, {65, 69, 72}, {67, 71, 74}, {60, 64, 67}}, 2));
  ASSERT_TRUE(c.key.has_value());
  EXPECT_EQ(*c.key, 0);
  EXPECT_EQ(c.mode, 1);
  EXPECT_GT(c.key_strength, 0.5);
  const AudioDescriptors a = Analyze("a.wav", testing::Chords({{57, 60, 64}, {62, 65, 69}, {64, 68, 71}, {57, 60, 64}}, 2));
  ASSERT_TRUE(a.key.has_value());
  EXPECT_EQ(*a.key, 9);
  EXPECT_EQ(a.mode, 0);
  // A single C major triad is enough.
  const AudioDescriptors triad = Analyze("triad.wav", testing::Chords({{48, 52, 55}}, 5));
  EXPECT_EQ(triad.key, 0);
  EXPECT_EQ(triad.mode, 1);
}

TEST_F(AudioFeaturesTest, BrightTimbresKeepTheirMode) {
  // Organ-like tones (10 equal harmonics) over a bass an octave or two down: each note's
  // 5th harmonic is a major third above it, so the raw spectral peaks of a minor key
  // read as its parallel major (A, D major). Summing harmonics back to their
  // fundamental (HPCP) keeps the minor.
  struct Case {
    std::vector<std::vector<int>> chords;
    int key;
  };
  const std::vector<Case> cases{
      {{{33, 57, 60, 64}, {38, 62, 65, 69}, {40, 64, 68, 71}, {33, 57, 60, 64}}, 9},  // A minor i–iv–V–i
      {{{38, 62, 65, 69}}, 2},                                                      // D minor triad over D2
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.key);
    const AudioDescriptors d = Analyze("organ.wav", testing::Chords(c.chords, 1, 44100, 10, 0));
    ASSERT_TRUE(d.key.has_value());
    EXPECT_EQ(*d.key, c.key);
    EXPECT_EQ(d.mode, 0);
  }
}

TEST_F(AudioFeaturesTest, SilenceHasNoTempoNoKeyAndTheLoudnessFloor) {
  const AudioDescriptors d = Analyze("silence.wav", testing::Silence(10, 44100, 2));
  EXPECT_NEAR(d.duration_s, 10, 1e-6);
  EXPECT_FALSE(d.tempo_bpm.has_value());
  EXPECT_FALSE(d.key.has_value());
  EXPECT_EQ(d.loudness_lufs, -70);
  EXPECT_LE(d.rms_dbfs, -100);
  EXPECT_EQ(d.energy, 0);
  EXPECT_EQ(d.onset_rate_hz, 0);
}

TEST_F(AudioFeaturesTest, WhiteNoiseIsFlatAndHasNoTempoOrKey) {
  const AudioDescriptors noise = Analyze("noise.wav", testing::WhiteNoise(20));
  const AudioDescriptors tone = Analyze("tone.wav", testing::Chords({{69}}, 5));
  EXPECT_GT(noise.spectral_flatness, 0.4);  // a periodogram of white noise averages e^-γ ≈ 0.56
  EXPECT_LT(tone.spectral_flatness, 0.05);
  EXPECT_GT(noise.spectral_centroid_hz, 4000);
  EXPECT_FALSE(noise.tempo_bpm.has_value());
  EXPECT_FALSE(noise.key.has_value());
  EXPECT_GT(noise.energy, tone.energy);
}

TEST_F(AudioFeaturesTest, LoudnessFollowsEbuR128) {
  // A 1 kHz sine at -20 dBFS peak, in both channels of a stereo file, reads -20 LUFS
  // within 0.1 LU (EBU Tech 3341's calibration case, -3.01 dB RMS + 3 dB for two channels).
  testing::Signal sine{std::vector<float>(44100 * 10), 1, 44100};
  for (std::size_t i = 0; i < sine.samples.size(); ++i)
    sine.samples[i] = static_cast<float>(0.1 * std::sin(2 * std::numbers::pi * 1000.0 * static_cast<double>(i) / 44100));
  const AudioDescriptors d = Analyze("sine.wav", testing::Spread(sine, 2));
  EXPECT_NEAR(d.loudness_lufs, -20.0, 0.1);
  EXPECT_NEAR(d.loudness_range_lu, 0.0, 0.5);
  EXPECT_NEAR(d.rms_dbfs, -23.01, 0.1);
}

TEST_F(AudioFeaturesTest, OddRatesChannelsAndLengthsAreAnalysed) {
  const testing::Signal clicks = testing::ClickTrack(120, 20, 44100);
  const AudioDescriptors six = Analyze("six.wav", testing::Spread(clicks, 6));
  ASSERT_TRUE(six.tempo_bpm.has_value());
  EXPECT_NEAR(*six.tempo_bpm, 120, 2.4);
  for (int rate : {8000, 192000}) {
    SCOPED_TRACE(rate);
    const AudioDescriptors d = Analyze("rate.wav", testing::ClickTrack(120, 20, rate));
    ASSERT_TRUE(d.tempo_bpm.has_value());
    EXPECT_NEAR(*d.tempo_bpm, 120, 2.4);
    EXPECT_NEAR(d.duration_s, 20, 1e-3);
  }
  const AudioDescriptors clip = Analyze("clip.wav", testing::Chords({{69}}, 0.2));
  EXPECT_NEAR(clip.duration_s, 0.2, 1e-3);
  EXPECT_FALSE(clip.tempo_bpm.has_value());  // too short for a tempo, and that is no error
  EXPECT_GT(clip.spectral_centroid_hz, 300);
}

TEST_F(AudioFeaturesTest, DescriptorsStayOnTheirScalesAndFillTrackFeatures) {
  auto a = analyzer_.Analyze(WriteWav(dir_.File("mix.wav"), testing::ClickTrack(128, 15)));
  ASSERT_TRUE(a.ok());
  const AudioDescriptors& d = a->descriptors;
  for (double v : {d.danceability, d.energy, d.valence, d.acousticness, d.instrumentalness, d.speechiness,
                   d.tempo_confidence, d.beat_strength, d.beat_regularity, d.key_strength}) {
    EXPECT_GE(v, 0);
    EXPECT_LE(v, 1);
  }
  const Track t = ToTrack(*a);
  EXPECT_EQ(t.title, "mix");
  EXPECT_EQ(t.file_path, dir_.File("mix.wav"));
  EXPECT_EQ(t.duration_ms, 15000);
  EXPECT_EQ(t.features.tempo_bpm, d.tempo_bpm);
  EXPECT_EQ(t.features.energy, d.energy);
  EXPECT_EQ(t.features.loudness_db, d.loudness_lufs);
}

TEST_F(AudioFeaturesTest, StopRequestAbandonsTheFile) {
  const std::string path = WriteWav(dir_.File("long.wav"), testing::ClickTrack(120, 10));
  auto a = analyzer_.Analyze(path, {.should_stop = [] { return true; }, .read_cover_art = true});
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().message(), path + ": interrupted");
  EXPECT_TRUE(analyzer_.Analyze(path).ok());  // the analyzer is usable afterwards
}

}  // namespace
}  // namespace emotune
