// Label maps: how each detector's or dataset's own labels translate into the nine
// emotions of the affect space. Each label set has ONE table (src/affect/
// label_map.cpp); each label maps to a distribution over the nine, mostly one-hot.
//
//   CARER          sadness, joy, love, anger, fear, surprise
//   GoEmotions     anger, disgust, fear, joy, sadness, surprise, neutral (Ekman grouping)
//   FER2013        angry, disgust, fear, happy, neutral, sad, surprise
//   RAVDESS        neutral, calm, happy, sad, angry, fearful, disgust, surprised
//   data_moods     Happy, Sad, Energetic, Calm
//
// Pure functions over constant tables: thread-safe.
#pragma once

#include <span>
#include <vector>
#include <string_view>

#include "emotune/emotion.h"
#include "emotune/status.h"

namespace emotune {

enum class LabelSet { kCarer, kGoEmotionsEkman, kFer2013, kRavdess, kDataMoods };

// The set's labels in its canonical order, as listed above. MapDistribution takes
// probabilities in this order; a model trained with another order must be
// reordered first.
std::span<const std::string_view> Labels(LabelSet set);

// "carer", "goemotions_ekman", "fer2013", "ravdess", "data_moods".
std::string_view LabelSetName(LabelSet set);

// Inverse of LabelSetName; ignores case and surrounding whitespace. An unknown
// name is InvalidArgument listing the valid names.
Result<LabelSet> ParseLabelSet(std::string_view name);

// The distribution (normalised) one label stands for. Case-insensitive, ignores
// surrounding whitespace. An unknown label is InvalidArgument naming the label
// and the set.
Result<EmotionDistribution> MapLabel(LabelSet set, std::string_view label);

// A classifier's output over the set's labels (in Labels(set) order) mapped into
// the nine. Mass is conserved: the result sums to what the input sums to
// (negative and NaN entries count as 0); pass it through Normalized() for a
// probability. A size other than Labels(set).size() is a programming error:
// throws std::invalid_argument.
EmotionDistribution MapDistribution(LabelSet set, std::span<const double> probs_in_set_order);

// Labels further than this from an emotion's place do not stand for it.
inline constexpr double kLabelForMaxDistance = 0.6;

// The set's label that best stands for `emotion`, e.g. to filter tracks a file
// tagged with that set's moods: the label whose distribution gives `emotion` the
// most mass; failing that, the label whose expected place is nearest the emotion's
// place, if within kLabelForMaxDistance. Otherwise NotFound, naming the nearest.
Result<std::string_view> LabelFor(LabelSet set, Emotion emotion);

// The other way round from MapDistribution: the mass of `d` per label of `set`, in
// Labels(set) order, each emotion's mass going to LabelFor(set, emotion). Emotions
// the set has no label for are dropped, so the result sums to at most 1; a detector
// scored on a dataset then picks among that dataset's labels only.
std::vector<double> ProjectToLabels(LabelSet set, const EmotionDistribution& d);

}  // namespace emotune
