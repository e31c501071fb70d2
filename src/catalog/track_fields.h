// The importable fields of a Track, how files name them, and how one raw value
// becomes a typed, range-checked field. Shared by the CSV and JSON Lines readers so
// both accept the same names and reject the same values. Pure; thread-safe.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "emotune/status.h"
#include "emotune/track.h"

namespace emotune {

enum class TrackField {
  kExternalId, kTitle, kArtists, kAlbum, kReleaseDate, kYear, kDurationMs, kDurationS,
  kGenre, kLanguage, kPopularity, kExplicit, kUri, kPath,
  kDanceability, kEnergy, kValence, kAcousticness, kInstrumentalness, kSpeechiness,
  kLiveness, kLoudness, kTempo, kKey, kMode, kTimeSignature, kMood,
};
inline constexpr std::size_t kTrackFieldCount = static_cast<std::size_t>(TrackField::kMood) + 1;

// The name `--map` and Emotune's own CSV export use ("valence", "duration_ms", …).
std::string_view TrackFieldName(TrackField field);
std::optional<TrackField> ParseTrackField(std::string_view name);
// Every field name, for help texts and error messages.
std::string TrackFieldNames();

// Where each field sits in a file's columns (-1: absent), and which known layout the
// header looks like ("data_moods", "spotify-1921-2020", "tidytuesday-spotify-songs",
// "emotune" or "generic").
struct ColumnLayout {
  std::array<int, kTrackFieldCount> column;
  std::string name;
};

// Matches a header to fields by the names real datasets use (case-insensitive);
// `overrides` maps field names to column names and wins over the built-in names.
// Fails if an override names an unknown field or a missing column, or no column
// gives the title.
Result<ColumnLayout> MatchColumns(std::span<const std::string> header,
                                  const std::map<std::string, std::string>& overrides);

// One record's raw values by field; a field absent from the file is std::nullopt.
using RawFields = std::array<std::optional<std::string_view>, kTrackFieldCount>;

// Why a value was refused, and which field it was in.
struct FieldError {
  TrackField field;
  std::string message;
};

// Fills `track` (reset first) from raw values: trims, checks UTF-8 and ranges, turns
// "" into unknown. Returns the first field that is wrong.
std::optional<FieldError> ParseTrack(const RawFields& raw, Track* track);

// The text of one field as Emotune's CSV export writes it ("" when unknown), such that
// ParseTrack reads it back to the same value. kDurationS is always "".
std::string FormatTrackField(const Track& track, TrackField field);

// Splits an artists value: a Python- or JSON-style list ("['A', \"B\"]") or one name.
std::vector<std::string> ParseArtists(std::string_view value);

}  // namespace emotune
