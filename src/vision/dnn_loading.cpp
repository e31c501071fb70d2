#include "vision/dnn_loading.h"

#include <filesystem>

#include <fmt/format.h>

namespace emotune::vision {

Result<cv::dnn::Net> LoadOnnx(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return Status::NotFound(fmt::format("{} not found: {} (set EMOTUNE_MODELS or pass --model)", what, path));
  try {
    cv::dnn::Net net = cv::dnn::readNetFromONNX(path);
    if (net.empty()) return Status::Corruption(fmt::format("{}: {} holds no network", what, path));
    net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    return net;
  } catch (const cv::Exception& e) {
    return Status::Corruption(fmt::format("{}: cannot load {}: {}", what, path, e.err));
  }
}

}  // namespace emotune::vision
