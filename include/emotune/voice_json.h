// The JSON form of a voice reading — the mood keys every surface uses (MoodToJson:
// emotion, confidence, valence, arousal, distribution) plus `ravdess` (the model's
// eight probabilities), `utterances` (start_s, end_s, emotion, confidence), `audio`
// (seconds, speech_seconds, source rate, channels, codec, truncated, narrowband,
// clipped_fraction) and `notes` — shared by `emotune mood --voice --json` and the
// HTTP API. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "emotune/voice_mood.h"

namespace emotune {

nlohmann::json VoiceMoodToJson(const VoiceMoodResult& result);

}  // namespace emotune
