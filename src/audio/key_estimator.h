// Key and mode from a mean chroma vector: Pearson correlation with the 24 rotations of
// two published key profiles — Krumhansl & Kessler's probe-tone ratings (1982) and
// Temperley's corpus-derived revision (1999, "What's key for key?") — averaged, since
// each errs on different keys (KK favours minor; Temperley sharpens the leading tone).
#pragma once

#include <array>
#include <optional>

namespace emotune::audio {

struct KeyEstimate {
  std::optional<int> key;   // 0 = C … 11 = B; nullopt for a chroma with no tonal centre
  std::optional<int> mode;  // 1 major, 0 minor
  double strength = 0;      // the winning mean correlation, clamped to 0..1
};

KeyEstimate EstimateKey(const std::array<double, 12>& chroma);

}  // namespace emotune::audio
