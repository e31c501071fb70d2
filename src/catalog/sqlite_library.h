// The SQLite store's library-scan tables (library_files, cover_art), kept out of
// sqlite_store.cpp so the track store stays readable. SqliteStore forwards to these.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/sqlite_db.h"
#include "emotune/catalog_store.h"

namespace emotune {

// The SQL condition that leaves out tracks whose file is gone (for `tracks` rows).
inline constexpr const char* kTrackNotGone =
    "id NOT IN (SELECT track_id FROM library_files WHERE status = 'gone' AND track_id IS NOT NULL)";

Result<std::vector<LibraryFile>> ReadLibraryFiles(SqliteDb& db);
// `store` is the store owning `db`: the track goes through its TrackWriter, so a scan
// deduplicates exactly as an import does.
Result<std::int64_t> WriteScannedTrack(SqliteDb& db, CatalogStore& store, const ScannedTrack& scanned);
Status WriteFailedFile(SqliteDb& db, const LibraryFile& file);
Status MarkLibraryFilesGone(SqliteDb& db, const std::vector<std::string>& paths);
Status MoveLibraryFileRow(SqliteDb& db, const std::string& from, const LibraryFile& to);
Result<std::optional<CoverArt>> ReadCoverArt(SqliteDb& db, std::int64_t track_id);
Result<std::string> ReadDescriptors(SqliteDb& db, std::int64_t track_id);

}  // namespace emotune
