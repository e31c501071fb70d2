#include "emotune/track.h"

#include <array>

#include "emotune/ascii_text.h"

namespace emotune {

std::string Track::ArtistLine() const {
  std::string line;
  for (const auto& a : artists) {
    if (!line.empty()) line += ", ";
    line += a;
  }
  return line;
}

std::string Track::DedupKey() const {
  if (!file_path.empty()) return "file:" + file_path;
  if (!external_id.empty()) return "id:" + external_id;
  constexpr std::string_view kUriPrefix = "spotify:track:";
  if (spotify_uri.starts_with(kUriPrefix)) return "id:" + spotify_uri.substr(kUriPrefix.size());
  // No identity given: the same title by the same artists is the same track.
  std::string key = "meta:" + AsciiLower(title);
  for (const auto& a : artists) {
    key += '\x1f';
    key += AsciiLower(a);
  }
  return key;
}

std::string_view KeyName(int pitch_class) {
  static constexpr std::array<std::string_view, 12> kNames = {"C", "C#", "D", "D#", "E", "F",
                                                              "F#", "G", "G#", "A", "A#", "B"};
  return pitch_class >= 0 && pitch_class < 12 ? kNames[pitch_class] : "?";
}

}  // namespace emotune
