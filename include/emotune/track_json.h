// The JSON form of a Track, shared by the CLI's --json output, playlist export and the
// HTTP API so every surface names fields the same way. Unknown fields are null.
// Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "emotune/track.h"

namespace emotune {

nlohmann::json TrackToJson(const Track& track);
nlohmann::json AudioFeaturesToJson(const AudioFeatures& features);

}  // namespace emotune
