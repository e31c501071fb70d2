#include "track_reason.h"

#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace emotune::recommend {
namespace {

// Within ±0.2 of the middle an axis reads as neither side: the features behind a
// point are not precise enough to call 0.1 "bright".
constexpr double kSideThreshold = 0.2;

std::string_view Describe(AffectPoint p) {
  const int v = p.valence > kSideThreshold ? 1 : p.valence < -kSideThreshold ? -1 : 0;
  const int a = p.arousal > kSideThreshold ? 1 : p.arousal < -kSideThreshold ? -1 : 0;
  if (v > 0) return a > 0 ? "bright and upbeat" : a < 0 ? "warm and relaxed" : "bright and easy-going";
  if (v < 0) return a > 0 ? "dark and intense" : a < 0 ? "sombre and slow" : "wistful";
  return a > 0 ? "energetic" : a < 0 ? "mellow and quiet" : "balanced";
}

}  // namespace

std::string TrackReason(const Track& track, const TrackMood& mood) {
  const AudioFeatures& f = track.features;
  std::vector<std::string> parts;
  if (f.spotify_valence) parts.push_back(fmt::format("valence {:.2f}", *f.spotify_valence));
  if (f.energy) parts.push_back(fmt::format("energy {:.2f}", *f.energy));
  if (f.tempo_bpm && *f.tempo_bpm > 0) parts.push_back(fmt::format("{:.0f} BPM", *f.tempo_bpm));
  const bool has_key = f.key && *f.key >= 0 && *f.key <= 11;
  const bool has_mode = f.mode && (*f.mode == 0 || *f.mode == 1);
  if (has_key || has_mode) {
    std::string key = has_key ? std::string(KeyName(*f.key)) : "";
    if (has_mode) key += std::string(key.empty() ? "" : " ") + (*f.mode == 1 ? "major" : "minor");
    parts.push_back(std::move(key));
  }
  return fmt::format("{}{}{}, near {}", fmt::join(parts, ", "), parts.empty() ? "" : " — ", Describe(mood.point),
                     EmotionName(NearestEmotion(mood.point)));
}

}  // namespace emotune::recommend
