#include "emotune/face_json.h"

#include <string>

#include "emotune/affect_json.h"
#include "emotune/label_map.h"

namespace emotune {

nlohmann::json FaceReadingToJson(const FaceReading& face) {
  nlohmann::json probabilities = nlohmann::json::object();
  const auto labels = Labels(LabelSet::kFer2013);
  for (std::size_t i = 0; i < labels.size(); ++i) probabilities[std::string(labels[i])] = face.probabilities[i];
  return {{"box", {{"x", face.box.x}, {"y", face.box.y}, {"width", face.box.width}, {"height", face.box.height}}},
          {"detection_score", face.detection_score},
          {"emotion", EmotionName(face.mood.dominant())},
          {"confidence", face.mood.confidence},
          {"expression", probabilities}};
}

nlohmann::json FaceMoodToJson(const FaceMoodResult& result) {
  nlohmann::json j = MoodToJson(result.mood);
  nlohmann::json faces = nlohmann::json::array(), frames = nlohmann::json::array();
  for (const FrameReading& frame : result.frames) {
    nlohmann::json frame_faces = nlohmann::json::array();
    for (const FaceReading& face : frame.faces) {
      nlohmann::json f = FaceReadingToJson(face);
      frame_faces.push_back(f);
      f["time_s"] = frame.time_s;
      faces.push_back(std::move(f));
    }
    frames.push_back({{"time_s", frame.time_s}, {"faces", std::move(frame_faces)},
                      {"smoothed", MoodToJson(frame.smoothed)}});
  }
  j["faces"] = std::move(faces);
  j["media"] = result.media;
  if (result.frames.size() > 1) j["frames"] = std::move(frames);
  return j;
}

}  // namespace emotune
