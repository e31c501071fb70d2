// The track filters `tracks` and `export` share (--artist, --genre, --language,
// --year A..B, --mood, --limit), so both accept and check them the same way.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "emotune/catalog_store.h"
#include "emotune/status.h"
#include "emotune/track_filter.h"

namespace emotune::cli {

struct TrackFilterOptions {
  TrackFilter filter;

  void AddTo(CLI::App* command, std::size_t default_limit);
  // The query these options ask for; InvalidArgument for a malformed --year or --ids.
  // ParseTrackFilter's messages start with the field's name; here it is an option.
  Result<TrackQuery> ToQuery() const {
    auto query = ParseTrackFilter(filter);
    if (!query.ok()) return Status::InvalidArgument("--" + query.status().message());
    return query;
  }
};

}  // namespace emotune::cli
