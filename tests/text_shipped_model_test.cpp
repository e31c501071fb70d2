// The shipped text model (models/text-emotion.bin, committed with the code) on
// messages whose mood is not in doubt, and on the inputs the issue names: these pin
// what a user sees from `emotune mood --text` and the chat.
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "emotune/mood_chat.h"
#include "emotune/text_emotion_model.h"

namespace emotune {
namespace {

class ShippedTextModelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto path = std::filesystem::path(__FILE__).parent_path().parent_path() / "models/text-emotion.bin";
    auto model = TextEmotionModel::Load(path.string());
    ASSERT_TRUE(model.ok()) << model.status().message();
    model_ = model->release();
  }
  static void TearDownTestSuite() { delete model_; }
  static MoodEstimate Read(std::string_view text) {
    auto mood = model_->ReadMood(text);
    EXPECT_TRUE(mood.ok()) << text << ": " << mood.status().message();
    return mood.ok() ? *mood : MoodEstimate{};
  }
  static TextEmotionModel* model_;
};
TextEmotionModel* ShippedTextModelTest::model_ = nullptr;

TEST_F(ShippedTextModelTest, ClearMessages) {
  const std::vector<std::pair<std::string, Emotion>> cases = {
      {"I got the job today, I'm so happy!", Emotion::kJoy},
      {"I feel so lonely and empty", Emotion::kSadness},
      {"this is infuriating, I hate waiting", Emotion::kAnger},
      {"I'm terrified of the exam tomorrow", Emotion::kFear},
      {"I LOVE YOU SO MUCH", Emotion::kLove},
      {"this is disgusting, gross", Emotion::kDisgust},
  };
  for (const auto& [text, emotion] : cases) {
    const MoodEstimate m = Read(text);
    EXPECT_EQ(m.dominant(), emotion) << text;
    EXPECT_GT(m.confidence, 0.5) << text;
  }
}

TEST_F(ShippedTextModelTest, NegationIsNotTheFeelingItNegates) {
  const MoodEstimate over = Read("I don't feel sad anymore");
  EXPECT_NE(over.dominant(), Emotion::kSadness);
  EXPECT_GT(over.valence, -0.2);
  const MoodEstimate not_happy = Read("I'm not happy at all");
  EXPECT_NE(not_happy.dominant(), Emotion::kJoy);
  EXPECT_LT(not_happy.valence, 0);
}

TEST_F(ShippedTextModelTest, CapsLengtheningAndEmoji) {
  EXPECT_EQ(Read("sooooo happyyyy").dominant(), Emotion::kJoy);
  EXPECT_GT(Read("sooooo happyyyy").confidence, 0.5);
  EXPECT_EQ(Read("I AM SO ANGRY RIGHT NOW").dominant(), Emotion::kAnger);
  const MoodEstimate crying = Read("\xF0\x9F\x98\xAD\xF0\x9F\x98\xAD\xF0\x9F\x98\xAD");  // 😭😭😭
  EXPECT_EQ(crying.dominant(), Emotion::kSadness);
}

TEST_F(ShippedTextModelTest, FillerAndOtherLanguagesAreUnsure) {
  for (const char* text : {"ok", "yes", "hmm whatever", "je suis très heureux aujourd'hui",
                           "ich bin heute sehr traurig", "\xE4\xBB\x8A\xE6\x97\xA5\xE3\x81\xAF"}) {
    EXPECT_LT(Read(text).confidence, 0.3) << text;
  }
}

TEST_F(ShippedTextModelTest, HugeAndBrokenInput) {
  std::string essay;
  while (essay.size() < 100 * 1024) essay += "I felt so sad and lonely today, I cried all night. ";
  EXPECT_EQ(Read(essay).dominant(), Emotion::kSadness);
  EXPECT_EQ(Read("so happy \xC3\x28 today").dominant(), Emotion::kJoy);  // invalid UTF-8 inside
  EXPECT_FALSE(model_->ReadMood("   ").ok());
}

TEST_F(ShippedTextModelTest, ChatWithTheRealModelReachesAPlaylistRequest) {
  MoodChat chat(*model_);
  auto first = chat.Respond("My dog died this morning and I can't stop crying");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->mood.dominant(), Emotion::kSadness);
  auto turn = first;
  for (const char* more : {"I just feel empty and sad", "yeah"}) {
    if (turn->ready) break;
    turn = chat.Respond(more);
    ASSERT_TRUE(turn.ok());
  }
  ASSERT_TRUE(turn->ready);
  ASSERT_TRUE(chat.last_request().has_value());
  EXPECT_EQ(chat.last_request()->strategy, MoodStrategy::kUplift);
}

}  // namespace
}  // namespace emotune
