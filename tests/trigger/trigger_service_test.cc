// TriggerService's delivery worker: stored deliveries are all processed, in
// order, even when more arrive than its in-memory queue holds.
#include "trigger/trigger_service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "audit/audit_log.h"
#include "github/signature.h"
#include "store/execution_store.h"
#include "trigger/trigger_test_support.h"

namespace opz::trigger {
namespace {

class TriggerServiceTest : public testing::TriggerDbTest {
 protected:
  void SetUp() override {
    TriggerDbTest::SetUp();
    box_ =
        std::make_unique<secrets::SecretBox>(*secrets::SecretBox::from_key(std::string(32, 'k')));
    executions_ = std::make_unique<store::ExecutionStore>(*db_);
    audit_ = std::make_unique<audit::AuditLog>(*db_, clock_);
    TriggerServiceOptions options;
    options.max_queued_deliveries = 3;
    service_ = std::make_unique<TriggerService>(
        TriggerServiceDeps{*db_, *projects_, *executions_, *audit_, *box_, clock_, nullptr,
                           nullptr, submitter_.get(), nullptr},
        options);
    store::GithubIntegrationFields f;
    f.repository_owner = "octo";
    f.repository_name = "demo";
    f.webhook_secret_sealed = *box_->seal(kSecret);
    f.api_base_url = "https://api.github.com";
    ASSERT_TRUE(service_->github().put(project_.id, f, "admin").ok());
  }
  void TearDown() override { service_->stop(); }

  void send_pings(int from, int to) {
    for (int i = from; i < to; ++i) {
      const std::string body = Json{{"zen", "ping " + std::to_string(i)},
                                    {"hook_id", i},
                                    {"repository", testing::repository_json()}}
                                   .dump();
      IncomingDelivery d;
      d.event = "ping";
      d.guid = "guid-" + std::to_string(i);
      d.body = body;
      d.signature = github::sign(kSecret, body);
      d.content_type = "application/json";
      std::promise<Result<ReceiveAnswer>> answered;
      service_->receive_async(d,
                              [&](Result<ReceiveAnswer> a) { answered.set_value(std::move(a)); });
      auto answer = answered.get_future().get();
      ASSERT_TRUE(answer.ok()) << answer.error().to_string();
      ASSERT_EQ(answer->status, 202);
    }
  }
  int64_t count(const std::string& outcome) {
    return db_
        ->read([&](store::SqlSession& s) -> Result<int64_t> {
          OPZ_TRY(store::Rows r, s.query("SELECT COUNT(*) AS n FROM webhook_deliveries "
                                         "WHERE outcome = $1",
                                         {outcome}));
          return r[0]["n"].as_int();
        })
        .value();
  }
  bool wait_until_none_pending() {
    for (int i = 0; i < 1000; ++i) {
      if (count("pending") == 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  static constexpr const char* kSecret = "It's a Secret to Everybody";
  std::unique_ptr<secrets::SecretBox> box_;
  std::unique_ptr<store::ExecutionStore> executions_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<TriggerService> service_;
};

TEST_F(TriggerServiceTest, MoreDeliveriesThanTheQueueHoldsAreAllProcessed) {
  send_pings(0, 20);  // before start(): all pending, far more than 3
  EXPECT_EQ(count("pending"), 20);
  ASSERT_TRUE(service_->start().ok());
  send_pings(20, 40);  // while the worker catches up
  ASSERT_TRUE(wait_until_none_pending());
  EXPECT_EQ(count("processed"), 40);
  // Processed in arrival order: each outcome's processed_at is no earlier
  // than the previous delivery's.
  auto inverted = db_->read([](store::SqlSession& s) -> Result<int64_t> {
    OPZ_TRY(store::Rows r,
            s.query("SELECT COUNT(*) AS n FROM webhook_deliveries a JOIN webhook_deliveries b "
                    "ON a.received_at < b.received_at WHERE a.processed_at > b.processed_at"));
    return r[0]["n"].as_int();
  });
  ASSERT_TRUE(inverted.ok()) << inverted.error().to_string();
  EXPECT_EQ(*inverted, 0);
}

}  // namespace
}  // namespace opz::trigger
