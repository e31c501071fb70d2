#include "emotune/affect_json.h"

#include <string>

namespace emotune {

nlohmann::json MoodToJson(const MoodEstimate& m) {
  nlohmann::json distribution = nlohmann::json::object();
  for (Emotion e : AllEmotions()) distribution[std::string(EmotionName(e))] = m.distribution[EmotionIndex(e)];
  return {{"emotion", EmotionName(m.dominant())},
          {"confidence", m.confidence},
          {"valence", m.valence},
          {"arousal", m.arousal},
          {"distribution", distribution}};
}

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
