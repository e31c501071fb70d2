// Face benchmark: detection and expression per stage on a 640×480 webcam-sized frame
// holding one real face (tests/data/faces/smiling-face.jpg, letterboxed), on one core
// (OpenCV's own threads off), for each test-time view setting. Prints median and p99
// wall time and the thread's CPU time per call, so figures taken on a busy machine
// still say what one core costs.
//
//   build/release/bench/face_bench [--frames N] [--image FILE] [--json]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "emotune/face_detector.h"
#include "emotune/face_expression.h"
#include "emotune/face_mood.h"

namespace {

using Clock = std::chrono::steady_clock;

double ThreadCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

struct Timing {
  std::vector<double> wall_ms;
  double cpu_ms = 0;
  double Median() {
    std::sort(wall_ms.begin(), wall_ms.end());
    return wall_ms[wall_ms.size() / 2];
  }
  double P99() {
    std::sort(wall_ms.begin(), wall_ms.end());
    return wall_ms[std::min(wall_ms.size() - 1, wall_ms.size() * 99 / 100)];
  }
  double CpuPerCall() const { return cpu_ms / wall_ms.size(); }
};

template <typename F>
Timing Time(int n, F&& f) {
  for (int i = 0; i < 3; ++i) f();  // warm-up: the first forward allocates
  Timing t;
  const double cpu0 = ThreadCpuMs();
  for (int i = 0; i < n; ++i) {
    const auto start = Clock::now();
    f();
    t.wall_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  t.cpu_ms = ThreadCpuMs() - cpu0;
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  std::string image_path = EMOTUNE_SOURCE_DIR "/tests/data/faces/smiling-face.jpg";
  const std::string models = EMOTUNE_SOURCE_DIR "/models/";
  int frames = 200;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--frames" && i + 1 < argc) frames = std::max(1, std::atoi(argv[++i]));
    else if (a == "--image" && i + 1 < argc) image_path = argv[++i];
    else if (a == "--json") json = true;
    else {
      fmt::print(stderr, "usage: face_bench [--frames N] [--image FILE] [--json]\n");
      return 2;
    }
  }
  cv::setNumThreads(1);
  const cv::Mat picture = cv::imread(image_path, cv::IMREAD_COLOR);
  if (picture.empty()) {
    fmt::print(stderr, "face_bench: cannot read {}\n", image_path);
    return 1;
  }
  cv::Mat frame(480, 640, CV_8UC3, cv::Scalar(40, 40, 40));
  const double scale = std::min(640.0 / picture.cols, 480.0 / picture.rows) * 0.8;
  cv::Mat face;
  cv::resize(picture, face, cv::Size(), scale, scale, cv::INTER_AREA);
  face.copyTo(frame(cv::Rect((640 - face.cols) / 2, (480 - face.rows) / 2, face.cols, face.rows)));

  auto detector = emotune::FaceDetector::Load(models + "face-detector.onnx");
  auto expression = emotune::FaceExpressionModel::Load(models + "face-expression.onnx");
  if (!detector.ok() || !expression.ok()) {
    fmt::print(stderr, "face_bench: {}\n", detector.ok() ? expression.status().message() : detector.status().message());
    return 1;
  }
  std::vector<emotune::FaceBox> boxes;
  Timing detect = Time(frames, [&] { boxes = (*detector)->Detect(frame); });
  if (boxes.empty()) {
    fmt::print(stderr, "face_bench: no face found in the frame\n");
    return 1;
  }
  const cv::Rect box = cv::Rect(boxes[0].box) & cv::Rect(0, 0, frame.cols, frame.rows);
  const std::vector<cv::Mat> crops = {frame(box)};

  nlohmann::json out = {{"frame", "640x480"}, {"faces", boxes.size()}, {"frames", frames},
                        {"detect", {{"median_ms", detect.Median()}, {"p99_ms", detect.P99()}, {"cpu_ms", detect.CpuPerCall()}}}};
  if (!json)
    fmt::print("640×480 frame, {} face(s), {} calls each, one thread\n"
               "  detection            median {:6.2f} ms  p99 {:6.2f} ms  CPU {:6.2f} ms\n",
               boxes.size(), frames, detect.Median(), detect.P99(), detect.CpuPerCall());
  for (const auto& [name, views] : {std::pair{"single", emotune::ExpressionViews::kSingle},
                                    std::pair{"mirror", emotune::ExpressionViews::kMirror},
                                    std::pair{"scales", emotune::ExpressionViews::kScalesAndMirror}}) {
    Timing t = Time(frames, [&] { (void)(*expression)->Classify(crops, views); });
    out["expression"][name] = {{"median_ms", t.Median()}, {"p99_ms", t.P99()}, {"cpu_ms", t.CpuPerCall()}};
    if (!json)
      fmt::print("  expression ({:6})   median {:6.2f} ms  p99 {:6.2f} ms  CPU {:6.2f} ms\n", name, t.Median(), t.P99(),
                 t.CpuPerCall());
  }
  // The whole frame path: a webcam frame (the web app's camera) and a photo.
  auto reader = emotune::FaceMoodReader::Load(models + "face-detector.onnx", models + "face-expression.onnx");
  if (!reader.ok()) {
    fmt::print(stderr, "face_bench: {}\n", reader.status().message());
    return 1;
  }
  for (const auto& [name, views] : {std::pair{"live", emotune::ExpressionViews::kMirror},
                                    std::pair{"photo", emotune::ExpressionViews::kScalesAndMirror}}) {
    Timing whole = Time(frames, [&] { (void)(*reader)->ReadFrame(frame, 0, views); });
    out["read_frame"][name] = {{"median_ms", whole.Median()}, {"p99_ms", whole.P99()}, {"cpu_ms", whole.CpuPerCall()}};
    if (!json)
      fmt::print("  ReadFrame ({:5})    median {:6.2f} ms  p99 {:6.2f} ms  CPU {:6.2f} ms\n", name, whole.Median(),
                 whole.P99(), whole.CpuPerCall());
  }
  if (json) fmt::print("{}\n", out.dump(2));
  return 0;
}
