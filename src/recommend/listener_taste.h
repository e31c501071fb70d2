// ListenerTaste: a listener's feedback and history as a field over the affect plane
// that bends the recommender's distances (likes pull, skips and dislikes push,
// recent plays are held back). Internal to the recommend module. Immutable once
// loaded; thread-safe to read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "emotune/catalog_store.h"
#include "emotune/emotion.h"
#include "emotune/status.h"

namespace emotune::recommend {

// How feedback bends distances in the affect plane. A liked track pulls the tracks
// around it (within ~0.2) up to 0.15 nearer every waypoint; a dislike pushes them up
// to 0.25 away, a skip 0.08. Sized against the plane's scale: 0.15 is about the gap
// between neighbouring emotions' places.
inline constexpr double kTasteRadius = 0.2, kLikePull = 0.15, kDislikePush = 0.25, kSkipPush = 0.08;
// A recently played track is pushed further than any two points of the plane are
// apart (2√2), so it is chosen only when nothing else can fill the slot.
inline constexpr double kRecentPush = 3.0;

struct ListenerTaste {
  std::vector<std::pair<AffectPoint, double>> marks;  // a feedback track's place and its weight
  std::unordered_set<std::int64_t> disliked;
  std::unordered_set<std::int64_t> recent;  // played lately: a last resort

  // No feedback and no history: At is 0 everywhere.
  bool empty() const { return marks.empty() && recent.empty(); }
  // The bend at `p` (< 0 pulls nearer, > 0 pushes away), history included.
  double At(AffectPoint p, std::int64_t id) const;
  // A value At never goes below for any track placed in the box [lo, hi]: the
  // index's searches prune with it.
  double LowerBound(AffectPoint lo, AffectPoint hi) const;
};

// The listener's feedback as marks in the plane (the latest word on a track
// counts) and their `history_window` most recent plays. Empty for user "".
Result<ListenerTaste> LoadListenerTaste(CatalogStore& store, const std::string& user, std::size_t history_window);

}  // namespace emotune::recommend
