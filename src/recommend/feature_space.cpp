#include "emotune/feature_space.h"

#include <cmath>
#include <algorithm>
#include <limits>
#include <optional>

namespace emotune {

FeatureSpace::Point FeatureSpace::Measure(const AudioFeatures& f) {
  const std::array<std::optional<double>, kDims> raw = {
      f.danceability, f.energy, f.spotify_valence, f.acousticness, f.instrumentalness,
      f.speechiness,  f.liveness, f.loudness_db, f.tempo_bpm};
  Point p;
  for (std::size_t d = 0; d < kDims; ++d) p[d] = raw[d] ? *raw[d] : std::numeric_limits<double>::quiet_NaN();
  return p;
}

void FeatureSpace::Accumulator::Add(const Point& measured) {
  for (std::size_t d = 0; d < kDims; ++d)
    if (!std::isnan(measured[d])) {
      sum_[d] += measured[d];
      sum_sq_[d] += measured[d] * measured[d];
      count_[d] += 1;
    }
}

FeatureSpace FeatureSpace::Accumulator::Fit() const {
  FeatureSpace space;
  for (std::size_t d = 0; d < kDims; ++d) {
    if (count_[d] == 0) continue;
    space.mean_[d] = sum_[d] / count_[d];
    space.spread_[d] = std::sqrt(std::max(0.0, sum_sq_[d] / count_[d] - space.mean_[d] * space.mean_[d]));
  }
  return space;
}

FeatureSpace FeatureSpace::Fit(std::span<const Track> tracks) {
  Accumulator acc;
  for (const Track& t : tracks) acc.Add(Measure(t.features));
  return acc.Fit();
}

FeatureSpace::Point FeatureSpace::Standardise(const AudioFeatures& f) const { return Standardise(Measure(f)); }

FeatureSpace::Point FeatureSpace::Standardise(const Point& measured) const {
  Point p{};
  for (std::size_t d = 0; d < kDims; ++d)
    p[d] = !std::isnan(measured[d]) && spread_[d] > 0 ? (measured[d] - mean_[d]) / spread_[d] : 0.0;
  return p;
}

AudioFeatures FeatureSpace::Restore(const Point& p) const {
  Point v;
  for (std::size_t d = 0; d < kDims; ++d) v[d] = p[d] * spread_[d] + mean_[d];
  AudioFeatures f;
  f.danceability = v[0];
  f.energy = v[1];
  f.spotify_valence = v[2];
  f.acousticness = v[3];
  f.instrumentalness = v[4];
  f.speechiness = v[5];
  f.liveness = v[6];
  f.loudness_db = v[7];
  f.tempo_bpm = v[8];
  return f;
}

double FeatureSpace::SquaredDistance(const Point& a, const Point& b) {
  double sum = 0;
  for (std::size_t d = 0; d < kDims; ++d) sum += (a[d] - b[d]) * (a[d] - b[d]);
  return sum;
}

}  // namespace emotune
