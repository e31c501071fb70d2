// Thin RAII wrappers over the SQLite C API, so the store's code reads as SQL and
// bindings instead of handle bookkeeping. Not thread-safe (like the connection).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "emotune/status.h"

namespace emotune {

// Prepared statements a connection keeps for reuse, by SQL text: the server asks the
// same few questions thousands of times a second, and compiling each one again cost
// more than answering it. A statement in use is not here; a second user of the same
// SQL gets a fresh one. At most kMaxIdle are kept; others are finalised.
class StatementCache {
 public:
  static constexpr std::size_t kMaxIdle = 32;
  StatementCache() = default;
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;
  ~StatementCache();
  // An idle statement for exactly `sql`, or nullptr.
  sqlite3_stmt* Take(std::string_view sql);
  // Back from use: reset, its bindings cleared, kept or finalised.
  void Return(sqlite3_stmt* stmt);

 private:
  std::vector<sqlite3_stmt*> idle_;
};

class SqliteStatement {
 public:
  SqliteStatement() = default;
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, StatementCache* cache = nullptr)
      : db_(db), stmt_(stmt), cache_(cache) {}
  ~SqliteStatement() {
    if (cache_ && stmt_) cache_->Return(stmt_);
    else sqlite3_finalize(stmt_);
  }
  SqliteStatement(SqliteStatement&& o) noexcept : db_(o.db_), stmt_(o.stmt_), cache_(o.cache_) { o.stmt_ = nullptr; }
  SqliteStatement& operator=(SqliteStatement&& o) noexcept {
    std::swap(db_, o.db_);
    std::swap(stmt_, o.stmt_);
    std::swap(cache_, o.cache_);
    return *this;
  }

  // Binding is 1-based like SQLite's. Empty text and nullopt bind NULL: unknown stays
  // unknown. Text is bound without a copy; it must outlive Step().
  void BindNull(int i) { sqlite3_bind_null(stmt_, i); }
  void Bind(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void Bind(int i, double v) { sqlite3_bind_double(stmt_, i, v); }
  void Bind(int i, std::string_view v) {
    if (v.empty()) BindNull(i);
    else sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  template <typename T>
  void Bind(int i, const std::optional<T>& v) {
    if (!v) BindNull(i);
    else if constexpr (std::is_floating_point_v<T>) Bind(i, static_cast<double>(*v));
    else Bind(i, static_cast<std::int64_t>(*v));
  }

  // Binds a copy of `bytes` (a BLOB, even when empty).
  void BindBlobCopy(int i, const void* bytes, std::size_t size) {
    sqlite3_bind_blob64(stmt_, i, size ? bytes : "", size, SQLITE_TRANSIENT);
  }

  // Binds a copy of `v` to the named parameter (":genre"); for values that die early.
  void BindCopy(const char* name, std::string_view v) {
    sqlite3_bind_text(stmt_, sqlite3_bind_parameter_index(stmt_, name), v.data(), static_cast<int>(v.size()),
                      SQLITE_TRANSIENT);
  }
  void BindCopy(const char* name, std::int64_t v) {
    sqlite3_bind_int64(stmt_, sqlite3_bind_parameter_index(stmt_, name), v);
  }

  // true: a row is ready; false: done. Resets itself when done or failed.
  Result<bool> Step();
  void Reset() { sqlite3_reset(stmt_); sqlite3_clear_bindings(stmt_); }

  sqlite3_stmt* handle() const { return stmt_; }

  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  double Real(int col) const { return sqlite3_column_double(stmt_, col); }
  std::string Text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, sqlite3_column_bytes(stmt_, col)) : std::string();
  }
  // The column's text in place: valid until the next Step, Reset or column read.
  std::string_view TextView(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string_view();
  }
  std::span<const std::uint8_t> Blob(int col) const {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, col));
    return p ? std::span<const std::uint8_t>(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::span<const std::uint8_t>();
  }
  template <typename T>
  std::optional<T> Optional(int col) const {
    if (IsNull(col)) return std::nullopt;
    if constexpr (std::is_floating_point_v<T>) return static_cast<T>(Real(col));
    else return static_cast<T>(Int(col));
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  StatementCache* cache_ = nullptr;  // where the statement goes back to, or null
};

class SqliteDb {
 public:
  static Result<SqliteDb> Open(const std::string& path, int flags);
  SqliteDb() = default;
  ~SqliteDb() {
    cache_.reset();  // finalises the kept statements before the connection closes
    sqlite3_close_v2(db_);
  }
  SqliteDb(SqliteDb&& o) noexcept : db_(o.db_), cache_(std::move(o.cache_)) { o.db_ = nullptr; }
  SqliteDb& operator=(SqliteDb&& o) noexcept {
    std::swap(db_, o.db_);
    std::swap(cache_, o.cache_);
    return *this;
  }

  Status Exec(const std::string& sql);
  // A statement for `sql`: one kept from an earlier use of the same text when there
  // is one (so SQL whose text varies per call — literal values — gains nothing).
  // Statements must not outlive the SqliteDb.
  Result<SqliteStatement> Prepare(std::string_view sql);
  // The first column of the first row of `sql`, or `fallback` if there is none.
  Result<std::int64_t> QueryInt(const std::string& sql, std::int64_t fallback = 0);
  std::string Error() const { return sqlite3_errmsg(db_); }
  sqlite3* handle() const { return db_; }

 private:
  explicit SqliteDb(sqlite3* db) : db_(db), cache_(std::make_unique<StatementCache>()) {}
  sqlite3* db_ = nullptr;
  std::unique_ptr<StatementCache> cache_;  // on the heap: statements point at it across moves
};

}  // namespace emotune
