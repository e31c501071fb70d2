#include "emotune/playlist_request.h"

#include <array>

#include <fmt/format.h>

#include "emotune/ascii_text.h"

namespace emotune {
namespace {
constexpr std::array<std::pair<MoodStrategy, std::string_view>, 5> kNames = {{
    {MoodStrategy::kMatch, "match"},
    {MoodStrategy::kUplift, "uplift"},
    {MoodStrategy::kCalm, "calm"},
    {MoodStrategy::kEnergize, "energize"},
    {MoodStrategy::kTarget, "target"},
}};
}  // namespace

std::string_view MoodStrategyName(MoodStrategy strategy) {
  for (const auto& [s, name] : kNames)
    if (s == strategy) return name;
  return "?";
}

Result<MoodStrategy> ParseMoodStrategy(std::string_view name) {
  const std::string wanted = AsciiLower(TrimSpace(name));
  for (const auto& [s, n] : kNames)
    if (n == wanted) return s;
  return Status::InvalidArgument(
      fmt::format("unknown strategy '{}' (use match, uplift, calm, energize or target)", name));
}

}  // namespace emotune
