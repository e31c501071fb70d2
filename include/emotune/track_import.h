// Importing tracks from the files users have: CSV (or TSV) and JSON Lines, with the
// layout recognised from the header (data_moods, Kaggle's "Spotify 1921–2020"
// tracks.csv, TidyTuesday's spotify_songs.csv, Emotune's own export, or any file whose
// columns are named like those) and `column_map` for anything else.
//
// An import is one transaction: a bad row stops it with nothing stored, unless
// `skip_bad` is set. Re-importing a file updates the tracks it added before.
// ImportTracks may be called from any thread with a store only it uses.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "emotune/catalog_store.h"
#include "emotune/status.h"

namespace emotune {

struct ImportProgress {
  std::int64_t rows = 0;          // rows read so far
  std::int64_t bytes = 0;         // bytes of the file read so far
  std::int64_t total_bytes = -1;  // the file's size, -1 if unknown
};

struct ImportOptions {
  // Skip malformed rows (counting them by reason) instead of stopping; default false.
  bool skip_bad = false;
  // Field name → column name, overriding the recognised layout (`--map valence=val`);
  // default empty.
  std::map<std::string, std::string> column_map;
  // "csv", "jsonl", or "" to decide by the file's extension and first byte; default "".
  std::string format;
  // Called about every 64k rows from the importing thread; default none.
  std::function<void(const ImportProgress&)> progress;
};

struct ImportReport {
  std::string layout;                       // the recognised layout's name
  std::int64_t rows = 0;                    // data rows read
  WriteCounts counts;                       // tracks added / updated
  std::int64_t skipped = 0;                 // rows skipped (skip_bad only)
  std::map<std::string, std::int64_t> skip_reasons;  // "valence: outside 0..1" → count
  std::vector<std::string> skip_examples;   // the first few skipped rows, located
};

// Every field name `column_map` accepts, comma-separated, for help texts.
std::string ImportFieldNames();

// Imports `path` into `store`. On failure nothing is stored and the status names the
// file, line and column ("songs.csv:12: column 13 (valence): 1.7 is outside 0..1").
Result<ImportReport> ImportTracks(CatalogStore& store, const std::string& path,
                                  const ImportOptions& options = {});

}  // namespace emotune
