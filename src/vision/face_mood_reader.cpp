#include "emotune/face_mood.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include <fmt/format.h>
#include <opencv2/imgproc.hpp>

#include "emotune/label_map.h"
#include "emotune/mood_fusion.h"
#include "vision/face_media.h"

namespace emotune {
namespace {

// BlazeFace's box runs from the brows to the chin; FER2013 crops, which the
// expression model learnt from, show a little more around the face.
constexpr double kCropMargin = 1.15;

cv::Rect ExpressionCrop(const cv::Rect2f& box, cv::Size frame) {
  const double side = std::max(box.width, box.height) * kCropMargin;
  const double cx = box.x + box.width / 2.0, cy = box.y + box.height / 2.0;
  const cv::Rect square(static_cast<int>(std::lround(cx - side / 2)), static_cast<int>(std::lround(cy - side / 2)),
                        static_cast<int>(std::lround(side)), static_cast<int>(std::lround(side)));
  return square & cv::Rect(0, 0, frame.width, frame.height);
}

Result<std::vector<std::uint8_t>> ReadBytes(const std::string& path, std::int64_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(fmt::format("{}: cannot read", path));
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(limit));
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

}  // namespace

FaceMoodReader::FaceMoodReader(std::unique_ptr<FaceDetector> detector,
                               std::unique_ptr<FaceExpressionModel> expression, const FaceMoodOptions& options)
    : detector_(std::move(detector)), expression_(std::move(expression)), options_(options) {}

Result<std::unique_ptr<FaceMoodReader>> FaceMoodReader::Load(const std::string& detector_path,
                                                             const std::string& expression_path,
                                                             const FaceMoodOptions& options) {
  auto detector = FaceDetector::Load(detector_path);
  if (!detector.ok()) return detector.status();
  auto expression = FaceExpressionModel::Load(expression_path);
  if (!expression.ok()) return expression.status();
  return std::unique_ptr<FaceMoodReader>(
      new FaceMoodReader(std::move(*detector), std::move(*expression), options));
}

Result<FrameReading> FaceMoodReader::ReadFrame(const cv::Mat& frame, double time_s,
                                               std::optional<ExpressionViews> views) {
  if (frame.empty()) return Status::InvalidArgument("empty frame");
  if (frame.depth() != CV_8U || (frame.channels() != 1 && frame.channels() != 3 && frame.channels() != 4))
    return Status::InvalidArgument("a frame must be 8-bit grey, BGR or BGRA");
  cv::Mat bgr = frame;
  if (frame.channels() == 1) cv::cvtColor(frame, bgr, cv::COLOR_GRAY2BGR);
  else if (frame.channels() == 4) cv::cvtColor(frame, bgr, cv::COLOR_BGRA2BGR);

  FrameReading reading;
  reading.time_s = time_s;
  reading.size = bgr.size();
  std::vector<cv::Mat> crops;
  for (const FaceBox& found : detector_->Detect(bgr)) {
    const cv::Rect crop = ExpressionCrop(found.box, bgr.size());
    if (crop.width < 8 || crop.height < 8) continue;  // too few pixels to read an expression from
    FaceReading face;
    face.box = cv::Rect(found.box);
    face.detection_score = found.score;
    reading.faces.push_back(face);
    crops.push_back(bgr(crop));
  }
  const auto probabilities = expression_->Classify(crops, views.value_or(options_.views));
  std::vector<TimedEstimate> weighted;
  const double largest = reading.faces.empty() ? 1.0 : std::max(1, reading.faces.front().box.area());
  for (std::size_t i = 0; i < reading.faces.size(); ++i) {
    FaceReading& face = reading.faces[i];
    face.probabilities = probabilities[i];
    const EmotionDistribution d = Normalized(MapDistribution(LabelSet::kFer2013, face.probabilities));
    face.mood = MoodEstimate::FromDistribution(d, DistributionConfidence(d), fmt::format("face {}", i + 1));
    // The largest face is most likely the listener's; smaller ones count less.
    MoodEstimate scaled = face.mood;
    scaled.confidence *= std::sqrt(face.box.area() / largest);
    weighted.push_back({scaled, 0});
  }
  reading.mood = FuseMoods(weighted);
  reading.smoothed = reading.mood;
  return reading;
}

Result<FaceMoodResult> FaceMoodReader::Finish(std::string media, std::vector<FrameReading> frames,
                                              const std::string& prefix) const {
  std::vector<TimedEstimate> history;
  std::size_t with_faces = 0;
  for (FrameReading& frame : frames) {
    if (!frame.faces.empty()) {
      ++with_faces;
      history.push_back({frame.mood, frame.time_s});
    }
    // Smoothed: what the frames so far say, each weighed by how long ago it was.
    std::vector<TimedEstimate> aged = history;
    for (TimedEstimate& t : aged) t.age = frame.time_s - t.age;
    FusionOptions smoothing;
    smoothing.recency_half_life = options_.smoothing_half_life_s;
    frame.smoothed = FuseMoods(aged, smoothing);
  }
  if (with_faces == 0)
    return Status::NotFound(frames.size() == 1 ? fmt::format("{}no face found", prefix)
                                               : fmt::format("{}no face found in {} sampled frames", prefix, frames.size()));
  for (TimedEstimate& t : history) t.age = 0;
  FusionOptions whole;
  whole.recency_half_life = std::numeric_limits<double>::infinity();
  FaceMoodResult result;
  result.media = std::move(media);
  result.mood = FuseMoods(history, whole);
  result.frames = std::move(frames);
  return result;
}

Result<FaceMoodResult> FaceMoodReader::ReadPicture(std::span<const std::uint8_t> encoded,
                                                   std::optional<ExpressionViews> views) {
  const vision::DecodeLimits limits{options_.max_megapixels, 4096};
  auto picture = vision::DecodeImage(encoded, limits);
  if (!picture.ok()) return picture.status();
  auto frame = ReadFrame(*picture, 0, views);
  if (!frame.ok()) return frame.status();
  return Finish(std::string(vision::MediaKindName(vision::SniffMedia(encoded))), {std::move(*frame)}, "");
}

Result<FaceMoodResult> FaceMoodReader::ReadFile(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::NotFound(fmt::format("{}: no such file", path));
  if (!fs::is_regular_file(path, ec)) return Status::InvalidArgument(fmt::format("{}: not a file", path));
  const auto size = static_cast<std::int64_t>(fs::file_size(path, ec));
  if (ec) return Status::IoError(fmt::format("{}: {}", path, ec.message()));
  if (size == 0) return Status::InvalidArgument(fmt::format("{}: empty file", path));
  auto head = ReadBytes(path, 64);
  if (!head.ok()) return head.status();
  const vision::MediaKind kind = vision::SniffMedia(*head);
  if (kind == vision::MediaKind::kUnknown)
    return Status::Unsupported(fmt::format("{}: not a picture or video Emotune reads (JPEG, PNG, WebP, BMP, GIF, MP4, "
                                           "WebM, MOV)", path));
  const bool moving = kind == vision::MediaKind::kGif || kind == vision::MediaKind::kVideo;
  const std::int64_t limit = moving ? options_.max_video_bytes : options_.max_image_bytes;
  // Refused before anything is decoded: the size alone says it is too much.
  if (size > limit)
    return Status::InvalidArgument(fmt::format("{}: {:.1f} MiB is over the {} MiB limit for a {}", path,
                                               size / 1048576.0, limit >> 20, moving ? "video" : "picture"));
  if (!moving) {
    auto bytes = ReadBytes(path, size);
    if (!bytes.ok()) return bytes.status();
    auto result = ReadPicture(*bytes);
    if (!result.ok()) return result.status().WithContext(path + ": ");
    return result;
  }
  std::vector<FrameReading> frames;
  const vision::DecodeLimits limits{options_.max_megapixels, 1920};
  Status s = vision::ForEachSampledFrame(path, options_.frames_per_second, options_.max_frames, limits,
                                         [&](const cv::Mat& bgr, double time_s) -> Status {
                                           auto frame = ReadFrame(bgr, time_s);
                                           if (!frame.ok()) return frame.status();
                                           frames.push_back(std::move(*frame));
                                           return Status::Ok();
                                         });
  if (!s.ok()) return s;
  return Finish(std::string(vision::MediaKindName(kind)), std::move(frames), path + ": ");
}

}  // namespace emotune
