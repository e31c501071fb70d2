// emotune mood --voice, recommend --voice, train voice and eval voice: the voice
// emotion model from the command line.
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <numeric>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "cli.h"
#include "emotune/classification_report.h"
#include "emotune/label_map.h"
#include "emotune/voice_corpus.h"
#include "emotune/voice_json.h"
#include "emotune/voice_mood.h"

namespace emotune::cli {
namespace {

constexpr const char* kVoiceModel = "voice-emotion.bin";

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

std::vector<std::string> RavdessClasses() {
  const auto labels = Labels(LabelSet::kRavdess);
  return {labels.begin(), labels.end()};
}

// "13-18", "13,15,17" or "1-3,20" → actor numbers.
Result<std::set<int>> ParseActors(const std::string& text) {
  std::set<int> actors;
  std::size_t at = 0;
  while (at <= text.size() && !text.empty()) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    const std::string part = text.substr(at, comma - at);
    const std::size_t dash = part.find('-');
    try {
      std::size_t used = 0;
      const int lo = std::stoi(part.substr(0, dash), &used);
      const int hi = dash == std::string::npos ? lo : std::stoi(part.substr(dash + 1));
      if (lo < 1 || hi < lo || hi > 99) throw std::out_of_range("range");
      for (int a = lo; a <= hi; ++a) actors.insert(a);
    } catch (const std::exception&) {
      return Status::InvalidArgument(fmt::format("--holdout-actors '{}': expected actor numbers such as 13-18 or 2,4,6", text));
    }
    at = comma + 1;
  }
  return actors;
}

void Progress(const char* what, std::size_t done, std::size_t total) {
  if (!::isatty(STDERR_FILENO)) return;
  fmt::print(stderr, "\r{} {}/{}{}", what, done, total, done == total ? "\n" : "");
}

// Per clip (pooled over its utterances, weighted by length), the predicted index.
std::vector<std::size_t> PredictClips(const VoiceEmotionModel& model, const VoiceCorpus& corpus, std::size_t clips,
                                      std::vector<std::size_t>* truth) {
  std::vector<RavdessProbabilities> pooled(clips);
  std::vector<bool> seen(clips, false);
  truth->assign(clips, 0);
  for (std::size_t i = 0; i < corpus.examples.size(); ++i) {
    if (corpus.augmented[i]) continue;
    const std::size_t c = corpus.clip_of[i];
    const auto p = model.Predict(corpus.examples[i].features);
    for (std::size_t k = 0; k < kRavdessEmotionCount; ++k) pooled[c][k] += corpus.seconds[i] * p[k];
    seen[c] = true;
    (*truth)[c] = corpus.examples[i].label;
  }
  std::vector<std::size_t> predicted(clips, kRavdessEmotionCount);  // kRavdessEmotionCount: no speech
  for (std::size_t c = 0; c < clips; ++c)
    if (seen[c]) predicted[c] = static_cast<std::size_t>(std::max_element(pooled[c].begin(), pooled[c].end()) - pooled[c].begin());
  return predicted;
}

// ------------------------------------------------------------------ train voice

struct TrainVoiceArgs {
  std::string data;
  std::string out;
  std::string holdout;
  std::string dump_logmel;
  int cv = 0;
  int augment = 2;
  int threads = 0;
  bool json = false;
  VoiceTrainingOptions options;
};

struct Split {
  std::vector<RavdessClip> clips;
  VoiceCorpus corpus;
};

std::vector<VoiceExample> ExamplesOf(const VoiceCorpus& corpus, const std::function<bool(std::size_t)>& keep_clip) {
  std::vector<VoiceExample> out;
  for (std::size_t i = 0; i < corpus.examples.size(); ++i)
    if (keep_clip(corpus.clip_of[i])) out.push_back(corpus.examples[i]);
  return out;
}

// --dump-logmel: every utterance's CNN input (training clips with their augmented
// copies, held-out clips as recorded) for tools/train_voice_cnn.py; no training.
int DumpCnnInputs(const std::string& path, const Split& train, Split& held, VoiceCorpusOptions options) {
  options.augment.copies = 0;
  held.corpus = ExtractVoiceCorpus(held.clips, options);
  for (const auto& note : held.corpus.left_out) fmt::print(stderr, "emotune: left out: {}\n", note);
  std::vector<VoiceCnnRecord> records;
  std::size_t clip_base = 0;
  for (const Split* split : std::array<const Split*, 2>{&train, &held}) {
    for (std::size_t i = 0; i < split->corpus.examples.size(); ++i) {
      const std::size_t c = split->corpus.clip_of[i];
      records.push_back({split->corpus.cnn_inputs[i], static_cast<std::int32_t>(split->corpus.examples[i].label),
                         split->clips[c].name.actor, static_cast<std::int32_t>(clip_base + c), split->corpus.copy_of[i]});
    }
    clip_base += split->clips.size();
  }
  if (Status s = WriteVoiceCnnRecords(path, records); !s.ok()) return Fail(s);
  fmt::print(stderr, "{} utterances' log-mel inputs → {}\n", records.size(), path);
  return kExitOk;
}

int RunTrainVoice(const TrainVoiceArgs& args) {
  if (args.out.empty() && args.holdout.empty() && args.cv == 0 && args.dump_logmel.empty())
    return UsageError("train voice: give --out FILE, --holdout-actors LIST, --cv K or --dump-logmel FILE");
  auto clips = FindRavdessClips(args.data);
  if (!clips.ok()) return Fail(clips.status());
  std::set<int> holdout;
  if (!args.holdout.empty()) {
    auto parsed = ParseActors(args.holdout);
    if (!parsed.ok()) return UsageError(parsed.status().message());
    holdout = *parsed;
  }
  Split train, held;
  for (const RavdessClip& clip : *clips) (holdout.count(clip.name.actor) ? held : train).clips.push_back(clip);
  if (train.clips.empty()) return Fail(Status::InvalidArgument("train voice: every clip belongs to a held-out actor"));
  std::set<int> train_actors;
  for (const RavdessClip& clip : train.clips) train_actors.insert(clip.name.actor);
  fmt::print(stderr, "{}: {} clips from {} actors for training, {} held out\n", args.data, train.clips.size(),
             train_actors.size(), held.clips.size());

  const auto start = std::chrono::steady_clock::now();
  VoiceCorpusOptions corpus_options;
  corpus_options.threads = args.threads;
  corpus_options.augment.copies = args.augment;
  corpus_options.augment.seed = args.options.seed;
  corpus_options.progress = [](std::size_t d, std::size_t t) { Progress("features", d, t); };
  corpus_options.keep_cnn_inputs = !args.dump_logmel.empty();
  train.corpus = ExtractVoiceCorpus(train.clips, corpus_options);
  for (const auto& note : train.corpus.left_out) fmt::print(stderr, "emotune: left out: {}\n", note);
  fmt::print(stderr, "{} training examples ({} augmented) in {:.1f} s\n", train.corpus.examples.size(),
             std::count(train.corpus.augmented.begin(), train.corpus.augmented.end(), true), Seconds(start));

  if (!args.dump_logmel.empty()) return DumpCnnInputs(args.dump_logmel, train, held, corpus_options);

  nlohmann::json report_json = nlohmann::json::object();
  const auto classes = RavdessClasses();

  if (args.cv > 0) {
    std::vector<int> actors(train_actors.begin(), train_actors.end());
    if (args.cv < 2 || args.cv > static_cast<int>(actors.size()))
      return UsageError(fmt::format("--cv must be in 2..{} (the training actors)", actors.size()));
    std::map<int, int> fold_of;
    for (std::size_t i = 0; i < actors.size(); ++i) fold_of[actors[i]] = static_cast<int>(i % static_cast<std::size_t>(args.cv));
    ClassificationReport pooled(classes);
    std::vector<double> accuracies, f1s;
    for (int fold = 0; fold < args.cv; ++fold) {
      const auto in_fold = [&](std::size_t c) { return fold_of[train.clips[c].name.actor] == fold; };
      const std::vector<VoiceExample> examples = ExamplesOf(train.corpus, [&](std::size_t c) { return !in_fold(c); });
      auto model = VoiceEmotionModel::Train(examples, args.options);
      if (!model.ok()) return Fail(model.status());
      std::vector<std::size_t> truth;
      const auto predicted = PredictClips(**model, train.corpus, train.clips.size(), &truth);
      ClassificationReport report(classes);
      for (std::size_t c = 0; c < train.clips.size(); ++c) {
        if (!in_fold(c) || predicted[c] >= kRavdessEmotionCount) continue;
        report.Add(truth[c], predicted[c]);
        pooled.Add(truth[c], predicted[c]);
      }
      accuracies.push_back(report.Accuracy());
      f1s.push_back(report.MacroF1());
      std::vector<int> members;
      for (int a : actors)
        if (fold_of[a] == fold) members.push_back(a);
      fmt::print(stderr, "cv fold {} (actors {}): accuracy {:.4f}, macro-F1 {:.4f}\n", fold + 1, fmt::join(members, ","),
                 report.Accuracy(), report.MacroF1());
    }
    const auto mean = [](const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size()); };
    fmt::print("leave-actors-out cross-validation, {} folds: mean accuracy {:.4f}, mean macro-F1 {:.4f}\n{}\n", args.cv,
               mean(accuracies), mean(f1s), pooled.ToText());
    report_json["cv"] = pooled.ToJson();
    report_json["cv"]["folds"] = args.cv;
    report_json["cv"]["mean_accuracy"] = mean(accuracies);
    report_json["cv"]["mean_macro_f1"] = mean(f1s);
  }

  const auto train_start = std::chrono::steady_clock::now();
  const std::string description =
      fmt::format("voice emotion: {} clips from actors {} of {}; hidden {}, members {}, epochs {}, l2 {}, noise {}, "
                  "augment {}, seed {}",
                  train.clips.size(), fmt::join(train_actors, ","), args.data, args.options.hidden, args.options.members,
                  args.options.epochs, args.options.l2, args.options.input_noise, args.augment, args.options.seed);
  auto model = VoiceEmotionModel::Train(train.corpus.examples, args.options, description);
  if (!model.ok()) return Fail(model.status());
  fmt::print(stderr, "trained in {:.1f} s\n", Seconds(train_start));

  if (!held.clips.empty()) {
    VoiceCorpusOptions plain = corpus_options;
    plain.augment.copies = 0;
    held.corpus = ExtractVoiceCorpus(held.clips, plain);
    std::vector<std::size_t> truth;
    const auto predicted = PredictClips(**model, held.corpus, held.clips.size(), &truth);
    std::vector<std::string> with_none = classes;
    const bool any_none = std::count(predicted.begin(), predicted.end(), kRavdessEmotionCount) > 0;
    if (any_none) with_none.push_back("no speech");
    ClassificationReport report(with_none);
    for (std::size_t c = 0; c < held.clips.size(); ++c)
      report.Add(predicted[c] < kRavdessEmotionCount ? truth[c] : held.clips[c].name.label(), predicted[c]);
    fmt::print("held-out actors {}: {} clips\n{}\n", args.holdout, held.clips.size(), report.ToText());
    report_json["holdout"] = report.ToJson();
    report_json["holdout"]["actors"] = args.holdout;
  }
  if (!args.out.empty()) {
    if (Status s = (*model)->Save(args.out); !s.ok()) return Fail(s);
    fmt::print(stderr, "model → {} ({:.1f} s in all)\n", args.out, Seconds(start));
  }
  if (args.json) PrintJson(report_json);
  return kExitOk;
}

// ------------------------------------------------------------------- eval voice

struct EvalVoiceArgs {
  std::string data;
  std::string model;
  int threads = 0;
  int views = VoiceMoodOptions{}.views;
  double cnn_weight = VoiceMoodOptions{}.cnn_weight;
  bool json = false;
};

int RunEvalVoice(const EvalVoiceArgs& args) {
  const std::string path = FindModel(kVoiceModel, args.model);
  VoiceMoodOptions options;
  options.views = args.views;
  options.cnn_weight = args.cnn_weight;
  auto reader = VoiceMoodReader::Load(path, options);
  if (!reader.ok()) return Fail(reader.status());
  const std::string models = (*reader)->cnn() ? fmt::format("{} + {} (CNN weight {})", path, (*reader)->cnn()->path(), args.cnn_weight) : path;
  auto clips = FindRavdessClips(args.data);
  if (!clips.ok()) return Fail(clips.status());
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::size_t> predicted(clips->size(), kRavdessEmotionCount);
  std::vector<std::string> notes(clips->size());
  std::atomic<std::size_t> next{0}, done{0};
  std::mutex progress;
  const auto work = [&] {
    for (std::size_t i; (i = next++) < clips->size();) {
      auto result = (*reader)->ReadFile((*clips)[i].path);
      if (result.ok())
        predicted[i] = static_cast<std::size_t>(std::max_element(result->probabilities.begin(), result->probabilities.end()) -
                                                result->probabilities.begin());
      else
        notes[i] = result.status().message();
      std::lock_guard lock(progress);
      Progress("clips", ++done, clips->size());
    }
  };
  const unsigned threads = args.threads > 0 ? static_cast<unsigned>(args.threads) : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  std::vector<std::string> classes = RavdessClasses();
  std::vector<std::string> failures;
  for (const auto& n : notes)
    if (!n.empty()) failures.push_back(n);
  if (!failures.empty()) classes.push_back("no speech");  // such a clip counts as wrong
  ClassificationReport report(classes);
  for (std::size_t i = 0; i < clips->size(); ++i) report.Add((*clips)[i].name.label(), predicted[i]);
  for (const auto& f : failures) fmt::print(stderr, "emotune: {}\n", f);
  spdlog::debug("{} clips in {:.2f} s", clips->size(), Seconds(start));
  if (args.json) {
    nlohmann::json j = report.ToJson();
    j["data"] = args.data;
    j["model"] = path;
    j["cnn_model"] = (*reader)->cnn() ? (*reader)->cnn()->path() : "";
    j["cnn_weight"] = (*reader)->cnn() ? args.cnn_weight : 0.0;
    j["unread"] = failures;
    j["views"] = args.views;
    PrintJson(j);
  } else {
    fmt::print("{} (RAVDESS, {})\n{}", args.data, models, report.ToText());
  }
  return kExitOk;
}

}  // namespace

Result<MoodEstimate> ReadVoiceMood(const std::string& path) {
  auto reader = VoiceMoodReader::Load(FindModel(kVoiceModel));
  if (!reader.ok()) return reader.status();
  auto result = (*reader)->ReadFile(path);
  if (!result.ok()) return result.status();
  return result->mood;
}

Result<std::shared_ptr<const VoiceMoodReader>> LoadVoiceReader(const VoiceMoodOptions& options) {
  auto reader = VoiceMoodReader::Load(FindModel(kVoiceModel), options);
  if (!reader.ok()) return reader.status();
  return std::shared_ptr<const VoiceMoodReader>(std::move(*reader));
}

int RunVoiceMood(const std::string& path, bool json) {
  auto reader = VoiceMoodReader::Load(FindModel(kVoiceModel));
  if (!reader.ok()) return Fail(reader.status());
  auto result = (*reader)->ReadFile(path);
  if (!result.ok()) return Fail(result.status());
  if (json) {
    PrintJson(VoiceMoodToJson(*result));
    return kExitOk;
  }
  const MoodEstimate& mood = result->mood;
  fmt::print("{} (confidence {:.2f}{})\nvalence {:+.2f}, arousal {:+.2f}\n", EmotionName(mood.dominant()),
             mood.confidence, IsConfident(mood) ? "" : ", unsure", mood.valence, mood.arousal);
  for (const UtteranceReading& u : result->utterances)
    fmt::print("  {:6.2f}–{:6.2f} s: {} ({:.2f})\n", u.start_s, u.end_s, EmotionName(u.mood.dominant()), u.mood.confidence);
  for (const std::string& note : result->notes) fmt::print("  note: {}\n", note);
  return kExitOk;
}

void RegisterVoiceCommands(CommandRegistry& registry) {
  auto train = std::make_shared<TrainVoiceArgs>();
  CLI::App* train_voice = registry.Group("train", "Train a model from labelled data")
                              ->add_subcommand("voice", "Train the voice emotion model on RAVDESS-named recordings");
  train_voice->add_option("--data", train->data, "Folder tree of RAVDESS-named audio files (03-01-EE-II-SS-RR-AA.wav/.flac/…)")
      ->required();
  train_voice->add_option("--out", train->out, "Model file to write (trained on every actor not held out)");
  train_voice->add_option("--holdout-actors", train->holdout,
                          "Actors left out of training and scored afterwards, e.g. 13-18 (speaker-independent validation)");
  train_voice->add_option("--cv", train->cv, "Also cross-validate over the training actors, K folds of whole actors");
  train_voice->add_option("--augment", train->augment, "Augmented copies per training clip: speed/pitch ±12 %, noise (default 2)")
      ->check(CLI::Range(0, 16));
  train_voice->add_option("--hidden", train->options.hidden, "Hidden units per network; 0: logistic regression (default 48)")
      ->check(CLI::Range(0, 1024));
  train_voice->add_option("--members", train->options.members, "Networks in the ensemble (default 5)")->check(CLI::Range(1, 32));
  train_voice->add_option("--epochs", train->options.epochs, "Passes over the data (default 120)")->check(CLI::Range(1, 10000));
  train_voice->add_option("--learning-rate", train->options.learning_rate, "Adam step size (default 0.001)");
  train_voice->add_option("--l2", train->options.l2, "L2 penalty on the weights (default 0.001)");
  train_voice->add_option("--input-noise", train->options.input_noise, "Gaussian noise on standardised inputs (default 0.3)");
  train_voice->add_option("--seed", train->options.seed, "Seed for weights, shuffling and augmentation (default 7)");
  train_voice->add_option("-j,--threads", train->threads, "Threads for decoding and features (default: all cores)");
  train_voice->add_flag("--json", train->json, "Print the validation reports as JSON");
  train_voice->add_option("--dump-logmel", train->dump_logmel,
                          "Instead of training, write every utterance's CNN input (log-mel frames, label, actor) to FILE "
                          "for tools/train_voice_cnn.py: training clips with --augment copies, held-out clips as recorded");
  registry.Add(train_voice, [train] { return RunTrainVoice(*train); });

  auto eval = std::make_shared<EvalVoiceArgs>();
  CLI::App* eval_voice = registry.Group("eval", "Score a model on labelled data")
                             ->add_subcommand("voice", "Accuracy, macro-F1, per-class precision/recall and confusion of the "
                                                       "voice model on RAVDESS-named recordings");
  eval_voice->add_option("--data", eval->data, "Folder tree of RAVDESS-named audio files (03-01-EE-II-SS-RR-AA.ext)")->required();
  eval_voice->add_option("--model", eval->model, "Voice model (default: the shipped models/voice-emotion.bin)");
  eval_voice->add_option("-j,--threads", eval->threads, "Clips read at once (default: all cores)");
  eval_voice->add_option("--views", eval->views, "Test-time views: 1 reads each clip once, 3 also 5 % slower and faster (default 3)")
      ->check(CLI::Range(1, 5));
  eval_voice->add_option("--cnn-weight", eval->cnn_weight,
                         fmt::format("Share of the CNN companion (<model>-cnn.onnx) in the reading: 0 the feature network alone, "
                                     "1 the CNN alone (default {})", kVoiceCnnWeight))
      ->check(CLI::Range(0.0, 1.0));
  eval_voice->add_flag("--json", eval->json, "Print JSON: {n, accuracy, macro_f1, classes, confusion}");
  registry.Add(eval_voice, [eval] { return RunEvalVoice(*eval); });
}

}  // namespace emotune::cli
