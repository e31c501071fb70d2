// Turns a still picture into a short Y4M video for Chromium's fake camera
// (--use-file-for-fake-video-capture), so the browser test's webcam shows a real
// face without a camera. Usage: emotune_make_y4m IMAGE OUT.y4m [WIDTH HEIGHT FRAMES]
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

int main(int argc, char** argv) {
  if (argc != 3 && argc != 6) {
    std::fprintf(stderr, "usage: %s IMAGE OUT.y4m [WIDTH HEIGHT FRAMES]\n", argv[0]);
    return 2;
  }
  const int width = argc == 6 ? std::atoi(argv[3]) : 640;
  const int height = argc == 6 ? std::atoi(argv[4]) : 480;
  const int frames = argc == 6 ? std::atoi(argv[5]) : 10;
  if (width <= 0 || height <= 0 || width % 2 || height % 2 || frames <= 0) {
    std::fprintf(stderr, "%s: width and height must be even and positive, frames positive\n", argv[0]);
    return 2;
  }
  cv::Mat image = cv::imread(argv[1], cv::IMREAD_COLOR);
  if (image.empty()) {
    std::fprintf(stderr, "%s: cannot read %s as an image\n", argv[0], argv[1]);
    return 1;
  }
  // Letterbox: the face keeps its proportions, as it would in a real camera frame.
  const double scale = std::min(double(width) / image.cols, double(height) / image.rows);
  cv::Mat resized;
  cv::resize(image, resized, cv::Size(), scale, scale, cv::INTER_AREA);
  cv::Mat frame(height, width, CV_8UC3, cv::Scalar(40, 40, 40));
  resized.copyTo(frame(cv::Rect((width - resized.cols) / 2, (height - resized.rows) / 2, resized.cols, resized.rows)));
  cv::Mat i420;
  cv::cvtColor(frame, i420, cv::COLOR_BGR2YUV_I420);

  std::ofstream out(argv[2], std::ios::binary);
  out << "YUV4MPEG2 W" << width << " H" << height << " F10:1 Ip A1:1 C420jpeg\n";
  for (int f = 0; f < frames; ++f) {
    out << "FRAME\n";
    out.write(reinterpret_cast<const char*>(i420.data), static_cast<std::streamsize>(i420.total() * i420.elemSize()));
  }
  if (!out) {
    std::fprintf(stderr, "%s: cannot write %s\n", argv[0], argv[2]);
    return 1;
  }
  return 0;
}
