// The text emotion model trained on a small corpus the test writes: tokenizing,
// training determinism, the file format, and the inputs the model must survive.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "emotune/text_corpus.h"
#include "emotune/text_emotion_model.h"
#include "test_files.h"
#include "text/text_tokenizer.h"

namespace emotune {
namespace {

using ::testing::HasSubstr;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

// A CARER-style corpus: every emotion in several phrasings.
std::string TinyCarer() {
  const std::vector<std::pair<std::string, std::vector<std::string>>> words = {
      {"joy", {"happy", "glad", "cheerful", "delighted", "great"}},
      {"sadness", {"sad", "miserable", "down", "gloomy", "lonely"}},
      {"anger", {"angry", "furious", "irritated", "mad", "annoyed"}},
      {"fear", {"scared", "afraid", "terrified", "nervous", "anxious"}},
      {"love", {"loving", "affectionate", "tender", "romantic", "caring"}},
      {"surprise", {"amazed", "surprised", "shocked", "astonished", "stunned"}},
  };
  const std::vector<std::string> frames = {"i feel so {} today", "i am {} about it", "honestly i feel {}",
                                           "i was {} all day", "feeling {} right now", "she made me {}"};
  std::string out;
  for (const auto& [label, ws] : words)
    for (const auto& w : ws)
      for (const auto& f : frames) {
        std::string line = f;
        line.replace(line.find("{}"), 2, w);
        out += line + ";" + label + "\n";
      }
  return out;
}

class TextModelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    auto corpus = ReadTextCorpus(WriteFile(dir_->File("tiny.txt"), TinyCarer()));
    ASSERT_TRUE(corpus.ok()) << corpus.status().message();
    examples_ = new std::vector<TextExample>(corpus->examples);
    TextTrainingOptions o;
    o.hash_bits = 16;
    auto model = TextEmotionModel::Train(*examples_, o, {{"\xF0\x9F\x98\x80", "happy glad face"}});
    ASSERT_TRUE(model.ok()) << model.status().message();
    model_ = model->release();
  }
  static void TearDownTestSuite() {
    delete model_;
    delete examples_;
    delete dir_;
  }
  static Emotion Top(std::string_view text) {
    auto mood = model_->ReadMood(text);
    EXPECT_TRUE(mood.ok()) << mood.status().message();
    return mood.ok() ? mood->dominant() : Emotion::kNeutral;
  }

  static TempDir* dir_;
  static std::vector<TextExample>* examples_;
  static TextEmotionModel* model_;
};
TempDir* TextModelTest::dir_ = nullptr;
std::vector<TextExample>* TextModelTest::examples_ = nullptr;
TextEmotionModel* TextModelTest::model_ = nullptr;

TEST_F(TextModelTest, LearnsTheCorpus) {
  EXPECT_EQ(Top("i feel so happy today"), Emotion::kJoy);
  EXPECT_EQ(Top("i was lonely all day"), Emotion::kSadness);
  EXPECT_EQ(Top("honestly i feel furious"), Emotion::kAnger);
  EXPECT_EQ(Top("feeling terrified right now"), Emotion::kFear);
  EXPECT_EQ(Top("she made me astonished"), Emotion::kSurprise);
}

TEST_F(TextModelTest, MoodHasAllItsParts) {
  auto mood = model_->ReadMood("i feel so glad today");
  ASSERT_TRUE(mood.ok());
  EXPECT_TRUE(IsNormalized(mood->distribution, 1e-6));
  EXPECT_GT(mood->valence, 0.3);  // joy sits on the pleasant side
  EXPECT_GT(mood->confidence, 0.3);
  ASSERT_EQ(mood->sources.size(), 1u);
  EXPECT_EQ(mood->sources[0].name, "text");
}

TEST_F(TextModelTest, EmptyTextIsAClearError) {
  for (const char* blank : {"", "   ", "\n\t "}) {
    auto mood = model_->ReadMood(blank);
    ASSERT_FALSE(mood.ok());
    EXPECT_EQ(mood.status().code(), Status::Code::kInvalidArgument);
    EXPECT_THAT(mood.status().message(), HasSubstr("no text"));
  }
}

TEST_F(TextModelTest, PunctuationOnlyIsUnsureNotAnError) {
  auto mood = model_->ReadMood("?!...");
  ASSERT_TRUE(mood.ok());
  EXPECT_EQ(mood->confidence, 0.0);
}

TEST_F(TextModelTest, InvalidUtf8IsReplacedNotRejected) {
  auto mood = model_->ReadMood("i feel so \xff\xfe happy today");
  ASSERT_TRUE(mood.ok());
  EXPECT_EQ(mood->dominant(), Emotion::kJoy);
}

TEST_F(TextModelTest, CapsAndRepeatedLettersReadLikePlainText) {
  auto plain = model_->Predict("i feel so sad today");
  auto caps = model_->Predict("I FEEL SO SAD TODAY");
  ASSERT_TRUE(plain.ok() && caps.ok());
  EXPECT_EQ(plain->distribution, caps->distribution);
  // A lengthened word the model does not know reads as the word it knows.
  auto squeezed = model_->Predict("i feel so sad today");
  auto stretched = model_->Predict("i feel sooooooo saaaad today");
  ASSERT_TRUE(squeezed.ok() && stretched.ok());
  EXPECT_EQ(squeezed->distribution, stretched->distribution);
}

TEST_F(TextModelTest, EmojiAreReadThroughTheirNames) {
  auto mood = model_->ReadMood("\xF0\x9F\x98\x80\xF0\x9F\x98\x80");
  ASSERT_TRUE(mood.ok());
  EXPECT_EQ(mood->dominant(), Emotion::kJoy);
}

TEST_F(TextModelTest, FirmNegationTurnsAFeelingAround) {
  auto sad = model_->ReadMood("i was miserable all day");
  auto over = model_->ReadMood("i am not miserable anymore");
  ASSERT_TRUE(sad.ok() && over.ok());
  EXPECT_EQ(sad->dominant(), Emotion::kSadness);
  EXPECT_NE(over->dominant(), Emotion::kSadness);
  EXPECT_GT(over->valence, sad->valence + 0.3);
  auto not_happy = model_->ReadMood("i am not glad at all");
  ASSERT_TRUE(not_happy.ok());
  EXPECT_NE(not_happy->dominant(), Emotion::kJoy);
  EXPECT_LT(not_happy->valence, 0);
}

TEST_F(TextModelTest, OneWordIsLittleEvidence) {
  auto one = model_->ReadMood("miserable");
  auto sentence = model_->ReadMood("i was miserable all day");
  ASSERT_TRUE(one.ok() && sentence.ok());
  EXPECT_EQ(one->dominant(), Emotion::kSadness);
  EXPECT_LT(one->confidence, sentence->confidence);
}

TEST_F(TextModelTest, UnknownLanguageGetsLowConfidence) {
  auto mood = model_->ReadMood("ma grand-mère cuisine des crêpes délicieuses chaque dimanche");
  ASSERT_TRUE(mood.ok());
  EXPECT_LT(mood->confidence, 0.1);
  auto known = model_->ReadMood("i feel so happy today");
  ASSERT_TRUE(known.ok());
  EXPECT_GT(known->confidence, 0.3);
}

TEST_F(TextModelTest, LongTextIsChunkedAndPooled) {
  std::string essay;
  while (essay.size() < 100 * 1024) essay += "i was miserable all day and felt so lonely. ";
  auto mood = model_->ReadMood(essay);
  ASSERT_TRUE(mood.ok());
  EXPECT_EQ(mood->dominant(), Emotion::kSadness);
  EXPECT_GT(mood->confidence, 0.2);
}

TEST_F(TextModelTest, BatchMatchesOneByOne) {
  const std::vector<std::string> texts = {"i feel so happy today", "i was scared", "she made me furious",
                                          "feeling lonely right now"};
  const auto batch = model_->PredictBatch(texts, 3);
  ASSERT_EQ(batch.size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    auto one = model_->Predict(texts[i]);
    ASSERT_TRUE(batch[i].ok() && one.ok());
    EXPECT_EQ(batch[i]->distribution, one->distribution);
  }
}

TEST_F(TextModelTest, SameDataAndSeedGiveTheSameFile) {
  TextTrainingOptions o;
  o.hash_bits = 16;
  auto again = TextEmotionModel::Train(*examples_, o, {{"\xF0\x9F\x98\x80", "happy glad face"}});
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(model_->Save(dir_->File("a.bin")).ok());
  ASSERT_TRUE((*again)->Save(dir_->File("b.bin")).ok());
  EXPECT_EQ(ReadFile(dir_->File("a.bin")), ReadFile(dir_->File("b.bin")));
}

TEST_F(TextModelTest, NbScaledModelLearnsTheCorpusAndBlendsLinearly) {
  TextTrainingOptions o;
  o.hash_bits = 16;
  o.nb_alpha = 1;
  auto nb = TextEmotionModel::Train(*examples_, o);
  ASSERT_TRUE(nb.ok()) << nb.status().message();
  EXPECT_EQ((*nb)->ReadMood("i was lonely all day")->dominant(), Emotion::kSadness);
  EXPECT_EQ((*nb)->ReadMood("she made me astonished")->dominant(), Emotion::kSurprise);
  EXPECT_THAT((*nb)->description(), HasSubstr("NB-scaled"));
  // Scaled and plain SVMs are different models; a zero share leaves only the plain one.
  EXPECT_NE((*nb)->Predict("honestly i feel mad")->distribution, model_->Predict("honestly i feel mad")->distribution);
  o.nb_share = 0;
  auto plain = TextEmotionModel::Train(*examples_, o, {{"\xF0\x9F\x98\x80", "happy glad face"}});
  ASSERT_TRUE(plain.ok());
  for (const char* text : {"honestly i feel mad", "i am tender about it", "\xF0\x9F\x98\x80"})
    EXPECT_EQ((*plain)->Predict(text)->distribution, model_->Predict(text)->distribution) << text;
}

TEST_F(TextModelTest, SaveLoadRoundTrip) {
  const std::string path = dir_->File("round.bin");
  ASSERT_TRUE(model_->Save(path).ok());
  auto loaded = TextEmotionModel::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  for (const char* text : {"i feel so happy today", "\xF0\x9F\x98\x80", "she made me shocked"}) {
    auto a = model_->Predict(text);
    auto b = (*loaded)->Predict(text);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->distribution, b->distribution) << text;
  }
  EXPECT_EQ((*loaded)->description(), model_->description());
}

TEST_F(TextModelTest, BadModelFilesAreRefused) {
  auto missing = TextEmotionModel::Load(dir_->File("nothere.bin"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);

  auto text = TextEmotionModel::Load(WriteFile(dir_->File("text.bin"), "definitely not a model"));
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), Status::Code::kCorruption);

  const std::string path = dir_->File("whole.bin");
  ASSERT_TRUE(model_->Save(path).ok());
  const std::string bytes = ReadFile(path);
  auto truncated = TextEmotionModel::Load(WriteFile(dir_->File("cut.bin"), bytes.substr(0, bytes.size() / 2)));
  ASSERT_FALSE(truncated.ok());
  EXPECT_THAT(truncated.status().message(), HasSubstr("truncated"));
}

TEST(TextTrainingTest, BadOptionsAreRefused) {
  const std::vector<TextExample> none;
  EXPECT_FALSE(TextEmotionModel::Train(none, {}).ok());
  TextExample ex;
  ex.text = "hello";
  ex.target[0] = 1;
  const std::vector<TextExample> one = {ex};
  TextTrainingOptions o;
  o.hash_bits = 30;
  EXPECT_FALSE(TextEmotionModel::Train(one, o).ok());
  o = {};
  o.svm_c = -1;
  EXPECT_FALSE(TextEmotionModel::Train(one, o).ok());
  o = {};
  o.nb_alpha = -1;
  EXPECT_FALSE(TextEmotionModel::Train(one, o).ok());
  o = {};
  o.nb_alpha = 1;
  o.nb_share = 1.5;
  EXPECT_FALSE(TextEmotionModel::Train(one, o).ok());
}

TEST(TextTokenizerTest, NegationScopeEndsAtPunctuation) {
  TextTokenizer tokenizer;
  std::vector<TextToken> tokens;
  tokenizer.Tokenize("I'm not happy at all, but fine", &tokens);
  std::vector<std::string> words;
  std::vector<bool> negated;
  for (const auto& t : tokens) {
    words.push_back(t.word);
    negated.push_back(t.negated);
  }
  EXPECT_THAT(words, ::testing::ElementsAre("im", "not", "happy", "at", "all", "but", "fine"));
  EXPECT_THAT(negated, ::testing::ElementsAre(false, false, true, true, true, false, false));
}

TEST(TextTokenizerTest, ContractionsAndTypographicApostrophes) {
  TextTokenizer tokenizer;
  std::vector<TextToken> tokens;
  tokenizer.Tokenize("I don\xE2\x80\x99t feel sad", &tokens);
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[1].word, "dont");
  EXPECT_TRUE(tokens[3].negated);
  EXPECT_TRUE(IsNegationWord("didnt"));
  EXPECT_FALSE(IsNegationWord("want"));
}

TEST(TextCorpusTest, CarerAndGoEmotionsLines) {
  TempDir dir;
  auto carer = ReadTextCorpus(WriteFile(dir.File("c.txt"), "i feel great;joy\ni am scared;fear\n"));
  ASSERT_TRUE(carer.ok()) << carer.status().message();
  EXPECT_EQ(carer->label_set, LabelSet::kCarer);
  ASSERT_EQ(carer->examples.size(), 2u);
  EXPECT_EQ(carer->examples[1].labels, std::vector<std::string>{"fear"});
  EXPECT_DOUBLE_EQ(carer->examples[1].target[EmotionIndex(Emotion::kFear)], 1.0);

  // ids 17 (joy) and 18 (love): Ekman groups both under joy; the nine keep love apart.
  auto goe = ReadTextCorpus(WriteFile(dir.File("g.tsv"), "so lovely\t17,18\tabc\nmeh\t27\tdef\n"));
  ASSERT_TRUE(goe.ok()) << goe.status().message();
  EXPECT_EQ(goe->label_set, LabelSet::kGoEmotionsEkman);
  EXPECT_EQ(goe->examples[0].labels, std::vector<std::string>{"joy"});
  EXPECT_DOUBLE_EQ(goe->examples[0].target[EmotionIndex(Emotion::kJoy)], 0.5);
  EXPECT_DOUBLE_EQ(goe->examples[0].target[EmotionIndex(Emotion::kLove)], 0.5);
  EXPECT_EQ(goe->examples[1].labels, std::vector<std::string>{"neutral"});
}

TEST(TextCorpusTest, BadLinesNameFileAndLine) {
  TempDir dir;
  auto unknown = ReadTextCorpus(WriteFile(dir.File("c.txt"), "fine;joy\nwhat;boredom\n"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.status().message(), HasSubstr("c.txt:2:"));
  auto bad_id = ReadTextCorpus(WriteFile(dir.File("g.tsv"), "x\t3\ta\ny\t99\tb\n"));
  ASSERT_FALSE(bad_id.ok());
  EXPECT_THAT(bad_id.status().message(), HasSubstr("g.tsv:2:"));
  auto utf8 = ReadTextCorpus(WriteFile(dir.File("u.txt"), "ok;joy\nbad \xff;joy\n"));
  ASSERT_FALSE(utf8.ok());
  EXPECT_THAT(utf8.status().message(), HasSubstr("u.txt:2: invalid UTF-8"));
  EXPECT_EQ(ReadTextCorpus(dir.File("missing.txt")).status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace emotune
