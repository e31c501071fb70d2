// Mood paths: the sequence of points in the affect plane a playlist should pass
// through, one waypoint per slot, for a PlaylistRequest's strategy (DESIGN.md,
// "Strategies"). The recommender then fills each slot with a track near its waypoint.
//
// Pure functions: thread-safe.
#pragma once

#include <cstddef>
#include <vector>

#include "emotune/emotion.h"
#include "emotune/playlist_request.h"

namespace emotune {

// Where kEnergize heads: high arousal on the pleasant side. Not an emotion's place
// because "surprise" (0.61, 0.68) is not what "pump me up" means, and going past
// it toward the arousal pole keeps the path clearly climbing.
inline constexpr AffectPoint kEnergizeTarget{0.5, 0.85};

// The point a strategy heads for, before the request's shifts:
//   match    the listener's point (no movement)
//   uplift   request.target, else request.target_emotion's place, else joy's place
//   calm     calm's place
//   energize kEnergizeTarget
//   target   request.target, else request.target_emotion's place, else the
//            listener's point (nothing to head for: the playlist matches)
AffectPoint StrategyTarget(const PlaylistRequest& request);

// `n` waypoints for `request`. The first is always the listener's point; each later
// one moves along the straight line toward StrategyTarget with a smoothstep ease
// (3t² − 2t³), so the playlist lingers near the listener before moving and settles
// at the target — it reaches the target at the last slot and never steps back (the
// iso principle: meet the mood first, then lead it). For match every waypoint is the
// listener's point. With n == 1 the one waypoint is the listener's point.
//
// The request's energy_shift (arousal) and valence_shift move the whole path, so
// "more upbeat" after a playlist lifts every slot. Every waypoint is clamped to
// [-1, 1] on both axes. n == 0 gives an empty path.
std::vector<AffectPoint> PlanMoodPath(const PlaylistRequest& request, std::size_t n);

}  // namespace emotune
