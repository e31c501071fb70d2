// The connection's kept statements (catalog/sqlite_db.h): the same SQL reuses one
// compiled statement, never one still in use, and nothing a caller bound survives.
#include <gtest/gtest.h>

#include "catalog/sqlite_db.h"

namespace emotune {
namespace {

class StatementCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = SqliteDb::Open(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(*db);
    ASSERT_TRUE(db_.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b');").ok());
  }
  SqliteDb db_;
};

sqlite3_stmt* Handle(const SqliteStatement& s) { return s.handle(); }

TEST_F(StatementCacheTest, TheSameSqlReusesItsStatementOnceReturned) {
  sqlite3_stmt* first = nullptr;
  {
    auto s = db_.Prepare("SELECT v FROM t WHERE id = ?1");
    ASSERT_TRUE(s.ok());
    first = Handle(*s);
  }
  auto again = db_.Prepare("SELECT v FROM t WHERE id = ?1");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Handle(*again), first);
  auto other = db_.Prepare("SELECT v FROM t WHERE id = ?2");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(Handle(*other), first);
}

TEST_F(StatementCacheTest, AStatementInUseIsNotHandedOutTwice) {
  auto outer = db_.Prepare("SELECT id FROM t ORDER BY id");
  ASSERT_TRUE(outer.ok());
  ASSERT_TRUE(*outer->Step());
  EXPECT_EQ(outer->Int(0), 1);
  {
    auto inner = db_.Prepare("SELECT id FROM t ORDER BY id");  // same text, while outer is mid-read
    ASSERT_TRUE(inner.ok());
    EXPECT_NE(Handle(*inner), Handle(*outer));
    ASSERT_TRUE(*inner->Step());
    EXPECT_EQ(inner->Int(0), 1);
  }
  ASSERT_TRUE(*outer->Step());
  EXPECT_EQ(outer->Int(0), 2);  // the outer read went on undisturbed
}

TEST_F(StatementCacheTest, AReturnedStatementStartsOverWithNothingBound) {
  {
    auto s = db_.Prepare("SELECT count(*) FROM t WHERE v = ?1");
    ASSERT_TRUE(s.ok());
    s->Bind(1, std::string_view("a"));
    ASSERT_TRUE(*s->Step());
    EXPECT_EQ(s->Int(0), 1);  // left mid-read: the cache must reset it
  }
  auto s = db_.Prepare("SELECT count(*) FROM t WHERE v = ?1");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(*s->Step());
  EXPECT_EQ(s->Int(0), 0);  // ?1 is NULL again, not 'a'
}

TEST_F(StatementCacheTest, KeepsABoundedNumberAndStillAnswersBeyondIt) {
  for (std::size_t i = 0; i < 3 * StatementCache::kMaxIdle; ++i) {
    auto s = db_.Prepare("SELECT " + std::to_string(i));
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE(*s->Step());
    EXPECT_EQ(s->Int(0), static_cast<std::int64_t>(i));
  }
  std::size_t compiled = 0;
  for (sqlite3_stmt* s = sqlite3_next_stmt(db_.handle(), nullptr); s; s = sqlite3_next_stmt(db_.handle(), s)) ++compiled;
  EXPECT_LE(compiled, StatementCache::kMaxIdle);
  // Writes still work after many kept statements (none holds a read open).
  EXPECT_TRUE(db_.Exec("INSERT INTO t VALUES (3, 'c')").ok());
}

}  // namespace
}  // namespace emotune
