// Tags and cover art from FFmpeg's metadata dictionaries. Where a tag lives depends on
// the container: ID3 and MP4 atoms land in the format's dictionary, Vorbis comments
// (Ogg Vorbis, Opus) in the audio stream's, FLAC in the format's. Looking in both, the
// format's first, covers them all.
#include <cctype>
#include <filesystem>
#include <string_view>

#include "audio/libav_input.h"

namespace emotune::audio {
namespace {

std::string Lookup(const AVFormatContext& format, const AVStream& audio, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    // No AV_DICT_MATCH_CASE: "ALBUMARTIST" and "albumartist" are the same tag.
    for (const AVDictionary* dict : {static_cast<const AVDictionary*>(format.metadata),
                                     static_cast<const AVDictionary*>(audio.metadata)}) {
      const AVDictionaryEntry* e = av_dict_get(dict, key, nullptr, 0);
      if (e != nullptr && e->value != nullptr && e->value[0] != '\0') {
        std::string value = e->value;
        while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.pop_back();
        if (!value.empty()) return value;
      }
    }
  }
  return {};
}

// The first run of four digits in a date tag: "1999", "1999-04-12", "12/04/1999".
std::optional<int> YearOf(std::string_view date) {
  int run = 0;
  for (std::size_t i = 0; i < date.size(); ++i) {
    run = std::isdigit(static_cast<unsigned char>(date[i])) ? run + 1 : 0;
    const bool ends = i + 1 == date.size() || !std::isdigit(static_cast<unsigned char>(date[i + 1]));
    if (run == 4 && ends) return std::stoi(std::string(date.substr(i - 3, 4)));
  }
  return std::nullopt;
}

// "3", "3/12", "03 of 12": the leading number, and the one after a slash.
void ParseTrackNumber(std::string_view text, AudioTags& tags) {
  auto number_at = [&](std::size_t pos) -> std::optional<int> {
    int value = 0, digits = 0;
    for (; pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])) && digits < 6; ++pos, ++digits)
      value = value * 10 + (text[pos] - '0');
    return digits > 0 ? std::optional<int>(value) : std::nullopt;
  };
  std::size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  tags.track_number = number_at(start);
  const std::size_t slash = text.find('/');
  if (slash != std::string_view::npos) tags.track_total = number_at(slash + 1);
}

std::string MimeTypeOf(AVCodecID codec) {
  switch (codec) {
    case AV_CODEC_ID_MJPEG: return "image/jpeg";
    case AV_CODEC_ID_PNG: return "image/png";
    case AV_CODEC_ID_GIF: return "image/gif";
    case AV_CODEC_ID_BMP: return "image/bmp";
    case AV_CODEC_ID_WEBP: return "image/webp";
    case AV_CODEC_ID_TIFF: return "image/tiff";
    default: return "application/octet-stream";
  }
}

}  // namespace

AudioTags ReadTags(const AVFormatContext& format, const AVStream& audio, const std::string& path) {
  AudioTags tags;
  tags.title = Lookup(format, audio, {"title"});
  tags.artist = Lookup(format, audio, {"artist", "performer", "author"});
  tags.album = Lookup(format, audio, {"album"});
  tags.album_artist = Lookup(format, audio, {"album_artist", "albumartist", "album artist", "TPE2"});
  tags.genre = Lookup(format, audio, {"genre"});
  tags.language = Lookup(format, audio, {"language", "TLAN", "lang"});
  tags.date = Lookup(format, audio, {"date", "year", "TDRC", "TYER", "originaldate"});
  tags.year = YearOf(tags.date);
  const std::string track = Lookup(format, audio, {"track", "tracknumber", "TRCK"});
  if (!track.empty()) ParseTrackNumber(track, tags);
  if (tags.title.empty()) {
    tags.title = std::filesystem::path(path).stem().string();
    tags.title_from_file_name = true;
  }
  return tags;
}

std::optional<CoverArt> ReadCoverArt(const AVFormatContext& format) {
  for (unsigned i = 0; i < format.nb_streams; ++i) {
    const AVStream& s = *format.streams[i];
    if ((s.disposition & AV_DISPOSITION_ATTACHED_PIC) == 0 || s.attached_pic.size <= 0) continue;
    CoverArt art;
    art.mime_type = MimeTypeOf(s.codecpar->codec_id);
    art.bytes.assign(s.attached_pic.data, s.attached_pic.data + s.attached_pic.size);
    return art;
  }
  return std::nullopt;
}

}  // namespace emotune::audio
