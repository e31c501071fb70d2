// Changing a recording's speed (and with it its pitch, as tape does) by linear
// interpolation: the training augmentation and the reader's test-time views.
#pragma once

#include <algorithm>
#include <vector>

namespace emotune::voice {

// `x` played `factor` times faster: shorter and higher.
inline std::vector<float> ChangeSpeed(const std::vector<float>& x, double factor) {
  if (x.empty()) return {};
  const auto n = static_cast<std::size_t>(static_cast<double>(x.size()) / factor);
  std::vector<float> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double at = static_cast<double>(i) * factor;
    const auto k = static_cast<std::size_t>(at);
    const double frac = at - static_cast<double>(k);
    const float a = x[std::min(k, x.size() - 1)], b = x[std::min(k + 1, x.size() - 1)];
    out[i] = static_cast<float>(a + (b - a) * frac);
  }
  return out;
}

}  // namespace emotune::voice
