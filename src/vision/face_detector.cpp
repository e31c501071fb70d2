#include "emotune/face_detector.h"

#include <algorithm>
#include <cmath>

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include "vision/dnn_loading.h"

namespace emotune {
namespace {

constexpr int kValuesPerAnchor = 16;  // box centre, size, then six key points

// One output head: a grid of cells, `anchors` boxes per cell, scores and box
// regressions as the converted graph leaves them (NCHW: anchor-major channels).
struct Head {
  int stride;
  int anchors;
  const char* scores;
  const char* boxes;
};
// MediaPipe's back-camera SSD anchors: strides 16 and 32 (its three 32-stride
// layers merged), two and six fixed-size anchors per cell.
constexpr Head kHeads[] = {{16, 2, "scores_stride16", "boxes_stride16"}, {32, 6, "scores_stride32", "boxes_stride32"}};

float Sigmoid(float logit) { return 1.0f / (1.0f + std::exp(-std::clamp(logit, -80.0f, 80.0f))); }

}  // namespace

struct FaceDetector::Impl {
  cv::dnn::Net net;
  FaceDetectorOptions options;
  std::vector<std::string> output_names;
};

FaceDetector::FaceDetector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FaceDetector::~FaceDetector() = default;

Result<std::unique_ptr<FaceDetector>> FaceDetector::Load(const std::string& onnx_path,
                                                         const FaceDetectorOptions& options) {
  auto net = vision::LoadOnnx(onnx_path, "face detector");
  if (!net.ok()) return net.status();
  auto impl = std::make_unique<Impl>();
  impl->net = std::move(*net);
  impl->options = options;
  for (const Head& head : kHeads) {
    impl->output_names.push_back(head.scores);
    impl->output_names.push_back(head.boxes);
  }
  return std::unique_ptr<FaceDetector>(new FaceDetector(std::move(impl)));
}

std::vector<cv::Mat> FaceDetector::RunNetwork(const cv::Mat& blob) {
  impl_->net.setInput(blob);
  std::vector<cv::Mat> outputs;
  impl_->net.forward(outputs, impl_->output_names);
  for (auto& m : outputs) m = m.clone();
  return outputs;
}

std::vector<FaceBox> FaceDetector::Detect(const cv::Mat& bgr) {
  if (bgr.empty()) return {};
  // Letterbox: keep the aspect ratio (MediaPipe trained on undistorted faces) and
  // pad the short side with black.
  const double scale = static_cast<double>(kInputSize) / std::max(bgr.cols, bgr.rows);
  const cv::Size scaled(std::max(1, static_cast<int>(std::lround(bgr.cols * scale))),
                        std::max(1, static_cast<int>(std::lround(bgr.rows * scale))));
  cv::Mat resized;
  cv::resize(bgr, resized, scaled, 0, 0, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  cv::Mat square(kInputSize, kInputSize, CV_8UC3, cv::Scalar::all(0));
  const int pad_x = (kInputSize - scaled.width) / 2, pad_y = (kInputSize - scaled.height) / 2;
  resized.copyTo(square(cv::Rect(pad_x, pad_y, scaled.width, scaled.height)));
  // RGB scaled to [-1, 1].
  const cv::Mat blob = cv::dnn::blobFromImage(square, 1.0 / 127.5, cv::Size(), cv::Scalar::all(127.5), true);
  const std::vector<cv::Mat> outputs = RunNetwork(blob);

  std::vector<cv::Rect2d> boxes;
  std::vector<float> scores;
  for (std::size_t h = 0; h < std::size(kHeads); ++h) {
    const Head& head = kHeads[h];
    const cv::Mat& score_map = outputs[2 * h];
    const cv::Mat& box_map = outputs[2 * h + 1];
    const int grid = kInputSize / head.stride;
    const int plane = grid * grid;
    const float* score_data = score_map.ptr<float>();
    const float* box_data = box_map.ptr<float>();
    for (int a = 0; a < head.anchors; ++a) {
      for (int cell = 0; cell < plane; ++cell) {
        const float score = Sigmoid(score_data[a * plane + cell]);
        if (score < impl_->options.min_score) continue;
        const float* reg = box_data + static_cast<std::ptrdiff_t>(a) * kValuesPerAnchor * plane + cell;
        // Offsets are in input pixels from the anchor, the cell's centre.
        const double cx = (cell % grid + 0.5) * head.stride + reg[0];
        const double cy = (cell / grid + 0.5) * head.stride + reg[plane];
        const double w = reg[2 * plane], hgt = reg[3 * plane];
        if (!(w > 0 && hgt > 0)) continue;
        // Back from the letterboxed 256×256 to the picture's pixels.
        boxes.emplace_back((cx - w / 2 - pad_x) / scale, (cy - hgt / 2 - pad_y) / scale, w / scale, hgt / scale);
        scores.push_back(score);
      }
    }
  }
  std::vector<int> kept;
  cv::dnn::NMSBoxes(boxes, scores, impl_->options.min_score, impl_->options.max_overlap, kept);
  const cv::Rect2d picture(0, 0, bgr.cols, bgr.rows);
  std::vector<FaceBox> faces;
  for (int i : kept) {
    const cv::Rect2d clipped = boxes[i] & picture;
    if (clipped.width < 2 || clipped.height < 2) continue;
    faces.push_back({cv::Rect2f(clipped), scores[i]});
  }
  std::sort(faces.begin(), faces.end(), [](const FaceBox& a, const FaceBox& b) { return a.box.area() > b.box.area(); });
  return faces;
}

}  // namespace emotune
