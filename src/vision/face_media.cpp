#include "vision/face_media.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <fmt/format.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

namespace emotune::vision {
namespace {

bool StartsWith(std::span<const std::uint8_t> bytes, std::size_t at, std::string_view magic) {
  return bytes.size() >= at + magic.size() && std::memcmp(bytes.data() + at, magic.data(), magic.size()) == 0;
}

std::uint32_t Be16(std::span<const std::uint8_t> b, std::size_t at) { return (b[at] << 8) | b[at + 1]; }
std::uint32_t Be32(std::span<const std::uint8_t> b, std::size_t at) { return (Be16(b, at) << 16) | Be16(b, at + 2); }
std::uint32_t Le16(std::span<const std::uint8_t> b, std::size_t at) { return b[at] | (b[at + 1] << 8); }
std::uint32_t Le24(std::span<const std::uint8_t> b, std::size_t at) { return Le16(b, at) | (b[at + 2] << 16); }
std::uint32_t Le32(std::span<const std::uint8_t> b, std::size_t at) { return Le16(b, at) | (Le16(b, at + 2) << 16); }

std::optional<cv::Size> JpegDimensions(std::span<const std::uint8_t> b) {
  std::size_t at = 2;
  while (at + 9 <= b.size()) {
    if (b[at] != 0xFF) return std::nullopt;
    const std::uint8_t marker = b[at + 1];
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    // Start-of-frame markers C0–CF carry the size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
      return cv::Size(static_cast<int>(Be16(b, at + 7)), static_cast<int>(Be16(b, at + 5)));
    at += 2 + Be16(b, at + 2);
  }
  return std::nullopt;
}

std::optional<cv::Size> WebpDimensions(std::span<const std::uint8_t> b) {
  if (b.size() < 30) return std::nullopt;
  if (StartsWith(b, 12, "VP8X")) return cv::Size(static_cast<int>(Le24(b, 24) + 1), static_cast<int>(Le24(b, 27) + 1));
  if (StartsWith(b, 12, "VP8L")) {
    const std::uint32_t bits = Le32(b, 21);
    return cv::Size(static_cast<int>((bits & 0x3FFF) + 1), static_cast<int>(((bits >> 14) & 0x3FFF) + 1));
  }
  if (StartsWith(b, 12, "VP8 ")) return cv::Size(static_cast<int>(Le16(b, 26) & 0x3FFF), static_cast<int>(Le16(b, 28) & 0x3FFF));
  return std::nullopt;
}

cv::Mat Shrunk(cv::Mat bgr, int max_side) {
  const int side = std::max(bgr.cols, bgr.rows);
  if (side <= max_side) return bgr;
  const double f = static_cast<double>(max_side) / side;
  cv::Mat out;
  cv::resize(bgr, out, cv::Size(), f, f, cv::INTER_AREA);
  return out;
}

}  // namespace

std::string_view MediaKindName(MediaKind kind) {
  switch (kind) {
    case MediaKind::kJpeg: return "JPEG";
    case MediaKind::kPng: return "PNG";
    case MediaKind::kWebp: return "WebP";
    case MediaKind::kBmp: return "BMP";
    case MediaKind::kGif: return "GIF";
    case MediaKind::kVideo: return "video";
    case MediaKind::kUnknown: break;
  }
  return "unknown";
}

MediaKind SniffMedia(std::span<const std::uint8_t> b) {
  if (StartsWith(b, 0, "\xFF\xD8\xFF")) return MediaKind::kJpeg;
  if (StartsWith(b, 0, "\x89PNG\r\n\x1A\n")) return MediaKind::kPng;
  if (StartsWith(b, 0, "RIFF") && StartsWith(b, 8, "WEBP")) return MediaKind::kWebp;
  if (StartsWith(b, 0, "BM") && b.size() >= 26) return MediaKind::kBmp;
  if (StartsWith(b, 0, "GIF87a") || StartsWith(b, 0, "GIF89a")) return MediaKind::kGif;
  if (StartsWith(b, 0, "\x1A\x45\xDF\xA3")) return MediaKind::kVideo;  // EBML: WebM, Matroska
  for (std::string_view box : {"ftyp", "moov", "mdat", "wide", "free", "skip"})
    if (StartsWith(b, 4, box)) return MediaKind::kVideo;  // ISO base media: MP4, MOV
  return MediaKind::kUnknown;
}

std::optional<cv::Size> ImageDimensions(MediaKind kind, std::span<const std::uint8_t> b) {
  switch (kind) {
    case MediaKind::kJpeg: return JpegDimensions(b);
    case MediaKind::kPng:
      if (b.size() < 24 || !StartsWith(b, 12, "IHDR")) return std::nullopt;
      return cv::Size(static_cast<int>(std::min<std::uint32_t>(Be32(b, 16), INT32_MAX)),
                      static_cast<int>(std::min<std::uint32_t>(Be32(b, 20), INT32_MAX)));
    case MediaKind::kWebp: return WebpDimensions(b);
    case MediaKind::kBmp: {
      if (b.size() < 26) return std::nullopt;
      const auto w = static_cast<std::int32_t>(Le32(b, 18)), h = static_cast<std::int32_t>(Le32(b, 22));
      // A negative height means top-down rows.
      if (w <= 0 || h == 0 || h == INT32_MIN) return std::nullopt;
      return cv::Size(w, std::abs(h));
    }
    case MediaKind::kGif:
      if (b.size() < 10) return std::nullopt;
      return cv::Size(static_cast<int>(Le16(b, 6)), static_cast<int>(Le16(b, 8)));
    default: return std::nullopt;
  }
}

Result<cv::Mat> DecodeImage(std::span<const std::uint8_t> bytes, const DecodeLimits& limits) {
  const MediaKind kind = SniffMedia(bytes);
  if (kind == MediaKind::kUnknown) return Status::Unsupported("not a picture or video Emotune reads (JPEG, PNG, WebP, BMP, GIF, MP4, WebM, MOV)");
  if (kind == MediaKind::kGif || kind == MediaKind::kVideo)
    return Status::Unsupported(fmt::format("{} is read frame by frame from a file, not as one picture", MediaKindName(kind)));
  const auto size = ImageDimensions(kind, bytes);
  if (!size || size->width <= 0 || size->height <= 0)
    return Status::Corruption(fmt::format("{} header is malformed or cut short", MediaKindName(kind)));
  const double megapixels = static_cast<double>(size->width) * size->height / 1e6;
  int flags = cv::IMREAD_COLOR;  // 8-bit BGR whatever the source: grey, alpha, CMYK, 16-bit
  if (megapixels > limits.max_megapixels) {
    if (kind != MediaKind::kJpeg || megapixels / 64 > limits.max_megapixels)
      return Status::InvalidArgument(fmt::format("{}×{} {} is {:.0f} megapixels, over the {:.0f}-megapixel limit; "
                                                 "shrink it first", size->width, size->height, MediaKindName(kind),
                                                 megapixels, limits.max_megapixels));
    // libjpeg decodes straight to a fraction of the size: the full picture is never in memory.
    flags = megapixels / 4 <= limits.max_megapixels ? cv::IMREAD_REDUCED_COLOR_2
            : megapixels / 16 <= limits.max_megapixels ? cv::IMREAD_REDUCED_COLOR_4 : cv::IMREAD_REDUCED_COLOR_8;
  }
  cv::Mat decoded;
  try {
    const cv::Mat wrapped(1, static_cast<int>(bytes.size()), CV_8U, const_cast<std::uint8_t*>(bytes.data()));
    decoded = cv::imdecode(wrapped, flags);
  } catch (const cv::Exception& e) {
    return Status::Corruption(fmt::format("cannot decode the {}: {}", MediaKindName(kind), e.err));
  }
  if (decoded.empty()) return Status::Corruption(fmt::format("cannot decode the {}: corrupt or truncated", MediaKindName(kind)));
  return Shrunk(decoded, limits.max_side);
}

Status ForEachSampledFrame(const std::string& path, double frames_per_second, int max_frames,
                           const DecodeLimits& limits,
                           const std::function<Status(const cv::Mat& bgr, double time_s)>& on_frame) {
  cv::VideoCapture capture;
  try {
    capture.open(path, cv::CAP_FFMPEG);
  } catch (const cv::Exception& e) {
    return Status::Corruption(fmt::format("{}: cannot open: {}", path, e.err));
  }
  if (!capture.isOpened()) return Status::Corruption(fmt::format("{}: cannot open as a video: corrupt or unsupported", path));
  double native_fps = capture.get(cv::CAP_PROP_FPS);
  if (!(native_fps > 0 && native_fps < 1000)) native_fps = 25;  // GIFs often report none
  const double wanted = std::clamp(frames_per_second, 0.01, native_fps);
  int sampled = 0, decoded = 0;
  double next_time = 0;
  cv::Mat frame;
  for (int index = 0; sampled < max_frames; ++index) {
    try {
      if (!capture.grab()) break;
    } catch (const cv::Exception&) {
      break;  // a truncated stream ends here; what was read counts
    }
    const double time_s = index / native_fps;
    if (time_s + 1e-9 < next_time) continue;
    if (!capture.retrieve(frame) || frame.empty()) continue;
    ++decoded;
    next_time += 1.0 / wanted;
    if (time_s >= next_time) next_time = time_s + 1.0 / wanted;  // after a gap, sample from here on
    ++sampled;
    if (Status s = on_frame(Shrunk(frame, limits.max_side), time_s); !s.ok()) return s;
  }
  if (decoded == 0) return Status::Corruption(fmt::format("{}: no frame could be decoded: corrupt or truncated", path));
  return Status::Ok();
}

}  // namespace emotune::vision
