#include "emotune/mood_path.h"

namespace emotune {
namespace {

AffectPoint Shifted(AffectPoint p, const PlaylistRequest& request) {
  return ClampedToPlane({p.valence + request.valence_shift, p.arousal + request.energy_shift});
}

// Monotone on [0, 1] with zero slope at both ends: never moves back.
double Smoothstep(double t) { return t * t * (3 - 2 * t); }

}  // namespace

AffectPoint StrategyTarget(const PlaylistRequest& request) {
  const AffectPoint listener = request.mood.point();
  const auto chosen = [&](AffectPoint fallback) {
    if (request.target) return *request.target;
    if (request.target_emotion) return EmotionPlace(*request.target_emotion);
    return fallback;
  };
  switch (request.strategy) {
    case MoodStrategy::kMatch: return listener;
    case MoodStrategy::kUplift: return chosen(EmotionPlace(Emotion::kJoy));
    case MoodStrategy::kCalm: return EmotionPlace(Emotion::kCalm);
    case MoodStrategy::kEnergize: return kEnergizeTarget;
    case MoodStrategy::kTarget: return chosen(listener);
  }
  return listener;
}

std::vector<AffectPoint> PlanMoodPath(const PlaylistRequest& request, std::size_t n) {
  std::vector<AffectPoint> path;
  path.reserve(n);
  const AffectPoint from = Shifted(request.mood.point(), request);
  const AffectPoint to = Shifted(StrategyTarget(request), request);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = n == 1 ? 0.0 : Smoothstep(static_cast<double>(i) / static_cast<double>(n - 1));
    path.push_back(ClampedToPlane({from.valence + t * (to.valence - from.valence),
                                   from.arousal + t * (to.arousal - from.arousal)}));
  }
  return path;
}

}  // namespace emotune
