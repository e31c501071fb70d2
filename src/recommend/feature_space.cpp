#include "emotune/feature_space.h"

#include <cmath>
#include <optional>

namespace emotune {
namespace {

std::array<std::optional<double>, FeatureSpace::kDims> Raw(const AudioFeatures& f) {
  return {f.danceability, f.energy, f.spotify_valence, f.acousticness, f.instrumentalness,
          f.speechiness,  f.liveness, f.loudness_db, f.tempo_bpm};
}

}  // namespace

FeatureSpace FeatureSpace::Fit(std::span<const Track> tracks) {
  FeatureSpace space;
  Point sum{}, sum_sq{}, count{};
  for (const Track& t : tracks) {
    const auto raw = Raw(t.features);
    for (std::size_t d = 0; d < kDims; ++d)
      if (raw[d]) {
        sum[d] += *raw[d];
        sum_sq[d] += *raw[d] * *raw[d];
        count[d] += 1;
      }
  }
  for (std::size_t d = 0; d < kDims; ++d) {
    if (count[d] == 0) continue;
    space.mean_[d] = sum[d] / count[d];
    space.spread_[d] = std::sqrt(std::max(0.0, sum_sq[d] / count[d] - space.mean_[d] * space.mean_[d]));
  }
  return space;
}

FeatureSpace::Point FeatureSpace::Standardise(const AudioFeatures& f) const {
  const auto raw = Raw(f);
  Point p{};
  for (std::size_t d = 0; d < kDims; ++d)
    p[d] = raw[d] && spread_[d] > 0 ? (*raw[d] - mean_[d]) / spread_[d] : 0.0;
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
