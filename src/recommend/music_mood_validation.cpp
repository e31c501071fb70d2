// Cross-validation of the music mood model: seeded folds, a fresh model per fold.
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>

#include <fmt/format.h>

#include "emotune/ascii_text.h"
#include "emotune/music_mood_model.h"

namespace emotune {
namespace {

// Fisher–Yates with the engine's raw output, so the folds depend on the seed alone
// and not on how a standard library implements std::shuffle.
template <typename T>
void Shuffle(std::vector<T>* items, std::mt19937_64& rng) {
  for (std::size_t i = items->size(); i > 1; --i) std::swap((*items)[i - 1], (*items)[rng() % i]);
}

// Each mood's rows shuffled and dealt round the folds in turn, the deal carrying on
// from one mood to the next so fold sizes differ by at most one.
std::vector<int> StratifiedFolds(std::span<const MusicMoodExample> examples, int folds, std::mt19937_64& rng) {
  std::vector<int> fold_of(examples.size());
  std::size_t dealt = 0;
  for (std::size_t mood = 0; mood < kMusicMoodCount; ++mood) {
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < examples.size(); ++i)
      if (examples[i].mood == mood) rows.push_back(i);
    Shuffle(&rows, rng);
    for (std::size_t row : rows) fold_of[row] = static_cast<int>(dealt++ % static_cast<std::size_t>(folds));
  }
  return fold_of;
}

// Artists in random order, each put whole into the fold with the fewest rows so far.
// A track without artists is its own group.
std::vector<int> ArtistFolds(std::span<const MusicMoodExample> examples, int folds, std::mt19937_64& rng) {
  std::map<std::string, std::vector<std::size_t>> by_artist;
  for (std::size_t i = 0; i < examples.size(); ++i) {
    const std::string artist = AsciiLower(examples[i].track.ArtistLine());
    by_artist[artist.empty() ? fmt::format("\x01row {}", i) : artist].push_back(i);
  }
  std::vector<const std::vector<std::size_t>*> groups;
  for (const auto& [artist, rows] : by_artist) groups.push_back(&rows);
  Shuffle(&groups, rng);
  std::vector<std::size_t> size(static_cast<std::size_t>(folds), 0);
  std::vector<int> fold_of(examples.size());
  for (const auto* rows : groups) {
    const auto smallest = static_cast<std::size_t>(std::min_element(size.begin(), size.end()) - size.begin());
    for (std::size_t row : *rows) fold_of[row] = static_cast<int>(smallest);
    size[smallest] += rows->size();
  }
  return fold_of;
}

void Summarise(const std::vector<double>& xs, double* mean, double* sd) {
  *mean = std::accumulate(xs.begin(), xs.end(), 0.0) / static_cast<double>(xs.size());
  double sq = 0;
  for (double x : xs) sq += (x - *mean) * (x - *mean);
  *sd = xs.size() > 1 ? std::sqrt(sq / static_cast<double>(xs.size() - 1)) : 0;
}

}  // namespace

Result<CrossValidationResult> CrossValidateMusicMood(std::span<const MusicMoodExample> examples,
                                                     const MusicMoodOptions& options,
                                                     const CrossValidationOptions& cv) {
  if (cv.folds < 2 || static_cast<std::size_t>(cv.folds) > examples.size())
    return Status::InvalidArgument(fmt::format("{} folds for {} examples: need 2..{}", cv.folds, examples.size(),
                                               std::max<std::size_t>(examples.size(), 2)));
  if (cv.repeats < 1 || cv.repeats > 100)
    return Status::InvalidArgument(fmt::format("repeats {} is outside 1..100", cv.repeats));
  CrossValidationResult result;
  std::mt19937_64 rng(cv.seed);
  for (int repeat = 0; repeat < cv.repeats; ++repeat) {
    const std::vector<int> fold_of =
        cv.group_by_artist ? ArtistFolds(examples, cv.folds, rng) : StratifiedFolds(examples, cv.folds, rng);
    for (int fold = 0; fold < cv.folds; ++fold) {
      std::vector<MusicMoodExample> train, held_out;
      for (std::size_t i = 0; i < examples.size(); ++i) (fold_of[i] == fold ? held_out : train).push_back(examples[i]);
      if (held_out.empty()) continue;  // more folds than artists
      auto model = MusicMoodModel::Train(train, options);
      if (!model.ok()) return model.status().WithContext(fmt::format("fold {} of repeat {}: ", fold + 1, repeat + 1));
      const ClassificationReport report = ScoreMusicMoodModel(**model, held_out);
      result.accuracy.push_back(report.Accuracy());
      result.macro_f1.push_back(report.MacroF1());
    }
  }
  Summarise(result.accuracy, &result.mean_accuracy, &result.sd_accuracy);
  Summarise(result.macro_f1, &result.mean_macro_f1, &result.sd_macro_f1);
  return result;
}

}  // namespace emotune
