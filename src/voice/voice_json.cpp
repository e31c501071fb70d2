#include "emotune/voice_json.h"

#include "emotune/affect_json.h"
#include "emotune/label_map.h"

namespace emotune {
namespace {

nlohmann::json Ravdess(const RavdessProbabilities& p) {
  nlohmann::json out = nlohmann::json::object();
  const auto labels = Labels(LabelSet::kRavdess);
  for (std::size_t k = 0; k < labels.size(); ++k) out[std::string(labels[k])] = p[k];
  return out;
}

}  // namespace

nlohmann::json VoiceMoodToJson(const VoiceMoodResult& result) {
  nlohmann::json out = MoodToJson(result.mood);
  out["ravdess"] = Ravdess(result.probabilities);
  nlohmann::json utterances = nlohmann::json::array();
  for (const UtteranceReading& u : result.utterances)
    utterances.push_back({{"start_s", u.start_s},
                          {"end_s", u.end_s},
                          {"emotion", std::string(EmotionName(u.mood.dominant()))},
                          {"confidence", u.mood.confidence},
                          {"ravdess", Ravdess(u.probabilities)}});
  out["utterances"] = std::move(utterances);
  out["audio"] = {{"seconds", result.seconds},
                  {"speech_seconds", result.speech_seconds},
                  {"source_rate", result.source_rate},
                  {"source_channels", result.source_channels},
                  {"codec", result.codec},
                  {"truncated", result.truncated},
                  {"narrowband", result.narrowband},
                  {"clipped_fraction", result.clipped_fraction}};
  out["notes"] = result.notes;
  return out;
}

}  // namespace emotune
