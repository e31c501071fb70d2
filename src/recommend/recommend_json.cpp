#include "emotune/recommend_json.h"

#include "emotune/affect_json.h"
#include "emotune/track_json.h"

namespace emotune {

void WriteRecommendation(JsonWriter& out, const PlaylistRequest& request, const Recommendation& rec) {
  out.BeginObject();
  out.Key("mood");
  WriteMood(out, request.mood);
  out.Key("strategy").String(MoodStrategyName(request.strategy));
  out.Key("path").BeginArray();
  for (AffectPoint p : rec.path) WritePoint(out, p);
  out.EndArray();
  out.Key("tracks").BeginArray();
  for (const PlaylistSlot& slot : rec.slots) {
    out.BeginObject();
    WriteTrackMembers(out, slot.track);
    out.Key("mood").BeginObject();
    out.Key("valence").Number(slot.mood.point.valence);
    out.Key("arousal").Number(slot.mood.point.arousal);
    out.Key("emotion").String(EmotionName(NearestEmotion(slot.mood.point)));
    out.EndObject();
    out.Key("waypoint");
    WritePoint(out, slot.waypoint);
    out.Key("reason").String(slot.reason);
    out.EndObject();
  }
  out.EndArray();
  out.Key("note").String(rec.note);
  out.EndObject();
}

nlohmann::json RecommendationToJson(const PlaylistRequest& request, const Recommendation& rec) {
  JsonWriter out(1024 * (rec.slots.size() + 1));
  WriteRecommendation(out, request, rec);
  return nlohmann::json::parse(out.text());
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
