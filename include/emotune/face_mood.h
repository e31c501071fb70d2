// FaceMoodReader: a picture, an animation, a video or one webcam frame → every face
// in it (box, expression, confidence) and the listener's mood, fused over faces and
// over time with FuseMoods (mood_fusion.h). Pictures are decoded in memory; nothing
// is written to disk. One reader is not thread-safe: give each thread its own.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "emotune/face_detector.h"
#include "emotune/face_expression.h"
#include "emotune/mood_estimate.h"
#include "emotune/status.h"

namespace emotune {

struct FaceReading {
  cv::Rect box;                     // in the frame's pixels
  double detection_score = 0;       // (0, 1)
  Fer2013Probabilities probabilities{};
  MoodEstimate mood;                // the expression mapped into the nine (label_map.h)
};

struct FrameReading {
  double time_s = 0;                // 0 for a still picture
  cv::Size size;                    // the frame as analysed (large pictures are shrunk)
  std::vector<FaceReading> faces;   // largest first
  MoodEstimate mood;                // this frame's faces fused, largest counting most
  MoodEstimate smoothed;            // frames so far fused, older ones decaying
};

struct FaceMoodOptions {
  double frames_per_second = 2;          // video and GIF sampling rate
  int max_frames = 120;                  // sampled frames at most
  double smoothing_half_life_s = 2;      // for FrameReading::smoothed
  // Test-time views per face (face_expression.h): all six for pictures and videos;
  // a live camera gets a new frame a moment later, so its frames default to two
  // (ReadFrame/ReadPicture's `views`), which keeps a frame within 30 ms on one core.
  ExpressionViews views = ExpressionViews::kScalesAndMirror;
  std::int64_t max_image_bytes = 40LL << 20;  // refused before reading: 40 MiB
  std::int64_t max_video_bytes = 2LL << 30;   // 2 GiB
  double max_megapixels = 64;            // decoded-size bound (see DecodeLimits)
};

struct FaceMoodResult {
  std::string media;                 // "JPEG", "PNG", "WebP", "BMP", "GIF" or "video"
  MoodEstimate mood;                 // over every frame with a face, equally weighted in time
  std::vector<FrameReading> frames;  // every sampled frame, with or without faces
};

class FaceMoodReader {
 public:
  static Result<std::unique_ptr<FaceMoodReader>> Load(const std::string& detector_path,
                                                      const std::string& expression_path,
                                                      const FaceMoodOptions& options = {});

  // One frame already in memory (a webcam frame from the web app): 8-bit BGR, grey
  // or BGRA. No face is not an error here: `faces` is empty and `mood` has
  // confidence 0.
  // `views` overrides options().views for this frame.
  Result<FrameReading> ReadFrame(const cv::Mat& frame, double time_s = 0,
                                 std::optional<ExpressionViews> views = std::nullopt);

  // An encoded still picture (JPEG, PNG, WebP, BMP) held in memory.
  Result<FaceMoodResult> ReadPicture(std::span<const std::uint8_t> encoded,
                                     std::optional<ExpressionViews> views = std::nullopt);

  // A picture, GIF or video file. NotFound when no face is found anywhere in it
  // (the message says so, rather than guessing a mood); InvalidArgument for a file
  // over the size limits; Unsupported for a format Emotune does not read;
  // Corruption for one that does not decode.
  Result<FaceMoodResult> ReadFile(const std::string& path);

  const FaceMoodOptions& options() const { return options_; }

 private:
  FaceMoodReader(std::unique_ptr<FaceDetector> detector, std::unique_ptr<FaceExpressionModel> expression,
                 const FaceMoodOptions& options);
  Result<FaceMoodResult> Finish(std::string media, std::vector<FrameReading> frames, const std::string& prefix) const;

  std::unique_ptr<FaceDetector> detector_;
  std::unique_ptr<FaceExpressionModel> expression_;
  FaceMoodOptions options_;
};

}  // namespace emotune
