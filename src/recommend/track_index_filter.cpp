// TrackQuery over an index's columns, matching what the SQLite store's WHERE clause
// selects: artist (any credit, trimmed, ASCII case-insensitive), genre, language and
// mood label (ASCII case-insensitive), years (inclusive, unknown years excluded),
// ids (in the caller's order), then offset and limit.
#include <algorithm>

#include "emotune/ascii_text.h"
#include "track_index_data.h"

namespace emotune::recommend {
namespace {

// kNoRow: the query names a value no track has, so nothing matches.
std::uint32_t Wanted(const Dictionary& keys, const std::string& folded) {
  return folded.empty() ? 0 : keys.Find(folded);
}

}  // namespace

RowSelection SelectRows(const TrackIndexData& data, const TrackQuery& query) {
  RowSelection out;
  const bool filters = !query.artist.empty() || !query.genre.empty() || !query.language.empty() ||
                       query.year_from || query.year_to || !query.given_mood.empty() || !query.ids.empty() ||
                       query.limit > 0 || query.offset > 0;
  if (!filters) {
    out.all = true;
    return out;
  }
  const std::uint32_t artist = Wanted(data.artist_keys, FoldedKey(query.artist));
  const std::uint32_t genre = Wanted(data.genre_keys, AsciiLower(query.genre));
  const std::uint32_t language = Wanted(data.language_keys, AsciiLower(query.language));
  const std::uint32_t mood = Wanted(data.mood_keys, AsciiLower(query.given_mood));
  if (artist == kNoRow || genre == kNoRow || language == kNoRow || mood == kNoRow) return out;
  const auto matches = [&data, query, artist, genre, language, mood](std::uint32_t row) {
    if (!query.genre.empty() && data.genres[row] != genre) return false;
    if (!query.language.empty() && data.languages[row] != language) return false;
    if (!query.given_mood.empty() && data.given_moods[row] != mood) return false;
    if (query.year_from || query.year_to) {
      const int year = data.years[row];
      if (year == TrackIndexData::kNoYear) return false;
      if ((query.year_from && year < *query.year_from) || (query.year_to && year > *query.year_to)) return false;
    }
    if (!query.artist.empty()) {
      const auto begin = data.artists.begin() + data.artist_begin[row];
      const auto end = data.artists.begin() + data.artist_begin[row + 1];
      if (std::find(begin, end, artist) == end) return false;
    }
    return true;
  };
  if (query.artist.empty() && query.ids.empty() && query.limit == 0 && query.offset == 0) {
    out.test = matches;
    return out;
  }
  if (!query.ids.empty()) {
    // The caller's order, then paged, as FindTracks does.
    for (std::size_t k = query.offset; k < query.ids.size(); ++k) {
      if (query.limit > 0 && out.rows.size() == query.limit) break;
      if (const std::uint32_t row = data.RowOf(query.ids[k]); row != kNoRow && matches(row)) out.rows.push_back(row);
    }
    return out;
  }
  std::size_t skipped = 0;
  for (std::uint32_t row : data.by_id) {
    if (!matches(row)) continue;
    if (skipped < query.offset) {
      ++skipped;
      continue;
    }
    out.rows.push_back(row);
    if (query.limit > 0 && out.rows.size() == query.limit) break;
  }
  return out;
}

}  // namespace emotune::recommend
