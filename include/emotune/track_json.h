// The JSON form of a Track, shared by the CLI's --json output, playlist export and the
// HTTP API so every surface names fields the same way. Unknown fields are null.
// The Write… forms write into a JsonWriter; the …ToJson forms give the same as a tree.
// Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "emotune/json_writer.h"
#include "emotune/track.h"

namespace emotune {

void WriteTrack(JsonWriter& out, const Track& track);
// The track's keys and values without the braces, for answers that add their own keys.
void WriteTrackMembers(JsonWriter& out, const Track& track);
nlohmann::json TrackToJson(const Track& track);
void WriteAudioFeatures(JsonWriter& out, const AudioFeatures& features);
nlohmann::json AudioFeaturesToJson(const AudioFeatures& features);

}  // namespace emotune
