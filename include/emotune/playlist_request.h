// PlaylistRequest: what a listener asks the recommender for — where they are (a
// MoodEstimate), how to move from there (a MoodStrategy, see DESIGN.md) and what to
// keep to. The chat produces these; the recommender answers them. Plain values;
// thread-safe to copy.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "emotune/emotion.h"
#include "emotune/mood_estimate.h"
#include "emotune/status.h"

namespace emotune {

enum class MoodStrategy {
  kMatch,     // stay near the listener's point
  kUplift,    // the iso principle: start near the listener, step toward a positive target
  kCalm,      // move toward low arousal
  kEnergize,  // move toward high arousal
  kTarget,    // go to the emotion or point the listener picked
};

std::string_view MoodStrategyName(MoodStrategy strategy);  // "match", "uplift", …
// Case-insensitive; unknown names are an InvalidArgument listing the valid ones.
Result<MoodStrategy> ParseMoodStrategy(std::string_view name);

struct PlaylistRequest {
  MoodEstimate mood;                        // where the listener is
  MoodStrategy strategy = MoodStrategy::kMatch;
  std::optional<AffectPoint> target;        // for kTarget (and an explicit uplift goal)
  std::optional<Emotion> target_emotion;    // the named emotion behind `target`, if any
  // Adjustments the listener asked for since the last playlist: "more upbeat" is
  // +energy, "calmer" is −energy; each in [-1, 1], default 0.
  double energy_shift = 0;
  double valence_shift = 0;
  bool something_else = false;  // "something else": same mood, different tracks
  std::string genre;            // "" = any
  std::string artist;           // "" = any
};

}  // namespace emotune
