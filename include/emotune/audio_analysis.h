// AudioAnalyzer: one audio file in, its tags, cover art and audio descriptors out —
// what `emotune analyze` prints and what a library scan stores. Scales, formulas and
// the evidence behind each descriptor: docs/audio-features.md.
//
// An analyzer owns its FFT plans and buffers, made once, so analysing many files with
// one analyzer allocates almost nothing per file. One analyzer per thread: Analyze is
// not thread-safe on one object, but separate analyzers run in parallel safely.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "emotune/audio_decoder.h"
#include "emotune/status.h"
#include "emotune/track.h"

namespace emotune {

struct AudioDescriptors {
  double duration_s = 0;                 // decoded samples / sample rate (not the header's claim)

  // Rhythm. tempo_bpm is nullopt when there is no steady pulse to measure (silence,
  // clips shorter than 3 s, a pulse weaker than noise).
  std::optional<double> tempo_bpm;       // beats per minute, 40..240
  double tempo_confidence = 0;           // 0..1: how clearly that period beats the others
  double beat_strength = 0;              // 0..1: how much onsets concentrate on the beat
  double beat_regularity = 0;            // 0..1: onset-envelope autocorrelation at the beat period
  double onset_rate_hz = 0;              // note onsets per second

  // Loudness. EBU R128 (ITU-R BS.1770-4) on the file's own channels.
  double loudness_lufs = -70;            // integrated; -70 is the floor (silence, < 0.4 s)
  double loudness_range_lu = 0;          // EBU Tech 3342 LRA
  double rms_dbfs = -120;                // RMS of the mono downmix, dB re full scale; -120 floor
  double rms = 0;                        // the same, linear 0..1

  // Timbre: means over frames with sound (frames of digital silence are left out).
  double spectral_centroid_hz = 0;
  double spectral_rolloff_hz = 0;        // below it lies 85 % of the spectral energy
  double spectral_flatness = 0;          // 0 (pure tone) .. 1 (white noise), Wiener entropy
  double spectral_flux = 0;              // 0..√2: L2 change of the normalised magnitude spectrum

  // Tonality: nullopt when the chroma is too flat to name a key.
  std::optional<int> key;                // pitch class 0 = C … 11 = B
  std::optional<int> mode;               // 1 = major, 0 = minor
  double key_strength = 0;               // 0..1: correlation with the winning key profile

  // Spotify-style descriptors, 0..1, comparable with imported Spotify features. All
  // are heuristics over the measures above; see docs/audio-features.md.
  double danceability = 0;
  double energy = 0;
  double valence = 0;                    // Spotify's musical positiveness (not the affect-plane valence)
  double acousticness = 0;
  double instrumentalness = 0;
  double speechiness = 0;
};

struct AudioAnalysis {
  std::string path;
  AudioStreamInfo stream;
  AudioTags tags;
  std::optional<CoverArt> cover_art;
  AudioDescriptors descriptors;
  std::int64_t packets_skipped = 0;      // damaged packets decoding stepped over
};

struct AnalysisOptions {
  // Polled between blocks; returning true abandons the file with an IoError
  // "interrupted" (Ctrl-C in a scan).
  std::function<bool()> should_stop;
  bool read_cover_art = true;            // false drops the picture bytes from the result
};

class AudioAnalyzer {
 public:
  AudioAnalyzer();
  ~AudioAnalyzer();
  AudioAnalyzer(const AudioAnalyzer&) = delete;
  AudioAnalyzer& operator=(const AudioAnalyzer&) = delete;

  // Decodes and analyses `path`. Errors name the file (see AudioDecoder::Open).
  Result<AudioAnalysis> Analyze(const std::string& path, const AnalysisOptions& options = {});
  // The same on an already opened decoder (read to its end).
  Result<AudioDescriptors> Analyze(AudioDecoder& decoder, const AnalysisOptions& options = {});

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The descriptors on the catalog's Spotify scales: loudness_db is the integrated
// loudness in LUFS, which for music is within a dB or two of Spotify's loudness.
AudioFeatures ToAudioFeatures(const AudioDescriptors& descriptors);

// A catalog track for an analysed file: file_path, title (the tag or the file name),
// artists (the artist tag, else the album artist), album, year, date, genre, language,
// duration and features. Ids are left for the catalog.
Track ToTrack(const AudioAnalysis& analysis);

}  // namespace emotune
