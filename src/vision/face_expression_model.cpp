#include "emotune/face_expression.h"

#include <filesystem>

#include <fmt/format.h>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include "vision/dnn_loading.h"

namespace emotune {
namespace {

// The network answers angry, disgust, fear, happy, sad, surprise, neutral (the
// FER2013 CSV's class ids); position i of that output goes to kToFer2013Labels[i].
constexpr std::array<std::size_t, 7> kToFer2013Labels = {0, 1, 2, 3, 5, 6, 4};

// The crop as the network expects it: 64×64 grey, (x/255 − 0.5)·2.
cv::Mat Normalised(const cv::Mat& face) {
  cv::Mat grey;
  if (face.channels() == 3) cv::cvtColor(face, grey, cv::COLOR_BGR2GRAY);
  else if (face.channels() == 4) cv::cvtColor(face, grey, cv::COLOR_BGRA2GRAY);
  else grey = face;
  const cv::Size size(FaceExpressionModel::kInputSize, FaceExpressionModel::kInputSize);
  cv::Mat resized;
  // Area averaging when shrinking avoids aliasing; bilinear when enlarging a 48×48 crop.
  cv::resize(grey, resized, size, 0, 0, grey.cols > size.width ? cv::INTER_AREA : cv::INTER_LINEAR);
  cv::Mat out;
  resized.convertTo(out, CV_32F, 2.0 / 255.0, -1.0);
  return out;
}

}  // namespace

struct FaceExpressionModel::Impl {
  cv::dnn::Net net;
};

FaceExpressionModel::FaceExpressionModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FaceExpressionModel::~FaceExpressionModel() = default;

Result<std::unique_ptr<FaceExpressionModel>> FaceExpressionModel::Load(const std::string& onnx_path) {
  auto net = vision::LoadOnnx(onnx_path, "face expression model");
  if (!net.ok()) return net.status();
  auto impl = std::make_unique<Impl>();
  impl->net = std::move(*net);
  return std::unique_ptr<FaceExpressionModel>(new FaceExpressionModel(std::move(impl)));
}

cv::Mat FaceExpressionModel::RunNetwork(const cv::Mat& blob) {
  impl_->net.setInput(blob);
  return impl_->net.forward().clone();
}

std::vector<Fer2013Probabilities> FaceExpressionModel::Classify(const std::vector<cv::Mat>& faces,
                                                                bool average_flipped) {
  std::vector<Fer2013Probabilities> out(faces.size());
  constexpr std::size_t kBatch = 64;  // one forward per batch: far cheaper than per crop
  for (std::size_t begin = 0; begin < faces.size(); begin += kBatch) {
    const std::size_t end = std::min(faces.size(), begin + kBatch);
    std::vector<cv::Mat> inputs;
    for (std::size_t i = begin; i < end; ++i) {
      inputs.push_back(Normalised(faces[i]));
      if (average_flipped) {
        cv::Mat mirrored;
        cv::flip(inputs.back(), mirrored, 1);
        inputs.push_back(mirrored);
      }
    }
    const cv::Mat probs = RunNetwork(cv::dnn::blobFromImages(inputs));
    const int per_face = average_flipped ? 2 : 1;
    for (std::size_t i = begin; i < end; ++i) {
      Fer2013Probabilities& p = out[i];
      p.fill(0);
      for (int k = 0; k < per_face; ++k) {
        const float* row = probs.ptr<float>(static_cast<int>(i - begin) * per_face + k);
        for (std::size_t c = 0; c < kToFer2013Labels.size(); ++c) p[kToFer2013Labels[c]] += row[c] / per_face;
      }
    }
  }
  return out;
}

}  // namespace emotune
