#include "progress_bar.h"

#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

namespace emotune::cli {

ProgressBar::ProgressBar(std::string unit) : unit_(std::move(unit)), enabled_(::isatty(STDERR_FILENO) == 1) {}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::Update(std::int64_t done, double fraction) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (elapsed < 1.0 || now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double rate = done / elapsed;
  std::string line;
  if (fraction >= 0) {
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(fraction * kWidth + 0.5);
    const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
    line = fmt::format("[{}{}] {:3.0f}% {} {} {:.0f} {}/s ETA {:.0f}s", std::string(filled, '#'),
                       std::string(kWidth - filled, ' '), fraction * 100, done, unit_, rate, unit_, eta);
  } else {
    line = fmt::format("{} {} {:.0f} {}/s", done, unit_, rate, unit_);
  }
  fmt::print(stderr, "\r{}\x1b[K", line);
  drawn_ = true;
}

void ProgressBar::Finish() {
  if (drawn_) fmt::print(stderr, "\r\x1b[K");
  drawn_ = false;
}

}  // namespace emotune::cli
