#include <algorithm>
#include <cmath>

#include "recommend/music_mood_impl.h"

namespace emotune {
namespace {

enum Input : std::size_t {
  kDanceability, kEnergy, kValence, kAcousticness, kInstrumentalness, kSpeechiness,
  kLiveness, kLoudness, kTempo, kDuration, kPopularity, kYear,
};

std::optional<double> Clamped(std::optional<double> x, double lo, double hi) {
  if (!x || std::isnan(*x)) return std::nullopt;
  return std::clamp(*x, lo, hi);
}

std::optional<double> Positive(std::optional<double> x) {
  if (!x || !(*x > 0) || std::isinf(*x)) return std::nullopt;
  return x;
}

// log(x) of a 0..1 share floored at 1%: speechiness and liveness are skewed, with
// their information in ratios near the bottom of the scale.
std::optional<double> LogShare(std::optional<double> x) {
  if (!x) return std::nullopt;
  return std::log(std::max(*x, 0.01));
}

// Old and new releases mean different things per mood (data_moods' Happy tracks
// reach back decades, Energetic ones cluster after 2000), which a linear model sees
// only through hinges.
std::optional<double> YearsBefore(std::optional<double> year, double pivot) {
  if (!year) return std::nullopt;
  return std::max(0.0, pivot - *year);
}

std::optional<double> Log(std::optional<double> x) {
  if (!x) return std::nullopt;
  return std::log(*x);
}

}  // namespace

MusicMoodInputs ReadMusicMoodInputs(const Track& t) {
  const AudioFeatures& f = t.features;
  const auto as_double = [](const auto& v) { return v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt; };
  MusicMoodInputs in;
  in[kDanceability] = Clamped(f.danceability, 0, 1);
  in[kEnergy] = Clamped(f.energy, 0, 1);
  in[kValence] = Clamped(f.spotify_valence, 0, 1);
  in[kAcousticness] = Clamped(f.acousticness, 0, 1);
  in[kInstrumentalness] = Clamped(f.instrumentalness, 0, 1);
  in[kSpeechiness] = Clamped(f.speechiness, 0, 1);
  in[kLiveness] = Clamped(f.liveness, 0, 1);
  in[kLoudness] = Clamped(f.loudness_db, -60, 5);
  // Beyond these the value is a detection error, and extrapolating a log from it
  // would let one bad cell decide the mood.
  in[kTempo] = Clamped(Positive(f.tempo_bpm), 30, 250);
  in[kDuration] = Clamped(Positive(as_double(t.duration_ms)), 10'000, 3'600'000);
  in[kPopularity] = Clamped(as_double(t.popularity), 0, 100);
  in[kYear] = Clamped(as_double(t.release_year), 1900, 2100);
  return in;
}

int CountKnown(const MusicMoodInputs& inputs) {
  return static_cast<int>(std::count_if(inputs.begin(), inputs.end(), [](const auto& x) { return x.has_value(); }));
}

bool IsReadable(const MusicMoodInputs& inputs, int min_known) {
  return CountKnown(inputs) >= min_known && (inputs[kEnergy] || inputs[kValence]);
}

MusicMoodFeatures EngineerMusicMoodFeatures(const MusicMoodInputs& in) {
  const auto seconds = in[kDuration] ? std::optional<double>(*in[kDuration] / 1000) : std::nullopt;
  return {in[kDanceability],
          in[kEnergy],
          in[kValence],
          in[kAcousticness],
          in[kInstrumentalness],
          in[kSpeechiness],
          LogShare(in[kSpeechiness]),
          in[kLiveness],
          LogShare(in[kLiveness]),
          in[kLoudness],
          Log(in[kTempo]),
          Log(seconds),
          in[kPopularity],
          in[kYear],
          YearsBefore(in[kYear], 2010),
          YearsBefore(in[kYear], 2000)};
}

}  // namespace emotune
