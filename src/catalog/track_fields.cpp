#include "catalog/track_fields.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "emotune/ascii_text.h"
#include "emotune/utf8.h"

namespace emotune {
namespace {

struct FieldSpec {
  TrackField field;
  std::string_view name;
  // Header names that mean this field in the datasets users have, in priority order.
  std::vector<std::string_view> aliases;
};

const std::vector<FieldSpec>& Specs() {
  static const std::vector<FieldSpec> specs = {
      {TrackField::kExternalId, "id", {"id", "track_id", "spotify_id", "external_id"}},
      {TrackField::kTitle, "title", {"title", "name", "track_name", "song", "song_name", "track"}},
      {TrackField::kArtists, "artists", {"artists", "artist", "track_artist", "artist_name", "artist(s)"}},
      {TrackField::kAlbum, "album", {"album", "album_name", "track_album_name"}},
      {TrackField::kReleaseDate, "release_date", {"release_date", "track_album_release_date", "date"}},
      {TrackField::kYear, "year", {"year", "release_year"}},
      // data_moods calls the duration in milliseconds "length".
      {TrackField::kDurationMs, "duration_ms", {"duration_ms", "length", "length_ms"}},
      {TrackField::kDurationS, "duration_s", {"duration_s", "duration_sec", "duration_seconds"}},
      {TrackField::kGenre, "genre", {"genre", "track_genre", "playlist_genre", "genres"}},
      {TrackField::kLanguage, "language", {"language", "lang"}},
      {TrackField::kPopularity, "popularity", {"popularity", "track_popularity"}},
      {TrackField::kExplicit, "explicit", {"explicit"}},
      {TrackField::kUri, "uri", {"uri", "spotify_uri", "track_uri"}},
      {TrackField::kPath, "path", {"path", "file_path", "file", "location"}},
      {TrackField::kDanceability, "danceability", {"danceability"}},
      {TrackField::kEnergy, "energy", {"energy"}},
      {TrackField::kValence, "valence", {"valence", "spotify_valence"}},
      {TrackField::kAcousticness, "acousticness", {"acousticness"}},
      {TrackField::kInstrumentalness, "instrumentalness", {"instrumentalness"}},
      {TrackField::kSpeechiness, "speechiness", {"speechiness"}},
      {TrackField::kLiveness, "liveness", {"liveness"}},
      {TrackField::kLoudness, "loudness", {"loudness", "loudness_db"}},
      {TrackField::kTempo, "tempo", {"tempo", "tempo_bpm", "bpm"}},
      {TrackField::kKey, "key", {"key"}},
      {TrackField::kMode, "mode", {"mode"}},
      {TrackField::kTimeSignature, "time_signature", {"time_signature"}},
      {TrackField::kMood, "mood", {"mood", "given_mood", "label"}},
  };
  return specs;
}

bool Has(std::span<const std::string> header, std::string_view name) {
  return std::any_of(header.begin(), header.end(), [&](const std::string& h) { return AsciiLower(TrimSpace(h)) == name; });
}

std::string LayoutName(std::span<const std::string> header) {
  if (Has(header, "id_artists")) return "spotify-1921-2020";
  if (Has(header, "playlist_genre") && Has(header, "track_id")) return "tidytuesday-spotify-songs";
  if (Has(header, "length") && Has(header, "mood")) return "data_moods";
  if (Has(header, "catalog_id")) return "emotune";
  return "generic";
}

// Parsers for one value: they return an error message, or "" with *out set.
std::string ParseNumber(std::string_view s, double* out) {
  const char* first = s.data();
  const char* last = s.data() + s.size();
  if (first != last && *first == '+') ++first;
  auto [ptr, ec] = std::from_chars(first, last, *out);
  if (ec != std::errc() || ptr != last || !std::isfinite(*out))
    return fmt::format("'{}' is not a number", s);
  return "";
}

std::string ParseInRange(std::string_view s, double lo, double hi, double* out) {
  if (auto err = ParseNumber(s, out); !err.empty()) return err;
  if (*out < lo || *out > hi) return fmt::format("{} is outside {}..{}", s, lo, hi);
  return "";
}

std::string ParseWhole(std::string_view s, double lo, double hi, int* out) {
  double v = 0;
  if (auto err = ParseInRange(s, lo, hi, &v); !err.empty()) return err;
  if (v != std::floor(v)) return fmt::format("{} is not a whole number", s);
  *out = static_cast<int>(v);
  return "";
}

std::string ParseBool(std::string_view s, bool* out) {
  const std::string v = AsciiLower(s);
  if (v == "1" || v == "true" || v == "yes" || v == "t") { *out = true; return ""; }
  if (v == "0" || v == "false" || v == "no" || v == "f") { *out = false; return ""; }
  return fmt::format("'{}' is not true/false/1/0", s);
}

// "1999", "1999-04" or "1999-04-12" → the year; the date is kept as given.
std::string ParseReleaseDate(std::string_view s, int* year) {
  const bool digits4 = s.size() >= 4 && std::all_of(s.begin(), s.begin() + 4, [](char c) { return c >= '0' && c <= '9'; });
  const auto two = [&](std::size_t at) {
    return s.size() >= at + 3 && s[at] == '-' && std::isdigit(static_cast<unsigned char>(s[at + 1])) &&
           std::isdigit(static_cast<unsigned char>(s[at + 2]));
  };
  const bool shape = digits4 && (s.size() == 4 || (s.size() == 7 && two(4)) || (s.size() == 10 && two(4) && two(7)));
  if (!shape) return fmt::format("'{}' is not a date like 1999, 1999-04 or 1999-04-12", s);
  std::from_chars(s.data(), s.data() + 4, *year);
  if (*year < 1000 || *year > 2999) return fmt::format("year {} is not plausible", *year);
  return "";
}

}  // namespace

std::string_view TrackFieldName(TrackField field) { return Specs()[static_cast<std::size_t>(field)].name; }

std::optional<TrackField> ParseTrackField(std::string_view name) {
  const std::string lower = AsciiLower(TrimSpace(name));
  for (const auto& spec : Specs())
    if (spec.name == lower) return spec.field;
  return std::nullopt;
}

std::string TrackFieldNames() {
  std::string out;
  for (const auto& spec : Specs()) {
    if (!out.empty()) out += ", ";
    out += spec.name;
  }
  return out;
}

Result<ColumnLayout> MatchColumns(std::span<const std::string> header,
                                  const std::map<std::string, std::string>& overrides) {
  ColumnLayout layout;
  layout.column.fill(-1);
  layout.name = LayoutName(header);
  std::vector<std::string> lower;
  for (const auto& h : header) lower.push_back(AsciiLower(TrimSpace(h)));
  const auto find = [&](std::string_view name) -> int {
    auto it = std::find(lower.begin(), lower.end(), name);
    return it == lower.end() ? -1 : static_cast<int>(it - lower.begin());
  };
  for (const auto& spec : Specs()) {
    for (auto alias : spec.aliases) {
      if (int c = find(alias); c >= 0) {
        layout.column[static_cast<std::size_t>(spec.field)] = c;
        break;
      }
    }
  }
  for (const auto& [field_name, column_name] : overrides) {
    auto field = ParseTrackField(field_name);
    if (!field)
      return Status::InvalidArgument(fmt::format("--map {}={}: unknown field '{}' (fields: {})", field_name,
                                                 column_name, field_name, TrackFieldNames()));
    const int c = find(AsciiLower(TrimSpace(column_name)));
    if (c < 0)
      return Status::InvalidArgument(fmt::format("--map {}={}: the header has no column '{}'", field_name,
                                                 column_name, column_name));
    layout.column[static_cast<std::size_t>(*field)] = c;
    if (layout.name != "emotune") layout.name = "mapped";
  }
  if (layout.column[static_cast<std::size_t>(TrackField::kTitle)] < 0) {
    std::string names;
    for (auto alias : Specs()[static_cast<std::size_t>(TrackField::kTitle)].aliases)
    {
      if (!names.empty()) names += ", ";
      names += alias;
    }
    return Status::InvalidArgument(fmt::format(
        "no title column in the header (looked for {}); name it with --map title=COLUMN", names));
  }
  return layout;
}

std::vector<std::string> ParseArtists(std::string_view value) {
  value = TrimSpace(value);
  std::vector<std::string> artists;
  if (value.size() < 2 || value.front() != '[' || value.back() != ']') {
    if (!value.empty()) artists.emplace_back(value);
    return artists;
  }
  // A list literal: quoted names separated by commas, backslash escapes inside.
  std::size_t i = 1;
  const std::size_t end = value.size() - 1;
  while (i < end) {
    const char q = value[i];
    if (q != '\'' && q != '"') {
      ++i;
      continue;
    }
    std::string name;
    for (++i; i < end && value[i] != q; ++i) {
      if (value[i] == '\\' && i + 1 < end) ++i;
      name.push_back(value[i]);
    }
    ++i;
    if (!TrimSpace(name).empty()) artists.emplace_back(TrimSpace(name));
  }
  return artists;
}

std::optional<FieldError> ParseTrack(const RawFields& raw, Track* track) {
  *track = Track{};
  std::string err;
  TrackField bad = TrackField::kTitle;
  const auto text = [&](TrackField f, std::string* out) {
    const auto& v = raw[static_cast<std::size_t>(f)];
    if (!v || !err.empty()) return;
    const std::string_view s = TrimSpace(*v);
    if (std::size_t at = FindInvalidUtf8(s); at != std::string_view::npos) {
      err = fmt::format("invalid UTF-8 at byte {}", at + 1);
      bad = f;
      return;
    }
    out->assign(s);
  };
  // Numeric fields: empty means unknown. `parse` returns an error message or "".
  const auto value = [&](TrackField f, auto&& parse) {
    const auto& v = raw[static_cast<std::size_t>(f)];
    if (!v || !err.empty()) return;
    const std::string_view s = TrimSpace(*v);
    if (s.empty()) return;
    err = parse(s);
    if (!err.empty()) bad = f;
  };
  const auto unit = [&](TrackField f, std::optional<double>& out) {
    value(f, [&](std::string_view s) {
      double d = 0;
      std::string e = ParseInRange(s, 0, 1, &d);
      if (e.empty()) out = d;
      return e;
    });
  };

  text(TrackField::kExternalId, &track->external_id);
  text(TrackField::kTitle, &track->title);
  if (err.empty() && track->title.empty()) {
    return FieldError{TrackField::kTitle, "the title is empty"};
  }
  std::string artists;
  text(TrackField::kArtists, &artists);
  track->artists = ParseArtists(artists);
  text(TrackField::kAlbum, &track->album);
  text(TrackField::kReleaseDate, &track->release_date);
  if (err.empty() && !track->release_date.empty()) {
    int year = 0;
    err = ParseReleaseDate(track->release_date, &year);
    if (err.empty()) track->release_year = year; else bad = TrackField::kReleaseDate;
  }
  value(TrackField::kYear, [&](std::string_view s) {
    int y = 0;
    std::string e = ParseWhole(s, 1000, 2999, &y);
    if (e.empty()) track->release_year = y;
    return e;
  });
  value(TrackField::kDurationMs, [&](std::string_view s) {
    double ms = 0;
    std::string e = ParseInRange(s, 1, 1e9, &ms);
    if (e.empty()) track->duration_ms = std::llround(ms);
    return e;
  });
  value(TrackField::kDurationS, [&](std::string_view s) {
    double sec = 0;
    std::string e = ParseInRange(s, 0.001, 1e6, &sec);
    if (e.empty()) track->duration_ms = std::llround(sec * 1000);
    return e;
  });
  text(TrackField::kGenre, &track->genre);
  text(TrackField::kLanguage, &track->language);
  value(TrackField::kPopularity, [&](std::string_view s) {
    int p = 0;
    std::string e = ParseWhole(s, 0, 100, &p);
    if (e.empty()) track->popularity = p;
    return e;
  });
  value(TrackField::kExplicit, [&](std::string_view s) {
    bool b = false;
    std::string e = ParseBool(s, &b);
    if (e.empty()) track->explicit_lyrics = b;
    return e;
  });
  text(TrackField::kUri, &track->spotify_uri);
  text(TrackField::kPath, &track->file_path);
  AudioFeatures& f = track->features;
  unit(TrackField::kDanceability, f.danceability);
  unit(TrackField::kEnergy, f.energy);
  unit(TrackField::kValence, f.spotify_valence);
  unit(TrackField::kAcousticness, f.acousticness);
  unit(TrackField::kInstrumentalness, f.instrumentalness);
  unit(TrackField::kSpeechiness, f.speechiness);
  unit(TrackField::kLiveness, f.liveness);
  value(TrackField::kLoudness, [&](std::string_view s) {
    double db = 0;
    std::string e = ParseInRange(s, -100, 20, &db);
    if (e.empty()) f.loudness_db = db;
    return e;
  });
  value(TrackField::kTempo, [&](std::string_view s) {
    double bpm = 0;
    std::string e = ParseInRange(s, 0, 1000, &bpm);
    if (e.empty() && bpm > 0) f.tempo_bpm = bpm;  // Spotify writes 0 when it found no beat
    return e;
  });
  value(TrackField::kKey, [&](std::string_view s) {
    int k = 0;
    std::string e = ParseWhole(s, -1, 11, &k);
    if (e.empty() && k >= 0) f.key = k;  // Spotify's -1 means "no key detected"
    return e;
  });
  value(TrackField::kMode, [&](std::string_view s) {
    int m = 0;
    std::string e = ParseWhole(s, 0, 1, &m);
    if (e.empty()) f.mode = m;
    return e;
  });
  value(TrackField::kTimeSignature, [&](std::string_view s) {
    int t = 0;
    std::string e = ParseWhole(s, 0, 7, &t);
    if (e.empty() && t > 0) f.time_signature = t;  // 0 is Spotify's "unknown"
    return e;
  });
  text(TrackField::kMood, &track->given_mood);
  if (!err.empty()) return FieldError{bad, std::move(err)};
  return std::nullopt;
}

std::string FormatTrackField(const Track& t, TrackField field) {
  const auto num = [](const auto& v) { return v ? fmt::format("{}", *v) : std::string(); };
  const AudioFeatures& f = t.features;
  switch (field) {
    case TrackField::kExternalId: return t.external_id;
    case TrackField::kTitle: return t.title;
    case TrackField::kArtists: {
      if (t.artists.size() == 1 && t.artists[0].front() != '[') return t.artists[0];
      std::string list = "[";
      for (const auto& a : t.artists) {
        if (list.size() > 1) list += ", ";
        list += '"';
        for (char c : a) {
          if (c == '"' || c == '\\') list += '\\';
          list += c;
        }
        list += '"';
      }
      return t.artists.empty() ? std::string() : list + "]";
    }
    case TrackField::kAlbum: return t.album;
    case TrackField::kReleaseDate: return t.release_date;
    case TrackField::kYear: return num(t.release_year);
    case TrackField::kDurationMs: return num(t.duration_ms);
    case TrackField::kDurationS: return "";
    case TrackField::kGenre: return t.genre;
    case TrackField::kLanguage: return t.language;
    case TrackField::kPopularity: return num(t.popularity);
    case TrackField::kExplicit: return t.explicit_lyrics ? (*t.explicit_lyrics ? "true" : "false") : "";
    case TrackField::kUri: return t.spotify_uri;
    case TrackField::kPath: return t.file_path;
    case TrackField::kDanceability: return num(f.danceability);
    case TrackField::kEnergy: return num(f.energy);
    case TrackField::kValence: return num(f.spotify_valence);
    case TrackField::kAcousticness: return num(f.acousticness);
    case TrackField::kInstrumentalness: return num(f.instrumentalness);
    case TrackField::kSpeechiness: return num(f.speechiness);
    case TrackField::kLiveness: return num(f.liveness);
    case TrackField::kLoudness: return num(f.loudness_db);
    case TrackField::kTempo: return num(f.tempo_bpm);
    case TrackField::kKey: return num(f.key);
    case TrackField::kMode: return num(f.mode);
    case TrackField::kTimeSignature: return num(f.time_signature);
    case TrackField::kMood: return t.given_mood;
  }
  return "";
}

}  // namespace emotune
