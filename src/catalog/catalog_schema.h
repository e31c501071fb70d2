// The catalog's versioned SQLite schema and the migrations between versions. The
// version lives in PRAGMA user_version; each migration runs in its own transaction,
// so a store is always at one whole version.
#pragma once

#include "catalog/sqlite_db.h"
#include "emotune/status.h"

namespace emotune {

// Brings `db` from its version (0 = empty) to kCatalogSchemaVersion. Refuses a file
// written by a newer Emotune rather than guessing at it.
Status MigrateCatalog(SqliteDb& db);

// The version-1 schema, kept so tests can build an old catalog and migrate it.
extern const char* const kCatalogSchemaV1;

}  // namespace emotune
