// A generated Spotify-style catalog for the recommend benchmark: fixed seed, one
// track at a time (a million Tracks would not fit the memory budget being
// measured), with distributions shaped like real catalogs' — energy and loudness
// correlated, acousticness bimodal, instrumentalness mostly near 0 with a tail near
// 1, speechiness and liveness skewed low, ~50k artists with a few prolific ones,
// genres and years skewed toward the popular and the recent.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>

#include "emotune/track.h"

namespace emotune::bench {

inline constexpr const char* kGenres[] = {"pop",  "rock",  "hip hop", "electronic", "jazz",  "classical", "ambient",
                                          "metal", "folk", "r&b",     "country",    "latin", "indie",     "soul",
                                          "reggae", "blues", "punk",  "funk",       "k-pop", "soundtrack"};
inline constexpr const char* kLanguages[] = {"en", "es", "pt", "fr", "de", "ko", "ja", "it"};

class CatalogGenerator {
 public:
  explicit CatalogGenerator(std::uint64_t seed) : rng_(seed) {}

  Track Next(std::int64_t number) {
    Track t;
    t.external_id = "bench" + std::to_string(number);
    t.title = "Track " + std::to_string(number);
    const auto artist = static_cast<long>(50000 * std::pow(Unit(), 1.6));  // a few prolific artists
    t.artists = {"Artist " + std::to_string(artist)};
    if (Unit() < 0.08) t.artists.push_back("Artist " + std::to_string(static_cast<long>(50000 * Unit())));
    t.genre = kGenres[static_cast<std::size_t>(20 * std::pow(Unit(), 1.8))];
    t.language = kLanguages[static_cast<std::size_t>(8 * std::pow(Unit(), 3))];
    t.release_year = 2024 - static_cast<int>(75 * std::pow(Unit(), 2));
    t.duration_ms = static_cast<std::int64_t>(std::clamp(210000 + 60000 * Normal(), 60000.0, 900000.0));
    t.popularity = static_cast<int>(100 * std::pow(Unit(), 2));
    AudioFeatures& f = t.features;
    const double energy = Clamp01(0.62 + 0.22 * Normal());
    f.energy = energy;
    f.spotify_valence = Clamp01(0.45 + 0.25 * Normal() + 0.2 * (energy - 0.6));
    f.danceability = Clamp01(0.58 + 0.16 * Normal());
    f.acousticness = Unit() < 0.7 ? Clamp01(0.12 * std::abs(Normal()) * (1.3 - energy)) : Clamp01(0.75 + 0.2 * Normal());
    f.instrumentalness = Unit() < 0.8 ? Clamp01(0.01 * std::abs(Normal())) : Clamp01(0.7 + 0.25 * Normal());
    f.speechiness = Clamp01(0.03 + 0.08 * std::pow(Unit(), 3) + 0.02 * std::abs(Normal()));
    f.liveness = Clamp01(0.08 + 0.25 * std::pow(Unit(), 4));
    f.loudness_db = std::clamp(-14 + 10 * (energy - 0.6) + 3 * Normal(), -45.0, 0.0);
    f.tempo_bpm = std::clamp(120 + 28 * Normal(), 55.0, 210.0);
    f.key = static_cast<int>(rng_() % 12);
    f.mode = static_cast<int>(rng_() % 2);
    // A few tracks without valence or energy, as real imports have.
    if (rng_() % 1000 == 0) f.energy.reset(), f.spotify_valence.reset();
    return t;
  }

 private:
  // Portable draws (std::*_distribution differ between standard libraries).
  double Unit() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }
  double Normal() {  // Box–Muller
    const double u = std::max(Unit(), 1e-300), v = Unit();
    return std::sqrt(-2 * std::log(u)) * std::cos(6.283185307179586 * v);
  }
  static double Clamp01(double x) { return std::clamp(x, 0.0, 1.0); }

  std::mt19937_64 rng_;
};

}  // namespace emotune::bench
