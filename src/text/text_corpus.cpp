#include "emotune/text_corpus.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <fstream>

#include <fmt/format.h>

#include "emotune/mood_estimate.h"
#include "emotune/utf8.h"

namespace emotune {
namespace {

struct GoEmotion {
  std::string_view name;
  std::string_view ekman;  // the dataset's own ekman_mapping.json grouping
  // Where the nine place it when that differs from its Ekman group's emotion: the
  // Ekman grouping folds love, caring and desire into joy and relief into joy, but
  // the nine have love and calm of their own.
  std::optional<Emotion> own;
};

const std::vector<GoEmotion>& GoEmotions() {
  static const std::vector<GoEmotion> kTable = {
      {"admiration", "joy", {}},        {"amusement", "joy", {}},
      {"anger", "anger", {}},           {"annoyance", "anger", {}},
      {"approval", "joy", {}},          {"caring", "joy", Emotion::kLove},
      {"confusion", "surprise", {}},    {"curiosity", "surprise", {}},
      {"desire", "joy", Emotion::kLove}, {"disappointment", "sadness", {}},
      {"disapproval", "anger", {}},     {"disgust", "disgust", {}},
      {"embarrassment", "sadness", {}}, {"excitement", "joy", {}},
      {"fear", "fear", {}},             {"gratitude", "joy", {}},
      {"grief", "sadness", {}},         {"joy", "joy", {}},
      {"love", "joy", Emotion::kLove},  {"nervousness", "fear", {}},
      {"optimism", "joy", {}},          {"pride", "joy", {}},
      {"realization", "surprise", {}},  {"relief", "joy", Emotion::kCalm},
      {"remorse", "sadness", {}},       {"sadness", "sadness", {}},
      {"surprise", "surprise", {}},     {"neutral", "neutral", {}},
  };
  return kTable;
}

std::string Location(const std::string& path, std::int64_t line) { return fmt::format("{}:{}: ", path, line); }

Status ParseCarerLine(const std::string& line, TextExample* ex) {
  const std::size_t semi = line.rfind(';');
  if (semi == std::string::npos) return Status::InvalidArgument("expected text;label");
  ex->text = line.substr(0, semi);
  ex->labels = {line.substr(semi + 1)};
  auto target = MapLabel(LabelSet::kCarer, ex->labels[0]);
  if (!target.ok()) return target.status();
  ex->target = *target;
  return Status::Ok();
}

Status ParseGoEmotionsLine(const std::string& line, TextExample* ex) {
  const std::size_t tab1 = line.find('\t');
  const std::size_t tab2 = tab1 == std::string::npos ? tab1 : line.find('\t', tab1 + 1);
  if (tab2 == std::string::npos) return Status::InvalidArgument("expected text<TAB>ids<TAB>id");
  ex->text = line.substr(0, tab1);
  std::string_view ids = std::string_view(line).substr(tab1 + 1, tab2 - tab1 - 1);
  EmotionDistribution target{};
  while (!ids.empty()) {
    const std::size_t comma = ids.find(',');
    const std::string_view item = ids.substr(0, comma);
    std::size_t id = 0;
    auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), id);
    if (ec != std::errc() || ptr != item.data() + item.size() || id >= GoEmotions().size())
      return Status::InvalidArgument(fmt::format("label id '{}' is not one of 0..27", item));
    const GoEmotion& g = GoEmotions()[id];
    if (std::find(ex->labels.begin(), ex->labels.end(), g.ekman) == ex->labels.end())
      ex->labels.emplace_back(g.ekman);
    if (g.own) {
      target[EmotionIndex(*g.own)] += 1;
    } else {
      auto mapped = MapLabel(LabelSet::kGoEmotionsEkman, g.ekman);
      if (!mapped.ok()) return mapped.status();
      for (std::size_t k = 0; k < kEmotionCount; ++k) target[k] += (*mapped)[k];
    }
    ids = comma == std::string_view::npos ? std::string_view() : ids.substr(comma + 1);
  }
  if (ex->labels.empty()) return Status::InvalidArgument("no label ids");
  ex->target = Normalized(target);
  return Status::Ok();
}

}  // namespace

const std::vector<std::string>& GoEmotionsLabelNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const auto& g : GoEmotions()) names.emplace_back(g.name);
    return names;
  }();
  return kNames;
}

Result<TextCorpus> ReadTextCorpus(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(fmt::format("{}: cannot open (no such file or no permission)", path));
  TextCorpus corpus;
  corpus.path = path;
  std::string line;
  std::int64_t number = 0;
  bool decided = false;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (std::size_t bad = FindInvalidUtf8(line); bad != std::string::npos)
      return Status::InvalidArgument(Location(path, number) + fmt::format("invalid UTF-8 at byte {}", bad + 1));
    if (!decided) {
      // GoEmotions lines have two tabs; CARER lines end in ;label.
      corpus.label_set = std::count(line.begin(), line.end(), '\t') >= 2 ? LabelSet::kGoEmotionsEkman : LabelSet::kCarer;
      decided = true;
    }
    TextExample ex;
    const Status s = corpus.label_set == LabelSet::kCarer ? ParseCarerLine(line, &ex) : ParseGoEmotionsLine(line, &ex);
    if (!s.ok()) return Status::InvalidArgument(Location(path, number) + s.message());
    corpus.examples.push_back(std::move(ex));
  }
  if (corpus.examples.empty()) return Status::InvalidArgument(fmt::format("{}: no examples", path));
  return corpus;
}

}  // namespace emotune
