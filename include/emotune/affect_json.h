// The JSON forms of affect values, shared by the CLI's --json output and the HTTP API
// so every surface names fields the same way. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "emotune/emotion.h"
#include "emotune/json_writer.h"
#include "emotune/mood_estimate.h"
#include "emotune/playlist_request.h"

namespace emotune {

// {emotion, confidence, valence, arousal, distribution: {joy: p, …}}
void WriteMood(JsonWriter& out, const MoodEstimate& mood);
nlohmann::json MoodToJson(const MoodEstimate& mood);
// [valence, arousal]
void WritePoint(JsonWriter& out, AffectPoint point);
nlohmann::json PointToJson(AffectPoint point);
// {strategy, emotion, valence, arousal, confidence, energy_shift, valence_shift,
//  something_else, genre, target?: {valence, arousal}, target_emotion?}
nlohmann::json PlaylistRequestToJson(const PlaylistRequest& request);

}  // namespace emotune
