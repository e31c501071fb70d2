// The four-mood music classifier on data_moods-layout files the test generates:
// learning, determinism, the file format, missing features, honest cross-validation,
// and the train/eval commands.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <random>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "emotune/mood_estimate.h"
#include "emotune/music_mood_model.h"
#include "test_files.h"

namespace emotune {
namespace {

using ::testing::HasSubstr;
using testing::CommandResult;
using testing::ReadFile;
using testing::RunCommand;
using testing::TempDir;
using testing::WriteFile;

constexpr const char* kHeader =
    "name,album,artist,id,release_date,popularity,length,danceability,acousticness,energy,instrumentalness,"
    "liveness,valence,loudness,speechiness,tempo,key,time_signature,mood\n";

// Per mood (Labels order: Happy, Sad, Energetic, Calm): energy, valence,
// acousticness, danceability — far enough apart that a linear model separates them.
constexpr double kCentres[4][4] = {{0.75, 0.85, 0.15, 0.75}, {0.35, 0.2, 0.6, 0.45}, {0.92, 0.4, 0.02, 0.5}, {0.1, 0.15, 0.95, 0.35}};
constexpr const char* kMoods[4] = {"Happy", "Sad", "Energetic", "Calm"};

// `rows` tracks cycling through the moods, features drawn around each mood's centre;
// `artists` distinct artists; labels shuffled (breaking any link to the features)
// when `shuffle_labels`.
std::string MoodsCsv(int rows, std::uint64_t seed, int artists = 1000, bool shuffle_labels = false) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0, 0.04);
  std::uniform_real_distribution<double> uniform(0, 1);
  const auto unit = [&](double centre) { return std::clamp(centre + noise(rng), 0.0, 1.0); };
  std::vector<int> labels;
  for (int i = 0; i < rows; ++i) labels.push_back(i % 4);
  if (shuffle_labels) std::shuffle(labels.begin(), labels.end(), rng);
  std::string csv = kHeader;
  for (int i = 0; i < rows; ++i) {
    const double* c = kCentres[i % 4];
    csv += fmt::format("Song {},Album,Artist {},id{},{}-01-01,{},{},{:.4f},{:.4f},{:.4f},{:.4f},{:.4f},{:.4f},{:.2f},{:.4f},{:.1f},5,4,{}\n",
                       i, i % artists, i, 1970 + static_cast<int>(uniform(rng) * 50), static_cast<int>(uniform(rng) * 100),
                       150000 + static_cast<int>(uniform(rng) * 100000), unit(c[3]), unit(c[2]), unit(c[0]),
                       uniform(rng) * 0.3, 0.05 + uniform(rng) * 0.3, unit(c[1]), -20 + 15 * c[0] + noise(rng) * 20,
                       0.03 + uniform(rng) * 0.05, 80 + uniform(rng) * 80, kMoods[labels[static_cast<std::size_t>(i)]]);
  }
  return csv;
}

std::vector<MusicMoodExample> Examples(const TempDir& dir, const std::string& csv) {
  const std::string path = WriteFile(dir.File("moods.csv"), csv);
  auto examples = ReadMusicMoodExamples(path);
  EXPECT_TRUE(examples.ok()) << examples.status().message();
  return examples.ok() ? std::move(*examples) : std::vector<MusicMoodExample>{};
}

std::unique_ptr<MusicMoodModel> Trained(std::span<const MusicMoodExample> examples, MusicMoodOptions options = {}) {
  auto model = MusicMoodModel::Train(examples, options);
  EXPECT_TRUE(model.ok()) << model.status().message();
  return model.ok() ? std::move(*model) : nullptr;
}

Track ClearlyCalm() {
  Track t;
  t.title = "calm";
  t.features.energy = 0.1;
  t.features.spotify_valence = 0.15;
  t.features.acousticness = 0.95;
  t.features.danceability = 0.35;
  t.features.instrumentalness = 0.1;
  t.features.loudness_db = -18.5;
  t.features.tempo_bpm = 100;
  t.features.liveness = 0.2;
  t.popularity = 40;
  t.release_year = 1995;
  t.duration_ms = 200000;
  return t;
}

TEST(MusicMoodModelTest, LearnsSeparableMoodsAndMapsThemIntoTheNine) {
  TempDir dir;
  const auto train = Examples(dir, MoodsCsv(200, 1));
  const auto fresh = Examples(dir, MoodsCsv(100, 2));
  const auto model = Trained(train);
  ASSERT_TRUE(model);
  const ClassificationReport report = ScoreMusicMoodModel(*model, fresh);
  EXPECT_EQ(report.count(), 100);
  EXPECT_GE(report.Accuracy(), 0.95);
  EXPECT_GE(report.MacroF1(), 0.95);

  const MusicMoodPrediction calm = model->Predict(ClearlyCalm());
  ASSERT_TRUE(calm.known);
  EXPECT_EQ(calm.mood(), "Calm");
  EXPECT_NEAR(calm.probabilities[0] + calm.probabilities[1] + calm.probabilities[2] + calm.probabilities[3], 1, 1e-12);
  EXPECT_EQ(DominantEmotion(calm.distribution), Emotion::kCalm);
  double mass = 0;
  for (double p : calm.distribution) mass += p;
  EXPECT_NEAR(mass, 1, 1e-9);
}

TEST(MusicMoodModelTest, SameDataGivesTheSameBytes) {
  TempDir dir;
  const auto examples = Examples(dir, MoodsCsv(120, 3));
  ASSERT_TRUE(Trained(examples)->Save(dir.File("a.bin")).ok());
  ASSERT_TRUE(Trained(examples)->Save(dir.File("b.bin")).ok());
  const std::string a = ReadFile(dir.File("a.bin"));
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, ReadFile(dir.File("b.bin")));
  // Other data must give another model, or the comparison above proves nothing.
  ASSERT_TRUE(Trained(Examples(dir, MoodsCsv(120, 4)))->Save(dir.File("c.bin")).ok());
  EXPECT_NE(a, ReadFile(dir.File("c.bin")));
}

TEST(MusicMoodModelTest, SavedModelPredictsTheSame) {
  TempDir dir;
  const auto examples = Examples(dir, MoodsCsv(120, 5));
  const auto model = Trained(examples);
  ASSERT_TRUE(model->Save(dir.File("m.bin")).ok());
  auto loaded = MusicMoodModel::Load(dir.File("m.bin"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ((*loaded)->description(), model->description());
  EXPECT_THAT(model->description(), HasSubstr("120 examples"));
  for (const auto& ex : examples) {
    const auto a = model->Predict(ex.track), b = (*loaded)->Predict(ex.track);
    EXPECT_EQ(a.probabilities, b.probabilities);
    EXPECT_EQ(a.distribution, b.distribution);
  }
}

TEST(MusicMoodModelTest, RefusesMissingCorruptTruncatedAndPaddedFiles) {
  TempDir dir;
  ASSERT_TRUE(Trained(Examples(dir, MoodsCsv(80, 6)))->Save(dir.File("m.bin")).ok());
  const std::string good = ReadFile(dir.File("m.bin"));

  auto missing = MusicMoodModel::Load(dir.File("nothing.bin"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("train music"));

  const auto refused = [&](const std::string& bytes, const std::string& why) {
    const std::string path = WriteFile(dir.File("bad.bin"), bytes);
    auto loaded = MusicMoodModel::Load(path);
    if (loaded.ok()) return ::testing::AssertionFailure() << why << ": loaded";
    if (loaded.status().code() != Status::Code::kCorruption)
      return ::testing::AssertionFailure() << why << ": " << loaded.status().message();
    return ::testing::AssertionSuccess();
  };
  // Cut inside every field the header and arrays have, and one byte short.
  for (std::size_t n = 0; n < good.size(); n += 7) EXPECT_TRUE(refused(good.substr(0, n), fmt::format("cut to {} bytes", n)));
  EXPECT_TRUE(refused(good.substr(0, good.size() - 1), "one byte short"));
  EXPECT_TRUE(refused(good + "x", "padded"));
  std::string bad_magic = good;
  bad_magic[0] = 'X';
  EXPECT_TRUE(refused(bad_magic, "bad magic"));
  std::string bad_count = good;
  bad_count[8] = 13;  // the input count
  EXPECT_TRUE(refused(bad_count, "wrong input count"));
  std::string nan_weight = good;
  const double nan = std::nan("");
  std::memcpy(&nan_weight[8 + 16 + 8 * 40], &nan, sizeof nan);  // a weight, past mean and scale
  EXPECT_TRUE(refused(nan_weight, "NaN weight"));
  std::string huge_description = good;
  const std::uint32_t huge = 1u << 30;
  std::memcpy(&huge_description[8 + 16 + 8 * 100], &huge, sizeof huge);  // after magic, counts and 100 doubles
  EXPECT_TRUE(refused(huge_description, "description length past the end"));
}

TEST(MusicMoodModelTest, MissingFeaturesAreImputedAndTooFewAreUnknown) {
  TempDir dir;
  const auto model = Trained(Examples(dir, MoodsCsv(200, 7)));
  // A track scanned from an audio file: no popularity, liveness or release year.
  Track scanned = ClearlyCalm();
  scanned.popularity.reset();
  scanned.features.liveness.reset();
  scanned.release_year.reset();
  const MusicMoodPrediction p = model->Predict(scanned);
  EXPECT_TRUE(p.known);
  EXPECT_EQ(p.known_inputs, 8);  // of ClearlyCalm's 11
  EXPECT_EQ(p.mood(), "Calm");

  // NaN is unknown, not a number to trust.
  Track nan_energy = ClearlyCalm();
  nan_energy.features.energy = std::nan("");
  EXPECT_EQ(model->Predict(nan_energy).known_inputs, 10);

  Track tempo_only;
  tempo_only.features.tempo_bpm = 120;
  const MusicMoodPrediction none = model->Predict(tempo_only);
  EXPECT_FALSE(none.known);
  EXPECT_EQ(none.mood(), "unknown");
  EXPECT_EQ(none.mood_index(), kMusicMoodCount);
  EXPECT_EQ(none.probabilities, (std::array<double, kMusicMoodCount>{}));
  // Scored, an unread track is a wrong answer in a class of its own.
  const std::vector<MusicMoodExample> read_and_unread = {{ClearlyCalm(), 3}, {tempo_only, 3}};
  const ClassificationReport mixed = ScoreMusicMoodModel(*model, read_and_unread);
  EXPECT_EQ(mixed.classes().back(), "unknown");
  EXPECT_DOUBLE_EQ(mixed.Accuracy(), 0.5);
  EXPECT_EQ(ScoreMusicMoodModel(*model, std::span(read_and_unread).first(1)).classes().size(), kMusicMoodCount);

  // Many inputs but neither energy nor valence: too little about the mood itself.
  Track no_core = ClearlyCalm();
  no_core.features.energy.reset();
  no_core.features.spotify_valence.reset();
  EXPECT_FALSE(model->Predict(no_core).known);

  // Five inputs against the default minimum of six; a model asking for five reads it.
  Track five;
  five.features.energy = 0.1;
  five.features.spotify_valence = 0.15;
  five.features.acousticness = 0.95;
  five.features.danceability = 0.35;
  five.features.loudness_db = -18;
  EXPECT_FALSE(model->Predict(five).known);
  MusicMoodOptions lenient;
  lenient.min_known_inputs = 5;
  EXPECT_TRUE(Trained(Examples(dir, MoodsCsv(200, 7)), lenient)->Predict(five).known);
}

TEST(MusicMoodModelTest, RejectsBadOptionsAndDegenerateData) {
  TempDir dir;
  const auto examples = Examples(dir, MoodsCsv(40, 8));
  MusicMoodOptions bad;
  bad.cost = 0;
  EXPECT_FALSE(MusicMoodModel::Train(examples, bad).ok());
  bad = {};
  bad.min_known_inputs = 13;
  EXPECT_FALSE(MusicMoodModel::Train(examples, bad).ok());
  EXPECT_FALSE(MusicMoodModel::Train({}, {}).ok());
  std::vector<MusicMoodExample> one_mood(examples.begin(), examples.end());
  for (auto& ex : one_mood) ex.mood = 2;
  EXPECT_FALSE(MusicMoodModel::Train(one_mood, {}).ok());
  CrossValidationOptions cv;
  cv.folds = 41;
  EXPECT_FALSE(CrossValidateMusicMood(examples, {}, cv).ok());
}

TEST(MusicMoodModelTest, CrossValidationScoresOnlyHeldOutRows) {
  TempDir dir;
  CrossValidationOptions cv;
  cv.folds = 5;
  cv.repeats = 2;
  // Separable data: near perfect, and the same seed gives the same figures.
  const auto clean = Examples(dir, MoodsCsv(120, 9));
  auto good = CrossValidateMusicMood(clean, {}, cv);
  ASSERT_TRUE(good.ok()) << good.status().message();
  EXPECT_EQ(good->accuracy.size(), 10u);
  EXPECT_GE(good->mean_accuracy, 0.95);
  EXPECT_EQ(CrossValidateMusicMood(clean, {}, cv)->accuracy, good->accuracy);

  // Labels shuffled: nothing to learn. An almost unregularised model fits its own
  // training rows well, so a fold that leaked them into scoring would show it.
  const auto noise = Examples(dir, MoodsCsv(48, 10, 1000, /*shuffle_labels=*/true));
  MusicMoodOptions overfit;
  overfit.cost = 1000;
  ASSERT_GE(ScoreMusicMoodModel(*Trained(noise, overfit), noise).Accuracy(), 0.6);
  cv.repeats = 5;
  auto chance = CrossValidateMusicMood(noise, overfit, cv);
  ASSERT_TRUE(chance.ok());
  EXPECT_LT(chance->mean_accuracy, 0.45);
}

TEST(MusicMoodModelTest, GroupedFoldsKeepEachArtistTogether) {
  TempDir dir;
  // Three artists, five folds: only three folds can hold anything.
  const auto examples = Examples(dir, MoodsCsv(60, 11, /*artists=*/3));
  CrossValidationOptions cv;
  cv.group_by_artist = true;
  auto grouped = CrossValidateMusicMood(examples, {}, cv);
  ASSERT_TRUE(grouped.ok()) << grouped.status().message();
  EXPECT_EQ(grouped->accuracy.size(), 3u);
  cv.group_by_artist = false;
  EXPECT_EQ(CrossValidateMusicMood(examples, {}, cv)->accuracy.size(), 5u);
}

TEST(MusicMoodModelTest, BadTrainingFilesNameFileAndLine) {
  TempDir dir;
  std::string csv = MoodsCsv(6, 12);
  const auto error = [&](const std::string& text) {
    auto r = ReadMusicMoodExamples(WriteFile(dir.File("bad.csv"), text));
    return r.ok() ? std::string("ok") : r.status().message();
  };
  // Line 4 is the third data row.
  std::string unknown_mood = csv;
  const std::size_t end = unknown_mood.find('\n', unknown_mood.find("Song 2,"));
  const std::size_t comma = unknown_mood.rfind(',', end);
  unknown_mood.replace(comma + 1, end - comma - 1, "Angry");
  EXPECT_THAT(error(unknown_mood), HasSubstr("bad.csv:4: mood 'Angry'"));
  std::string out_of_range = csv;
  out_of_range += "Loud,Album,X,idx,2000-01-01,50,200000,0.5,0.5,1.7,0.1,0.1,0.5,-5,0.05,120,5,4,Happy\n";
  EXPECT_THAT(error(out_of_range), HasSubstr("bad.csv:8: column 10 (energy)"));
  EXPECT_THAT(error(kHeader), HasSubstr("no rows"));
  EXPECT_THAT(error("name,energy,valence\nA,0.5,0.5\n"), HasSubstr("no mood column"));
  EXPECT_EQ(error(csv), "ok");
}

// The commands end to end.
class MusicCommandsTest : public ::testing::Test {
 protected:
  CommandResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), EMOTUNE_BINARY);
    return RunCommand(args, {{"EMOTUNE_MODELS", dir_.File("models")}});
  }
  TempDir dir_;
};

TEST_F(MusicCommandsTest, TrainPrintsCrossValidationAndEvalPrintsTheReport) {
  const std::string data = WriteFile(dir_.File("moods.csv"), MoodsCsv(80, 13));
  const std::string model = dir_.File("models/music-mood.bin");
  std::filesystem::create_directories(dir_.File("models"));
  const CommandResult train = Run({"train", "music", "--data", data, "--out", model, "--cv", "4", "--seed", "3"});
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_THAT(train.out, HasSubstr("cross-validation (stratified): accuracy"));
  EXPECT_THAT(train.out, HasSubstr("grouped by artist"));
  EXPECT_THAT(train.out, HasSubstr("4 folds × 1, seed 3"));

  // No --model: the one in $EMOTUNE_MODELS.
  const CommandResult eval = Run({"eval", "music", "--data", data, "--json"});
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  const auto j = nlohmann::json::parse(eval.out);
  EXPECT_EQ(j["n"], 80);
  EXPECT_GE(j["accuracy"].get<double>(), 0.95);
  EXPECT_TRUE(j["macro_f1"].is_number());
  EXPECT_EQ(j["model"], model);

  const CommandResult text = Run({"eval", "music", "--data", data, "--model", model});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("Energetic"));
}

TEST_F(MusicCommandsTest, ErrorsAndUsage) {
  const std::string data = WriteFile(dir_.File("moods.csv"), MoodsCsv(20, 14));
  const CommandResult no_model = Run({"eval", "music", "--data", data, "--model", dir_.File("missing.bin")});
  EXPECT_EQ(no_model.exit_code, 1);
  EXPECT_THAT(no_model.err, HasSubstr("train music"));
  EXPECT_EQ(Run({"train", "music", "--data", data}).exit_code, 2);  // no --out
  EXPECT_EQ(Run({"train", "music", "--data", data, "--out", dir_.File("m.bin"), "--cv", "1"}).exit_code, 2);
  const std::string bad = WriteFile(dir_.File("bad.csv"), std::string(kHeader) + "A,B,C,id,2000,50,1000,x,0,0,0,0,0,0,0,0,0,4,Sad\n");
  const CommandResult bad_train = Run({"train", "music", "--data", bad, "--out", dir_.File("m.bin")});
  EXPECT_EQ(bad_train.exit_code, 1);
  EXPECT_THAT(bad_train.err, HasSubstr("bad.csv:2:"));
  const std::string corrupt = WriteFile(dir_.File("corrupt.bin"), "EMOMUS01 and then nothing sensible");
  const CommandResult corrupt_eval = Run({"eval", "music", "--data", data, "--model", corrupt});
  EXPECT_EQ(corrupt_eval.exit_code, 1);
  EXPECT_THAT(corrupt_eval.err, HasSubstr("not an Emotune music mood model"));
}

}  // namespace
}  // namespace emotune
