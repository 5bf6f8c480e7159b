#include "trigger/delivery_receiver.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <optional>
#include <thread>

#include "github/signature.h"
#include "trigger/trigger_test_support.h"

namespace opz::trigger {
namespace {

using testing::sha_of;

class DeliveryReceiverTest : public testing::TriggerDbTest {
 protected:
  void SetUp() override {
    TriggerDbTest::SetUp();
    box_ =
        std::make_unique<secrets::SecretBox>(*secrets::SecretBox::from_key(std::string(32, 'k')));
    github_ = std::make_unique<store::GithubStore>(*db_, clock_);
    deliveries_ = std::make_unique<store::WebhookDeliveryStore>(*db_, clock_);
    store::GithubIntegrationFields f;
    f.repository_owner = "octo";
    f.repository_name = "demo";
    f.webhook_secret_sealed = *box_->seal(kSecret);
    f.api_base_url = "https://api.github.com";
    ASSERT_TRUE(github_->put(project_.id, f, "admin").ok());
    integrations_ = std::make_unique<IntegrationCache>(*github_, clock_);
    receiver_ = std::make_unique<DeliveryReceiver>(
        *integrations_, *deliveries_, *box_, metrics_,
        [this](const std::string& id, std::shared_ptr<const ArrivedDelivery> arrived) {
          queued_.push_back(id);
          arrived_.push_back(std::move(arrived));
        });
  }
  IncomingDelivery signed_delivery(const std::string& body, const std::string& event = "push",
                                   const std::string& guid = "guid-1") {
    IncomingDelivery d;
    d.event = event;
    d.guid = guid;
    d.body = body;
    d.signature = github::sign(kSecret, body);
    d.format = PayloadFormat::kJson;
    d.content_type = "application/json";
    d.headers = {{"X-GitHub-Event", event}};
    return d;
  }
  // receive_async, waited for.
  Result<ReceiveAnswer> receive(IncomingDelivery d) {
    std::promise<Result<ReceiveAnswer>> answered;
    receiver_->receive_async(std::move(d),
                             [&](Result<ReceiveAnswer> a) { answered.set_value(std::move(a)); });
    return answered.get_future().get();
  }
  int64_t stored() {
    return db_
        ->read([](store::SqlSession& s) -> Result<int64_t> {
          OPZ_TRY(store::Rows r, s.query("SELECT COUNT(*) AS n FROM webhook_deliveries"));
          return r[0]["n"].as_int();
        })
        .value();
  }
  std::string rendered_metrics() { return registry_.render(); }

  static constexpr const char* kSecret = "It's a Secret to Everybody";
  telemetry::MetricsRegistry registry_;
  TriggerMetrics metrics_{&registry_};
  std::unique_ptr<secrets::SecretBox> box_;
  std::unique_ptr<store::GithubStore> github_;
  std::unique_ptr<IntegrationCache> integrations_;
  std::unique_ptr<store::WebhookDeliveryStore> deliveries_;
  std::unique_ptr<DeliveryReceiver> receiver_;
  std::vector<std::string> queued_;
  std::vector<std::shared_ptr<const ArrivedDelivery>> arrived_;
};

TEST(SignatureProblemTest, ClassifiesHeaders) {
  EXPECT_EQ(signature_problem(""), "missing");
  EXPECT_EQ(signature_problem("  "), "missing");
  EXPECT_EQ(signature_problem("sha1=abc"), "sha1_only");
  EXPECT_EQ(signature_problem("sha256=abc"), "malformed");
  EXPECT_EQ(signature_problem("md5=" + std::string(64, 'a')), "malformed");
  EXPECT_EQ(signature_problem("sha256=" + std::string(64, 'g')), "malformed");
  EXPECT_EQ(signature_problem("sha256=" + std::string(64, 'a')), "mismatch");
}

TEST_F(DeliveryReceiverTest, StoresAVerifiedDeliveryQueuesItAndAnswers202) {
  const std::string body = testing::push_payload("refs/heads/main", sha_of('a'));
  auto answer = receive(signed_delivery(body));
  ASSERT_TRUE(answer.ok()) << answer.error().to_string();
  EXPECT_EQ(answer->status, 202);
  const std::string id = answer->body["delivery_id"];
  ASSERT_EQ(queued_, std::vector<std::string>{id});
  auto row = deliveries_->find(id);
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->body, body) << "the raw bytes are kept";
  EXPECT_EQ(row->project_id, project_.id);
  EXPECT_EQ(row->event, "push");
  EXPECT_TRUE(row->signature_valid);
  EXPECT_EQ(row->outcome, "pending");
  EXPECT_NE(rendered_metrics().find("opzenix_webhook_deliveries_received_total{event=\"push\"} 1"),
            std::string::npos);
  // The worker gets the row as stored (so it reads nothing back) and the
  // parsed event, but neither the body nor the headers.
  ASSERT_EQ(arrived_.size(), 1u);
  const store::DeliveryRecord& snapshot = arrived_[0]->record;
  EXPECT_EQ(snapshot.id, id);
  EXPECT_EQ(snapshot.delivery_guid, row->delivery_guid);
  EXPECT_EQ(snapshot.project_id, row->project_id);
  EXPECT_EQ(snapshot.event, "push");
  EXPECT_EQ(snapshot.received_at, row->received_at);
  EXPECT_EQ(snapshot.outcome, "pending");
  EXPECT_TRUE(snapshot.body.empty());
  EXPECT_TRUE(snapshot.headers.empty());
  EXPECT_EQ(arrived_[0]->event.push()->after, sha_of('a'));

  auto again = receive(signed_delivery(body));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, 200);
  EXPECT_EQ(again->body["duplicate"], true);
  EXPECT_EQ(again->body["delivery_id"], id);
  EXPECT_EQ(queued_.size(), 1u) << "a duplicate is not processed again";
  EXPECT_EQ(stored(), 1);
}

TEST_F(DeliveryReceiverTest, ADeliveryItsProjectsRulesIgnoreIsStoredIgnoredNotQueued) {
  store::BranchMappingStore mappings(*db_, clock_);
  MapperCache mappers(mappings, clock_);
  DeliveryReceiver ruled(
      *integrations_, *deliveries_, *box_, metrics_,
      [this](const std::string& id, std::shared_ptr<const ArrivedDelivery> arrived) {
        queued_.push_back(id);
        arrived_.push_back(std::move(arrived));
      },
      &mappers);
  auto receive_ruled = [&](IncomingDelivery d) {
    std::promise<Result<ReceiveAnswer>> answered;
    ruled.receive_async(std::move(d),
                        [&](Result<ReceiveAnswer> a) { answered.set_value(std::move(a)); });
    return answered.get_future().get();
  };

  // No rule maps "spike": stored ignored, with the worker's words, in the
  // same transaction, and answered so (GitHub shows the answer).
  const std::string spike = testing::push_payload("refs/heads/spike", sha_of('a'));
  auto answer = receive_ruled(signed_delivery(spike, "push", "guid-spike-1"));
  ASSERT_TRUE(answer.ok()) << answer.error().to_string();
  EXPECT_EQ(answer->status, 202);
  EXPECT_EQ(answer->body["outcome"], "ignored");
  const std::string reason = answer->body["reason"];
  EXPECT_NE(reason.find("no rule matches branch 'spike'"), std::string::npos) << reason;
  auto row = deliveries_->find(answer->body["delivery_id"]);
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->outcome, "ignored");
  EXPECT_EQ(row->outcome_reason, reason);
  EXPECT_FALSE(row->processed_at.empty());
  EXPECT_EQ(row->body, spike);
  EXPECT_TRUE(queued_.empty());
  EXPECT_NE(
      rendered_metrics().find("opzenix_webhook_deliveries_processed_total{outcome=\"ignored\"} 1"),
      std::string::npos);

  // A mapped branch may start an execution: the worker's.
  auto main = receive_ruled(
      signed_delivery(testing::push_payload("refs/heads/main", sha_of('b')), "push", "guid-main"));
  ASSERT_TRUE(main.ok());
  EXPECT_FALSE(main->body.contains("outcome"));
  EXPECT_EQ(queued_.size(), 1u);
  EXPECT_EQ(deliveries_->find(main->body["delivery_id"])->outcome, "pending");

  // Rules changed through this server apply to the very next delivery.
  store::BranchMappingRecord rule;
  rule.branch_pattern = "spike";
  rule.environment = "Development";
  ASSERT_TRUE(mappings.replace(project_.id, {rule}).ok());
  auto mapped = receive_ruled(signed_delivery(spike, "push", "guid-spike-2"));
  ASSERT_TRUE(mapped.ok());
  EXPECT_FALSE(mapped->body.contains("outcome"));
  EXPECT_EQ(queued_.size(), 2u);
  EXPECT_EQ(deliveries_->find(mapped->body["delivery_id"])->outcome, "pending");
}

TEST_F(DeliveryReceiverTest, ThePreferredUrlFindsTheIntegrationByProject) {
  IncomingDelivery d = signed_delivery(testing::push_payload("refs/heads/main", sha_of('a'), "x"));
  d.project_id = project_.id;  // the body names another repository: not used to locate
  auto answer = receive(d);
  ASSERT_TRUE(answer.ok()) << answer.error().to_string();
  EXPECT_EQ(answer->status, 202);
  d.project_id = "00000000-0000-4000-8000-000000000000";
  d.guid = "guid-2";
  EXPECT_EQ(receive(d).error().code, ErrorCode::kNotFound);
}

TEST_F(DeliveryReceiverTest, EverySignatureProblemIs401AndStoresNothing) {
  const std::string body = testing::push_payload("refs/heads/main", sha_of('a'));
  struct Case {
    std::string name;
    IncomingDelivery d;
    std::string reason;
  };
  std::vector<Case> cases;
  {
    auto d = signed_delivery(body);
    d.body[d.body.find("mona") + 3] = 'o';  // one byte changed, still JSON
    cases.push_back({"byte changed", d, "mismatch"});
  }
  {
    auto d = signed_delivery(body);
    d.signature = github::sign("wrong secret", body);
    cases.push_back({"wrong secret", d, "mismatch"});
  }
  {
    auto d = signed_delivery(body);
    d.signature.clear();
    cases.push_back({"missing header", d, "missing"});
  }
  {
    auto d = signed_delivery(body);
    d.signature = "sha1=" + std::string(40, 'a');
    cases.push_back({"sha1 only", d, "sha1_only"});
  }
  {
    auto d = signed_delivery(body);
    d.signature = "sha256=zz";
    cases.push_back({"malformed", d, "malformed"});
  }
  {
    auto d = signed_delivery(body);
    d.body = body.substr(0, body.size() - 10);  // truncated: not JSON, no repository
    cases.push_back({"truncated", d, "unverifiable"});
  }
  {
    auto d = signed_delivery(body);
    d.project_id = project_.id;
    d.body = body.substr(0, body.size() - 10);  // preferred URL: the signature fails first
    cases.push_back({"truncated, preferred url", d, "mismatch"});
  }
  for (const Case& c : cases) {
    auto r = receive(c.d);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated) << c.name;
    EXPECT_EQ(r.error().message.find(kSecret), std::string::npos) << c.name;
    EXPECT_NE(rendered_metrics().find("reason=\"" + c.reason + "\""), std::string::npos) << c.name;
  }
  EXPECT_EQ(stored(), 0);
  EXPECT_TRUE(queued_.empty());
}

TEST_F(DeliveryReceiverTest, SignedButBadDeliveriesAre400Or415OrUnknown) {
  auto not_json = signed_delivery("this is not json");
  not_json.project_id = project_.id;
  EXPECT_EQ(receive(not_json).error().code, ErrorCode::kMalformed);
  auto no_event = signed_delivery(testing::push_payload("refs/heads/main", sha_of('a')), "");
  EXPECT_EQ(receive(no_event).error().code, ErrorCode::kMalformed);
  auto no_guid = signed_delivery(testing::push_payload("refs/heads/main", sha_of('a')), "push", "");
  EXPECT_EQ(receive(no_guid).error().code, ErrorCode::kMalformed);
  auto text = signed_delivery(testing::push_payload("refs/heads/main", sha_of('a')));
  text.format = PayloadFormat::kUnsupported;
  text.content_type = "text/plain";
  auto unsupported = receive(text);
  EXPECT_EQ(unsupported.error().code, ErrorCode::kUnsupportedMedia);
  EXPECT_NE(unsupported.error().message.find("'text/plain'"), std::string::npos);
  auto form_without_payload = signed_delivery("other=1");
  form_without_payload.format = PayloadFormat::kForm;
  form_without_payload.project_id = project_.id;
  auto no_payload = receive(form_without_payload);
  EXPECT_EQ(no_payload.error().code, ErrorCode::kMalformed);
  EXPECT_EQ(no_payload.error().field, "payload");
  auto unknown = signed_delivery(testing::push_payload("refs/heads/main", sha_of('a'), "nobody"));
  EXPECT_EQ(receive(unknown).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(stored(), 0);
}

TEST_F(DeliveryReceiverTest, PingEchoesZenAndHookId) {
  const std::string body = Json{{"zen", "Keep it logically awesome."},
                                {"hook_id", 42},
                                {"repository", testing::repository_json()}}
                               .dump();
  auto answer = receive(signed_delivery(body, "ping", "ping-1"));
  ASSERT_TRUE(answer.ok()) << answer.error().to_string();
  EXPECT_EQ(answer->body["zen"], "Keep it logically awesome.");
  EXPECT_EQ(answer->body["hook_id"], 42);
}

TEST_F(DeliveryReceiverTest, ARotatedSecretAppliesToTheNextDelivery) {
  const std::string body = testing::push_payload("refs/heads/main", sha_of('a'));
  ASSERT_EQ(receive(signed_delivery(body, "push", "guid-old"))->status, 202);
  store::GithubIntegrationFields f;
  f.repository_owner = "octo";
  f.repository_name = "demo";
  f.webhook_secret_sealed = *box_->seal("the new secret");
  f.api_base_url = "https://api.github.com";
  ASSERT_TRUE(github_->put(project_.id, f, "admin").ok());
  auto stale = receive(signed_delivery(body, "push", "guid-stale"));
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kUnauthenticated);
  IncomingDelivery fresh = signed_delivery(body, "push", "guid-new");
  fresh.signature = github::sign("the new secret", body);
  EXPECT_EQ(receive(fresh)->status, 202);
}

TEST_F(DeliveryReceiverTest, ReceiveAsyncAnswersOnceTheDeliveryIsStored) {
  const std::string body = testing::push_payload("refs/heads/main", sha_of('b'));
  std::promise<Result<ReceiveAnswer>> answered;
  receiver_->receive_async(signed_delivery(body, "push", "guid-async"),
                           [&](Result<ReceiveAnswer> a) { answered.set_value(std::move(a)); });
  auto answer = answered.get_future().get();
  ASSERT_TRUE(answer.ok()) << answer.error().to_string();
  EXPECT_EQ(answer->status, 202);
  const std::string id = answer->body["delivery_id"];
  EXPECT_EQ(deliveries_->find(id)->body, body);  // durable when answered
  EXPECT_EQ(queued_, std::vector<std::string>{id});

  std::promise<Result<ReceiveAnswer>> again;
  receiver_->receive_async(signed_delivery(body, "push", "guid-async"),
                           [&](Result<ReceiveAnswer> a) { again.set_value(std::move(a)); });
  auto duplicate = again.get_future().get();
  EXPECT_EQ(duplicate->status, 200);
  EXPECT_EQ(duplicate->body["duplicate"], true);
  EXPECT_EQ(duplicate->body["delivery_id"], id);

  // A rejection answers at once, storing nothing.
  IncomingDelivery forged = signed_delivery(body, "push", "guid-forged");
  forged.signature = github::sign("not the secret", body);
  std::optional<Result<ReceiveAnswer>> refused;
  receiver_->receive_async(forged, [&](Result<ReceiveAnswer> a) { refused = std::move(a); });
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(stored(), 1);
}

TEST_F(DeliveryReceiverTest, ConcurrentDeliveriesOfOneGuidStoreOne) {
  const std::string body = testing::push_payload("refs/heads/main", sha_of('a'));
  std::atomic<int> accepted{0}, duplicates{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        auto r = receive(signed_delivery(body, "push", "same"));
        if (!r.ok())
          ++errors;
        else if (r->status == 202)
          ++accepted;
        else
          ++duplicates;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted.load(), 1);
  EXPECT_EQ(duplicates.load(), 199);
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(stored(), 1);
}

// GitHub's other delivery format: the JSON in a form's `payload` field, the
// signature over the form as sent. What is stored and parsed is the JSON.
TEST_F(DeliveryReceiverTest, FormEncodedDeliveriesAreVerifiedOverTheRawBody) {
  const std::string json = testing::push_payload("refs/heads/main", sha_of('f'));
  std::string form = "payload=";
  for (unsigned char c : json) {
    const bool plain = std::isalnum(c) || c == '-' || c == '_' || c == '.';
    char buf[4];
    std::snprintf(buf, sizeof buf, "%%%02X", c);
    form += plain ? std::string(1, static_cast<char>(c)) : std::string(buf);
  }
  IncomingDelivery d = signed_delivery(form, "push", "guid-form");
  d.format = PayloadFormat::kForm;
  d.content_type = "application/x-www-form-urlencoded";
  auto answer = receive(d);
  ASSERT_TRUE(answer.ok()) << answer.error().to_string();
  EXPECT_EQ(answer->status, 202);
  EXPECT_EQ(deliveries_->find(answer->body["delivery_id"])->body, json);
  ASSERT_EQ(arrived_.size(), 1u);
  ASSERT_TRUE(arrived_[0]);
  EXPECT_EQ(arrived_[0]->event.push()->after, sha_of('f'));

  IncomingDelivery tampered = signed_delivery(form, "push", "guid-form-2");
  tampered.format = PayloadFormat::kForm;
  tampered.body = "payload=%7B%7D";  // signed was the other form
  EXPECT_EQ(receive(tampered).error().code, ErrorCode::kUnauthenticated);
}

// A signed, well-formed body that is not the event it claims: kept as
// `rejected` with the field named, answered 422, never queued.
TEST_F(DeliveryReceiverTest, WrongTypesAreStoredRejectedNamingTheField) {
  Json body = Json::parse(testing::push_payload("refs/heads/main", sha_of('a')));
  body["after"] = 42;
  auto answer = receive(signed_delivery(body.dump(), "push", "guid-types"));
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, ErrorCode::kValidation);
  EXPECT_EQ(answer.error().field, "after");
  EXPECT_TRUE(queued_.empty());
  auto rejected = deliveries_->list({.outcome = "rejected"}, {}, false);
  ASSERT_TRUE(rejected.ok());
  ASSERT_EQ(rejected->items.size(), 1u);
  EXPECT_NE(rejected->items[0].outcome_reason.find("'after'"), std::string::npos);
  EXPECT_FALSE(rejected->items[0].processed_at.empty());
  EXPECT_NE(rendered_metrics().find("outcome=\"rejected\"} 1"), std::string::npos)
      << rendered_metrics();
}

// The secret proves the sender, not the repository: a signed push about
// another repository is answered 202, kept as `ignored` with the reason, and
// starts nothing.
TEST_F(DeliveryReceiverTest, AnotherRepositorysPushIsIgnored) {
  Json body = Json::parse(testing::push_payload("refs/heads/main", sha_of('a')));
  body["repository"]["full_name"] = "evil/other";
  IncomingDelivery d = signed_delivery(body.dump(), "push", "guid-other");
  d.project_id = project_.id;
  auto answer = receive(d);
  ASSERT_TRUE(answer.ok()) << answer.error().to_string();
  EXPECT_EQ(answer->status, 202);
  EXPECT_EQ(answer->body["outcome"], "ignored");
  EXPECT_TRUE(queued_.empty());
  auto stored_row = deliveries_->find(answer->body["delivery_id"]);
  EXPECT_EQ(stored_row->outcome, "ignored");
  EXPECT_NE(stored_row->outcome_reason.find("'evil/other'"), std::string::npos);

  // Same name in another case: GitHub's names are case-insensitive.
  body["repository"]["full_name"] = "OCTO/Demo";
  IncomingDelivery same = signed_delivery(body.dump(), "push", "guid-case");
  same.project_id = project_.id;
  EXPECT_EQ(receive(same)->body.value("outcome", ""), "");
  EXPECT_EQ(queued_.size(), 1u);
}

TEST_F(DeliveryReceiverTest, RepositoryIdsBeyond64BitSignedAreIds) {
  // By id once the integration knows it, whatever the name says.
  store::GithubIntegrationFields f;
  f.repository_owner = "octo";
  f.repository_name = "demo";
  f.webhook_secret_sealed = *box_->seal(kSecret);
  f.api_base_url = "https://api.github.com";
  f.repository_id = "18446744073709551615";  // 2^64 - 1
  ASSERT_TRUE(github_->put(project_.id, f, "admin").ok());
  integrations_ = std::make_unique<IntegrationCache>(*github_, clock_);
  receiver_ = std::make_unique<DeliveryReceiver>(
      *integrations_, *deliveries_, *box_, metrics_,
      [this](const std::string& id, auto) { queued_.push_back(id); });

  std::string body = testing::push_payload("refs/heads/main", sha_of('a'));
  const std::string small_id = "\"id\":1,";
  body.replace(body.find(small_id), small_id.size(), "\"id\":18446744073709551615,");
  IncomingDelivery d = signed_delivery(body, "push", "guid-big");
  d.project_id = project_.id;
  auto answer = receive(d);
  ASSERT_TRUE(answer.ok()) << answer.error().to_string();
  EXPECT_EQ(answer->body.value("outcome", ""), "");
  EXPECT_EQ(queued_.size(), 1u);

  body.replace(body.find("18446744073709551615"), 20, "9223372036854775808");  // 2^63
  IncomingDelivery other = signed_delivery(body, "push", "guid-big-2");
  other.project_id = project_.id;
  auto ignored = receive(other);
  ASSERT_TRUE(ignored.ok()) << ignored.error().to_string();
  EXPECT_EQ(ignored->body["outcome"], "ignored");
  EXPECT_NE(ignored->body["reason"].get<std::string>().find("9223372036854775808"),
            std::string::npos);
}

}  // namespace
}  // namespace opz::trigger
