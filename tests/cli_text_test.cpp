// The text commands end to end: train a small model from a file the test writes,
// read moods with it, score it, and chat with it through standard input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_files.h"

namespace emotune {
namespace {

using ::testing::HasSubstr;
using emotune::testing::CommandResult;
using emotune::testing::RunCommand;
using emotune::testing::TempDir;
using emotune::testing::WriteFile;

std::string Corpus() {
  const std::vector<std::pair<std::string, std::vector<std::string>>> words = {
      {"joy", {"happy", "glad", "cheerful", "great"}},     {"sadness", {"sad", "miserable", "lonely", "gloomy"}},
      {"anger", {"angry", "furious", "mad", "annoyed"}},   {"fear", {"scared", "afraid", "nervous", "anxious"}},
      {"love", {"loving", "tender", "romantic", "caring"}}, {"surprise", {"amazed", "shocked", "stunned", "surprised"}}};
  std::string out;
  for (const auto& [label, ws] : words)
    for (const auto& w : ws)
      for (const char* frame : {"i feel so {} today", "i am {} about it", "honestly i feel {}", "i was {} all day"}) {
        std::string line = frame;
        line.replace(line.find("{}"), 2, w);
        out += line + ";" + label + "\n";
      }
  return out;
}

class CliTextTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    data_ = new std::string(WriteFile(dir_->File("train.txt"), Corpus()));
    model_ = new std::string(dir_->File("model.bin"));
    const CommandResult r = RunCommand({EMOTUNE_BINARY, "train", "text", "--data", *data_, "--out", *model_,
                                        "--hash-bits", "16"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    delete model_;
    delete data_;
    delete dir_;
  }
  CommandResult Run(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), EMOTUNE_BINARY);
    return RunCommand(args, {{"EMOTUNE_MODELS", dir_->File("no-models-here")}}, input);
  }
  static TempDir* dir_;
  static std::string* data_;
  static std::string* model_;
};
TempDir* CliTextTest::dir_ = nullptr;
std::string* CliTextTest::data_ = nullptr;
std::string* CliTextTest::model_ = nullptr;

TEST_F(CliTextTest, MoodJsonHasTheDocumentedKeys) {
  const CommandResult r = Run({"mood", "--text", "i feel so happy today", "--model", *model_, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["emotion"], "joy");
  for (const char* key : {"confidence", "valence", "arousal"}) EXPECT_TRUE(j[key].is_number()) << key;
  ASSERT_TRUE(j["distribution"].is_object());
  EXPECT_EQ(j["distribution"].size(), 9u);
  EXPECT_TRUE(j["distribution"].contains("sadness"));
}

TEST_F(CliTextTest, MoodPlainTextAndErrors) {
  const CommandResult plain = Run({"mood", "--text", "i was furious all day", "--model", *model_});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_THAT(plain.out, HasSubstr("anger"));
  const CommandResult blank = Run({"mood", "--text", "   ", "--model", *model_});
  EXPECT_EQ(blank.exit_code, 1);
  EXPECT_THAT(blank.err, HasSubstr("no text"));
  EXPECT_EQ(Run({"mood"}).exit_code, 2);
  const CommandResult no_model = Run({"mood", "--text", "hello", "--model", dir_->File("missing.bin")});
  EXPECT_EQ(no_model.exit_code, 1);
  EXPECT_THAT(no_model.err, HasSubstr("missing.bin"));
}

TEST_F(CliTextTest, EvalJsonReportsAccuracyAndMacroF1) {
  const CommandResult r = Run({"eval", "text", "--data", *data_, "--model", *model_, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["n"], 96);
  EXPECT_GT(j["accuracy"].get<double>(), 0.9);  // its own training data
  EXPECT_TRUE(j["macro_f1"].is_number());
  EXPECT_EQ(j["confusion"].size(), 6u);
}

TEST_F(CliTextTest, TrainingErrorsNameFileAndLine) {
  const std::string bad = WriteFile(dir_->File("bad.txt"), "fine;joy\nwhat is this;boredom\n");
  const CommandResult r = Run({"train", "text", "--data", bad, "--out", dir_->File("x.bin")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("bad.txt:2:"));
  EXPECT_EQ(Run({"train", "text", "--data", *data_ + "@-1", "--out", dir_->File("y.bin")}).exit_code, 2);
}

TEST_F(CliTextTest, ChatReadsStdinAndReachesARequest) {
  const CommandResult r = Run({"chat", "--model", *model_, "--json"},
                              "i was miserable all day\ni feel so sad and lonely\nhonestly i feel gloomy\nyes\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  bool greeted = false, requested = false;
  std::size_t start = 0;
  while (start < r.out.size()) {
    const std::size_t end = r.out.find('\n', start);
    const std::string line = r.out.substr(start, end - start);
    start = end == std::string::npos ? r.out.size() : end + 1;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) continue;
    greeted |= j.contains("reply") && !j.contains("turn");
    if (j.contains("request")) {
      requested = true;
      EXPECT_EQ(j["request"]["strategy"], "uplift");
    }
  }
  EXPECT_TRUE(greeted);
  EXPECT_TRUE(requested) << r.out;
}

}  // namespace
}  // namespace emotune
