// Writing a list of tracks in the formats players read: M3U8 (#EXTM3U/#EXTINF, UTF-8),
// XSPF (http://xspf.org/ns/0/, one trackList), JSON and CSV (re-importable by
// `emotune import`). Local files are written relative to the playlist's folder when
// that is possible, so a playlist moved with its music keeps working.
// Pure functions except WritePlaylistFile; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "emotune/status.h"
#include "emotune/track.h"

namespace emotune {

enum class PlaylistFormat { kM3u8, kXspf, kJson, kCsv };

// "m3u8" (or "m3u"), "xspf", "json", "csv"; anything else is an InvalidArgument.
Result<PlaylistFormat> ParsePlaylistFormat(std::string_view name);
// The format a file name asks for by its extension, if it names one.
Result<PlaylistFormat> PlaylistFormatForPath(const std::string& path);
std::string_view PlaylistFormatName(PlaylistFormat format);

struct PlaylistEntry {
  Track track;
  std::string note;  // why this track is here ("valence 0.81, 128 BPM …"); may be empty
};

struct Playlist {
  std::string title;  // default "" (players then show the file name)
  std::vector<PlaylistEntry> entries;
};

struct PlaylistWriteOptions {
  // Where the playlist will be saved: local files are written relative to its folder
  // when possible. Default "" (standard output): absolute paths.
  std::string playlist_path;
};

std::string RenderPlaylist(const Playlist& playlist, PlaylistFormat format,
                           const PlaylistWriteOptions& options = {});

// Renders and writes `path` atomically (a temporary file renamed over it), so a failed
// write never leaves half a playlist.
Status WritePlaylistFile(const Playlist& playlist, PlaylistFormat format, const std::string& path);

}  // namespace emotune
