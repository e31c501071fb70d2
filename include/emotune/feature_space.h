// FeatureSpace: tracks' audio features standardised (z-scores over a catalog), the
// space where k-means clusters and "more like this" measure how alike two tracks
// sound, so that tempo in BPM does not outweigh valence in 0..1. Immutable after
// Fit; thread-safe.
#pragma once

#include <array>
#include <span>

#include "emotune/track.h"

namespace emotune {

class FeatureSpace {
 public:
  // danceability, energy, spotify_valence, acousticness, instrumentalness,
  // speechiness, liveness, loudness_db, tempo_bpm
  static constexpr std::size_t kDims = 9;
  using Point = std::array<double, kDims>;

  // The nine features in their own units, NaN where unknown: the compact form an
  // index keeps while it streams a catalog it cannot hold as Tracks.
  static Point Measure(const AudioFeatures& f);

  // Fits a space one track at a time (Fit over a span is this, in order).
  class Accumulator {
   public:
    void Add(const Point& measured);  // from Measure()
    FeatureSpace Fit() const;

   private:
    Point sum_{}, sum_sq_{}, count_{};
  };

  // Each feature's mean and spread over `tracks`; a track contributes the features
  // it has.
  static FeatureSpace Fit(std::span<const Track> tracks);

  // `f` standardised; a missing feature sits at the mean (0).
  Point Standardise(const AudioFeatures& f) const;
  Point Standardise(const Point& measured) const;  // from Measure(); same values
  // The other way: a point back in the features' own units.
  AudioFeatures Restore(const Point& p) const;

  static double SquaredDistance(const Point& a, const Point& b);

 private:
  Point mean_{}, spread_{};
};

}  // namespace emotune
