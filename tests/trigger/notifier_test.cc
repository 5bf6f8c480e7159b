#include "trigger/notifier.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <condition_variable>

#include "core/time_format.h"
#include "store/project_store.h"
#include "store/user_store.h"
#include "support/temp_dir.h"

namespace opz::trigger {
namespace {

std::string hex(const unsigned char* p, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[p[i] >> 4]);
    out.push_back(kDigits[p[i] & 15]);
  }
  return out;
}

// libsodium's HMAC-SHA256, independent of github::sign.
std::string sodium_signature(const std::string& secret, const std::string& body) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  crypto_auth_hmacsha256_final(&st, mac);
  return "sha256=" + hex(mac, sizeof mac);
}

class NotifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    db_ = std::move(store::Database::open_sqlite({.path = dir_.str() + "/t.db"})).value();
    ASSERT_TRUE(db_->migrate().ok());
    box_.emplace(std::move(secrets::SecretBox::from_key(std::string(32, 'k'))).value());
    store::ProjectStore projects(*db_, clock_);
    ASSERT_TRUE(projects.create_organization("Org", "org", "").ok());
    store::ProjectFields f;
    f.name = "p";
    project_ = projects.create_project(f, "tester")->id;
    NotifierOptions o;
    o.max_attempts = 3;
    o.initial_backoff = Millis{2000};
    o.max_backoff = Millis{60000};
    notifier_ = std::make_unique<Notifier>(*db_, clock_, &*box_, recording_sender(), o);
  }

  WebhookSendFn recording_sender() {
    return [this](const OutgoingRequest& r) -> Result<int> {
      std::lock_guard lock(mu_);
      sent_.push_back(r);
      cv_.notify_all();
      return answer_;
    };
  }

  std::string add_webhook(const std::string& format, Json events = Json::array()) {
    store::ProjectWebhookRecord w;
    w.project_id = project_;
    w.url = "http://127.0.0.1:1/hook";
    w.secret_sealed = *box_->seal("s3cret");
    w.format = format;
    w.events = std::move(events);
    return store::ProjectWebhookStore(*db_, clock_).create(w)->id;
  }

  Notification event(const std::string& type = "approval_decided") {
    Notification n;
    n.type = type;
    n.project_id = project_;
    n.target_user_ids = {"u1"};
    n.payload = Json{{"execution_id", "e1"}, {"status", "approved"}};
    return n;
  }

  std::string header(const OutgoingRequest& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
      if (k == name) return v;
    return "";
  }

  size_t sent_count() {
    std::lock_guard lock(mu_);
    return sent_.size();
  }

  opz::testing::TempDir dir_;
  ManualClock clock_;
  std::unique_ptr<store::Database> db_;
  std::optional<secrets::SecretBox> box_;
  std::string project_;
  std::unique_ptr<Notifier> notifier_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<OutgoingRequest> sent_;
  Result<int> answer_ = 200;
};

TEST_F(NotifierTest, NotifyWritesRowsAndSignedDeliveries) {
  const std::string hook = add_webhook("opzenix");
  add_webhook("opzenix", Json::array({"execution_failed"}));  // not subscribed
  ASSERT_TRUE(notifier_->notify(event()).ok());
  auto mine = store::NotificationStore(*db_, clock_).list_for_user("u1", true, {});
  ASSERT_EQ(mine->items.size(), 1u);
  EXPECT_EQ(mine->items[0].type, "approval_decided");
  EXPECT_EQ(*notifier_->send_due(), 1);
  ASSERT_EQ(sent_.size(), 1u);
  const OutgoingRequest& r = sent_[0];
  EXPECT_EQ(r.url, "http://127.0.0.1:1/hook");
  EXPECT_EQ(header(r, "X-Opzenix-Signature-256"), sodium_signature("s3cret", r.body));
  EXPECT_EQ(header(r, "X-Opzenix-Event"), "approval_decided");
  Json body = Json::parse(r.body);
  EXPECT_EQ(body["event"], "approval_decided");
  EXPECT_EQ(body["payload"]["execution_id"], "e1");
  auto log = store::ProjectWebhookStore(*db_, clock_).deliveries(hook, {});
  ASSERT_EQ(log->items.size(), 1u);
  EXPECT_EQ(log->items[0].status, "delivered");
  EXPECT_EQ(log->items[0].attempts, 1);
  EXPECT_EQ(*notifier_->send_due(), 0);  // nothing twice
}

TEST_F(NotifierTest, SlackFormatSendsText) {
  add_webhook("slack");
  ASSERT_TRUE(notifier_->notify(event("execution_failed")).ok());
  ASSERT_EQ(*notifier_->send_due(), 1);
  Json body = Json::parse(sent_[0].body);
  ASSERT_TRUE(body["text"].is_string());
  EXPECT_NE(body["text"].get<std::string>().find("execution_failed"), std::string::npos);
  EXPECT_EQ(body.size(), 1u);
}

TEST_F(NotifierTest, RetriesBackOffThenGiveUp) {
  const std::string hook = add_webhook("opzenix");
  answer_ = 500;
  ASSERT_TRUE(notifier_->notify(event()).ok());
  EXPECT_EQ(*notifier_->send_due(), 1);  // attempt 1 fails: retry in 2 s
  clock_.advance(std::chrono::milliseconds(1999));
  EXPECT_EQ(*notifier_->send_due(), 0);
  clock_.advance(std::chrono::milliseconds(1));
  answer_ = Error::unavailable("connection refused");
  EXPECT_EQ(*notifier_->send_due(), 1);  // attempt 2 fails: retry in 4 s
  clock_.advance(std::chrono::milliseconds(3999));
  EXPECT_EQ(*notifier_->send_due(), 0);
  clock_.advance(std::chrono::milliseconds(1));
  EXPECT_EQ(*notifier_->send_due(), 1);  // attempt 3 of 3: gives up
  clock_.advance(std::chrono::hours(1));
  EXPECT_EQ(*notifier_->send_due(), 0);
  EXPECT_EQ(sent_.size(), 3u);
  auto d = store::ProjectWebhookStore(*db_, clock_).deliveries(hook, {})->items.at(0);
  EXPECT_EQ(d.status, "failed");
  EXPECT_EQ(d.attempts, 3);
  EXPECT_EQ(d.last_error, "connection refused");
}

TEST_F(NotifierTest, ApprovalRequestedReachesEligibleApproversOnce) {
  store::UserStore users(*db_, clock_);
  auto viewer = users.create("v@x", "v", "x", "viewer");
  auto op = users.create("o@x", "o", "x", "operator");
  auto admin = users.create("a@x", "a", "x", "admin");
  auto starter = users.create("s@x", "s", "x", "admin");
  ASSERT_TRUE(db_->write([&](store::SqlSession& s) -> Status {
                   OPZ_TRY_STATUS(s.exec(
                       "INSERT INTO executions (id, name, project_id, started_by, created_at, "
                       "updated_at) VALUES ('e1', 'x', $1, $2, 't', 't')",
                       {project_, starter->id}));
                   return {};
                 }).ok());
  store::ApprovalRecord r;
  r.execution_id = "e1";
  r.node_id = "approve";
  r.requested_by = starter->id;
  ASSERT_TRUE(store::ApprovalStore(*db_, clock_).create(r).ok());
  EXPECT_EQ(*notifier_->send_due(), 0);
  store::NotificationStore n(*db_, clock_);
  EXPECT_EQ(n.list_for_user(op->id, false, {})->items.size(), 1u);
  EXPECT_EQ(n.list_for_user(admin->id, false, {})->items.size(), 1u);
  EXPECT_TRUE(n.list_for_user(viewer->id, false, {})->items.empty());
  EXPECT_TRUE(n.list_for_user(starter->id, false, {})->items.empty());  // may not approve
  ASSERT_TRUE(notifier_->send_due().ok());
  EXPECT_EQ(n.list_for_user(op->id, false, {})->items.size(), 1u);  // once
}

TEST_F(NotifierTest, SenderThreadDeliversWhenWoken) {
  add_webhook("opzenix");
  notifier_->start();
  ASSERT_TRUE(notifier_->notify(event()).ok());
  {
    std::unique_lock lock(mu_);
    ASSERT_TRUE(cv_.wait_for(lock, std::chrono::seconds(10), [&] { return !sent_.empty(); }));
  }
  notifier_->stop();
  notifier_->stop();
  EXPECT_EQ(sent_count(), 1u);
}

}  // namespace
}  // namespace opz::trigger
