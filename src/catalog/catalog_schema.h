// The catalog's versioned SQLite schema and the migrations between versions. The
// version lives in PRAGMA user_version; each migration runs in its own transaction,
// so a store is always at one whole version.
#pragma once

#include <cstdint>
#include <string_view>

#include "catalog/sqlite_db.h"
#include "emotune/status.h"

namespace emotune {

// The 64-bit hash the schema keys on (Hash64, as a signed SQLite integer).
std::int64_t CatalogHash(std::string_view key);

// The key track_artists files a credited name under: case-insensitive for ASCII like
// SQLite's NOCASE, blind to surrounding spaces.
std::int64_t ArtistKey(std::string_view name);

// Registers the SQL function emotune_artist_key(name), which the schema's migrations
// and the store's queries use. Call on every connection before MigrateCatalog.
Status RegisterCatalogFunctions(SqliteDb& db);

// Brings `db` from its version (0 = empty) to kCatalogSchemaVersion. Refuses a file
// written by a newer Emotune rather than guessing at it.
Status MigrateCatalog(SqliteDb& db);

// The version-1 schema, kept so tests can build an old catalog and migrate it.
extern const char* const kCatalogSchemaV1;

}  // namespace emotune
