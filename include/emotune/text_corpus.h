// Labelled text for training and scoring the text emotion model: CARER files
// (`text;label` per line, Saravia et al. 2018) and GoEmotions files
// (`text<TAB>label ids<TAB>comment id`, Demszky et al. 2020, 27 emotions + neutral,
// possibly several per line), recognised by their content. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "emotune/emotion.h"
#include "emotune/label_map.h"
#include "emotune/status.h"

namespace emotune {

struct TextExample {
  std::string text;
  // The example's labels in the corpus's scoring set (CARER's six, or the Ekman
  // grouping for GoEmotions): one for CARER, one or more for GoEmotions.
  std::vector<std::string> labels;
  // What the model learns: the labels spread over the nine emotions.
  EmotionDistribution target{};
  // How much this example counts in training relative to others; default 1.
  double weight = 1.0;
};

struct TextCorpus {
  std::string path;
  LabelSet label_set;  // kCarer or kGoEmotionsEkman
  std::vector<TextExample> examples;
};

// Reads a whole file. A malformed line (no separator, unknown label or id, invalid
// UTF-8) is an InvalidArgument naming the file and line.
Result<TextCorpus> ReadTextCorpus(const std::string& path);

// GoEmotions' 28 label names in id order (ids 0..27, 27 = neutral).
const std::vector<std::string>& GoEmotionsLabelNames();

}  // namespace emotune
