#include "emotune/recommend_json.h"

#include "emotune/affect_json.h"
#include "emotune/track_json.h"

namespace emotune {

nlohmann::json RecommendationToJson(const PlaylistRequest& request, const Recommendation& rec) {
  nlohmann::json path = nlohmann::json::array(), tracks = nlohmann::json::array();
  for (AffectPoint p : rec.path) path.push_back(PointToJson(p));
  for (const PlaylistSlot& slot : rec.slots) {
    nlohmann::json t = TrackToJson(slot.track);
    t["mood"] = {{"valence", slot.mood.point.valence},
                 {"arousal", slot.mood.point.arousal},
                 {"emotion", EmotionName(NearestEmotion(slot.mood.point))}};
    t["waypoint"] = PointToJson(slot.waypoint);
    t["reason"] = slot.reason;
    tracks.push_back(std::move(t));
  }
  return {{"mood", MoodToJson(request.mood)},
          {"strategy", MoodStrategyName(request.strategy)},
          {"path", std::move(path)},
          {"tracks", std::move(tracks)},
          {"note", rec.note}};
}

nlohmann::json ClusteringToJson(const ClusterOptions& options, const Clustering& clustering) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& c : clustering.clusters)
    list.push_back({{"name", c.name},
                    {"emotion", EmotionName(c.emotion)},
                    {"size", c.track_ids.size()},
                    {"valence", c.mood.valence},
                    {"arousal", c.mood.arousal},
                    {"centroid", AudioFeaturesToJson(c.centroid)},
                    {"track_ids", c.track_ids}});
  return {{"k", options.k}, {"seed", options.seed}, {"skipped", clustering.skipped},
          {"iterations", clustering.iterations}, {"clusters", std::move(list)}};
}

}  // namespace emotune
