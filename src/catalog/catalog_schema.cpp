#include "catalog/catalog_schema.h"

#include <fmt/format.h>

#include "emotune/ascii_text.h"
#include "emotune/hash64.h"
#include "emotune/catalog_store.h"

namespace emotune {

std::int64_t CatalogHash(std::string_view key) { return static_cast<std::int64_t>(Hash64(key)); }

std::int64_t ArtistKey(std::string_view name) { return CatalogHash(AsciiLower(TrimSpace(name))); }

Status RegisterCatalogFunctions(SqliteDb& db) {
  const auto artist_key = [](sqlite3_context* ctx, int, sqlite3_value** argv) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
    if (!text) return sqlite3_result_null(ctx);
    sqlite3_result_int64(ctx, ArtistKey(std::string_view(text, sqlite3_value_bytes(argv[0]))));
  };
  if (sqlite3_create_function_v2(db.handle(), "emotune_artist_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                 artist_key, nullptr, nullptr, nullptr) != SQLITE_OK)
    return Status::IoError("catalog: cannot register emotune_artist_key: " + db.Error());
  return Status::Ok();
}

const char* const kCatalogSchemaV1 = R"sql(
CREATE TABLE tracks (
  id INTEGER PRIMARY KEY,
  -- 64-bit hash of Track::DedupKey(); two different keys colliding is about a 3 in 10^6
  -- chance even in a 10-million-track catalog, which is why no key text is stored
  dedup_hash INTEGER NOT NULL,
  external_id TEXT,
  title TEXT NOT NULL,
  artists TEXT,            -- JSON array, credited order: the truth about credits
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
-- Partial: most imported files have no genre, and unknowns need no index entry.
CREATE INDEX tracks_genre ON tracks(genre COLLATE NOCASE) WHERE genre IS NOT NULL;
CREATE INDEX tracks_year ON tracks(release_year);
CREATE UNIQUE INDEX tracks_dedup ON tracks(dedup_hash);
)sql";

namespace {

// Version 2: language and the mood label a file carried, track identities in their
// own table (so bulk loads can insert them in key order), an index of every credited
// artist, and a log of imports.
//
// track_artists is a lookup aid, not the truth: (artist_key, track_id) says the track
// may credit that artist, and queries confirm against tracks.artists. So a re-import
// that changes a track's artists only adds rows, and a hash collision costs a check.
const char* const kMigrateV1ToV2 = R"sql(
CREATE TABLE track_keys (
  dedup_hash INTEGER PRIMARY KEY,
  track_id INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO track_keys SELECT dedup_hash, id FROM tracks ORDER BY dedup_hash;
DROP INDEX tracks_dedup;
CREATE TABLE track_artists (
  artist_key INTEGER NOT NULL,
  track_id INTEGER NOT NULL,
  PRIMARY KEY (artist_key, track_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO track_artists
  SELECT emotune_artist_key(value), tracks.id FROM tracks, json_each(tracks.artists);
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

// Version 3: listeners' feedback on tracks (likes pull similar tracks up in their
// playlists, dislikes push them down).
const char* const kMigrateV2ToV3 = R"sql(
CREATE TABLE feedback (
  id INTEGER PRIMARY KEY,
  user TEXT NOT NULL,
  track_id INTEGER NOT NULL REFERENCES tracks(id),
  kind TEXT NOT NULL CHECK (kind IN ('like', 'skip', 'dislike')),
  at INTEGER NOT NULL
);
CREATE INDEX feedback_user ON feedback(user, id);
)sql";

// Version 4: what each listener played, so playlists can skip what they heard recently.
const char* const kMigrateV3ToV4 = R"sql(
CREATE TABLE plays (
  id INTEGER PRIMARY KEY,
  user TEXT NOT NULL,
  track_id INTEGER NOT NULL REFERENCES tracks(id),
  at INTEGER NOT NULL
);
CREATE INDEX plays_user ON plays(user, id);
)sql";

// Version 5: the user's own audio files (library scan). A file row outlives its file
// (status 'gone') so a file that comes back, or moves (same fingerprint), keeps its
// track and that track's history. Descriptors and cover art sit outside `tracks` so
// track queries stay light; the picture in its own table, as it is by far the largest.
const char* const kMigrateV4ToV5 = R"sql(
CREATE TABLE library_files (
  path TEXT PRIMARY KEY,
  track_id INTEGER REFERENCES tracks(id),   -- NULL until the file was first analysed
  size_bytes INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  fingerprint INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'gone')),
  failure TEXT,
  descriptors TEXT,                         -- JSON: every descriptor the analysis gave
  scanned_at INTEGER NOT NULL
);
CREATE INDEX library_files_track ON library_files(track_id) WHERE track_id IS NOT NULL;
-- Track queries leave out tracks whose file is gone: a small index, usually empty.
CREATE INDEX library_files_gone ON library_files(track_id) WHERE status = 'gone';
CREATE TABLE cover_art (
  track_id INTEGER PRIMARY KEY REFERENCES tracks(id),
  mime_type TEXT NOT NULL,
  image BLOB NOT NULL
);
)sql";

const char* const kMigrations[] = {kCatalogSchemaV1, kMigrateV1ToV2, kMigrateV2ToV3, kMigrateV3ToV4,
                                   kMigrateV4ToV5};
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
