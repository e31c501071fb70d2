#include "emotune/label_map.h"

#include <array>
#include <cctype>
#include <cmath>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "emotune/ascii_text.h"
#include "emotune/mood_estimate.h"

namespace emotune {
namespace {

struct LabelRow {
  std::string_view label;
  EmotionDistribution distribution;
};

constexpr EmotionDistribution Mix(std::initializer_list<std::pair<Emotion, double>> parts) {
  EmotionDistribution d{};
  for (const auto& [emotion, weight] : parts) d[EmotionIndex(emotion)] += weight;
  return d;
}
constexpr EmotionDistribution Only(Emotion e) { return Mix({{e, 1.0}}); }

// One table per label set, rows in the set's canonical order (see label_map.h).
// Where a dataset label names one of the nine, it maps to it alone.

// CARER (Saravia et al. 2018, English tweets).
constexpr std::array<LabelRow, 6> kCarer = {{
    {"sadness", Only(Emotion::kSadness)},
    {"joy", Only(Emotion::kJoy)},
    {"love", Only(Emotion::kLove)},
    {"anger", Only(Emotion::kAnger)},
    {"fear", Only(Emotion::kFear)},
    {"surprise", Only(Emotion::kSurprise)},
}};

// GoEmotions (Demszky et al. 2020) with its 27 labels grouped into Ekman's six
// plus neutral, as the dataset's own ekman_mapping does.
constexpr std::array<LabelRow, 7> kGoEmotionsEkman = {{
    {"anger", Only(Emotion::kAnger)},
    {"disgust", Only(Emotion::kDisgust)},
    {"fear", Only(Emotion::kFear)},
    {"joy", Only(Emotion::kJoy)},
    {"sadness", Only(Emotion::kSadness)},
    {"surprise", Only(Emotion::kSurprise)},
    {"neutral", Only(Emotion::kNeutral)},
}};

// FER2013 (Goodfellow et al. 2013, 48×48 faces), in alphabetical order as the
// image-folder releases use. The original CSV's class ids run angry, disgust, fear,
// happy, sad, surprise, neutral: reorder such a model's output first.
constexpr std::array<LabelRow, 7> kFer2013 = {{
    {"angry", Only(Emotion::kAnger)},
    {"disgust", Only(Emotion::kDisgust)},
    {"fear", Only(Emotion::kFear)},
    {"happy", Only(Emotion::kJoy)},
    {"neutral", Only(Emotion::kNeutral)},
    {"sad", Only(Emotion::kSadness)},
    {"surprise", Only(Emotion::kSurprise)},
}};

// RAVDESS (Livingstone & Russo 2018, acted speech), in file-name code order 01..08.
// It is the one set that separates calm from neutral, which is why the nine have both.
constexpr std::array<LabelRow, 8> kRavdess = {{
    {"neutral", Only(Emotion::kNeutral)},
    {"calm", Only(Emotion::kCalm)},
    {"happy", Only(Emotion::kJoy)},
    {"sad", Only(Emotion::kSadness)},
    {"angry", Only(Emotion::kAnger)},
    {"fearful", Only(Emotion::kFear)},
    {"disgust", Only(Emotion::kDisgust)},
    {"surprised", Only(Emotion::kSurprise)},
}};

// data_moods (Kaggle's music-mood set): moods of tracks, not of people, so two
// labels are spread over several of the nine. The weights are our judgement.
constexpr std::array<LabelRow, 4> kDataMoods = {{
    // A happy song runs from exuberant to warm and tender: mostly joy, some love.
    {"Happy", Mix({{Emotion::kJoy, 0.8}, {Emotion::kLove, 0.2}})},
    {"Sad", Only(Emotion::kSadness)},
    // Energy names arousal, not valence: mostly upbeat (joy), part startling or
    // intense (surprise), part aggressive (anger). Its expected place is positive
    // and high-arousal, near no single emotion.
    {"Energetic", Mix({{Emotion::kJoy, 0.5}, {Emotion::kSurprise, 0.3}, {Emotion::kAnger, 0.2}})},
    {"Calm", Only(Emotion::kCalm)},
}};

template <std::size_t N>
constexpr std::array<std::string_view, N> LabelsOf(const std::array<LabelRow, N>& rows) {
  std::array<std::string_view, N> labels{};
  for (std::size_t i = 0; i < N; ++i) labels[i] = rows[i].label;
  return labels;
}
constexpr auto kCarerLabels = LabelsOf(kCarer);
constexpr auto kGoEmotionsEkmanLabels = LabelsOf(kGoEmotionsEkman);
constexpr auto kFer2013Labels = LabelsOf(kFer2013);
constexpr auto kRavdessLabels = LabelsOf(kRavdess);
constexpr auto kDataMoodsLabels = LabelsOf(kDataMoods);

struct LabelTable {
  LabelSet set;
  std::string_view name;
  std::span<const LabelRow> rows;
  std::span<const std::string_view> labels;
};

constexpr std::array<LabelTable, 5> kTables = {{
    {LabelSet::kCarer, "carer", kCarer, kCarerLabels},
    {LabelSet::kGoEmotionsEkman, "goemotions_ekman", kGoEmotionsEkman, kGoEmotionsEkmanLabels},
    {LabelSet::kFer2013, "fer2013", kFer2013, kFer2013Labels},
    {LabelSet::kRavdess, "ravdess", kRavdess, kRavdessLabels},
    {LabelSet::kDataMoods, "data_moods", kDataMoods, kDataMoodsLabels},
}};

constexpr bool EveryRowSumsToOne() {
  for (const LabelTable& table : kTables) {
    for (const LabelRow& row : table.rows) {
      double total = 0;
      for (double x : row.distribution) total += x;
      if (total < 1 - 1e-12 || total > 1 + 1e-12) return false;
    }
  }
  return true;
}
static_assert(EveryRowSumsToOne(), "MapDistribution conserves mass only if every row sums to 1");

const LabelTable& TableFor(LabelSet set) {
  for (const LabelTable& table : kTables) {
    if (table.set == set) return table;
  }
  throw std::invalid_argument(fmt::format("unknown LabelSet {}", static_cast<int>(set)));
}

}  // namespace

std::span<const std::string_view> Labels(LabelSet set) { return TableFor(set).labels; }

std::string_view LabelSetName(LabelSet set) { return TableFor(set).name; }

Result<LabelSet> ParseLabelSet(std::string_view name) {
  const std::string wanted = AsciiLower(TrimSpace(name));
  std::string valid;
  for (const LabelTable& table : kTables) {
    if (table.name == wanted) return table.set;
    valid += valid.empty() ? "" : ", ";
    valid += table.name;
  }
  return Status::InvalidArgument(
      fmt::format("unknown label set '{}' (expected one of: {})", name, valid));
}

Result<EmotionDistribution> MapLabel(LabelSet set, std::string_view label) {
  const LabelTable& table = TableFor(set);
  const std::string wanted = AsciiLower(TrimSpace(label));
  for (const LabelRow& row : table.rows) {
    if (AsciiLower(row.label) == wanted) return row.distribution;
  }
  return Status::InvalidArgument(fmt::format("unknown {} label '{}' (expected one of: {})",
                                             table.name, label, fmt::join(table.labels, ", ")));
}

EmotionDistribution MapDistribution(LabelSet set, std::span<const double> probs_in_set_order) {
  const LabelTable& table = TableFor(set);
  if (probs_in_set_order.size() != table.rows.size()) {
    throw std::invalid_argument(fmt::format("MapDistribution({}): {} probabilities for {} labels",
                                            table.name, probs_in_set_order.size(),
                                            table.rows.size()));
  }
  EmotionDistribution out{};
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    const double mass = probs_in_set_order[i] > 0 ? probs_in_set_order[i] : 0.0;  // NaN → 0
    for (std::size_t k = 0; k < kEmotionCount; ++k) out[k] += mass * table.rows[i].distribution[k];
  }
  return out;
}

Result<std::string_view> LabelFor(LabelSet set, Emotion emotion) {
  const LabelTable& table = TableFor(set);
  const LabelRow* most_mass = nullptr;
  for (const LabelRow& row : table.rows) {
    const double mass = row.distribution[EmotionIndex(emotion)];
    if (mass > 0 &&
        (most_mass == nullptr || mass > most_mass->distribution[EmotionIndex(emotion)])) {
      most_mass = &row;
    }
  }
  if (most_mass != nullptr) return most_mass->label;

  const LabelRow* nearest = &table.rows[0];
  auto distance = [&](const LabelRow& row) {
    return Distance(ExpectedPlace(row.distribution), EmotionPlace(emotion));
  };
  for (const LabelRow& row : table.rows) {
    if (distance(row) < distance(*nearest)) nearest = &row;
  }
  if (distance(*nearest) <= kLabelForMaxDistance) return nearest->label;
  return Status::NotFound(fmt::format("{} has no label for {} (nearest is '{}', {:.2f} away)",
                                      table.name, EmotionName(emotion), nearest->label,
                                      distance(*nearest)));
}

std::vector<double> ProjectToLabels(LabelSet set, const EmotionDistribution& d) {
  const auto labels = Labels(set);
  std::vector<double> mass(labels.size(), 0.0);
  for (Emotion e : AllEmotions()) {
    auto label = LabelFor(set, e);
    if (!label.ok()) continue;
    for (std::size_t i = 0; i < labels.size(); ++i)
      if (labels[i] == *label) mass[i] += d[EmotionIndex(e)];
  }
  return mass;
}

}  // namespace emotune
