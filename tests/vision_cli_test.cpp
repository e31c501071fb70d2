// `emotune mood --face` and `recommend --face` end to end on a real photograph
// (tests/data/faces/smiling-face.jpg, public domain): the JSON keys, every face with
// its box (largest first), no face → a clear error and no guess, and a playlist
// from the face's mood.
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "test_files.h"

namespace emotune {
namespace {

using ::testing::HasSubstr;
using testing::CommandResult;
using testing::RunCommand;
using testing::TempDir;

const std::filesystem::path kSource = std::filesystem::path(__FILE__).parent_path().parent_path();
const std::string kSmilingFace = (kSource / "tests/data/faces/smiling-face.jpg").string();

class VisionCliTest : public ::testing::Test {
 protected:
  CommandResult Emotune(std::vector<std::string> args) {
    args.insert(args.begin(), EMOTUNE_BINARY);
    return RunCommand(args, {{"EMOTUNE_DB", dir_.File("catalog.db")}, {"XDG_DATA_HOME", dir_.File("xdg")}});
  }
  TempDir dir_;
};

TEST_F(VisionCliTest, ASmilingFaceReadsAsJoyWithItsBox) {
  const CommandResult r = Emotune({"mood", "--face", kSmilingFace, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  for (const char* key : {"emotion", "confidence", "valence", "arousal", "distribution", "faces"})
    EXPECT_TRUE(doc.contains(key)) << key;
  EXPECT_EQ(doc["emotion"], "joy");
  EXPECT_GT(doc["valence"].get<double>(), 0.5);
  ASSERT_EQ(doc["faces"].size(), 1u);
  const auto& box = doc["faces"][0]["box"];
  // The face sits in the middle of the 200×200 crop.
  EXPECT_GT(box["width"].get<int>(), 50);
  EXPECT_LT(box["x"].get<int>() + box["width"].get<int>(), 201);
  EXPECT_EQ(doc["faces"][0]["emotion"], "joy");

  const CommandResult text = Emotune({"mood", "--face", kSmilingFace});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("joy"));
}

TEST_F(VisionCliTest, EveryFaceIsReportedLargestFirst) {
  const cv::Mat face = cv::imread(kSmilingFace);
  ASSERT_FALSE(face.empty());
  cv::Mat group(400, 800, CV_8UC3, cv::Scalar(90, 90, 90));
  cv::Mat small;
  cv::resize(face, small, cv::Size(), 0.6, 0.6, cv::INTER_AREA);
  small.copyTo(group(cv::Rect(40, 120, small.cols, small.rows)));
  face.copyTo(group(cv::Rect(500, 100, face.cols, face.rows)));
  const std::string path = dir_.File("two.png");
  ASSERT_TRUE(cv::imwrite(path, group));
  const CommandResult r = Emotune({"mood", "--face", path, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto faces = nlohmann::json::parse(r.out)["faces"];
  ASSERT_EQ(faces.size(), 2u);
  EXPECT_GT(faces[0]["box"]["width"].get<int>(), faces[1]["box"]["width"].get<int>());
  EXPECT_GT(faces[0]["box"]["x"].get<int>(), 400);  // the larger face is the right-hand one
}

TEST_F(VisionCliTest, NoFaceIsAnErrorNotAGuess) {
  const std::string path = dir_.File("wall.png");
  ASSERT_TRUE(cv::imwrite(path, cv::Mat(240, 320, CV_8UC3, cv::Scalar(200, 180, 160))));
  const CommandResult r = Emotune({"mood", "--face", path, "--json"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("no face found"));
  EXPECT_THAT(r.err, HasSubstr("wall.png"));
}

TEST_F(VisionCliTest, RecommendFromAFace) {
  const CommandResult import = Emotune({"import", (kSource / "examples/demo-catalog.csv").string()});
  ASSERT_EQ(import.exit_code, 0) << import.err;
  const CommandResult r = Emotune({"recommend", "--face", kSmilingFace, "-n", "5", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["mood"]["emotion"], "joy");
  EXPECT_EQ(doc["tracks"].size(), 5u);
}

}  // namespace
}  // namespace emotune
