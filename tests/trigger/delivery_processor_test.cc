#include "trigger/delivery_processor.h"

#include <gtest/gtest.h>

#include "github/trigger_decision.h"
#include "store/sqlite_database.h"
#include "trigger/intake_outcome.h"
#include "trigger/mapping_rules.h"
#include "trigger/trigger_test_support.h"

namespace opz::trigger {
namespace {

using testing::sha_of;

class FakeWorkflowSink final : public WorkflowRunSink {
 public:
  std::string on_workflow_run(const std::string& repository,
                              const github::WorkflowRunEvent& run) override {
    seen.push_back(repository + "#" + std::to_string(run.id) + ":" + run.conclusion);
    return waiting ? "node deploy of execution e-1: " + run.conclusion : "";
  }
  bool waiting = true;
  std::vector<std::string> seen;
};

class DeliveryProcessorTest : public testing::TriggerDbTest {
 protected:
  void SetUp() override {
    TriggerDbTest::SetUp();
    github_ = std::make_unique<store::GithubStore>(*db_, clock_);
    deliveries_ = std::make_unique<store::WebhookDeliveryStore>(*db_, clock_);
    mappings_ = std::make_unique<store::BranchMappingStore>(*db_, clock_);
    statuses_ = std::make_unique<store::CommitStatusStore>(*db_, clock_);
    audit_ = std::make_unique<audit::AuditLog>(*db_, clock_);
    store::GithubIntegrationFields f;
    f.repository_owner = "octo";
    f.repository_name = "demo";
    f.webhook_secret_sealed = "v1:x";
    f.token_sealed = "v1:token";
    f.api_base_url = "https://api.github.com";
    ASSERT_TRUE(github_->put(project_.id, f, "admin-id").ok());
    DeliveryProcessorDeps deps{*db_,    *deliveries_, *github_, *projects_, *mappings_, *statuses_,
                               *audit_, *submitter_,  metrics_, &sink_,     nullptr,    nullptr, nullptr};
    deps.resolve_tag = [this](const std::string& url,
                              const std::string& tag) -> Result<std::string> {
      resolved_.push_back(url + "@" + tag);
      if (tag == "v-missing") return Error::not_found("tag 'v-missing' does not exist");
      return sha_of('7');
    };
    deps.public_url = [] { return std::string("https://opz.example.com/"); };
    processor_ = std::make_unique<DeliveryProcessor>(std::move(deps));
  }
  std::string store_delivery(const std::string& event, const std::string& body,
                             const std::string& replay_of = {}) {
    store::DeliveryRecord d;
    d.delivery_guid = new_uuid();
    d.project_id = project_.id;
    d.event = event;
    d.signature_valid = true;
    d.body = body;
    d.replay_of = replay_of;
    auto r = deliveries_->insert(d);
    EXPECT_TRUE(r.ok());
    return r->id;
  }
  ProcessedDelivery process(const std::string& id) {
    auto r = processor_->process(id);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    return r.ok() ? *r : ProcessedDelivery{};
  }

  TriggerMetrics metrics_{nullptr};
  FakeWorkflowSink sink_;
  std::vector<std::string> resolved_;
  std::unique_ptr<store::GithubStore> github_;
  std::unique_ptr<store::WebhookDeliveryStore> deliveries_;
  std::unique_ptr<store::BranchMappingStore> mappings_;
  std::unique_ptr<store::CommitStatusStore> statuses_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<DeliveryProcessor> processor_;
};

TEST_F(DeliveryProcessorTest, PushToAMappedBranchStartsOneExecutionAndRecordsEverything) {
  const std::string sha = "1234567890abcdef1234567890abcdef12345678";
  const std::string id =
      store_delivery("push", testing::push_payload("refs/heads/release/1.4", sha));
  ProcessedDelivery r = process(id);
  EXPECT_EQ(r.outcome, "processed") << r.reason;
  ASSERT_EQ(submitter_->requests().size(), 1u);
  const engine::NewExecution e = submitter_->requests()[0];
  EXPECT_EQ(e.name, "Deploy 1234567");
  EXPECT_EQ(e.environment, "PreProd");
  EXPECT_EQ(e.branch, "release/1.4");
  EXPECT_EQ(e.commit_sha, sha);
  EXPECT_EQ(e.started_by, "github:mona");
  EXPECT_EQ(e.trigger_type, "push");
  EXPECT_EQ(e.workspace.git_url, "/srv/git/demo.git");
  EXPECT_EQ(e.metadata["delivery_id"], id);
  EXPECT_EQ(e.metadata["image_tag"], "preprod-1234567") << "the seeded global rule's template";
  EXPECT_EQ(e.metadata["replicas"], 2);

  auto row = deliveries_->find(id, false);
  EXPECT_EQ(row->outcome, "processed");
  EXPECT_EQ(row->execution_id, r.execution_id);
  EXPECT_EQ(row->trigger_key, "delivery:" + id);
  EXPECT_NE(row->outcome_reason.find("release/*"), std::string::npos);
  auto statuses = statuses_->for_execution(r.execution_id);
  ASSERT_EQ(statuses->size(), 1u);
  EXPECT_EQ((*statuses)[0].state, "pending");
  EXPECT_EQ((*statuses)[0].context, "opzenix/PreProd");
  EXPECT_EQ((*statuses)[0].target_url, "https://opz.example.com/executions/" + r.execution_id);
  audit::AuditFilter filter;
  filter.resource_id = r.execution_id;
  auto audit = audit_->list(filter, {});
  ASSERT_EQ(audit->items.size(), 1u);
  EXPECT_EQ(audit->items[0].entry.action, "webhook.triggered");

  // Processing again (a second worker, a restart) changes nothing.
  ProcessedDelivery again = process(id);
  EXPECT_EQ(again.execution_id, r.execution_id);
  EXPECT_EQ(submitter_->requests().size(), 1u);
}

TEST_F(DeliveryProcessorTest, AnExecutionCreatedBeforeACrashIsFoundNotCreatedTwice) {
  const std::string id =
      store_delivery("push", testing::push_payload("refs/heads/main", sha_of('a')));
  // Simulate "engine created the execution, then the process died": create it
  // through the submitter with this delivery's id, outcome still pending.
  engine::NewExecution first;
  first.name = "Deploy aaaaaaa";
  first.project_id = project_.id;
  first.trigger_type = "push";
  first.metadata = {{"delivery_id", id}};
  auto created = submitter_->submit({{}, first});
  ASSERT_TRUE(created.ok());
  ProcessedDelivery r = process(id);
  EXPECT_EQ(r.outcome, "processed");
  EXPECT_EQ(r.execution_id, created->id);
  EXPECT_EQ(submitter_->requests().size(), 1u);
}

TEST_F(DeliveryProcessorTest, IgnoredDeliveriesSayWhy) {
  struct Case {
    std::string event, body, reason_part;
  };
  const std::vector<Case> cases = {
      {"push", testing::push_payload("refs/heads/spike", sha_of('a')),
       "no rule matches branch 'spike'"},
      {"push", testing::push_payload("refs/heads/main", sha_of('0')), "deletes"},
      {"pull_request", testing::pull_request_payload("closed", 3, "f", sha_of('a')), "closed"},
      {"release", testing::release_payload("created", "v1"), "only published"},
      {"issues", R"({"action":"opened","repository":{"full_name":"octo/demo"}})", "issues"},
  };
  for (const Case& c : cases) {
    ProcessedDelivery r = process(store_delivery(c.event, c.body));
    EXPECT_EQ(r.outcome, "ignored") << c.event;
    EXPECT_NE(r.reason.find(c.reason_part), std::string::npos) << c.event << ": " << r.reason;
  }
  EXPECT_TRUE(submitter_->requests().empty());
}

// The receiver stores some deliveries `ignored` at intake instead of queuing
// them (trigger/intake_outcome.h). For each case: whether intake settles it,
// and that what it says is exactly what this worker records.
TEST_F(DeliveryProcessorTest, WhatIntakeSettlesIsWhatTheWorkerRecords) {
  struct Case {
    std::string name, event, body;
    bool settled;  // at intake
    std::vector<std::string> path_filters = {};
  };
  const std::string pr_opened = testing::pull_request_payload("opened", 4, "spike", sha_of('b'));
  const std::vector<Case> cases = {
      {"unmapped branch", "push", testing::push_payload("refs/heads/spike", sha_of('a')), true},
      {"unmapped tag", "push", testing::push_payload("refs/tags/nightly", sha_of('a')), true},
      {"deleted branch", "push", testing::push_payload("refs/heads/main", sha_of('0')), true},
      {"closed pull request", "pull_request",
       testing::pull_request_payload("closed", 3, "f", sha_of('a')), true},
      {"release created", "release", testing::release_payload("created", "v1"), true},
      {"unhandled event", "issues", R"({"action":"opened","repository":{"full_name":"octo/demo"}})",
       true},
      {"branch created", "create",
       R"({"ref":"x","ref_type":"branch","repository":{"full_name":"octo/demo"}})", true},
      {"mapped branch", "push", testing::push_payload("refs/heads/main", sha_of('c')), false},
      {"pull request on an unmapped branch (CI)", "pull_request", pr_opened, false},
      {"tag created (commit unknown)", "create", testing::create_tag_payload("nightly"), false},
      {"ping", "ping", R"({"zen":"Keep it logically awesome.","hook_id":7})", false},
      {"workflow run", "workflow_run",
       testing::workflow_run_payload("completed", 9, "main", "success"), false},
      {"unmapped branch, path filters",
       "push",
       testing::push_payload("refs/heads/spike", sha_of('d')),
       false,
       {"services/api/**"}},
      {"unmapped tag, path filters (tags are not filtered)",
       "push",
       testing::push_payload("refs/tags/nightly2", sha_of('e')),
       true,
       {"services/api/**"}},
  };
  auto mapper = load_mapper(*mappings_, project_.id);
  ASSERT_TRUE(mapper.ok());
  sink_.waiting = false;
  for (const Case& c : cases) {
    auto event = github::parse_webhook_event(c.event, c.body);
    ASSERT_TRUE(event.ok()) << c.name << ": " << event.error().to_string();
    const std::optional<std::string> intake =
        ignored_at_intake(*event, github::should_trigger(*event), c.path_filters, mapper->mapper);
    EXPECT_EQ(intake.has_value(), c.settled) << c.name << ": " << intake.value_or("(worker)");

    store::GithubIntegrationFields with_filters;
    with_filters.repository_owner = "octo";
    with_filters.repository_name = "demo";
    with_filters.path_filters = c.path_filters;
    ASSERT_TRUE(github_->put(project_.id, with_filters, "admin-id").ok());
    const ProcessedDelivery worker = process(store_delivery(c.event, c.body));
    if (intake) {
      EXPECT_EQ(worker.outcome, "ignored") << c.name;
      EXPECT_EQ(worker.reason, *intake) << c.name;
    } else {
      EXPECT_NE(worker.reason, "") << c.name;
    }
  }
  EXPECT_EQ(submitter_->requests().size(), 2u) << "main, and the pull request's CI";
}

TEST_F(DeliveryProcessorTest, PullRequestsRunCiOnly) {
  ProcessedDelivery r = process(store_delivery(
      "pull_request", testing::pull_request_payload("synchronize", 9, "feature/x", sha_of('b'))));
  EXPECT_EQ(r.outcome, "processed") << r.reason;
  ASSERT_EQ(submitter_->requests().size(), 1u);
  const engine::NewExecution e = submitter_->requests()[0];
  EXPECT_EQ(e.trigger_type, "pull_request");
  EXPECT_EQ(e.environment, "Development");
  EXPECT_EQ(e.metadata["ci_only"], true);
  EXPECT_EQ(e.metadata["pull_request"]["number"], 9);
  EXPECT_EQ(e.commit_sha, sha_of('b'));
}

TEST_F(DeliveryProcessorTest, ATagBuildsOnceAcrossPushCreateAndRelease) {
  ProcessedDelivery push =
      process(store_delivery("push", testing::push_payload("refs/tags/v1.0", sha_of('7'))));
  EXPECT_EQ(push.outcome, "processed") << push.reason;
  ProcessedDelivery create = process(store_delivery("create", testing::create_tag_payload("v1.0")));
  EXPECT_EQ(create.outcome, "ignored");
  EXPECT_NE(create.reason.find("tag already built"), std::string::npos) << create.reason;
  ProcessedDelivery release =
      process(store_delivery("release", testing::release_payload("published", "v1.0")));
  EXPECT_EQ(release.outcome, "ignored");
  EXPECT_EQ(submitter_->requests().size(), 1u);
  EXPECT_EQ(submitter_->requests()[0].trigger_type, "tag");
  EXPECT_EQ(submitter_->requests()[0].environment, "Production");
  EXPECT_EQ(submitter_->requests()[0].metadata["image_tag"], "v1.0");

  // A release for a new tag resolves its commit from the repository.
  ProcessedDelivery fresh =
      process(store_delivery("release", testing::release_payload("published", "v2.0")));
  EXPECT_EQ(fresh.outcome, "processed") << fresh.reason;
  EXPECT_EQ(resolved_.back(), "/srv/git/demo.git@v2.0");
  EXPECT_EQ(submitter_->requests().back().commit_sha, sha_of('7'));
  EXPECT_EQ(submitter_->requests().back().trigger_type, "release");

  ProcessedDelivery missing =
      process(store_delivery("create", testing::create_tag_payload("v-missing")));
  EXPECT_EQ(missing.outcome, "failed");
  EXPECT_NE(missing.reason.find("v-missing"), std::string::npos);
}

TEST_F(DeliveryProcessorTest, ReplaysAlwaysStartANewMarkedExecution) {
  const std::string original =
      store_delivery("push", testing::push_payload("refs/tags/v5", sha_of('5')));
  ASSERT_EQ(process(original).outcome, "processed");
  ProcessedDelivery replay =
      process(store_delivery("push", testing::push_payload("refs/tags/v5", sha_of('5')), original));
  EXPECT_EQ(replay.outcome, "processed") << replay.reason;
  ASSERT_EQ(submitter_->requests().size(), 2u);
  EXPECT_EQ(submitter_->requests()[1].trigger_type, "replay");
  EXPECT_EQ(submitter_->requests()[1].metadata["replay_of"], original);
}

TEST_F(DeliveryProcessorTest, PingsWorkflowRunsAndBrokenPayloads) {
  ProcessedDelivery ping =
      process(store_delivery("ping", R"({"zen":"Design for failure.","hook_id":5})"));
  EXPECT_EQ(ping.outcome, "processed");
  EXPECT_NE(ping.reason.find("Design for failure."), std::string::npos);

  ProcessedDelivery done = process(store_delivery(
      "workflow_run", testing::workflow_run_payload("completed", 99, "main", "success")));
  EXPECT_EQ(done.outcome, "processed") << done.reason;
  EXPECT_NE(done.reason.find("node deploy"), std::string::npos);
  ASSERT_EQ(sink_.seen.size(), 1u);
  EXPECT_EQ(sink_.seen[0], "octo/demo#99:success");
  sink_.waiting = false;
  EXPECT_EQ(process(store_delivery("workflow_run", testing::workflow_run_payload(
                                                       "completed", 100, "main", "failure")))
                .outcome,
            "ignored");
  EXPECT_EQ(process(store_delivery("workflow_run",
                                   testing::workflow_run_payload("requested", 101, "main", "")))
                .outcome,
            "ignored");
  EXPECT_EQ(sink_.seen.size(), 2u) << "only completed runs are handed on";

  // A signed payload that is not the event it claims is the sender's fault:
  // rejected, naming the field, apart from server-side failures.
  ProcessedDelivery broken = process(store_delivery("push", R"({"ref": 5})"));
  EXPECT_EQ(broken.outcome, "rejected");
  EXPECT_NE(broken.reason.find("'repository'"), std::string::npos) << broken.reason;
  EXPECT_TRUE(submitter_->requests().empty());
}

TEST_F(DeliveryProcessorTest, AnUnavailableEngineLeavesTheDeliveryPending) {
  const std::string id =
      store_delivery("push", testing::push_payload("refs/heads/main", sha_of('c')));
  submitter_->fail_with(Error::unavailable("the engine is not running"));
  EXPECT_EQ(process(id).outcome, "pending");
  EXPECT_EQ(deliveries_->find(id, false)->outcome, "pending");
  submitter_->fail_with(std::nullopt);
  EXPECT_EQ(process(id).outcome, "processed");
  submitter_->fail_with(Error::validation("bad pipeline"));
  EXPECT_EQ(process(store_delivery("push", testing::push_payload("refs/heads/main", sha_of('d'))))
                .outcome,
            "failed");
}

TEST_F(DeliveryProcessorTest, ABatchDecidesEachDeliveryAndRecordsTheRestInOneTransaction) {
  const std::string started =
      store_delivery("push", testing::push_payload("refs/heads/main", sha_of('1')));
  const std::string unmapped =
      store_delivery("push", testing::push_payload("refs/heads/spike", sha_of('2')));
  const std::string ping = store_delivery("ping", R"({"zen":"Keep it logically awesome.",
                                                      "hook_id":7})");
  const std::string broken = store_delivery("push", R"({"ref": 5})");
  const std::string done =
      store_delivery("push", testing::push_payload("refs/heads/x", sha_of('3')));
  ASSERT_TRUE(deliveries_->record_outcome(done, {"ignored", "decided before", "", ""}).ok());
  const std::string unmapped2 =
      store_delivery("push", testing::push_payload("refs/heads/spike", sha_of('4')));

  auto* sqlite = dynamic_cast<store::SqliteDatabase*>(db_.get());
  ASSERT_NE(sqlite, nullptr);
  const uint64_t transactions = sqlite->stats().write_transactions;
  auto answers = processor_->process_batch(
      {started, unmapped, ping, "no-such-delivery", broken, done, unmapped2});
  ASSERT_EQ(answers.size(), 7u);
  ASSERT_TRUE(answers[0].ok()) << answers[0].error().to_string();
  EXPECT_EQ(answers[0]->outcome, "processed");
  EXPECT_FALSE(answers[0]->execution_id.empty());
  EXPECT_EQ(answers[1]->outcome, "ignored");
  EXPECT_NE(answers[1]->reason.find("spike"), std::string::npos) << answers[1]->reason;
  EXPECT_EQ(answers[2]->outcome, "processed");
  EXPECT_NE(answers[2]->reason.find("logically awesome"), std::string::npos);
  ASSERT_FALSE(answers[3].ok());
  EXPECT_TRUE(answers[3].error().is_not_found());
  EXPECT_EQ(answers[4]->outcome, "rejected");
  EXPECT_EQ(answers[5]->outcome, "ignored");
  EXPECT_EQ(answers[5]->reason, "decided before");
  EXPECT_EQ(answers[6]->outcome, "ignored");
  // The execution (the submitter's), its delivery's outcome with the audit
  // entry, and ONE transaction for the other four outcomes.
  EXPECT_EQ(sqlite->stats().write_transactions - transactions, 3u);
  EXPECT_EQ(submitter_->requests().size(), 1u);

  // What the answers said is what is stored.
  EXPECT_EQ(deliveries_->find(started, false)->execution_id, answers[0]->execution_id);
  for (const auto& [id, outcome] :
       std::vector<std::pair<std::string, std::string>>{{unmapped, "ignored"},
                                                        {ping, "processed"},
                                                        {broken, "rejected"},
                                                        {unmapped2, "ignored"}}) {
    auto stored = deliveries_->find(id, false);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(stored->outcome, outcome) << id;
    EXPECT_FALSE(stored->processed_at.empty());
  }
  // A second pass changes nothing and answers the recorded outcomes.
  auto again = processor_->process_batch({unmapped, started});
  EXPECT_EQ(again[0]->outcome, "ignored");
  EXPECT_EQ(again[1]->execution_id, answers[0]->execution_id);
  EXPECT_EQ(submitter_->requests().size(), 1u);
}

TEST_F(DeliveryProcessorTest, ABatchOutcomeRecordedMeanwhileIsAConflictForThatDeliveryOnly) {
  const std::string a =
      store_delivery("push", testing::push_payload("refs/heads/spike", sha_of('a')));
  const std::string b =
      store_delivery("push", testing::push_payload("refs/heads/spike", sha_of('b')));
  // Recorded by someone else between the batch's read and its write.
  auto outcomes = deliveries_->record_outcomes({{a, {"failed", "elsewhere", "", ""}},
                                                {b, {"ignored", "here", "", ""}},
                                                {a, {"ignored", "second try", "", ""}},
                                                {"missing", {"ignored", "x", "", ""}}});
  ASSERT_TRUE(outcomes.ok()) << outcomes.error().to_string();
  ASSERT_EQ(outcomes->size(), 4u);
  EXPECT_TRUE((*outcomes)[0].ok());
  EXPECT_TRUE((*outcomes)[1].ok());
  ASSERT_FALSE((*outcomes)[2].ok());
  EXPECT_TRUE((*outcomes)[2].error().is_conflict());
  EXPECT_NE((*outcomes)[2].error().message.find("already failed"), std::string::npos);
  EXPECT_TRUE((*outcomes)[3].error().is_not_found());
  EXPECT_EQ(deliveries_->find(a, false)->outcome_reason, "elsewhere");
  EXPECT_EQ(deliveries_->find(b, false)->outcome_reason, "here");
}

// Deliveries the receiver has just stored arrive with their row and parsed
// event: nothing is read back or parsed again, and one queued twice is acted
// on once (its second pass answers what was recorded, without an error).
TEST_F(DeliveryProcessorTest, ArrivedDeliveriesAreDecidedFromTheirSnapshot) {
  auto arrived = [&](const std::string& body) {
    // Stored with a body that is not a push at all: were it read and parsed
    // again, the delivery would be rejected.
    const std::string id = store_delivery("push", R"({"ref": 5})");
    auto a = std::make_shared<ArrivedDelivery>();
    a->record = *deliveries_->find(id, false);
    a->event = *github::parse_webhook_event("push", body);
    return QueuedDelivery{id, std::move(a)};
  };
  auto* sqlite = dynamic_cast<store::SqliteDatabase*>(db_.get());
  ASSERT_NE(sqlite, nullptr);
  const QueuedDelivery unmapped = arrived(testing::push_payload("refs/heads/spike", sha_of('1')));
  const QueuedDelivery started = arrived(testing::push_payload("refs/heads/main", sha_of('2')));
  const std::string by_id = store_delivery("push", testing::push_payload("refs/heads/spike",
                                                                         sha_of('3')));
  const std::string by_id2 = store_delivery("push", testing::push_payload("refs/heads/spike",
                                                                          sha_of('4')));

  // The same batch of ids reads its rows once more than one of snapshots.
  uint64_t reads = sqlite->stats().reads;
  auto from_rows = processor_->process_batch({by_id, by_id2});
  const uint64_t reads_by_id = sqlite->stats().reads - reads;
  const QueuedDelivery unmapped2 = arrived(testing::push_payload("refs/heads/spike", sha_of('5')));
  reads = sqlite->stats().reads;
  auto answers = processor_->process_queued({unmapped, unmapped2});
  EXPECT_EQ(reads_by_id - (sqlite->stats().reads - reads), 1u) << reads_by_id;
  ASSERT_TRUE(answers[0].ok()) << answers[0].error().to_string();
  EXPECT_EQ(answers[0]->outcome, "ignored");
  EXPECT_NE(answers[0]->reason.find("spike"), std::string::npos) << answers[0]->reason;
  EXPECT_EQ(deliveries_->find(unmapped.id, false)->outcome, "ignored");
  ASSERT_TRUE(from_rows[0].ok());
  EXPECT_EQ(from_rows[0]->outcome, "ignored");

  auto first = processor_->process_queued({started});
  ASSERT_TRUE(first[0].ok()) << first[0].error().to_string();
  EXPECT_EQ(first[0]->outcome, "processed");
  // Queued twice (the worker's queue overflowed and read it back too).
  auto again = processor_->process_queued({unmapped, started});
  ASSERT_TRUE(again[0].ok()) << again[0].error().to_string();
  EXPECT_EQ(again[0]->outcome, "ignored");
  EXPECT_EQ(again[0]->reason, answers[0]->reason);
  ASSERT_TRUE(again[1].ok()) << again[1].error().to_string();
  EXPECT_EQ(again[1]->outcome, "processed");
  EXPECT_EQ(again[1]->execution_id, first[0]->execution_id);
  EXPECT_EQ(submitter_->requests().size(), 1u) << "one execution for a delivery queued twice";
}

}  // namespace
}  // namespace opz::trigger
