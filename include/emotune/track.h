// Track: one piece of music in the catalog, with the fields the Spotify-style datasets
// users own carry (data_moods, Kaggle's "Spotify 1921–2020", TidyTuesday's
// spotify_songs) and a file path for the user's own audio.
//
// Unknown stays unknown: every field a file may lack is optional (or an empty string
// for text), never silently 0. A plain value type; thread-safe to copy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace emotune {

// Audio descriptors on Spotify's published scales, whether a file gave them or
// Emotune computed them. The affect-space valence in [-1,1] lives elsewhere
// (MoodEstimate); this one is `spotify_valence`, 0..1, so the two never mix.
struct AudioFeatures {
  std::optional<double> danceability;      // 0..1
  std::optional<double> energy;            // 0..1
  std::optional<double> spotify_valence;   // 0..1, musical positiveness
  std::optional<double> acousticness;      // 0..1
  std::optional<double> instrumentalness;  // 0..1
  std::optional<double> speechiness;       // 0..1
  std::optional<double> liveness;          // 0..1
  std::optional<double> loudness_db;       // integrated loudness, dBFS, typically -60..0
  std::optional<double> tempo_bpm;         // beats per minute, > 0
  std::optional<int> key;                  // pitch class 0 = C … 11 = B
  std::optional<int> mode;                 // 1 = major, 0 = minor
  std::optional<int> time_signature;       // beats per bar, 1..7

  bool operator==(const AudioFeatures&) const = default;
};

struct Track {
  std::int64_t id = 0;                 // catalog row id; 0 until stored
  std::string external_id;             // the dataset's id (a Spotify track id), or empty
  std::string title;                   // required
  std::vector<std::string> artists;    // in credited order; empty if unknown
  std::string album;
  std::optional<int> release_year;
  std::string release_date;            // as given: "1999", "1999-04" or "1999-04-12"
  std::optional<std::int64_t> duration_ms;
  std::string genre;
  std::string language;                // as given (ISO 639 code or a name)
  std::optional<int> popularity;       // 0..100
  std::optional<bool> explicit_lyrics;
  std::string spotify_uri;             // "spotify:track:<id>", or empty
  std::string file_path;               // absolute path of a local audio file, or empty
  AudioFeatures features;
  std::string given_mood;              // a mood label the imported file carried ("Happy")

  // Artists joined for display: "A, B & C" style is locale-specific, so ", ".
  std::string ArtistLine() const;
  // The key that makes re-importing the same track update it instead of adding a
  // copy: the file path for local files, else the external id, else title + artists.
  std::string DedupKey() const;

  bool operator==(const Track&) const = default;
};

// "C", "C#", … "B" for a pitch class; "?" outside 0..11.
std::string_view KeyName(int pitch_class);

}  // namespace emotune
