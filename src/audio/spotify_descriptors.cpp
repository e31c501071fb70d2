#include "audio/spotify_descriptors.h"

#include <algorithm>
#include <cmath>

namespace emotune::audio {
namespace {
double Unit(double x) { return std::clamp(x, 0.0, 1.0); }
}  // namespace

void FillSpotifyStyleDescriptors(const SpeechCues& cues, AudioDescriptors& d) {
  if (!cues.has_sound) {
    d.danceability = d.energy = d.valence = d.acousticness = d.instrumentalness = d.speechiness = 0;
    return;
  }
  // Normalised cues. Anchors: commercial masters sit near -8 LUFS, quiet acoustic and
  // classical recordings near -20 to -25; a dull mix has its centroid near 800 Hz, a
  // bright one near 3.5 kHz (at our 22 kHz analysis rate); 5 onsets/s is busy.
  const double loud = Unit((d.loudness_lufs + 30.0) / 24.0);
  const double bright = Unit((d.spectral_centroid_hz - 800.0) / 2700.0);
  const double rolloff = Unit((d.spectral_rolloff_hz - 2000.0) / 6000.0);
  const double busy = Unit(d.onset_rate_hz / 5.0);
  const double dynamic = Unit(d.loudness_range_lu / 15.0);
  double tempo_fit = 0;
  if (d.tempo_bpm) {
    // Dance music clusters at 115–130 BPM (Moelants 2002, "Preferred tempo reconsidered").
    const double octaves = std::log2(*d.tempo_bpm / 118.0) / 0.4;
    tempo_fit = std::exp(-0.5 * octaves * octaves);
  }
  const double major = d.mode.value_or(0) == 1 ? d.key_strength : 0.0;

  // Energy: Spotify's description names loudness, timbre, onset rate and dynamic range;
  // loudness dominates its correlation with energy (r ≈ 0.76 in Spotify's own data).
  d.energy = Unit(0.55 * loud + 0.25 * bright + 0.20 * busy);
  // Danceability: tempo, beat strength and regularity — Spotify's own list.
  d.danceability = d.tempo_bpm
      ? Unit(0.35 * d.beat_strength + 0.25 * d.beat_regularity + 0.25 * tempo_fit + 0.15 * (1.0 - dynamic))
      : 0.0;
  // Acousticness: acoustic recordings are quieter, more dynamic and darker than
  // produced electronic or amplified music.
  d.acousticness = Unit(0.45 * (1.0 - loud) + 0.30 * dynamic + 0.25 * (1.0 - rolloff));
  // Speechiness: pauses between words, and no stable tonal centre.
  d.speechiness = Unit(2.0 * (cues.low_energy_ratio - 0.15)) * (1.0 - 0.7 * d.key_strength);
  // Instrumentalness: the weakest of the six — without a voice detector only spoken
  // passages and a missing tonal centre count against it; sung vocals are not seen.
  d.instrumentalness = Unit(1.0 - 1.5 * d.speechiness) * (0.5 + 0.5 * d.key_strength);
  // Valence: major mode, fast tempo, brightness and energy all read as positive
  // (Gabrielsson & Lindström 2010 review; Spotify valence correlates with
  // danceability r ≈ 0.48 and energy r ≈ 0.36 in its own catalog).
  d.valence = Unit(0.10 + 0.30 * d.danceability + 0.25 * d.energy + 0.20 * major + 0.15 * bright);
}

}  // namespace emotune::audio
