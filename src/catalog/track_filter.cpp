#include "emotune/track_filter.h"

#include <charconv>

#include <fmt/format.h>

#include "emotune/emotion.h"
#include "emotune/label_map.h"

namespace emotune {
namespace {

bool ParseInt(std::string_view s, long long* out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return !s.empty() && ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

Status ParseYearRange(const std::string& text, TrackQuery* query) {
  const auto bad = [&] {
    return Status::InvalidArgument(fmt::format("year '{}': expected 1990..1999, 1990.., ..1999 or 1995", text));
  };
  const std::size_t dots = text.find("..");
  long long from = 0, to = 0;
  if (dots == std::string::npos) {
    if (!ParseInt(text, &from)) return bad();
    query->year_from = query->year_to = static_cast<int>(from);
    return Status::Ok();
  }
  const std::string_view a = std::string_view(text).substr(0, dots), b = std::string_view(text).substr(dots + 2);
  if (a.empty() && b.empty()) return bad();
  if (!a.empty()) {
    if (!ParseInt(a, &from)) return bad();
    query->year_from = static_cast<int>(from);
  }
  if (!b.empty()) {
    if (!ParseInt(b, &to)) return bad();
    query->year_to = static_cast<int>(to);
  }
  if (query->year_from && query->year_to && *query->year_from > *query->year_to)
    return Status::InvalidArgument(fmt::format("year '{}': the first year is after the second", text));
  return Status::Ok();
}

Result<TrackQuery> ParseTrackFilter(const TrackFilter& filter) {
  TrackQuery q;
  q.artist = filter.artist;
  q.genre = filter.genre;
  q.language = filter.language;
  q.given_mood = filter.mood;
  // An emotion name ("joy") means the data_moods label that stands for it ("Happy"),
  // unless it is itself a label the files use.
  if (auto emotion = ParseEmotion(filter.mood); emotion.ok() && !MapLabel(LabelSet::kDataMoods, filter.mood).ok()) {
    auto label = LabelFor(LabelSet::kDataMoods, *emotion);
    if (!label.ok()) return Status::InvalidArgument(fmt::format("mood {}: {}", filter.mood, label.status().message()));
    q.given_mood = std::string(*label);
  }
  q.limit = filter.limit;
  if (!filter.year.empty())
    if (Status s = ParseYearRange(filter.year, &q); !s.ok()) return s;
  std::string_view rest = filter.ids;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    long long id = 0;
    if (!ParseInt(item, &id) || id <= 0)
      return Status::InvalidArgument(fmt::format("ids: '{}' is not a catalog id", item));
    q.ids.push_back(id);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return q;
}

}  // namespace emotune
