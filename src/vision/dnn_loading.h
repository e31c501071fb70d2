// Loading a shipped ONNX model into OpenCV's dnn without letting its exceptions
// escape: a missing or foreign file is an expected failure with a message.
#pragma once

#include <string>

#include <opencv2/dnn.hpp>

#include "emotune/status.h"

namespace emotune::vision {

Result<cv::dnn::Net> LoadOnnx(const std::string& path, const std::string& what);

}  // namespace emotune::vision
