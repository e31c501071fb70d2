// The JSON form of a face reading — the mood keys every surface uses plus `faces`
// (box, detection score, emotion, confidence, FER2013 expression probabilities),
// `media` and, for animations and videos, `frames` — shared by `emotune mood --face
// --json` and the HTTP API. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "emotune/face_mood.h"

namespace emotune {

nlohmann::json FaceReadingToJson(const FaceReading& face);
nlohmann::json FaceMoodToJson(const FaceMoodResult& result);

}  // namespace emotune
