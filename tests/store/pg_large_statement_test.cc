// PgSession with statements of many parameters (docs/postgres.md "Parameters
// per statement"): INSERTs of 3,000 to 60,000 untyped parameters, with and
// without a cast on each, arrive whole and leave the connection usable; the
// protocol's limit (65,535) is refused with a clear error, not a dropped
// connection. Needs the PostgreSQL test server; skipped otherwise.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "store/database.h"
#include "support/postgres_test_database.h"

namespace opz::store {
namespace {

class PgLargeStatementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::optional<std::string> server = opz::testing::postgres_test_url();
    if (!server) GTEST_SKIP() << "no PostgreSQL test server (OPZ_TEST_POSTGRES_URL/_DIR)";
    auto pg = opz::testing::PostgresTestDatabase::create(*server);
    ASSERT_TRUE(pg.ok()) << pg.error().to_string();
    pg_.emplace(std::move(pg).value());
    auto db = Database::open_postgres({.url = pg_->url(), .readers = 1});
    ASSERT_TRUE(db.ok()) << db.error().to_string();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->write([](SqlSession& s) {
                       return s.exec_script(
                           "CREATE TABLE big (n bigint, t text, at timestamptz, j json)");
                     }).ok());
  }
  void TearDown() override {
    if (db_) db_->close();
  }

  // INSERT of `rows` rows of 4 parameters each (cast to their types when `cast`).
  Status insert(size_t rows, bool cast) {
    std::string sql = "INSERT INTO big (n, t, at, j) VALUES ";
    Params params;
    const char* casts[] = {"::bigint", "::text", "::timestamp with time zone", "::json"};
    for (size_t r = 0; r < rows; ++r) {
      sql += r ? ", (" : "(";
      for (size_t c = 0; c < 4; ++c)
        sql += (c ? ", $" : "$") + std::to_string(params.size() + c + 1) + (cast ? casts[c] : "");
      sql += ")";
      params.emplace_back(static_cast<int64_t>(r));
      params.emplace_back("row " + std::to_string(r));
      params.emplace_back(std::string("2026-12-05T19:18:14.500Z"));
      params.emplace_back(std::string(R"({"r": 1})"));
    }
    return db_->write([&](SqlSession& s) -> Status {
      OPZ_TRY(int64_t n, s.exec(sql, params));
      if (n != static_cast<int64_t>(rows)) return Error::internal("inserted " + std::to_string(n));
      return {};
    });
  }
  int64_t count() {
    auto n = db_->read([](SqlSession& s) { return s.query("SELECT COUNT(*) AS n FROM big"); });
    return n.ok() ? (*n)[0]["n"].as_int() : -1;
  }

  std::optional<opz::testing::PostgresTestDatabase> pg_;
  std::unique_ptr<Database> db_;
};

TEST_F(PgLargeStatementTest, InsertsOfUpTo60000ParametersArriveWhole) {
  int64_t expected = 0;
  for (size_t params : {3000, 12000, 30000, 60000}) {
    for (bool cast : {false, true}) {
      Status st = insert(params / 4, cast);
      ASSERT_TRUE(st.ok()) << params << " parameters (cast " << cast << "): "
                           << st.error().to_string();
      expected += static_cast<int64_t>(params / 4);
      ASSERT_EQ(count(), expected) << params << " parameters";
    }
  }
}

TEST_F(PgLargeStatementTest, MoreParametersThanTheProtocolCarriesAreRefusedClearly) {
  Status st = insert(70000 / 4, false);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("65535"), std::string::npos) << st.error().to_string();
  EXPECT_TRUE(insert(10, false).ok()) << "the connection is still usable";
  EXPECT_EQ(count(), 10);
}

}  // namespace
}  // namespace opz::store
