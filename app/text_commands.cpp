// emotune train text, eval text, and mood --text: the text emotion model from the
// command line.
#include <chrono>
#include <iostream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli.h"
#include "emotune/affect_json.h"
#include "emotune/classification_report.h"
#include "emotune/text_corpus.h"
#include "emotune/text_emotion_model.h"

namespace emotune::cli {
namespace {

constexpr const char* kTextModel = "text-emotion.bin";

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

struct TrainArgs {
  std::vector<std::string> data;
  std::string out;
  std::string emoji;
  TextTrainingOptions options;
};

int RunTrainText(const TrainArgs& args) {
  std::vector<TextExample> examples;
  for (const auto& spec : args.data) {
    // FILE or FILE@WEIGHT: a weight makes one corpus count more than another.
    std::string path = spec;
    double weight = 1.0;
    if (const std::size_t at = spec.rfind('@'); at != std::string::npos) {
      path = spec.substr(0, at);
      try {
        weight = std::stod(spec.substr(at + 1));
      } catch (const std::exception&) {
        weight = -1;
      }
      if (!(weight > 0 && weight <= 100)) return UsageError(fmt::format("--data {}: the weight after @ must be in (0, 100]", spec));
    }
    auto corpus = ReadTextCorpus(path);
    if (!corpus.ok()) return Fail(corpus.status());
    for (auto& ex : corpus->examples) ex.weight = weight;
    fmt::print(stderr, "{}: {} examples ({}, weight {})\n", path, corpus->examples.size(), LabelSetName(corpus->label_set), weight);
    std::move(corpus->examples.begin(), corpus->examples.end(), std::back_inserter(examples));
  }
  std::unordered_map<std::string, std::string> emoji;
  if (!args.emoji.empty()) {
    auto names = ReadEmojiNames(args.emoji);
    if (!names.ok()) return Fail(names.status());
    emoji = std::move(*names);
  }
  const auto start = std::chrono::steady_clock::now();
  auto model = TextEmotionModel::Train(examples, args.options, std::move(emoji));
  if (!model.ok()) return Fail(model.status());
  if (Status s = (*model)->Save(args.out); !s.ok()) return Fail(s);
  fmt::print(stderr, "trained on {} examples in {:.1f} s → {}\n", examples.size(), Seconds(start), args.out);
  return kExitOk;
}

struct EvalArgs {
  std::vector<std::string> data;
  std::string model;
  bool json = false;
};

int RunEvalText(const EvalArgs& args) {
  const std::string path = FindModel(kTextModel, args.model);
  auto model = TextEmotionModel::Load(path);
  if (!model.ok()) return Fail(model.status());
  nlohmann::json reports = nlohmann::json::array();
  for (const auto& file : args.data) {
    auto corpus = ReadTextCorpus(file);
    if (!corpus.ok()) return Fail(corpus.status());
    const auto labels = Labels(corpus->label_set);
    std::vector<std::string> classes(labels.begin(), labels.end());
    ClassificationReport report(classes);
    std::vector<std::string> texts;
    for (const auto& ex : corpus->examples) texts.push_back(ex.text);
    const auto start = std::chrono::steady_clock::now();
    const auto predictions = (*model)->PredictBatch(texts);
    const double seconds = Seconds(start);
    const auto index_of = [&](const std::string& label) {
      return static_cast<std::size_t>(std::find(classes.begin(), classes.end(), label) - classes.begin());
    };
    for (std::size_t i = 0; i < predictions.size(); ++i) {
      if (!predictions[i].ok()) return Fail(predictions[i].status().WithContext(fmt::format("{}: example {}: ", file, i + 1)));
      // The model answers in the nine emotions; it is scored among the file's labels.
      const std::vector<double> mass = ProjectToLabels(corpus->label_set, predictions[i]->distribution);
      const std::size_t predicted = std::max_element(mass.begin(), mass.end()) - mass.begin();
      // A line with several true labels counts as right when the prediction is one of them.
      const auto& truth = corpus->examples[i].labels;
      const bool hit = std::find(truth.begin(), truth.end(), classes[predicted]) != truth.end();
      report.Add(hit ? predicted : index_of(truth.front()), predicted);
    }
    spdlog::debug("{}: {} texts in {:.3f} s", file, texts.size(), seconds);
    if (args.json) {
      nlohmann::json j = report.ToJson();
      j["file"] = file;
      j["label_set"] = LabelSetName(corpus->label_set);
      j["model"] = path;
      reports.push_back(std::move(j));
    } else {
      fmt::print("{} ({}, model {})\n{}\n", file, LabelSetName(corpus->label_set), path, report.ToText());
    }
  }
  if (args.json) PrintJson(reports.size() == 1 ? reports[0] : reports);
  return kExitOk;
}

struct MoodArgs {
  CLI::Option* text_option = nullptr;
  CLI::Option* face_option = nullptr;
  CLI::Option* voice_option = nullptr;
  std::string text;
  std::string face;
  std::string voice;
  double frames_per_second = 2;
  std::string model;
  bool json = false;
};

int RunMood(const MoodArgs& args) {
  if (args.text_option->count() + args.face_option->count() + args.voice_option->count() != 1)
    return UsageError("mood: give one of --text \"…\", --face FILE or --voice FILE");
  if (args.face_option->count()) return RunFaceMood(args.face, args.frames_per_second, args.json);
  if (args.voice_option->count()) return RunVoiceMood(args.voice, args.json);
  auto model = TextEmotionModel::Load(FindModel(kTextModel, args.model));
  if (!model.ok()) return Fail(model.status());
  auto mood = (*model)->ReadMood(args.text);
  if (!mood.ok()) return Fail(mood.status());
  if (args.json) {
    PrintJson(MoodToJson(*mood));
    return kExitOk;
  }
  fmt::print("{} (confidence {:.2f}{})\nvalence {:+.2f}, arousal {:+.2f}\n", EmotionName(mood->dominant()),
             mood->confidence, IsConfident(*mood) ? "" : ", unsure", mood->valence, mood->arousal);
  for (Emotion e : AllEmotions())
    fmt::print("  {:<9} {:5.3f} {}\n", EmotionName(e), mood->distribution[EmotionIndex(e)],
               std::string(static_cast<std::size_t>(mood->distribution[EmotionIndex(e)] * 40 + 0.5), '#'));
  return kExitOk;
}

}  // namespace

void RegisterTextCommands(CommandRegistry& registry) {
  auto train = std::make_shared<TrainArgs>();
  CLI::App* train_text = registry.Group("train", "Train a model from labelled data")
                             ->add_subcommand("text", "Train the text emotion model on CARER and/or GoEmotions files");
  train_text->add_option("--data", train->data, "Training file: CARER (text;label) or GoEmotions (text<TAB>ids<TAB>id), optionally FILE@WEIGHT; repeatable")
      ->required();
  train_text->add_option("--out", train->out, "Model file to write")->required();
  train_text->add_option("--emoji", train->emoji, "VADER emoji_utf8_lexicon.txt, stored in the model so emoji read as words");
  train_text->add_option("--seed", train->options.seed, "Shuffling seed (default 7)");
  train_text->add_option("--epochs", train->options.epochs, "Most solver passes (default 30)")->check(CLI::Range(1, 100));
  train_text->add_option("-C,--cost", train->options.svm_c, "SVM cost C (default 0.5)");
  train_text->add_option("--temperature", train->options.temperature, "Softmax temperature over SVM scores (default 0.5)");
  train_text->add_option("--hash-bits", train->options.hash_bits, "log2 of the hashed feature space (default 20)")
      ->check(CLI::Range(16, 22));
  train_text->add_option("--char-min", train->options.char_min, "Shortest character n-gram (default 2)");
  train_text->add_option("--char-max", train->options.char_max, "Longest character n-gram (default 5)");
  train_text->add_option("--nb-alpha", train->options.nb_alpha,
                         "Scale features by their Naive Bayes log-count ratio, with this smoothing (default 0: off)")
      ->check(CLI::Range(0.0, 10.0));
  train_text->add_option("--nb-share", train->options.nb_share,
                         "With --nb-alpha, the NB-scaled SVM's share of the weights, the plain SVM's the rest (default 1)")
      ->check(CLI::Range(0.0, 1.0));
  train_text->add_option("-j,--threads", train->options.threads, "Threads for featurising (default: all cores)");
  registry.Add(train_text, [train] { return RunTrainText(*train); });

  auto eval = std::make_shared<EvalArgs>();
  CLI::App* eval_text = registry.Group("eval", "Score a model on labelled data")
                            ->add_subcommand("text", "Accuracy, macro-F1, per-class precision/recall and confusion on CARER or GoEmotions files");
  eval_text->add_option("--data", eval->data, "Labelled file(s): CARER or GoEmotions (scored on the Ekman grouping)")->required();
  eval_text->add_option("--model", eval->model, "Text model (default: the shipped models/text-emotion.bin)");
  eval_text->add_flag("--json", eval->json, "Print JSON: {n, accuracy, macro_f1, classes, confusion}");
  registry.Add(eval_text, [eval] { return RunEvalText(*eval); });

  auto mood = std::make_shared<MoodArgs>();
  CLI::App* mood_cmd = registry.app.add_subcommand("mood", "Read the mood in a message: emotion, confidence, valence, arousal");
  mood->text_option = mood_cmd->add_option("--text", mood->text, "The message");
  mood->face_option = mood_cmd->add_option("--face", mood->face, "A picture (JPEG, PNG, WebP, BMP), GIF or video (MP4, WebM, MOV) of the listener");
  mood->voice_option = mood_cmd->add_option("--voice", mood->voice, "A spoken recording (WAV, FLAC, MP3, OGG/Opus, WebM/Opus, M4A …) of the listener");
  mood_cmd->add_option("--fps", mood->frames_per_second, "With --face on a GIF or video: frames sampled per second (default 2)")
      ->check(CLI::Range(0.01, 60.0));
  mood_cmd->add_option("--model", mood->model, "Text model (default: the shipped models/text-emotion.bin)");
  mood_cmd->add_flag("--json", mood->json, "Print JSON: {emotion, confidence, valence, arousal, distribution}");
  registry.Add(mood_cmd, [mood] { return RunMood(*mood); });
}

}  // namespace emotune::cli
