// A one-line progress bar on stderr for work longer than a second: count, rate and
// ETA. Silent when stderr is not a terminal, so scripts and logs stay clean.
// Not thread-safe; update it from one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace emotune::cli {

class ProgressBar {
 public:
  explicit ProgressBar(std::string unit);
  ~ProgressBar();
  // `done` units so far; `fraction` of the whole in 0..1, or negative if unknown.
  void Update(std::int64_t done, double fraction);
  void Finish();

 private:
  std::string unit_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace emotune::cli
