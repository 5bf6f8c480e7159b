// Commands forwarded to the owning server are pushed on PostgreSQL
// (docs/postgres.md "Several servers"): enqueue_command NOTIFYs
// opz_commands, the owner LISTENs and runs the command at once. Two engines
// ("servers" A and B) on one PostgreSQL database; A polls its queue only
// every 60 s (command_poll_fallback) and B waits up to 10 s for the answer,
// so a cancel B forwards to A is carried out only if the notification
// reached A. Skipped unless OPZ_TEST_BACKEND=postgres (the listener needs
// PostgreSQL); on SQLite nothing is watched (one server, no forwarding).
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string_view>

#include "engine/engine.h"
#include "engine/sql_execution_ownership.h"
#include "engine_fixture.h"
#include "store/server_lease_store.h"
#include "support/postgres_test_database.h"

namespace opz::engine {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

bool on_postgres() {
  const char* backend = std::getenv("OPZ_TEST_BACKEND");
  return backend && std::string_view(backend) == "postgres";
}

ServerIdentity identity(const std::string& id, milliseconds poll_fallback) {
  ServerIdentity i{id, "h", 1, seconds(30)};
  i.command_poll_fallback = poll_fallback;
  return i;
}

TEST(SqlExecutionOwnershipOnSqlite, WatchesNoCommands) {
  opz::testing::TempDir dir;
  auto db = store::Database::open_sqlite({.path = dir.str() + "/t.db"});
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->migrate().ok());
  SqlExecutionOwnership ownership(**db, SystemClock::instance(),
                                  identity("server-a", seconds(5)));
  EXPECT_EQ(ownership.watch_commands([] {}), nullptr) << "SQLite has no notifications: it polls";
}

class ForwardedCommandsTest : public EngineFixture {
 protected:
  void SetUp() override {
    if (!on_postgres()) GTEST_SKIP() << "the command notifications need PostgreSQL";
    EngineFixture::SetUp();
    std::optional<std::string> server = opz::testing::postgres_test_url();
    ASSERT_TRUE(server) << "OPZ_TEST_BACKEND=postgres needs OPZ_TEST_POSTGRES_URL or _DIR";
    auto pg = opz::testing::PostgresTestDatabase::create(*server);
    ASSERT_TRUE(pg.ok()) << pg.error().to_string();
    pg_.emplace(std::move(pg).value());
    auto db = store::Database::open_postgres({.url = pg_->url(), .readers = 2});
    ASSERT_TRUE(db.ok()) << db.error().to_string();
    journal_ = std::make_unique<SqlExecutionJournal>(**db);
    executions_ = std::make_unique<store::ExecutionStore>(**db);
    history_ = std::make_unique<store::ExecutionHistoryStore>(**db);
    db_ = std::move(db).value();
    owner_a_ = std::make_unique<SqlExecutionOwnership>(*db_, SystemClock::instance(),
                                                       identity("server-a", seconds(60)));
    owner_b_ = std::make_unique<SqlExecutionOwnership>(*db_, SystemClock::instance(),
                                                       identity("server-b", seconds(60)));
  }

  void TearDown() override {
    if (engine_b_) engine_b_->stop();
    EngineFixture::TearDown();
    if (db_) db_->close();  // before the PostgreSQL database is dropped
  }

  std::optional<opz::testing::PostgresTestDatabase> pg_;
  std::unique_ptr<SqlExecutionOwnership> owner_a_;
  std::unique_ptr<SqlExecutionOwnership> owner_b_;
  runner::LocalRunner runner_b_;
  std::unique_ptr<Engine> engine_b_;
};

TEST_F(ForwardedCommandsTest, ACancelForwardedToTheOwnerIsRunWithoutWaitingForItsPoll) {
  options_.ownership = owner_a_.get();
  start_engine();  // server A
  const std::string id = submit(R"(
nodes:
  build: {run: 'true'}
  gate: {type: approval, needs: build}
  deploy: {needs: gate, run: 'echo deploying'}
)");
  ASSERT_EQ(wait_status(id, {"paused"}), "paused");

  EngineOptions b = options_;
  b.data_dir = dir_.str() + "/data-b";
  b.ownership = owner_b_.get();
  b.command_answer_timeout = seconds(10);  // A's next poll is 60 s away
  engine_b_ = std::make_unique<Engine>(*journal_, runner_b_, bus_, SystemClock::instance(), b);
  engine_b_->start();

  // B forwards the cancel to A (A owns it, A's lease is alive) and answers
  // with A's answer: A ran it on the notification, not on a poll.
  auto cancelled = engine_b_->cancel(id, "not today", "dave");
  ASSERT_TRUE(cancelled.ok()) << cancelled.error().to_string();
  EXPECT_EQ(detail(id).execution.status, "cancelled");
  store::ServerLeaseStore leases(*db_);
  auto owner = leases.owner_of(id, SystemClock::instance().now());
  ASSERT_TRUE(owner.ok() && owner->has_value());
  EXPECT_EQ((*owner)->server_id, "server-a") << "A ran it; B never took it over";

  // And a second command right after: each one is pushed.
  auto again = engine_b_->cancel(id, "", "dave");
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.error().is_conflict()) << again.error().to_string();
}

}  // namespace
}  // namespace opz::engine
