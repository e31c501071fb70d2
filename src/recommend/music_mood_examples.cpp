// Labelled tracks for the music mood model, read through the catalog's own record
// reader and field parser: the same layouts, the same range checks, the same
// file:line errors as `emotune import`.
#include <algorithm>

#include <fmt/format.h>

#include "catalog/record_source.h"
#include "emotune/ascii_text.h"
#include "emotune/music_mood_model.h"

namespace emotune {

Result<std::vector<MusicMoodExample>> ReadMusicMoodExamples(const std::string& path) {
  auto source = OpenRecordSource(path, {});
  if (!source.ok()) return source.status();
  RecordSource& records = **source;
  const auto labels = Labels(LabelSet::kDataMoods);
  std::vector<MusicMoodExample> examples;
  RawFields raw;
  while (true) {
    auto more = records.Next(&raw);
    if (!more.ok()) return Status::InvalidArgument(fmt::format("{}:{}: {}", path, records.line(), more.status().message()));
    if (!*more) break;
    MusicMoodExample ex;
    if (auto error = ParseTrack(raw, &ex.track))
      return Status::InvalidArgument(
          fmt::format("{}:{}: {}: {}", path, records.line(), records.DescribeField(error->field), error->message));
    const std::string mood = AsciiLower(ex.track.given_mood);
    const auto label = std::find_if(labels.begin(), labels.end(), [&](std::string_view l) { return AsciiLower(l) == mood; });
    if (label == labels.end())
      return Status::InvalidArgument(fmt::format(
          "{}:{}: mood '{}' is not one of {}{}", path, records.line(), ex.track.given_mood, fmt::join(labels, ", "),
          raw[static_cast<std::size_t>(TrackField::kMood)] ? "" : " (the file has no mood column)"));
    ex.mood = static_cast<std::size_t>(label - labels.begin());
    examples.push_back(std::move(ex));
  }
  if (examples.empty()) return Status::InvalidArgument(fmt::format("{}: no rows to learn from", path));
  return examples;
}

}  // namespace emotune
