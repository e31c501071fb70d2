#include "audio/key_estimator.h"

#include <algorithm>
#include <cmath>

namespace emotune::audio {
namespace {

using Profile = std::array<double, 12>;
// Krumhansl & Kessler 1982, Table 2 (probe-tone ratings, C major / C minor).
constexpr Profile kKrumhanslMajor{6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88};
constexpr Profile kKrumhanslMinor{6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17};
// Temperley 1999, Figure 4 (revised profiles).
constexpr Profile kTemperleyMajor{5.0, 2.0, 3.5, 2.0, 4.5, 4.0, 2.0, 4.5, 2.0, 3.5, 1.5, 4.0};
constexpr Profile kTemperleyMinor{5.0, 2.0, 3.5, 4.5, 2.0, 4.0, 2.0, 4.5, 3.5, 2.0, 1.5, 4.0};

// Pearson correlation of chroma with `profile` transposed to `tonic`.
double Correlation(const Profile& chroma, const Profile& profile, int tonic) {
  double mc = 0, mp = 0;
  for (int i = 0; i < 12; ++i) {
    mc += chroma[static_cast<std::size_t>(i)];
    mp += profile[static_cast<std::size_t>(i)];
  }
  mc /= 12;
  mp /= 12;
  double cov = 0, vc = 0, vp = 0;
  for (int i = 0; i < 12; ++i) {
    const double c = chroma[static_cast<std::size_t>(i)] - mc;
    const double p = profile[static_cast<std::size_t>((i - tonic + 12) % 12)] - mp;
    cov += c * p;
    vc += c * c;
    vp += p * p;
  }
  return vc > 0 && vp > 0 ? cov / std::sqrt(vc * vp) : 0.0;
}

}  // namespace

KeyEstimate EstimateKey(const std::array<double, 12>& chroma) {
  KeyEstimate best;
  const double hi = *std::max_element(chroma.begin(), chroma.end());
  const double lo = *std::min_element(chroma.begin(), chroma.end());
  // A near-flat chroma (noise, drums, silence) correlates with some key by chance.
  if (hi <= 0 || (hi - lo) / hi < 0.1) return best;
  double best_score = -2;
  for (int tonic = 0; tonic < 12; ++tonic) {
    for (int mode = 0; mode < 2; ++mode) {
      const double score = mode == 1
          ? 0.5 * (Correlation(chroma, kKrumhanslMajor, tonic) + Correlation(chroma, kTemperleyMajor, tonic))
          : 0.5 * (Correlation(chroma, kKrumhanslMinor, tonic) + Correlation(chroma, kTemperleyMinor, tonic));
      if (score > best_score) {
        best_score = score;
        best.key = tonic;
        best.mode = mode;
      }
    }
  }
  best.strength = std::clamp(best_score, 0.0, 1.0);
  // White noise's chroma still correlates about 0.2 with some key; music 0.5–0.9.
  if (best.strength < 0.3) best.key = best.mode = std::nullopt;
  return best;
}

}  // namespace emotune::audio
