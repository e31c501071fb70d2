#include "emotune/playlist_export.h"

#include <unistd.h>

#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "catalog/track_fields.h"
#include "emotune/ascii_text.h"
#include "emotune/track_json.h"

namespace emotune {
namespace {
namespace fs = std::filesystem;

// Where a track's file is, as the playlist should name it: relative to the
// playlist's folder when the playlist has one, else absolute.
std::string LocalPath(const std::string& file, const fs::path& playlist_dir) {
  if (playlist_dir.empty() || fs::path(file).is_relative()) return file;
  std::error_code ec;
  const fs::path rel = fs::path(file).lexically_relative(fs::absolute(playlist_dir, ec));
  return rel.empty() || ec ? file : rel.generic_string();
}

std::string DisplayName(const Track& t) {
  std::string artist = t.ArtistLine();
  return artist.empty() ? t.title : artist + " - " + t.title;
}

// XML 1.0 text: escaped, and without the control characters XML cannot carry.
std::string XmlText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') out += c;
    }
  }
  return out;
}

// A path as a URI reference: unreserved bytes and '/' as they are, the rest %XX.
std::string PercentEncode(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

// Text on one M3U line: line breaks and other control characters become spaces.
std::string M3uLine(std::string s) {
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return s;
}

std::string RenderM3u8(const Playlist& p, const fs::path& dir) {
  std::string out = "#EXTM3U\n";
  if (!p.title.empty()) out += "#PLAYLIST:" + M3uLine(p.title) + "\n";
  for (const auto& e : p.entries) {
    const Track& t = e.track;
    const long seconds = t.duration_ms ? std::lround(*t.duration_ms / 1000.0) : -1;
    out += fmt::format("#EXTINF:{},{}\n", seconds, M3uLine(DisplayName(t)));
    if (!t.file_path.empty()) out += LocalPath(t.file_path, dir) + "\n";
    else if (!t.spotify_uri.empty()) out += t.spotify_uri + "\n";
    else if (!t.external_id.empty()) out += "spotify:track:" + t.external_id + "\n";
    else out += "# no file or URI for this track\n";
  }
  return out;
}

std::string RenderXspf(const Playlist& p, const fs::path& dir) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">\n";
  if (!p.title.empty()) out += "  <title>" + XmlText(p.title) + "</title>\n";
  out += "  <creator>Emotune</creator>\n  <trackList>\n";
  for (const auto& e : p.entries) {
    const Track& t = e.track;
    out += "    <track>\n";
    if (!t.file_path.empty()) {
      const std::string local = LocalPath(t.file_path, dir);
      const std::string uri = local.front() == '/' ? "file://" + PercentEncode(local) : PercentEncode(local);
      out += "      <location>" + XmlText(uri) + "</location>\n";
    }
    std::string uri = t.spotify_uri;
    if (uri.empty() && !t.external_id.empty()) uri = "spotify:track:" + t.external_id;
    if (!uri.empty()) out += "      <identifier>" + XmlText(uri) + "</identifier>\n";
    out += "      <title>" + XmlText(t.title) + "</title>\n";
    if (!t.artists.empty()) out += "      <creator>" + XmlText(t.ArtistLine()) + "</creator>\n";
    if (!t.album.empty()) out += "      <album>" + XmlText(t.album) + "</album>\n";
    if (!e.note.empty()) out += "      <annotation>" + XmlText(e.note) + "</annotation>\n";
    if (t.duration_ms) out += fmt::format("      <duration>{}</duration>\n", *t.duration_ms);
    out += "    </track>\n";
  }
  out += "  </trackList>\n</playlist>\n";
  return out;
}

std::string RenderJson(const Playlist& p) {
  nlohmann::json tracks = nlohmann::json::array();
  for (const auto& e : p.entries) {
    nlohmann::json j = TrackToJson(e.track);
    if (!e.note.empty()) j["note"] = e.note;
    tracks.push_back(std::move(j));
  }
  nlohmann::json doc = {{"title", p.title}, {"tracks", std::move(tracks)}};
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string CsvCell(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string RenderCsv(const Playlist& p) {
  std::string out = "catalog_id";
  for (std::size_t f = 0; f < kTrackFieldCount; ++f) {
    if (static_cast<TrackField>(f) == TrackField::kDurationS) continue;
    out += ",";
    out += TrackFieldName(static_cast<TrackField>(f));
  }
  out += ",note\n";
  for (const auto& e : p.entries) {
    out += std::to_string(e.track.id);
    for (std::size_t f = 0; f < kTrackFieldCount; ++f) {
      if (static_cast<TrackField>(f) == TrackField::kDurationS) continue;
      out += ",";
      out += CsvCell(FormatTrackField(e.track, static_cast<TrackField>(f)));
    }
    out += "," + CsvCell(e.note) + "\n";
  }
  return out;
}

}  // namespace

Result<PlaylistFormat> ParsePlaylistFormat(std::string_view name) {
  const std::string n = AsciiLower(name);
  if (n == "m3u8" || n == "m3u") return PlaylistFormat::kM3u8;
  if (n == "xspf") return PlaylistFormat::kXspf;
  if (n == "json") return PlaylistFormat::kJson;
  if (n == "csv") return PlaylistFormat::kCsv;
  return Status::InvalidArgument(fmt::format("unknown playlist format '{}' (use m3u8, xspf, json or csv)", name));
}

Result<PlaylistFormat> PlaylistFormatForPath(const std::string& path) {
  const std::string ext = fs::path(path).extension().string();
  if (ext.size() < 2) return Status::InvalidArgument(fmt::format("{}: no extension to tell the format by; use --format", path));
  return ParsePlaylistFormat(std::string_view(ext).substr(1));
}

std::string_view PlaylistFormatName(PlaylistFormat format) {
  switch (format) {
    case PlaylistFormat::kM3u8: return "m3u8";
    case PlaylistFormat::kXspf: return "xspf";
    case PlaylistFormat::kJson: return "json";
    case PlaylistFormat::kCsv: return "csv";
  }
  return "?";
}

std::string RenderPlaylist(const Playlist& playlist, PlaylistFormat format, const PlaylistWriteOptions& options) {
  const fs::path dir = options.playlist_path.empty() ? fs::path() : fs::path(options.playlist_path).parent_path();
  // An empty parent means the current folder.
  const fs::path base = !options.playlist_path.empty() && dir.empty() ? fs::path(".") : dir;
  switch (format) {
    case PlaylistFormat::kM3u8: return RenderM3u8(playlist, base);
    case PlaylistFormat::kXspf: return RenderXspf(playlist, base);
    case PlaylistFormat::kJson: return RenderJson(playlist);
    case PlaylistFormat::kCsv: return RenderCsv(playlist);
  }
  return "";
}

Status WritePlaylistFile(const Playlist& playlist, PlaylistFormat format, const std::string& path) {
  const std::string text = RenderPlaylist(playlist, format, {path});
  const std::string tmp = fmt::format("{}.tmp-{}", path, ::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::IoError(fmt::format("{}: cannot write here", path));
    out << text;
    out.close();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      return Status::IoError(fmt::format("{}: write failed (disk full?)", path));
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Status::IoError(fmt::format("{}: {}", path, ec.message()));
  }
  return Status::Ok();
}

}  // namespace emotune
