#include "emotune/track_json.h"

namespace emotune {
namespace {
template <typename T>
nlohmann::json OrNull(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
nlohmann::json OrNull(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }
}  // namespace

nlohmann::json AudioFeaturesToJson(const AudioFeatures& f) {
  return {{"danceability", OrNull(f.danceability)},
          {"energy", OrNull(f.energy)},
          {"spotify_valence", OrNull(f.spotify_valence)},
          {"acousticness", OrNull(f.acousticness)},
          {"instrumentalness", OrNull(f.instrumentalness)},
          {"speechiness", OrNull(f.speechiness)},
          {"liveness", OrNull(f.liveness)},
          {"loudness_db", OrNull(f.loudness_db)},
          {"tempo_bpm", OrNull(f.tempo_bpm)},
          {"key", OrNull(f.key)},
          {"mode", OrNull(f.mode)},
          {"time_signature", OrNull(f.time_signature)}};
}

nlohmann::json TrackToJson(const Track& t) {
  return {
      {"id", t.id},
      {"external_id", OrNull(t.external_id)},
      {"title", t.title},
      {"artists", t.artists},
      {"album", OrNull(t.album)},
      {"release_year", OrNull(t.release_year)},
      {"release_date", OrNull(t.release_date)},
      {"duration_ms", OrNull(t.duration_ms)},
      {"genre", OrNull(t.genre)},
      {"language", OrNull(t.language)},
      {"popularity", OrNull(t.popularity)},
      {"explicit", OrNull(t.explicit_lyrics)},
      {"spotify_uri", OrNull(t.spotify_uri)},
      {"file_path", OrNull(t.file_path)},
      {"given_mood", OrNull(t.given_mood)},
      {"features", AudioFeaturesToJson(t.features)},
  };
}

}  // namespace emotune
