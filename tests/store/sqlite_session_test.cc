#include "store/sqlite_session.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "support/temp_dir.h"

namespace opz::store {
namespace {

class SqliteSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteSession::open({dir_.str() + "/s.db", false, 1000, false});
    ASSERT_TRUE(opened.ok()) << opened.error().to_string();
    s_ = std::move(opened).value();
    ASSERT_TRUE(s_->exec_script("CREATE TABLE t (id INTEGER PRIMARY KEY, a, b, c);"
                                "CREATE TABLE u (k TEXT PRIMARY KEY, v TEXT NOT NULL UNIQUE,"
                                " n INTEGER CHECK (n >= 0));")
                    .ok());
  }

  std::string pragma(const std::string& name) {
    auto rows = s_->query("PRAGMA " + name);
    EXPECT_TRUE(rows.ok());
    return rows.ok() && !rows->empty() ? (*rows)[0][size_t{0}].as_text() : "";
  }

  opz::testing::TempDir dir_;
  std::unique_ptr<SqliteSession> s_;
};

TEST_F(SqliteSessionTest, ConfiguresTheConnection) {
  EXPECT_EQ(pragma("journal_mode"), "wal");
  EXPECT_EQ(pragma("synchronous"), "1");  // NORMAL
  EXPECT_EQ(pragma("foreign_keys"), "1");
  EXPECT_EQ(pragma("temp_store"), "2");  // MEMORY
  EXPECT_EQ(pragma("busy_timeout"), "1000");
  EXPECT_EQ(pragma("query_only"), "0");
  EXPECT_EQ(s_->dialect(), "sqlite");

  auto full = SqliteSession::open({dir_.str() + "/s.db", true, 50, true});
  ASSERT_TRUE(full.ok());
  auto sync = (*full)->query("PRAGMA synchronous");
  ASSERT_TRUE(sync.ok());
  EXPECT_EQ((*sync)[0][size_t{0}].as_int(), 2);  // FULL
  auto ro = (*full)->query("PRAGMA query_only");
  ASSERT_TRUE(ro.ok());
  EXPECT_EQ((*ro)[0][size_t{0}].as_int(), 1);
  auto write = (*full)->exec("INSERT INTO t (a) VALUES (1)");
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.error().code, ErrorCode::kInternal);
}

TEST_F(SqliteSessionTest, RefusesMemoryAndEmptyPaths) {
  for (const char* path : {"", ":memory:", "file::memory:?cache=shared"}) {
    auto s = SqliteSession::open({path, false, 100, false});
    ASSERT_FALSE(s.ok()) << path;
    EXPECT_EQ(s.error().code, ErrorCode::kValidation);
  }
  auto missing_dir = SqliteSession::open({dir_.str() + "/no/such/dir/x.db", false, 100, false});
  ASSERT_FALSE(missing_dir.ok());
  EXPECT_EQ(missing_dir.error().code, ErrorCode::kUnavailable);
}

TEST_F(SqliteSessionTest, BindsByDollarNameOutOfOrderAndRepeated) {
  // In SQLite "$2" written first takes slot 1: binding by position would swap a and b.
  ASSERT_TRUE(s_->exec("INSERT INTO t (id, a, b, c) VALUES ($3, $2, $1, $2)", {"B", "A", 7}).ok());
  auto rows = s_->query("SELECT a, b, c FROM t WHERE id = $1", {7});
  ASSERT_TRUE(rows.ok()) << rows.error().to_string();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0]["a"].as_text(), "A");
  EXPECT_EQ((*rows)[0]["b"].as_text(), "B");
  EXPECT_EQ((*rows)[0]["c"].as_text(), "A");

  auto same = s_->query("SELECT $1 AS x, $1 || $2 AS y, $2 AS z", {"p", "q"});
  ASSERT_TRUE(same.ok());
  EXPECT_EQ((*same)[0]["x"].as_text(), "p");
  EXPECT_EQ((*same)[0]["y"].as_text(), "pq");
  EXPECT_EQ((*same)[0]["z"].as_text(), "q");
}

TEST_F(SqliteSessionTest, ParameterMismatchesAreErrors) {
  // Too few params for the statement.
  auto missing = s_->query("SELECT $1, $2", {1});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kInternal);
  EXPECT_NE(missing.error().message.find("$2"), std::string::npos);
  // A param the statement never uses (PostgreSQL rejects those too).
  auto unused = s_->query("SELECT $1, $3", {1, 2, 3});
  ASSERT_FALSE(unused.ok());
  EXPECT_NE(unused.error().message.find("$2 is not used"), std::string::npos);
  auto extra = s_->query("SELECT 1", {1});
  ASSERT_FALSE(extra.ok());
  EXPECT_EQ(extra.error().code, ErrorCode::kInternal);
  // Other parameter spellings are refused.
  for (const char* sql : {"SELECT ?", "SELECT :name", "SELECT @x", "SELECT $01", "SELECT $a"}) {
    auto r = s_->query(sql, {1});
    ASSERT_FALSE(r.ok()) << sql;
    EXPECT_EQ(r.error().code, ErrorCode::kInternal) << sql;
  }
  auto named = s_->query("SELECT :name", {1});
  ASSERT_FALSE(named.ok());
  EXPECT_NE(named.error().message.find("':name'"), std::string::npos) << named.error().message;
  // The statement stays usable after a binding error.
  auto fine = s_->query("SELECT $1, $2", {1, 2});
  EXPECT_TRUE(fine.ok());
}

TEST_F(SqliteSessionTest, EveryValueKindRoundTrips) {
  const std::string with_nul("a\0b", 3);
  const std::string utf8 = "caf\xc3\xa9 \xe2\x9c\x93";
  ASSERT_TRUE(s_->exec("INSERT INTO t (id, a, b, c) VALUES ($1, $2, $3, $4)",
                       {int64_t{9007199254740993}, 3.25, utf8, with_nul})
                  .ok());
  ASSERT_TRUE(s_->exec("INSERT INTO t (id, a, b, c) VALUES ($1, $2, $3, $4)",
                       {int64_t{-1}, true, std::string(), nullptr})
                  .ok());
  auto rows = s_->query("SELECT id, a, b, c, typeof(c) AS tc FROM t ORDER BY id DESC");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  const Row& big = (*rows)[0];
  EXPECT_TRUE(big["id"].is_int());
  EXPECT_EQ(big["id"].as_int(), 9007199254740993);  // beyond double precision
  EXPECT_TRUE(big["a"].is_real());
  EXPECT_DOUBLE_EQ(big["a"].as_real(), 3.25);
  EXPECT_EQ(big["b"].as_text(), utf8);
  EXPECT_EQ(big["c"].as_text(), with_nul);
  const Row& small = (*rows)[1];
  EXPECT_EQ(small["id"].as_int(), -1);
  EXPECT_EQ(small["a"].as_int(), 1);
  EXPECT_TRUE(small["b"].is_text());
  EXPECT_EQ(small["b"].as_text(), "");
  EXPECT_TRUE(small["c"].is_null());
  EXPECT_EQ(small["tc"].as_text(), "null");

  auto blob = s_->query("SELECT x'00ff41' AS b");
  ASSERT_TRUE(blob.ok());
  EXPECT_EQ((*blob)[0]["b"].as_text(), std::string("\x00\xff\x41", 3));
}

TEST_F(SqliteSessionTest, NullHandling) {
  ASSERT_TRUE(
      s_->exec("INSERT INTO t (id, a) VALUES (1, $1)", {std::optional<std::string>()}).ok());
  auto is_null = s_->query("SELECT a IS NULL AS n, a = $1 AS eq FROM t", {nullptr});
  ASSERT_TRUE(is_null.ok());
  EXPECT_EQ((*is_null)[0]["n"].as_int(), 1);
  EXPECT_TRUE((*is_null)[0]["eq"].is_null());  // NULL = NULL is NULL
  auto none = s_->query("SELECT a FROM t WHERE a = $1", {nullptr});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto not_null = s_->exec("INSERT INTO u (k, v) VALUES ('k', $1)", {nullptr});
  ASSERT_FALSE(not_null.ok());
  EXPECT_EQ(not_null.error().code, ErrorCode::kValidation);
  EXPECT_NE(not_null.error().message.find("NOT NULL"), std::string::npos);
}

TEST_F(SqliteSessionTest, ColumnNamesComeFromTheStatement) {
  auto rows = s_->query("SELECT 1 AS one, 'x' AS \"two words\", NULL");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->columns.size(), 3u);
  EXPECT_EQ(rows->columns[0], "one");
  EXPECT_EQ(rows->columns[1], "two words");
  EXPECT_EQ(rows->columns[2], "NULL");
  auto empty = s_->query("SELECT id, a FROM t");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  EXPECT_EQ(empty->columns, (std::vector<std::string>{"id", "a"}));
}

TEST_F(SqliteSessionTest, StatementsAreCachedBySqlText) {
  const auto before = s_->stats();
  const size_t cached = s_->cached_statements();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(s_->exec("INSERT INTO t (a) VALUES ($1)", {i}).ok());
  }
  EXPECT_EQ(s_->stats().prepares, before.prepares + 1);
  EXPECT_EQ(s_->stats().cache_hits, before.cache_hits + 4);
  EXPECT_EQ(s_->cached_statements(), cached + 1);
  // Different text, different statement; bindings of the last use are cleared.
  auto rows = s_->query("SELECT count(*) AS n, sum(a) AS s FROM t");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0]["n"].as_int(), 5);
  EXPECT_EQ((*rows)[0]["s"].as_int(), 0 + 1 + 2 + 3 + 4);
  EXPECT_EQ(s_->cached_statements(), cached + 2);
  // A cached statement survives a schema change (SQLite re-prepares it).
  ASSERT_TRUE(s_->exec_script("ALTER TABLE t ADD COLUMN d TEXT").ok());
  EXPECT_TRUE(s_->exec("INSERT INTO t (a) VALUES ($1)", {9}).ok());
}

TEST_F(SqliteSessionTest, ExecAnswersRowsChanged) {
  auto ins = s_->exec("INSERT INTO t (a) VALUES (1), (2), (3)");
  ASSERT_TRUE(ins.ok());
  EXPECT_EQ(*ins, 3);
  auto upd = s_->exec("UPDATE t SET b = $1 WHERE a >= $2", {"x", 2});
  ASSERT_TRUE(upd.ok());
  EXPECT_EQ(*upd, 2);
  auto sel = s_->exec("SELECT * FROM t");
  ASSERT_TRUE(sel.ok());
  EXPECT_EQ(*sel, 0);
  auto ret = s_->query("INSERT INTO t (a) VALUES ($1) RETURNING id, a", {42});
  ASSERT_TRUE(ret.ok());
  ASSERT_EQ(ret->size(), 1u);
  EXPECT_EQ((*ret)[0]["a"].as_int(), 42);
}

TEST_F(SqliteSessionTest, UniqueViolationsAreConflictsNamingTheColumn) {
  ASSERT_TRUE(s_->exec("INSERT INTO u (k, v) VALUES ($1, $2)", {"k1", "secret-value"}).ok());
  auto dup = s_->exec("INSERT INTO u (k, v) VALUES ($1, $2)", {"k2", "secret-value"});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_EQ(dup.error().field, "u.v");
  EXPECT_NE(dup.error().message.find("u.v"), std::string::npos);
  EXPECT_EQ(dup.error().message.find("secret-value"), std::string::npos);

  auto pk = s_->exec("INSERT INTO u (k, v) VALUES ($1, $2)", {"k1", "other"});
  ASSERT_FALSE(pk.ok());
  EXPECT_EQ(pk.error().code, ErrorCode::kConflict);
  EXPECT_EQ(pk.error().field, "u.k");
}

TEST_F(SqliteSessionTest, OtherErrorsMapToTheirCodes) {
  auto check = s_->exec("INSERT INTO u (k, v, n) VALUES ('a', 'b', $1)", {-5});
  ASSERT_FALSE(check.ok());
  EXPECT_EQ(check.error().code, ErrorCode::kValidation);
  EXPECT_NE(check.error().message.find("CHECK"), std::string::npos);

  const std::string long_sql =
      "SELECT no_such_column FROM t WHERE a = $1 AND b = 'padding padding padding padding "
      "padding' AND c = 'TAIL-BEYOND-80'";
  auto bad = s_->query(long_sql, {"param-secret"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInternal);
  EXPECT_NE(bad.error().message.find("no such column"), std::string::npos);
  EXPECT_NE(bad.error().message.find("SELECT no_such_column FROM t"), std::string::npos);
  EXPECT_EQ(bad.error().message.find("TAIL-BEYOND-80"), std::string::npos);
  EXPECT_EQ(bad.error().message.find("param-secret"), std::string::npos);

  auto two = s_->query("SELECT 1; SELECT 2");
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.error().message.find("exec_script"), std::string::npos);
  EXPECT_TRUE(s_->query("SELECT 1; -- trailing comment").ok());
  auto empty = s_->query("  ");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, ErrorCode::kInternal);
}

TEST_F(SqliteSessionTest, BusyIsUnavailable) {
  auto other = SqliteSession::open({dir_.str() + "/s.db", false, 0, false});
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(s_->begin(true).ok());
  auto blocked = (*other)->begin(true);
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(s_->rollback().ok());
  EXPECT_TRUE((*other)->begin(true).ok());
  EXPECT_TRUE((*other)->commit().ok());
}

TEST_F(SqliteSessionTest, ExecScriptRunsEveryStatementAndStopsAtTheFirstError) {
  ASSERT_TRUE(s_->exec_script("-- a comment\nINSERT INTO t (a) VALUES (1);\n"
                              "INSERT INTO t (a) VALUES ('two'); /* done */ ")
                  .ok());
  auto n = s_->query("SELECT count(*) FROM t");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ((*n)[0][size_t{0}].as_int(), 2);

  Status st = s_->exec_script(
      "INSERT INTO t (a) VALUES (3); INSERT INTO nowhere VALUES (1); "
      "INSERT INTO t (a) VALUES (4);");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("nowhere"), std::string::npos);
  auto after = s_->query("SELECT count(*) FROM t");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ((*after)[0][size_t{0}].as_int(), 3);  // no transaction here: the first one stays
  EXPECT_TRUE(s_->exec_script("").ok());
}

TEST_F(SqliteSessionTest, TransactionsCommitAndRollBack) {
  EXPECT_FALSE(s_->in_transaction());
  ASSERT_TRUE(s_->begin(true).ok());
  EXPECT_TRUE(s_->in_transaction());
  EXPECT_FALSE(s_->begin(true).ok());  // already open
  ASSERT_TRUE(s_->exec("INSERT INTO t (a) VALUES (1)").ok());
  ASSERT_TRUE(s_->rollback().ok());
  EXPECT_FALSE(s_->in_transaction());
  EXPECT_TRUE(s_->rollback().ok());  // no-op without a transaction
  auto n = s_->query("SELECT count(*) FROM t");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ((*n)[0][size_t{0}].as_int(), 0);

  ASSERT_TRUE(s_->begin(false).ok());
  ASSERT_TRUE(s_->exec("INSERT INTO t (a) VALUES (1)").ok());
  ASSERT_TRUE(s_->commit().ok());
  auto m = s_->query("SELECT count(*) FROM t");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)[0][size_t{0}].as_int(), 1);
  Status no_tx = s_->commit();
  ASSERT_FALSE(no_tx.ok());
  EXPECT_EQ(no_tx.error().code, ErrorCode::kInternal);
}

}  // namespace
}  // namespace opz::store
