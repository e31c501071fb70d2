// Pictures and videos to BGR frames in memory: what kind of file it is (by its
// bytes, not its name), its size before decoding, decoding within a memory bound,
// and sampling a video's frames at a chosen rate. Nothing is written to disk.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <opencv2/core.hpp>

#include "emotune/status.h"

namespace emotune::vision {

enum class MediaKind { kJpeg, kPng, kWebp, kBmp, kGif, kVideo, kUnknown };

// "JPEG", "PNG", "WebP", "BMP", "GIF", "video", "unknown".
std::string_view MediaKindName(MediaKind kind);

// From the first bytes (16 are enough): magic numbers of the formats above; MP4 and
// MOV (ISO base media `ftyp`/`moov`/…), WebM and Matroska (EBML) are kVideo.
MediaKind SniffMedia(std::span<const std::uint8_t> head);

// Width and height from the file's header, without decoding; nullopt when the
// header is cut short or malformed.
std::optional<cv::Size> ImageDimensions(MediaKind kind, std::span<const std::uint8_t> bytes);

struct DecodeLimits {
  double max_megapixels = 64;  // decoded size bound: 64 MP of BGR is 192 MiB
  int max_side = 4096;         // larger decoded pictures are shrunk to this
};

// A still picture (JPEG, PNG, WebP, BMP) as 8-bit BGR: grey, alpha, CMYK and 16-bit
// pictures are converted. A JPEG over the bound is decoded at 1/2, 1/4 or 1/8 scale
// by libjpeg itself; other formats over it are refused. Corruption when the decoder
// gives nothing back.
Result<cv::Mat> DecodeImage(std::span<const std::uint8_t> bytes, const DecodeLimits& limits = {});

// Calls `on_frame` with every sampled frame of an animation or video (GIF, MP4,
// WebM, MOV) as BGR, shrunk to `limits.max_side`, and its time in seconds:
// `frames_per_second` frames per second of footage, at most `max_frames`. Corruption
// when no frame can be decoded.
Status ForEachSampledFrame(const std::string& path, double frames_per_second, int max_frames,
                           const DecodeLimits& limits,
                           const std::function<Status(const cv::Mat& bgr, double time_s)>& on_frame);

}  // namespace emotune::vision
