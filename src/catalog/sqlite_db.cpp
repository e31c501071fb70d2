#include "catalog/sqlite_db.h"

#include <mutex>

#include <fmt/format.h>

namespace emotune {

Result<bool> SqliteStatement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  sqlite3_reset(stmt_);
  if (rc == SQLITE_DONE) return false;
  const std::string msg = sqlite3_errmsg(db_);
  if (rc == SQLITE_FULL || rc == SQLITE_IOERR || rc == SQLITE_READONLY || rc == SQLITE_CANTOPEN)
    return Status::IoError("catalog: " + msg);
  if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) return Status::Corruption("catalog: " + msg);
  return Status::IoError("catalog: " + msg);
}

Result<SqliteDb> SqliteDb::Open(const std::string& path, int flags) {
  // Memory statistics take a global mutex on every allocation, which bulk imports do
  // millions of times; Emotune never reads them. Must precede SQLite's initialisation.
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  sqlite3* handle = nullptr;
  // One connection is only ever used by one thread at a time (see CatalogStore).
  const int rc = sqlite3_open_v2(path.c_str(), &handle, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  SqliteDb db(handle);
  if (rc != SQLITE_OK)
    return Status::IoError(fmt::format("{}: cannot open the catalog: {}", path,
                                       handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc)));
  sqlite3_extended_result_codes(handle, 0);
  return db;
}

Status SqliteDb::Exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) == SQLITE_OK) return Status::Ok();
  std::string msg = err ? err : Error();
  sqlite3_free(err);
  const int code = sqlite3_errcode(db_);
  if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
    return Status::Corruption("catalog: " + msg + " (is this an Emotune catalog?)");
  return Status::IoError("catalog: " + msg);
}

StatementCache::~StatementCache() {
  for (sqlite3_stmt* stmt : idle_) sqlite3_finalize(stmt);
}

sqlite3_stmt* StatementCache::Take(std::string_view sql) {
  for (std::size_t i = idle_.size(); i-- > 0;) {
    if (sqlite3_sql(idle_[i]) != sql) continue;
    sqlite3_stmt* stmt = idle_[i];
    idle_.erase(idle_.begin() + static_cast<std::ptrdiff_t>(i));
    return stmt;
  }
  return nullptr;
}

void StatementCache::Return(sqlite3_stmt* stmt) {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  if (idle_.size() < kMaxIdle) idle_.push_back(stmt);
  else sqlite3_finalize(stmt);
}

Result<SqliteStatement> SqliteDb::Prepare(std::string_view sql) {
  if (sqlite3_stmt* kept = cache_ ? cache_->Take(sql) : nullptr) return SqliteStatement(db_, kept, cache_.get());
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                         nullptr) != SQLITE_OK)
    return Status::IoError(fmt::format("catalog: {} (in: {})", Error(), sql.substr(0, 60)));
  return SqliteStatement(db_, stmt, cache_.get());
}

Result<std::int64_t> SqliteDb::QueryInt(const std::string& sql, std::int64_t fallback) {
  auto stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  return *row && !stmt->IsNull(0) ? stmt->Int(0) : fallback;
}

}  // namespace emotune
