#include "catalog/catalog_schema.h"

#include <fmt/format.h>

#include "emotune/catalog_store.h"

namespace emotune {

const char* const kCatalogSchemaV1 = R"sql(
CREATE TABLE tracks (
  id INTEGER PRIMARY KEY,
  -- 64-bit hash of Track::DedupKey(); two different keys colliding is about a 1 in 10^7
  -- chance even in a 10-million-track catalog, which is why no key text is stored
  dedup_hash INTEGER NOT NULL UNIQUE,
  external_id TEXT,
  title TEXT NOT NULL,
  artists TEXT,            -- JSON array, credited order
  artist TEXT,             -- the first credited artist, for the index
  album TEXT,
  release_year INTEGER,
  release_date TEXT,
  duration_ms INTEGER,
  genre TEXT,
  popularity INTEGER,
  explicit INTEGER,
  spotify_uri TEXT,
  file_path TEXT,
  danceability REAL, energy REAL, spotify_valence REAL, acousticness REAL,
  instrumentalness REAL, speechiness REAL, liveness REAL,
  loudness_db REAL, tempo_bpm REAL, musical_key INTEGER, mode INTEGER, time_signature INTEGER,
  added_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX tracks_artist ON tracks(artist COLLATE NOCASE);
-- Partial: most imported files have no genre, and unknowns need no index entry.
CREATE INDEX tracks_genre ON tracks(genre COLLATE NOCASE) WHERE genre IS NOT NULL;
CREATE INDEX tracks_year ON tracks(release_year);
)sql";

namespace {

// Version 2: language and the mood label a file carried, with their indexes, and a
// log of imports.
const char* const kMigrateV1ToV2 = R"sql(
ALTER TABLE tracks ADD COLUMN language TEXT;
ALTER TABLE tracks ADD COLUMN given_mood TEXT;
CREATE INDEX tracks_language ON tracks(language COLLATE NOCASE) WHERE language IS NOT NULL;
CREATE TABLE imports (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  layout TEXT NOT NULL,
  added INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  skipped INTEGER NOT NULL,
  imported_at INTEGER NOT NULL
);
)sql";

const char* const kMigrations[] = {kCatalogSchemaV1, kMigrateV1ToV2};
static_assert(std::size(kMigrations) == kCatalogSchemaVersion);

}  // namespace

Status MigrateCatalog(SqliteDb& db) {
  auto version = db.QueryInt("PRAGMA user_version");
  if (!version.ok()) return version.status();
  if (*version > kCatalogSchemaVersion)
    return Status::Unsupported(fmt::format(
        "the catalog is at schema version {}, newer than this Emotune understands ({}); upgrade Emotune",
        *version, kCatalogSchemaVersion));
  if (*version == 0) {
    auto tables = db.QueryInt("SELECT count(*) FROM sqlite_master");
    if (!tables.ok()) return tables.status();
    if (*tables > 0)
      return Status::InvalidArgument("the file is an SQLite database but not an Emotune catalog; refusing to change it");
  }
  for (auto v = *version; v < kCatalogSchemaVersion; ++v) {
    const std::string sql = fmt::format("BEGIN IMMEDIATE; {} PRAGMA user_version = {}; COMMIT;",
                                        kMigrations[v], v + 1);
    if (Status s = db.Exec(sql); !s.ok()) {
      (void)db.Exec("ROLLBACK");
      return s.WithContext(fmt::format("migrating the catalog to version {}: ", v + 1));
    }
  }
  return Status::Ok();
}

}  // namespace emotune
