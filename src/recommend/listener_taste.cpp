#include "listener_taste.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "emotune/track_mood.h"

namespace emotune::recommend {

double ListenerTaste::At(AffectPoint p, std::int64_t id) const {
  double sum = 0;
  for (const auto& [q, weight] : marks) {
    const double d = Distance(p, q) / kTasteRadius;
    sum += weight * std::exp(-d * d);
  }
  return sum + (!recent.empty() && recent.count(id) ? kRecentPush : 0.0);
}

double ListenerTaste::LowerBound(AffectPoint lo, AffectPoint hi) const {
  // Pushes only add, so the bound is the pulls at full strength where the box
  // comes nearest each liked place.
  double sum = 0;
  for (const auto& [q, weight] : marks) {
    if (weight >= 0) continue;
    const double dv = std::max({lo.valence - q.valence, q.valence - hi.valence, 0.0});
    const double da = std::max({lo.arousal - q.arousal, q.arousal - hi.arousal, 0.0});
    const double d = std::sqrt(dv * dv + da * da) / kTasteRadius;
    sum += weight * std::exp(-d * d);
  }
  return sum;
}

Result<ListenerTaste> LoadListenerTaste(CatalogStore& store, const std::string& user, std::size_t history_window) {
  ListenerTaste taste;
  if (user.empty()) return taste;
  if (history_window > 0) {
    auto played = store.RecentlyPlayed(user, history_window);
    if (!played.ok()) return played.status();
    taste.recent.insert(played->begin(), played->end());
  }
  auto events = store.UserFeedback(user);
  if (!events.ok()) return events.status();
  std::map<std::int64_t, FeedbackKind> latest;
  for (const auto& e : *events) latest[e.track_id] = e.kind;
  for (const auto& [id, kind] : latest) {
    auto track = store.GetTrack(id);
    if (!track.ok()) continue;  // feedback on a track since removed
    const TrackMood mood = TrackMoodFromFeatures(track->features);
    if (kind == FeedbackKind::kDislike) taste.disliked.insert(id);
    if (!mood.known) continue;
    const double weight = kind == FeedbackKind::kLike ? -kLikePull : kind == FeedbackKind::kDislike ? kDislikePush : kSkipPush;
    taste.marks.emplace_back(mood.point, weight);
  }
  return taste;
}

}  // namespace emotune::recommend
