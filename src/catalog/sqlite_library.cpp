#include "catalog/sqlite_library.h"

#include <chrono>

#include <fmt/format.h>

#include "catalog/catalog_schema.h"

namespace emotune {
namespace {

std::int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status Run(SqliteStatement& stmt) {
  auto done = stmt.Step();
  return done.ok() ? Status::Ok() : done.status();
}

// A write transaction that rolls back unless committed, so every early return of a
// failed step leaves the catalog as it was.
class Transaction {
 public:
  explicit Transaction(SqliteDb& db) : db_(db), status_(db.Exec("BEGIN IMMEDIATE")) {}
  ~Transaction() {
    if (status_.ok() && !committed_) (void)db_.Exec("ROLLBACK");
  }
  const Status& status() const { return status_; }
  Status Commit() {
    committed_ = true;
    return db_.Exec("COMMIT");
  }

 private:
  SqliteDb& db_;
  Status status_;
  bool committed_ = false;
};

std::int64_t FileKeyHash(const std::string& path) {
  Track t;
  t.file_path = path;
  return CatalogHash(t.DedupKey());
}

// Inserts or replaces the row of `f` (keyed by path). A failed file keeps the track
// and descriptors an earlier scan gave it.
Status UpsertFile(SqliteDb& db, const LibraryFile& f, const std::string* descriptors) {
  auto stmt = db.Prepare(R"sql(
INSERT INTO library_files (path, track_id, size_bytes, mtime_ns, fingerprint, status, failure, descriptors, scanned_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
ON CONFLICT (path) DO UPDATE SET
  track_id = coalesce(excluded.track_id, track_id), size_bytes = excluded.size_bytes,
  mtime_ns = excluded.mtime_ns, fingerprint = excluded.fingerprint, status = excluded.status,
  failure = excluded.failure, descriptors = coalesce(excluded.descriptors, descriptors),
  scanned_at = excluded.scanned_at
)sql");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, std::string_view(f.path));
  if (f.track_id) stmt->Bind(2, f.track_id);
  stmt->Bind(3, f.size_bytes);
  stmt->Bind(4, f.mtime_ns);
  stmt->Bind(5, f.fingerprint);
  stmt->Bind(6, LibraryFileStatusName(f.status));
  stmt->Bind(7, std::string_view(f.failure));
  if (descriptors) stmt->Bind(8, std::string_view(*descriptors));
  stmt->Bind(9, f.scanned_at ? f.scanned_at : NowSeconds());
  return Run(*stmt);
}

Status PutCoverArt(SqliteDb& db, std::int64_t track_id, const std::optional<CoverArt>& art) {
  auto drop = db.Prepare("DELETE FROM cover_art WHERE track_id = ?1");
  if (!drop.ok()) return drop.status();
  drop->Bind(1, track_id);
  if (Status s = Run(*drop); !s.ok() || !art) return s;
  auto add = db.Prepare("INSERT INTO cover_art (track_id, mime_type, image) VALUES (?1, ?2, ?3)");
  if (!add.ok()) return add.status();
  add->Bind(1, track_id);
  // Both sides views: a ternary over std::string and a literal would bind a temporary
  // that dies before Step() (Bind does not copy).
  add->Bind(2, art->mime_type.empty() ? std::string_view("application/octet-stream") : std::string_view(art->mime_type));
  add->BindBlobCopy(3, art->bytes.data(), art->bytes.size());
  return Run(*add);
}

}  // namespace

std::string_view LibraryFileStatusName(LibraryFileStatus status) {
  switch (status) {
    case LibraryFileStatus::kOk: return "ok";
    case LibraryFileStatus::kFailed: return "failed";
    case LibraryFileStatus::kGone: return "gone";
  }
  return "?";
}

Result<LibraryFileStatus> ParseLibraryFileStatus(std::string_view name) {
  for (auto s : {LibraryFileStatus::kOk, LibraryFileStatus::kFailed, LibraryFileStatus::kGone})
    if (LibraryFileStatusName(s) == name) return s;
  return Status::InvalidArgument(fmt::format("unknown library file status '{}'", name));
}

Result<std::vector<LibraryFile>> ReadLibraryFiles(SqliteDb& db) {
  auto stmt = db.Prepare(
      "SELECT path, track_id, size_bytes, mtime_ns, fingerprint, status, failure, scanned_at "
      "FROM library_files ORDER BY path");
  if (!stmt.ok()) return stmt.status();
  std::vector<LibraryFile> files;
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return files;
    auto status = ParseLibraryFileStatus(stmt->Text(5));
    if (!status.ok()) return Status::Corruption("catalog: " + status.status().message());
    files.push_back({stmt->Text(0), stmt->Int(1), stmt->Int(2), stmt->Int(3), stmt->Int(4), *status,
                     stmt->Text(6), stmt->Int(7)});
  }
}

Result<std::int64_t> WriteScannedTrack(SqliteDb& db, CatalogStore& store, const ScannedTrack& scanned) {
  if (scanned.track.file_path != scanned.file.path)
    return Status::InvalidArgument(fmt::format("scan: track path '{}' is not the file's '{}'",
                                               scanned.track.file_path, scanned.file.path));
  auto writer = store.BeginWrite(1);
  if (!writer.ok()) return writer.status();
  // The TrackWriter does not say which id it wrote: a known key keeps its id, and a
  // new track is the row Put inserts last.
  auto known = db.Prepare("SELECT track_id FROM track_keys WHERE dedup_hash = ?1");
  if (!known.ok()) return known.status();
  known->Bind(1, CatalogHash(scanned.track.DedupKey()));
  auto found = known->Step();
  if (!found.ok()) return found.status();
  std::int64_t id = *found ? known->Int(0) : 0;
  known->Reset();
  if (Status s = (*writer)->Put(scanned.track); !s.ok()) return s;
  if (id == 0) id = sqlite3_last_insert_rowid(db.handle());
  LibraryFile file = scanned.file;
  file.track_id = id;
  file.status = LibraryFileStatus::kOk;
  file.failure.clear();
  if (Status s = UpsertFile(db, file, &scanned.descriptors_json); !s.ok()) return s;
  if (Status s = PutCoverArt(db, id, scanned.cover_art); !s.ok()) return s;
  auto committed = (*writer)->Commit();
  if (!committed.ok()) return committed.status();
  return id;
}

Status WriteFailedFile(SqliteDb& db, const LibraryFile& file) {
  LibraryFile failed = file;
  failed.status = LibraryFileStatus::kFailed;
  failed.track_id = 0;  // keep whatever track the row had
  return UpsertFile(db, failed, nullptr);
}

Status MarkLibraryFilesGone(SqliteDb& db, const std::vector<std::string>& paths) {
  Transaction tx(db);
  if (!tx.status().ok()) return tx.status();
  auto stmt = db.Prepare("UPDATE library_files SET status = 'gone', scanned_at = ?2 WHERE path = ?1");
  if (!stmt.ok()) return stmt.status();
  const std::int64_t now = NowSeconds();
  for (const auto& path : paths) {
    stmt->Bind(1, std::string_view(path));
    stmt->Bind(2, now);
    if (Status s = Run(*stmt); !s.ok()) return s;
    stmt->Reset();
  }
  return tx.Commit();
}

Status MoveLibraryFileRow(SqliteDb& db, const std::string& from, const LibraryFile& to) {
  Transaction tx(db);
  if (!tx.status().ok()) return tx.status();
  auto find = db.Prepare("SELECT track_id, descriptors FROM library_files WHERE path = ?1");
  if (!find.ok()) return find.status();
  find->Bind(1, std::string_view(from));
  auto found = find->Step();
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound(fmt::format("{}: not a known library file", from));
  const std::int64_t track_id = find->Int(0);
  const std::string descriptors = find->Text(1);
  find->Reset();
  if (from != to.path) {
    auto drop = db.Prepare("DELETE FROM library_files WHERE path = ?1");
    if (!drop.ok()) return drop.status();
    drop->Bind(1, std::string_view(from));
    if (Status s = Run(*drop); !s.ok()) return s;
  }
  LibraryFile moved = to;
  moved.track_id = track_id;
  moved.status = LibraryFileStatus::kOk;
  moved.failure.clear();
  if (Status s = UpsertFile(db, moved, descriptors.empty() ? nullptr : &descriptors); !s.ok()) return s;
  if (track_id != 0 && from != to.path) {
    // The track's identity is its path: re-key it so a re-scan of the new path finds it.
    auto retarget = db.Prepare(
        "UPDATE tracks SET file_path = ?1, dedup_hash = ?2, updated_at = ?3 WHERE id = ?4;");
    auto drop_key = db.Prepare("DELETE FROM track_keys WHERE dedup_hash = ?1");
    auto add_key = db.Prepare("INSERT OR REPLACE INTO track_keys (dedup_hash, track_id) VALUES (?1, ?2)");
    for (const Status* s : {&retarget.status(), &drop_key.status(), &add_key.status()})
      if (!s->ok()) return *s;
    const std::int64_t new_hash = FileKeyHash(to.path);
    retarget->Bind(1, std::string_view(to.path));
    retarget->Bind(2, new_hash);
    retarget->Bind(3, NowSeconds());
    retarget->Bind(4, track_id);
    drop_key->Bind(1, FileKeyHash(from));
    add_key->Bind(1, new_hash);
    add_key->Bind(2, track_id);
    for (SqliteStatement* s : {&*retarget, &*drop_key, &*add_key})
      if (Status st = Run(*s); !st.ok()) return st;
  }
  return tx.Commit();
}

Result<std::optional<CoverArt>> ReadCoverArt(SqliteDb& db, std::int64_t track_id) {
  auto stmt = db.Prepare("SELECT mime_type, image FROM cover_art WHERE track_id = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, track_id);
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<CoverArt>();
  CoverArt art;
  art.mime_type = stmt->Text(0);
  const auto bytes = stmt->Blob(1);
  art.bytes.assign(bytes.begin(), bytes.end());
  stmt->Reset();
  return std::optional<CoverArt>(std::move(art));
}

Result<std::string> ReadDescriptors(SqliteDb& db, std::int64_t track_id) {
  auto stmt = db.Prepare(
      "SELECT descriptors FROM library_files WHERE track_id = ?1 AND descriptors IS NOT NULL "
      "ORDER BY status = 'ok' DESC LIMIT 1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, track_id);
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  std::string json = *row ? stmt->Text(0) : std::string();
  stmt->Reset();
  return json;
}

}  // namespace emotune
