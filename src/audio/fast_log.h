// log2 to about 1e-6 absolute error, for the thousands of logarithms per frame that
// flatness and onset strength take: features that average over bins and frames do
// not need libm's last ulp, and this is several times faster and vectorises.
#pragma once

#include <bit>
#include <cstdint>

namespace emotune::audio {

// x > 0, finite and normal; callers add a floor before calling.
inline float FastLog2(float x) {
  auto bits = std::bit_cast<std::uint32_t>(x);
  int exponent = static_cast<int>((bits >> 23) & 0xff) - 127;
  bits = (bits & 0x007fffffu) | 0x3f800000u;  // mantissa m in [1, 2)
  float m = std::bit_cast<float>(bits);
  if (m > 1.41421356f) {  // centre on 1 so the series below converges fast
    m *= 0.5f;
    exponent += 1;
  }
  // log2(m) = 2/ln2 · atanh(t), t = (m-1)/(m+1), |t| <= 0.172: four odd terms suffice.
  const float t = (m - 1.0f) / (m + 1.0f);
  const float t2 = t * t;
  const float series = t * (2.0f + t2 * (2.0f / 3.0f + t2 * (2.0f / 5.0f + t2 * (2.0f / 7.0f))));
  return static_cast<float>(exponent) + series * 1.44269504f;
}

}  // namespace emotune::audio
