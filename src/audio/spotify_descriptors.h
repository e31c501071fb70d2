// The Spotify-style 0..1 descriptors (danceability, energy, valence, acousticness,
// instrumentalness, speechiness) from the measured ones. Spotify never published its
// models; these are transparent heuristics built on the measures the literature links
// to each perceptual quality. Formulas and evidence: docs/audio-features.md.
#pragma once

#include "emotune/audio_analysis.h"

namespace emotune::audio {

struct SpeechCues {
  // Share of frames more than 10 dB below the track's mean frame energy: speech pauses
  // between words and phrases; most music keeps sounding.
  double low_energy_ratio = 0;
  bool has_sound = false;
};

// Reads the measured fields of `d` and fills its six 0..1 descriptors.
void FillSpotifyStyleDescriptors(const SpeechCues& cues, AudioDescriptors& d);

}  // namespace emotune::audio
