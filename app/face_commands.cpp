// emotune mood --face, recommend --face and eval face: the face models from the
// command line.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <opencv2/imgcodecs.hpp>
#include <spdlog/spdlog.h>

#include "cli.h"
#include "emotune/classification_report.h"
#include "emotune/face_json.h"
#include "emotune/face_mood.h"
#include "emotune/label_map.h"

namespace emotune::cli {
namespace {

constexpr const char* kDetectorModel = "face-detector.onnx";
constexpr const char* kExpressionModel = "face-expression.onnx";

// ----------------------------------------------------------------- eval face

struct LabelledCrops {
  std::vector<cv::Mat> crops;
  std::vector<std::size_t> truth;  // index into Labels(kFer2013)
  std::vector<std::string> notes;  // what was left out and why
};

std::optional<std::size_t> Fer2013Index(const std::string& name) {
  const auto labels = Labels(LabelSet::kFer2013);
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i] == name) return i;
  return std::nullopt;
}

// DIR/<class>/* image crops (FER2013's image-folder layout).
Result<LabelledCrops> ReadCropFolders(const std::string& dir) {
  namespace fs = std::filesystem;
  LabelledCrops out;
  std::error_code ec;
  std::vector<fs::path> classes;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_directory()) classes.push_back(entry.path());
  if (ec) return Status::IoError(fmt::format("{}: {}", dir, ec.message()));
  std::sort(classes.begin(), classes.end());
  for (const fs::path& class_dir : classes) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(class_dir, ec))
      if (entry.is_regular_file()) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    const auto index = Fer2013Index(class_dir.filename().string());
    if (!index) {
      out.notes.push_back(fmt::format("{}: not a FER2013 class; {} files left out", class_dir.filename().string(), files.size()));
      continue;
    }
    std::size_t unreadable = 0;
    for (const fs::path& file : files) {
      cv::Mat grey = cv::imread(file.string(), cv::IMREAD_GRAYSCALE);
      if (grey.empty()) {
        ++unreadable;
        continue;
      }
      out.crops.push_back(std::move(grey));
      out.truth.push_back(*index);
    }
    if (unreadable) out.notes.push_back(fmt::format("{}: {} files are not readable pictures; left out", class_dir.filename().string(), unreadable));
  }
  if (out.crops.empty()) return Status::InvalidArgument(fmt::format("{}: no face crops in DIR/<class>/ (classes: {})", dir,
                                                                    fmt::join(Labels(LabelSet::kFer2013), ", ")));
  return out;
}

// The original fer2013.csv: emotion,pixels,Usage with ids angry, disgust, fear,
// happy, sad, surprise, neutral and 48×48 space-separated pixels.
Result<LabelledCrops> ReadFer2013Csv(const std::string& path) {
  constexpr std::array<std::size_t, 7> kIdToLabel = {0, 1, 2, 3, 5, 6, 4};
  std::ifstream in(path);
  if (!in) return Status::IoError(fmt::format("{}: cannot read", path));
  LabelledCrops out;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (number == 1 && line.rfind("emotion", 0) == 0) continue;
    std::istringstream row(line);
    std::string id, pixels;
    if (!std::getline(row, id, ',') || !std::getline(row, pixels, ',') || id.size() != 1 || id[0] < '0' || id[0] > '6')
      return Status::InvalidArgument(fmt::format("{}:{}: expected emotion id 0–6, then 2304 pixels", path, number));
    cv::Mat crop(48, 48, CV_8U);
    std::istringstream values(pixels);
    int v = 0, n = 0;
    while (values >> v && n < 48 * 48) crop.data[n++] = static_cast<std::uint8_t>(std::clamp(v, 0, 255));
    if (n != 48 * 48) return Status::InvalidArgument(fmt::format("{}:{}: {} pixels, expected 2304", path, number, n));
    out.crops.push_back(crop);
    out.truth.push_back(kIdToLabel[static_cast<std::size_t>(id[0] - '0')]);
  }
  if (out.crops.empty()) return Status::InvalidArgument(fmt::format("{}: no rows", path));
  return out;
}

struct EvalFaceArgs {
  std::string data;
  std::string model;
  std::string views = "scales";
  bool json = false;
};

int RunEvalFace(const EvalFaceArgs& args) {
  auto views = ParseExpressionViews(args.views);
  if (!views.ok()) return UsageError(views.status().message());
  auto model = FaceExpressionModel::Load(FindModel(kExpressionModel, args.model));
  if (!model.ok()) return Fail(model.status());
  std::error_code ec;
  auto data = std::filesystem::is_directory(args.data, ec) ? ReadCropFolders(args.data) : ReadFer2013Csv(args.data);
  if (!data.ok()) return Fail(data.status());
  for (const auto& note : data->notes) fmt::print(stderr, "emotune: {}\n", note);
  const auto start = std::chrono::steady_clock::now();
  // 48×48 crops go straight to the expression model: they are faces already.
  const auto predictions = (*model)->Classify(data->crops, *views);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto labels = Labels(LabelSet::kFer2013);
  ClassificationReport report(std::vector<std::string>(labels.begin(), labels.end()));
  for (std::size_t i = 0; i < predictions.size(); ++i)
    report.Add(data->truth[i], std::max_element(predictions[i].begin(), predictions[i].end()) - predictions[i].begin());
  spdlog::debug("{} crops in {:.2f} s", predictions.size(), seconds);
  if (args.json) {
    nlohmann::json j = report.ToJson();
    j["data"] = args.data;
    j["views"] = args.views;
    j["left_out"] = data->notes;
    PrintJson(j);
  } else {
    fmt::print("{} (FER2013, {}, views: {})\n{}", args.data, FindModel(kExpressionModel, args.model), args.views,
               report.ToText());
  }
  return kExitOk;
}

}  // namespace

Result<std::unique_ptr<FaceMoodReader>> LoadFaceReader(const FaceMoodOptions& options) {
  return FaceMoodReader::Load(FindModel(kDetectorModel), FindModel(kExpressionModel), options);
}

Result<MoodEstimate> ReadFaceMood(const std::string& path) {
  auto reader = LoadFaceReader(FaceMoodOptions{});
  if (!reader.ok()) return reader.status();
  auto result = (*reader)->ReadFile(path);
  if (!result.ok()) return result.status();
  return result->mood;
}

int RunFaceMood(const std::string& path, double frames_per_second, bool json) {
  FaceMoodOptions options;
  options.frames_per_second = frames_per_second;
  auto reader = LoadFaceReader(options);
  if (!reader.ok()) return Fail(reader.status());
  auto result = (*reader)->ReadFile(path);
  if (!result.ok()) return Fail(result.status());
  const MoodEstimate& mood = result->mood;
  if (json) {
    PrintJson(FaceMoodToJson(*result));
    return kExitOk;
  }
  fmt::print("{} (confidence {:.2f}{})\nvalence {:+.2f}, arousal {:+.2f}\n", EmotionName(mood.dominant()),
             mood.confidence, IsConfident(mood) ? "" : ", unsure", mood.valence, mood.arousal);
  for (const FrameReading& frame : result->frames)
    for (std::size_t i = 0; i < frame.faces.size(); ++i) {
      const FaceReading& face = frame.faces[i];
      const std::string when = result->frames.size() > 1 ? fmt::format("{:6.2f} s  ", frame.time_s) : "";
      fmt::print("  {}face {} at {},{} {}×{}: {} ({:.2f})\n", when, i + 1, face.box.x, face.box.y, face.box.width,
                 face.box.height, EmotionName(face.mood.dominant()), face.mood.confidence);
    }
  return kExitOk;
}

void RegisterFaceCommands(CommandRegistry& registry) {
  auto eval = std::make_shared<EvalFaceArgs>();
  CLI::App* eval_face = registry.Group("eval", "Score a model on labelled data")
                            ->add_subcommand("face", "Accuracy, macro-F1, per-class recall and confusion of the face "
                                                     "expression model on FER2013-style crops");
  eval_face->add_option("--data", eval->data, "DIR with DIR/<class>/* crops (FER2013 class names), or fer2013.csv")
      ->required();
  eval_face->add_option("--model", eval->model, "Expression model (default: the shipped models/face-expression.onnx)");
  eval_face->add_option("--views", eval->views,
                        "Test-time views averaged per crop: single, mirror, or scales (90/100/110 % × mirror; default)");
  eval_face->add_flag("--json", eval->json, "Print JSON: {n, accuracy, macro_f1, classes, confusion}");
  registry.Add(eval_face, [eval] { return RunEvalFace(*eval); });
}

}  // namespace emotune::cli
