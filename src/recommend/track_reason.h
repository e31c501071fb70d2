// Why a track is in a playlist, in one line built from its own numbers:
// "valence 0.81, energy 0.74, 128 BPM, A major — bright and upbeat, near joy".
// Internal to the recommend module. Pure; thread-safe.
#pragma once

#include <string>

#include "emotune/track.h"
#include "emotune/track_mood.h"

namespace emotune::recommend {

// The known features (Spotify-scale valence and energy, tempo, key and mode), then a
// description of the track's quadrant of the plane and its nearest emotion.
std::string TrackReason(const Track& track, const TrackMood& mood);

}  // namespace emotune::recommend
