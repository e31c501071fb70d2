#include "emotune/affect_json.h"

#include <string>

namespace emotune {

void WriteMood(JsonWriter& out, const MoodEstimate& m) {
  out.BeginObject();
  out.Key("emotion").String(EmotionName(m.dominant()));
  out.Key("confidence").Number(m.confidence);
  out.Key("valence").Number(m.valence);
  out.Key("arousal").Number(m.arousal);
  out.Key("distribution").BeginObject();
  for (Emotion e : AllEmotions()) out.Key(EmotionName(e)).Number(m.distribution[EmotionIndex(e)]);
  out.EndObject().EndObject();
}

nlohmann::json MoodToJson(const MoodEstimate& m) {
  JsonWriter out;
  WriteMood(out, m);
  return nlohmann::json::parse(out.text());
}

void WritePoint(JsonWriter& out, AffectPoint p) { out.BeginArray().Number(p.valence).Number(p.arousal).EndArray(); }

nlohmann::json PointToJson(AffectPoint p) { return nlohmann::json::array({p.valence, p.arousal}); }

nlohmann::json PlaylistRequestToJson(const PlaylistRequest& r) {
  nlohmann::json j = {{"strategy", MoodStrategyName(r.strategy)},
                      {"emotion", EmotionName(r.mood.dominant())},
                      {"valence", r.mood.valence},
                      {"arousal", r.mood.arousal},
                      {"confidence", r.mood.confidence},
                      {"energy_shift", r.energy_shift},
                      {"valence_shift", r.valence_shift},
                      {"something_else", r.something_else},
                      {"genre", r.genre}};
  if (r.target) j["target"] = {{"valence", r.target->valence}, {"arousal", r.target->arousal}};
  if (r.target_emotion) j["target_emotion"] = EmotionName(*r.target_emotion);
  return j;
}

}  // namespace emotune
