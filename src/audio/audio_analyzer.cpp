// The pipeline: decode in blocks → loudness on the file's channels, one shared STFT on
// the mono analysis signal → per-frame shape, onset strength and chroma → per-track
// tempo, key and the Spotify-style descriptors. Per-frame state is a few floats, so a
// 3-hour file costs a few MB (the onset envelope and frame energies) beyond the
// decoder's buffers.
#include "emotune/audio_analysis.h"

#include <cmath>
#include <numeric>

#include "audio/frame_spectrum.h"
#include "audio/key_estimator.h"
#include "audio/loudness_meter.h"
#include "audio/onset_strength.h"
#include "audio/pitch_class_profile.h"
#include "audio/spectral_shape.h"
#include "audio/spotify_descriptors.h"
#include "audio/tempo_estimator.h"

namespace emotune {

using namespace audio;

struct AudioAnalyzer::State {
  static constexpr double kRate = kAnalysisSampleRate;
  FrameSpectrum spectrum{FrameSpectrumConfig{}};
  SpectralShape shape{SpectralShapeConfig{.sample_rate = kRate}, spectrum.bins()};
  OnsetStrength onset{OnsetStrengthConfig{.sample_rate = kRate}, spectrum.bins()};
  PitchClassProfile chroma{PitchClassProfileConfig{.sample_rate = kRate}, spectrum.bins()};
  TempoEstimator tempo{TempoConfig{.frames_per_second = kRate / spectrum.hop_size()}};
  std::vector<float> magnitude = std::vector<float>(spectrum.bins());
  std::vector<float> envelope, frame_energy;

  void Reset() {
    spectrum.Reset();
    shape.Reset();
    onset.Reset();
    chroma.Reset();
    envelope.clear();
    frame_energy.clear();
  }

  void DrainFrames() {
    while (spectrum.Pop(magnitude)) {
      const SpectralShapeFrame f = shape.Compute(magnitude);
      frame_energy.push_back(f.energy);
      envelope.push_back(onset.Compute(magnitude));
      chroma.Add(magnitude);
    }
  }
};

AudioAnalyzer::AudioAnalyzer() : state_(std::make_unique<State>()) {}
AudioAnalyzer::~AudioAnalyzer() = default;

namespace {

// Share of frames more than 10 dB below the mean frame energy.
double LowEnergyRatio(const std::vector<float>& energy) {
  if (energy.empty()) return 0;
  const double mean = std::accumulate(energy.begin(), energy.end(), 0.0) / static_cast<double>(energy.size());
  if (mean <= 0) return 0;
  const auto low = std::count_if(energy.begin(), energy.end(), [&](float e) { return e < 0.1 * mean; });
  return static_cast<double>(low) / static_cast<double>(energy.size());
}

}  // namespace

Result<AudioDescriptors> AudioAnalyzer::Analyze(AudioDecoder& decoder, const AnalysisOptions& options) {
  State& s = *state_;
  s.Reset();
  auto meter = LoudnessMeter::Create(decoder.info().sample_rate, decoder.channel_roles());
  if (!meter.ok()) return meter.status();
  double sum_squares = 0;
  std::int64_t mono_samples = 0;
  DecodedBlock block;
  while (true) {
    if (options.should_stop && options.should_stop()) return Status::IoError("interrupted");
    auto more = decoder.Next(block);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (Status st = meter->Add(block.interleaved); !st.ok()) return st;
    for (float v : block.mono) sum_squares += static_cast<double>(v) * v;
    mono_samples += static_cast<std::int64_t>(block.mono.size());
    s.spectrum.Push(block.mono);
    s.DrainFrames();
  }
  s.spectrum.Finish();
  s.DrainFrames();

  AudioDescriptors d;
  d.duration_s = static_cast<double>(decoder.frames_decoded()) / decoder.info().sample_rate;
  const LoudnessReading loudness = meter->Read();
  d.loudness_lufs = loudness.integrated_lufs;
  d.loudness_range_lu = loudness.range_lu;
  d.rms = mono_samples > 0 ? std::sqrt(sum_squares / static_cast<double>(mono_samples)) : 0.0;
  d.rms_dbfs = d.rms > 1e-6 ? 20.0 * std::log10(d.rms) : -120.0;

  const SpectralShapeSummary shape = s.shape.Summary();
  d.spectral_centroid_hz = shape.centroid_hz;
  d.spectral_rolloff_hz = shape.rolloff_hz;
  d.spectral_flatness = shape.flatness;
  d.spectral_flux = shape.flux;

  const double fps = State::kRate / s.spectrum.hop_size();
  d.onset_rate_hz = OnsetRate(s.envelope, fps);
  const TempoEstimate tempo = s.tempo.Estimate(s.envelope);
  d.tempo_bpm = tempo.bpm;
  d.tempo_confidence = tempo.confidence;
  d.beat_regularity = tempo.regularity;
  d.beat_strength = tempo.beat_strength;

  const KeyEstimate key = EstimateKey(s.chroma.Mean());
  d.key = key.key;
  d.mode = key.mode;
  d.key_strength = key.strength;

  FillSpotifyStyleDescriptors({.low_energy_ratio = LowEnergyRatio(s.frame_energy), .has_sound = shape.sounding_frames > 0}, d);
  return d;
}

Result<AudioAnalysis> AudioAnalyzer::Analyze(const std::string& path, const AnalysisOptions& options) {
  auto decoder = AudioDecoder::Open(path);
  if (!decoder.ok()) return decoder.status();
  AudioAnalysis analysis;
  analysis.path = path;
  analysis.stream = (*decoder)->info();
  analysis.tags = (*decoder)->tags();
  if (options.read_cover_art) analysis.cover_art = (*decoder)->cover_art();
  auto descriptors = Analyze(**decoder, options);
  if (!descriptors.ok()) {
    const Status& st = descriptors.status();
    // Decoder errors already name the file; the analysis's own do not.
    return st.message().rfind(path, 0) == 0 ? st : st.WithContext(path + ": ");
  }
  analysis.descriptors = std::move(*descriptors);
  analysis.packets_skipped = (*decoder)->packets_skipped();
  return analysis;
}

AudioFeatures ToAudioFeatures(const AudioDescriptors& d) {
  AudioFeatures f;
  f.danceability = d.danceability;
  f.energy = d.energy;
  f.spotify_valence = d.valence;
  f.acousticness = d.acousticness;
  f.instrumentalness = d.instrumentalness;
  f.speechiness = d.speechiness;
  f.loudness_db = d.loudness_lufs;
  f.tempo_bpm = d.tempo_bpm;
  f.key = d.key;
  f.mode = d.mode;
  return f;
}

Track ToTrack(const AudioAnalysis& a) {
  Track t;
  t.file_path = a.path;
  t.title = a.tags.title;
  if (!a.tags.artist.empty()) t.artists.push_back(a.tags.artist);
  else if (!a.tags.album_artist.empty()) t.artists.push_back(a.tags.album_artist);
  t.album = a.tags.album;
  t.release_year = a.tags.year;
  t.release_date = a.tags.date;
  t.genre = a.tags.genre;
  t.language = a.tags.language;
  t.duration_ms = std::llround(a.descriptors.duration_s * 1000.0);
  t.features = ToAudioFeatures(a.descriptors);
  return t;
}

}  // namespace emotune
