// The JSON forms of the recommender's answers — a playlist with its path, a
// clustering — shared by the CLI's --json output and the HTTP API. Pure functions;
// thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "emotune/json_writer.h"
#include "emotune/playlist_request.h"
#include "emotune/recommender.h"
#include "emotune/track_clusters.h"

namespace emotune {

// {mood, strategy, path: [[v, a], …], tracks: [track + {mood, waypoint, reason}], note}
void WriteRecommendation(JsonWriter& out, const PlaylistRequest& request, const Recommendation& recommendation);
nlohmann::json RecommendationToJson(const PlaylistRequest& request, const Recommendation& recommendation);

// {k, seed, skipped, iterations, clusters: [{name, emotion, size, valence, arousal, centroid, track_ids}]}
nlohmann::json ClusteringToJson(const ClusterOptions& options, const Clustering& clustering);

}  // namespace emotune
