// Library files: what the catalog remembers about each audio file a library scan met,
// so the next scan can tell unchanged, changed, moved and removed files apart, and the
// web app can show a track's cover art and full descriptor set.
//
// Plain value types; thread-safe to copy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "emotune/audio_decoder.h"
#include "emotune/status.h"
#include "emotune/track.h"

namespace emotune {

enum class LibraryFileStatus {
  kOk,      // analysed; its track is in the catalog
  kFailed,  // could not be analysed; `failure` says why (retried only once it changes)
  kGone,    // missing from its folder at the last scan; its track is hidden, its history kept
};
std::string_view LibraryFileStatusName(LibraryFileStatus status);  // "ok", "failed", "gone"
Result<LibraryFileStatus> ParseLibraryFileStatus(std::string_view name);

struct LibraryFile {
  std::string path;                 // absolute, as the scan walked it; the row's key
  std::int64_t track_id = 0;        // 0 while the file was never analysed
  std::int64_t size_bytes = 0;
  std::int64_t mtime_ns = 0;        // modification time, nanoseconds since the epoch
  std::int64_t fingerprint = 0;     // FileFingerprint(): same content, same value
  LibraryFileStatus status = LibraryFileStatus::kOk;
  std::string failure;              // why analysis failed; empty unless kFailed
  std::int64_t scanned_at = 0;      // seconds since the epoch
};

// One analysed file, ready to commit: its track (file_path = file.path), the file's
// row, every descriptor as JSON text (the catalog's AudioFeatures hold only the
// Spotify-scale subset) and its embedded picture, if any.
struct ScannedTrack {
  Track track;
  LibraryFile file;
  std::string descriptors_json;
  std::optional<CoverArt> cover_art;
};

}  // namespace emotune
