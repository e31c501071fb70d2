// TrackFilter: the track filters as a person types them — "1990..1999", "Happy" or
// "joy", "3,5,8" — turned into a TrackQuery. The CLI's --artist/--year/… options and
// the HTTP API's query fields both go through here, so they accept and refuse the
// same things with the same messages. Pure functions; thread-safe.
#pragma once

#include <string>

#include "emotune/catalog_store.h"
#include "emotune/status.h"

namespace emotune {

struct TrackFilter {
  std::string artist;    // any credited artist, case-insensitive; "" = any
  std::string genre;     // case-insensitive; "" = any
  std::string language;  // as the catalog stores it; "" = any
  std::string year;      // "1990..1999", "1990..", "..1999" or "1995"; "" = any
  std::string mood;      // a data_moods label ("Happy") or an emotion ("joy") meaning its label; "" = any
  std::string ids;       // "3,5,8": only these catalog ids, in this order; "" = all
  std::size_t limit = 0; // at most this many; 0 = no limit
};

// The query `filter` asks for. InvalidArgument naming the field ("year '19x9': …",
// "ids: 'x' is not a catalog id", "mood surprise: …") for malformed text.
Result<TrackQuery> ParseTrackFilter(const TrackFilter& filter);

// "1990..1999", "1990..", "..1999" or "1995" → inclusive bounds in `query`.
Status ParseYearRange(const std::string& text, TrackQuery* query);

}  // namespace emotune
