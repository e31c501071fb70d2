#include "emotune/track_mood.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace emotune {
namespace {

// [lo, hi]-clamped, NaN treated as unknown so one bad cell cannot poison a distance.
std::optional<double> Clamped(std::optional<double> x, double lo, double hi) {
  if (!x || std::isnan(*x)) return std::nullopt;
  return std::clamp(*x, lo, hi);
}

// The point `f` suggests, and whether that is known (valence or energy given).
AffectPoint PlaceOf(const AudioFeatures& f, bool& known) {
  const std::optional<double> valence01 = Clamped(f.spotify_valence, 0, 1);
  const std::optional<double> energy = Clamped(f.energy, 0, 1);
  std::optional<double> tempo_norm, loudness_norm;
  // 60 BPM reads as slow, 180 as as fast as pop gets; a tempo of 0 is "unknown".
  if (f.tempo_bpm && *f.tempo_bpm > 0) tempo_norm = Clamped((*f.tempo_bpm - 60) / 120, 0, 1);
  // −40 dBFS is near-silent ambient, 0 dBFS a brickwalled master.
  if (f.loudness_db) loudness_norm = Clamped((*f.loudness_db + 40) / 40, 0, 1);
  const std::optional<double> dance = Clamped(f.danceability, 0, 1);

  double weighted = 0, weight = 0;
  const auto add = [&](std::optional<double> x, double w) {
    if (!x) return;
    weighted += w * *x;
    weight += w;
  };
  add(energy, kArousalEnergyWeight);
  add(tempo_norm, kArousalTempoWeight);
  add(loudness_norm, kArousalLoudnessWeight);
  add(dance, kArousalDanceabilityWeight);

  known = valence01.has_value() || energy.has_value();
  return {valence01 ? 2 * *valence01 - 1 : 0, weight > 0 ? std::clamp(2 * (weighted / weight) - 1, -1.0, 1.0) : 0};
}

}  // namespace

std::optional<AffectPoint> TrackPlace(const AudioFeatures& f) {
  bool known = false;
  const AffectPoint point = PlaceOf(f, known);
  return known ? std::optional<AffectPoint>(point) : std::nullopt;
}

TrackMood TrackMoodFromFeatures(const AudioFeatures& f) {
  TrackMood mood;
  mood.point = PlaceOf(f, mood.known);
  mood.distribution = DistributionNear(mood.point);
  return mood;
}

}  // namespace emotune
