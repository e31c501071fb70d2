// The converted face models as OpenCV's dnn runs them, against the numbers the
// conversion tool (tools/convert_tfjs_face_models.py) recorded from its own numpy
// forward pass: a wrong layout, padding or class order shows up here.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include "emotune/face_detector.h"
#include "emotune/face_expression.h"

namespace emotune {
namespace {

const std::filesystem::path kModels = std::filesystem::path(__FILE__).parent_path().parent_path() / "models";

nlohmann::json Reference() {
  std::ifstream in(kModels / "face-models-reference.json");
  return nlohmann::json::parse(in);
}

// The tool's generated_input(channels, size, seed 0), NCHW.
cv::Mat GeneratedBlob(int channels, int size) {
  const int shape[] = {1, channels, size, size};
  cv::Mat blob(4, shape, CV_32F);
  float* v = blob.ptr<float>();
  for (int c = 0; c < channels; ++c)
    for (int y = 0; y < size; ++y)
      for (int x = 0; x < size; ++x)
        *v++ = static_cast<float>(0.9 * std::sin(0.37 * x + 0.23 * y + 1.3 * c) * std::cos(0.11 * x - 0.19 * y));
  return blob;
}

void ExpectMatches(const cv::Mat& got, const nlohmann::json& want, double tolerance) {
  const cv::Mat flat = got.reshape(1, 1);
  ASSERT_EQ(static_cast<std::size_t>(flat.total()), [&] {
    std::size_t n = 1;
    for (int d : want["shape"]) n *= static_cast<std::size_t>(d);
    return n;
  }());
  const auto& first = want["first"];
  for (std::size_t i = 0; i < first.size(); ++i)
    EXPECT_NEAR(flat.at<float>(0, static_cast<int>(i)), first[i].get<double>(), tolerance) << "value " << i;
  EXPECT_NEAR(cv::sum(flat)[0], want["sum"].get<double>(), tolerance * std::max(1.0, std::abs(want["sum"].get<double>())));
  double max = 0;
  cv::minMaxLoc(flat, nullptr, &max);
  EXPECT_NEAR(max, want["max"].get<double>(), tolerance * std::max(1.0, std::abs(want["max"].get<double>())));
}

TEST(VisionModels, ExpressionNetworkMatchesTheConversionReference) {
  auto model = FaceExpressionModel::Load((kModels / "face-expression.onnx").string());
  ASSERT_TRUE(model.ok()) << model.status().message();
  const cv::Mat out = (*model)->RunNetwork(GeneratedBlob(1, 64));
  ExpectMatches(out, Reference()["face-expression.onnx"]["outputs"]["probabilities"], 1e-5);
}

TEST(VisionModels, DetectorNetworkMatchesTheConversionReference) {
  auto detector = FaceDetector::Load((kModels / "face-detector.onnx").string());
  ASSERT_TRUE(detector.ok()) << detector.status().message();
  const std::vector<cv::Mat> outputs = (*detector)->RunNetwork(GeneratedBlob(3, 256));
  const auto reference = Reference()["face-detector.onnx"]["outputs"];
  const char* names[] = {"scores_stride16", "boxes_stride16", "scores_stride32", "boxes_stride32"};
  ASSERT_EQ(outputs.size(), 4u);
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    SCOPED_TRACE(names[i]);
    ExpectMatches(outputs[i], reference[names[i]], 2e-3);  // logits up to ~200: float32 rounding
  }
}

TEST(VisionModels, ClassifyReordersIntoFer2013LabelOrder) {
  auto model = FaceExpressionModel::Load((kModels / "face-expression.onnx").string());
  ASSERT_TRUE(model.ok());
  // A crop whose normalised pixels equal the generated blob: 0.9·… in [-1, 1] back to 0..255.
  const cv::Mat blob = GeneratedBlob(1, 64);
  cv::Mat grey(64, 64, CV_32F, const_cast<float*>(blob.ptr<float>()));
  cv::Mat crop;
  grey.convertTo(crop, CV_8U, 127.5, 127.5);
  const auto probs = (*model)->Classify({crop}, ExpressionViews::kSingle);
  ASSERT_EQ(probs.size(), 1u);
  const cv::Mat raw = (*model)->RunNetwork(blob);
  // Network order angry, disgust, fear, happy, sad, surprise, neutral; ours puts
  // neutral fifth. Rounding the crop to 8 bits moves the numbers a little.
  const int network_index_of[7] = {0, 1, 2, 3, 6, 4, 5};
  double sum = 0;
  for (int i = 0; i < 7; ++i) {
    EXPECT_NEAR(probs[0][i], raw.at<float>(0, network_index_of[i]), 0.02) << i;
    sum += probs[0][i];
  }
  EXPECT_NEAR(sum, 1.0, 1e-5);
  const auto flipped = (*model)->Classify({crop}, ExpressionViews::kMirror);
  EXPECT_NE(flipped[0], probs[0]);  // the mirror image is averaged in
  const auto scaled = (*model)->Classify({crop}, ExpressionViews::kScalesAndMirror);
  EXPECT_NE(scaled[0], flipped[0]);  // so are the 90 % and 110 % views
  EXPECT_NEAR(std::accumulate(scaled[0].begin(), scaled[0].end(), 0.0), 1.0, 1e-5);
  // Several crops in one call come out as each alone would.
  const auto pair = (*model)->Classify({crop, crop}, ExpressionViews::kScalesAndMirror);
  ASSERT_EQ(pair.size(), 2u);
  for (int i = 0; i < 7; ++i) EXPECT_NEAR(pair[1][i], scaled[0][i], 1e-6);
}

TEST(VisionModels, ViewNamesParse) {
  EXPECT_EQ(*ParseExpressionViews("single"), ExpressionViews::kSingle);
  EXPECT_EQ(*ParseExpressionViews("mirror"), ExpressionViews::kMirror);
  EXPECT_EQ(*ParseExpressionViews("scales"), ExpressionViews::kScalesAndMirror);
  EXPECT_FALSE(ParseExpressionViews("zoom").ok());
}

TEST(VisionModels, BlankPicturesHaveNoFaces) {
  auto detector = FaceDetector::Load((kModels / "face-detector.onnx").string());
  ASSERT_TRUE(detector.ok());
  EXPECT_TRUE((*detector)->Detect(cv::Mat(480, 640, CV_8UC3, cv::Scalar::all(0))).empty());
  EXPECT_TRUE((*detector)->Detect(cv::Mat(300, 1200, CV_8UC3, cv::Scalar(40, 160, 220))).empty());
  EXPECT_TRUE((*detector)->Detect(cv::Mat()).empty());
}

TEST(VisionModels, MissingOrForeignModelFilesAreErrors) {
  auto missing = FaceDetector::Load("/nonexistent/face-detector.onnx");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  auto foreign = FaceExpressionModel::Load((kModels / "face-models-reference.json").string());
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.status().code(), Status::Code::kCorruption);
}

}  // namespace
}  // namespace emotune
