#include "emotune/track_json.h"

namespace emotune {

void WriteAudioFeatures(JsonWriter& out, const AudioFeatures& f) {
  out.BeginObject();
  out.Key("danceability").OrNull(f.danceability);
  out.Key("energy").OrNull(f.energy);
  out.Key("spotify_valence").OrNull(f.spotify_valence);
  out.Key("acousticness").OrNull(f.acousticness);
  out.Key("instrumentalness").OrNull(f.instrumentalness);
  out.Key("speechiness").OrNull(f.speechiness);
  out.Key("liveness").OrNull(f.liveness);
  out.Key("loudness_db").OrNull(f.loudness_db);
  out.Key("tempo_bpm").OrNull(f.tempo_bpm);
  out.Key("key").OrNull(f.key);
  out.Key("mode").OrNull(f.mode);
  out.Key("time_signature").OrNull(f.time_signature);
  out.EndObject();
}

nlohmann::json AudioFeaturesToJson(const AudioFeatures& f) {
  JsonWriter out;
  WriteAudioFeatures(out, f);
  return nlohmann::json::parse(out.text());
}

void WriteTrackMembers(JsonWriter& out, const Track& t) {
  out.Key("id").Integer(t.id);
  out.Key("external_id").StringOrNull(t.external_id);
  out.Key("title").String(t.title);
  out.Key("artists").BeginArray();
  for (const std::string& a : t.artists) out.String(a);
  out.EndArray();
  out.Key("album").StringOrNull(t.album);
  out.Key("release_year").OrNull(t.release_year);
  out.Key("release_date").StringOrNull(t.release_date);
  out.Key("duration_ms").OrNull(t.duration_ms);
  out.Key("genre").StringOrNull(t.genre);
  out.Key("language").StringOrNull(t.language);
  out.Key("popularity").OrNull(t.popularity);
  out.Key("explicit").OrNull(t.explicit_lyrics);
  out.Key("spotify_uri").StringOrNull(t.spotify_uri);
  out.Key("file_path").StringOrNull(t.file_path);
  out.Key("given_mood").StringOrNull(t.given_mood);
  out.Key("features");
  WriteAudioFeatures(out, t.features);
}

void WriteTrack(JsonWriter& out, const Track& t) {
  out.BeginObject();
  WriteTrackMembers(out, t);
  out.EndObject();
}

nlohmann::json TrackToJson(const Track& t) {
  JsonWriter out(512);
  WriteTrack(out, t);
  return nlohmann::json::parse(out.text());
}

}  // namespace emotune
