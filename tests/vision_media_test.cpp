// Pictures and videos into the face reader: format sniffing, header sizes, the size
// and pixel bounds, and the errors a user sees for files that are not what they
// claim. Every fixture is generated here; none is a real face, so these test the
// paths around the models, and "no face found" is the right answer throughout.
#include <filesystem>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "emotune/face_mood.h"
#include "test_files.h"
#include "vision/face_media.h"

namespace emotune {
namespace {

using emotune::testing::TempDir;
using emotune::testing::WriteFile;
using vision::MediaKind;

const std::filesystem::path kModels = std::filesystem::path(__FILE__).parent_path().parent_path() / "models";

std::vector<std::uint8_t> Encode(const std::string& ext, const cv::Mat& picture) {
  std::vector<std::uint8_t> bytes;
  EXPECT_TRUE(cv::imencode(ext, picture, bytes));
  return bytes;
}

cv::Mat Gradient(int width, int height) {
  cv::Mat picture(height, width, CV_8UC3);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      picture.at<cv::Vec3b>(y, x) = cv::Vec3b(x * 255 / width, y * 255 / height, 128);
  return picture;
}

std::string AsString(const std::vector<std::uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }

std::unique_ptr<FaceMoodReader> Reader(FaceMoodOptions options = {}) {
  auto reader = FaceMoodReader::Load((kModels / "face-detector.onnx").string(),
                                     (kModels / "face-expression.onnx").string(), options);
  EXPECT_TRUE(reader.ok()) << reader.status().message();
  return reader.ok() ? std::move(*reader) : nullptr;
}

TEST(VisionMedia, SniffsFormatsByContentAndReadsHeaderSizes) {
  const cv::Mat picture = Gradient(37, 23);
  for (const auto& [ext, kind] : {std::pair{".jpg", MediaKind::kJpeg}, {".png", MediaKind::kPng},
                                  {".webp", MediaKind::kWebp}, {".bmp", MediaKind::kBmp}}) {
    SCOPED_TRACE(ext);
    const auto bytes = Encode(ext, picture);
    EXPECT_EQ(vision::SniffMedia(bytes), kind);
    const auto size = vision::ImageDimensions(kind, bytes);
    ASSERT_TRUE(size.has_value());
    EXPECT_EQ(*size, cv::Size(37, 23));
  }
  const std::string gif("GIF89a\x10\x00\x08\x00", 10);
  const std::vector<std::uint8_t> gif_bytes(gif.begin(), gif.end());
  EXPECT_EQ(vision::SniffMedia(gif_bytes), MediaKind::kGif);
  EXPECT_EQ(vision::ImageDimensions(MediaKind::kGif, gif_bytes), cv::Size(16, 8));
  const std::string mp4 = std::string("\0\0\0\x18", 4) + "ftypmp42";
  EXPECT_EQ(vision::SniffMedia(std::vector<std::uint8_t>(mp4.begin(), mp4.end())), MediaKind::kVideo);
  const std::string text = "hello, this is not a picture";
  EXPECT_EQ(vision::SniffMedia(std::vector<std::uint8_t>(text.begin(), text.end())), MediaKind::kUnknown);
  EXPECT_EQ(vision::SniffMedia({}), MediaKind::kUnknown);
}

TEST(VisionMedia, DecodesGreyAlphaAnd16BitPicturesToBgr) {
  cv::Mat grey(20, 30, CV_8U, cv::Scalar(90));
  cv::Mat rgba(20, 30, CV_8UC4, cv::Scalar(10, 20, 30, 0));
  cv::Mat deep(20, 30, CV_16UC3, cv::Scalar(60000, 100, 30000));
  for (const cv::Mat& m : {grey, rgba, deep}) {
    auto decoded = vision::DecodeImage(Encode(".png", m));
    ASSERT_TRUE(decoded.ok()) << decoded.status().message();
    EXPECT_EQ(decoded->type(), CV_8UC3);
    EXPECT_EQ(decoded->size(), cv::Size(30, 20));
  }
}

TEST(VisionMedia, BoundsDecodedSize) {
  vision::DecodeLimits limits;
  limits.max_megapixels = 1;
  limits.max_side = 4096;
  // A JPEG over the bound is decoded smaller by libjpeg; a PNG is refused.
  auto jpeg = vision::DecodeImage(Encode(".jpg", Gradient(2000, 1500)), limits);
  ASSERT_TRUE(jpeg.ok()) << jpeg.status().message();
  EXPECT_LE(jpeg->total(), 1'000'000u);
  EXPECT_EQ(jpeg->cols, 1000);
  auto png = vision::DecodeImage(Encode(".png", Gradient(2000, 1500)), limits);
  ASSERT_FALSE(png.ok());
  EXPECT_NE(png.status().message().find("2000×1500"), std::string::npos) << png.status().message();
  // A header claiming 12,000×12,000 is refused before any pixel is decoded.
  auto header = Encode(".png", Gradient(8, 8));
  header[16] = 0, header[17] = 0, header[18] = 0x2E, header[19] = 0xE0;  // width 12000
  header[20] = 0, header[21] = 0, header[22] = 0x2E, header[23] = 0xE0;  // height 12000
  auto huge = vision::DecodeImage(header);
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.status().message().find("144 megapixels"), std::string::npos) << huge.status().message();
  // Large pictures within the bound are shrunk to the longest side allowed.
  limits.max_megapixels = 64;
  limits.max_side = 500;
  auto shrunk = vision::DecodeImage(Encode(".png", Gradient(2000, 1000)), limits);
  ASSERT_TRUE(shrunk.ok());
  EXPECT_EQ(shrunk->size(), cv::Size(500, 250));
}

TEST(VisionMedia, ErrorsSayWhatIsWrong) {
  auto reader = Reader();
  ASSERT_NE(reader, nullptr);
  TempDir dir;
  const auto expect_error = [&](const std::string& path, Status::Code code, const std::string& words) {
    auto result = reader->ReadFile(path);
    ASSERT_FALSE(result.ok()) << path;
    EXPECT_EQ(result.status().code(), code) << result.status().message();
    EXPECT_NE(result.status().message().find(words), std::string::npos) << result.status().message();
  };
  expect_error(dir.File("missing.jpg"), Status::Code::kNotFound, "no such file");
  expect_error(WriteFile(dir.File("empty.jpg"), ""), Status::Code::kInvalidArgument, "empty");
  expect_error(WriteFile(dir.File("notes.jpg"), "just some text, named like a picture"), Status::Code::kUnsupported,
               "not a picture");
  const std::string png = AsString(Encode(".png", Gradient(64, 64)));
  expect_error(WriteFile(dir.File("cut.png"), png.substr(0, png.size() / 2)), Status::Code::kCorruption, "corrupt");
  expect_error(WriteFile(dir.File("header.png"), png.substr(0, 12)), Status::Code::kCorruption, "header");
  expect_error(WriteFile(dir.File("blank.png"), png), Status::Code::kNotFound, "no face found");
  // 50 MB: refused by its size alone (a sparse file; nothing is decoded).
  const std::string big = WriteFile(dir.File("big.jpg"), png);
  std::filesystem::resize_file(big, 50'000'000);
  expect_error(big, Status::Code::kInvalidArgument, "limit");
  const std::string mp4 = std::string("\0\0\0\x18", 4) + "ftypmp42" + std::string(200, '\x07');
  expect_error(WriteFile(dir.File("broken.mp4"), mp4), Status::Code::kCorruption, "broken.mp4");
}

TEST(VisionMedia, PicturesInMemoryAndFramesNeedNoFiles) {
  auto reader = Reader();
  ASSERT_NE(reader, nullptr);
  auto picture = reader->ReadPicture(Encode(".webp", Gradient(320, 240)));
  ASSERT_FALSE(picture.ok());
  EXPECT_EQ(picture.status().message(), "no face found");
  auto frame = reader->ReadFrame(Gradient(640, 480), 1.5);
  ASSERT_TRUE(frame.ok());
  EXPECT_TRUE(frame->faces.empty());
  EXPECT_EQ(frame->mood.confidence, 0);
  EXPECT_EQ(frame->time_s, 1.5);
  EXPECT_FALSE(reader->ReadFrame(cv::Mat()).ok());
  EXPECT_FALSE(reader->ReadFrame(cv::Mat(10, 10, CV_32FC3)).ok());
}

TEST(VisionMedia, VideosAreSampledAtTheRequestedRate) {
  TempDir dir;
  const std::string path = dir.File("clip.avi");
  {
    cv::VideoWriter writer(path, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 10, cv::Size(160, 120));
    if (!writer.isOpened()) GTEST_SKIP() << "this OpenCV cannot write MJPEG AVI";
    for (int i = 0; i < 40; ++i) writer.write(Gradient(160, 120) * (0.5 + i / 80.0));  // 4 s at 10 fps
  }
  FaceMoodOptions options;
  options.frames_per_second = 2;
  auto reader = Reader(options);
  ASSERT_NE(reader, nullptr);
  // The AVI container's RIFF magic is not one of the formats the reader takes.
  auto avi = reader->ReadFile(path);
  ASSERT_FALSE(avi.ok());
  EXPECT_EQ(avi.status().code(), Status::Code::kUnsupported);
  int frames = 0;
  std::vector<double> times;
  Status s = vision::ForEachSampledFrame(path, 2, 100, {}, [&](const cv::Mat& bgr, double t) {
    EXPECT_EQ(bgr.size(), cv::Size(160, 120));
    ++frames;
    times.push_back(t);
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(frames, 8);
  ASSERT_GE(times.size(), 2u);
  EXPECT_NEAR(times[1] - times[0], 0.5, 1e-6);
  frames = 0;
  ASSERT_TRUE(vision::ForEachSampledFrame(path, 2, 3, {}, [&](const cv::Mat&, double) {
                ++frames;
                return Status::Ok();
              }).ok());
  EXPECT_EQ(frames, 3);
}

}  // namespace
}  // namespace emotune
