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

// The crop at `scale` of its size around its centre: cut in below 1, grown by
// repeating its border above 1 (a detector box is sometimes tight, sometimes loose;
// FER2013's crops vary the same way).
cv::Mat Rescaled(const cv::Mat& face, double scale) {
  if (scale == 1.0) return face;
  const int side = std::min(face.cols, face.rows);
  if (scale < 1.0) {
    const int w = std::max(1, static_cast<int>(std::lround(face.cols * scale)));
    const int h = std::max(1, static_cast<int>(std::lround(face.rows * scale)));
    return face(cv::Rect((face.cols - w) / 2, (face.rows - h) / 2, w, h));
  }
  const int pad = static_cast<int>(std::lround(side * (scale - 1.0) / 2.0));
  cv::Mat grown;
  cv::copyMakeBorder(face, grown, pad, pad, pad, pad, cv::BORDER_REPLICATE);
  return grown;
}

struct View {
  double scale;
  bool mirrored;
};

std::vector<View> ViewsOf(ExpressionViews views) {
  switch (views) {
    case ExpressionViews::kSingle: return {{1.0, false}};
    case ExpressionViews::kMirror: return {{1.0, false}, {1.0, true}};
    case ExpressionViews::kScalesAndMirror:
      return {{1.0, false}, {1.0, true}, {0.9, false}, {0.9, true}, {1.1, false}, {1.1, true}};
  }
  return {{1.0, false}};
}

}  // namespace

Result<ExpressionViews> ParseExpressionViews(std::string_view name) {
  if (name == "single") return ExpressionViews::kSingle;
  if (name == "mirror") return ExpressionViews::kMirror;
  if (name == "scales") return ExpressionViews::kScalesAndMirror;
  return Status::InvalidArgument(fmt::format("unknown face views '{}' (single, mirror or scales)", name));
}

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
                                                                ExpressionViews views) {
  const std::vector<View> view_list = ViewsOf(views);
  const std::size_t per_face = view_list.size();
  std::vector<Fer2013Probabilities> out(faces.size());
  // One forward per batch of about 64 inputs: far cheaper than one per crop.
  const std::size_t batch = std::max<std::size_t>(1, 64 / per_face);
  for (std::size_t begin = 0; begin < faces.size(); begin += batch) {
    const std::size_t end = std::min(faces.size(), begin + batch);
    std::vector<cv::Mat> inputs;
    for (std::size_t i = begin; i < end; ++i) {
      for (const View& v : view_list) {
        cv::Mat input = Normalised(Rescaled(faces[i], v.scale));
        if (v.mirrored) cv::flip(input, input, 1);
        inputs.push_back(std::move(input));
      }
    }
    const cv::Mat probs = RunNetwork(cv::dnn::blobFromImages(inputs));
    for (std::size_t i = begin; i < end; ++i) {
      Fer2013Probabilities& p = out[i];
      p.fill(0);
      for (std::size_t k = 0; k < per_face; ++k) {
        const float* row = probs.ptr<float>(static_cast<int>((i - begin) * per_face + k));
        for (std::size_t c = 0; c < kToFer2013Labels.size(); ++c) p[kToFer2013Labels[c]] += row[c] / per_face;
      }
    }
  }
  return out;
}

}  // namespace emotune
