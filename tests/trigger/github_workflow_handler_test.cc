#include "trigger/github_workflow_handler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>

#include "support/fake_http_server.h"
#include "trigger/trigger_test_support.h"

namespace opz::trigger {
namespace {

using opz::testing::CannedResponse;
using opz::testing::FakeHttpServer;
using opz::testing::RecordedRequest;

// Collects what the handler reports for one node.
struct Outcome {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<engine::ExternalNodeResult> result;
  std::vector<std::string> logs;

  engine::ExternalNodeReporter reporter() {
    engine::ExternalNodeReporter r;
    r.log = [this](std::string message, std::string) {
      std::lock_guard lock(mu);
      logs.push_back(std::move(message));
    };
    r.finish = [this](engine::ExternalNodeResult res) {
      std::lock_guard lock(mu);
      if (!result) result = std::move(res);
      cv.notify_all();
    };
    return r;
  }
  std::optional<engine::ExternalNodeResult> wait(std::chrono::milliseconds max) {
    std::unique_lock lock(mu);
    cv.wait_for(lock, max, [this] { return result.has_value(); });
    return result;
  }
};

Json run_json(int64_t id, const std::string& status, const std::string& conclusion,
              TimePoint created) {
  return {{"id", id},
          {"name", "Deploy"},
          {"head_sha", std::string(40, 'd')},
          {"head_branch", "main"},
          {"event", "workflow_dispatch"},
          {"status", status},
          {"conclusion", conclusion.empty() ? Json(nullptr) : Json(conclusion)},
          {"workflow_id", 77},
          {"run_number", 12},
          {"html_url", "https://github.com/octo/demo/actions/runs/" + std::to_string(id)},
          {"created_at", format_time(created)}};
}

class GithubWorkflowHandlerTest : public testing::TriggerDbTest {
 protected:
  void SetUp() override {
    TriggerDbTest::SetUp();
    github_ = std::make_unique<store::GithubStore>(*db_, clock_);
    store::GithubIntegrationFields f;
    f.repository_owner = "octo";
    f.repository_name = "demo";
    f.webhook_secret_sealed = *box_.seal("s");
    f.token_sealed = *box_.seal("ghp_workflow");
    f.workflow_file = "deploy.yml";
    f.api_base_url = server_.base_url();
    ASSERT_TRUE(github_->put(project_.id, f, "admin").ok());
    WorkflowHandlerOptions o;
    o.find_interval = std::chrono::milliseconds(50);
    o.poll_interval = std::chrono::milliseconds(100);
    o.transport.total_timeout = std::chrono::seconds(3);
    handler_ = std::make_unique<GithubWorkflowHandler>(*github_, box_, clock_, metrics_, o);
    handler_->start_worker();
  }
  void TearDown() override { handler_->stop_worker(); }

  engine::ExternalNodeRequest request(Json with = Json::object()) {
    engine::ExternalNodeRequest r;
    r.execution_id = "e-1";
    r.project_id = project_.id;
    r.node_id = "deploy";
    r.attempt = 1;
    r.type = "github_workflow";
    r.with = std::move(with);
    r.branch = "main";
    return r;
  }
  // Answers dispatches with 204 and run lists with `runs()`.
  void serve_runs(std::function<Json()> runs) {
    server_.set_handler([runs](const RecordedRequest& req) {
      if (req.method == "POST") return CannedResponse{204, {}, "", {}};
      return CannedResponse::json(200, Json{{"total_count", 1}, {"workflow_runs", runs()}}.dump());
    });
  }

  FakeHttpServer server_;
  secrets::SecretBox box_ = *secrets::SecretBox::from_key(std::string(32, 'w'));
  TriggerMetrics metrics_{nullptr};
  std::unique_ptr<store::GithubStore> github_;
  std::unique_ptr<GithubWorkflowHandler> handler_;
};

TEST_F(GithubWorkflowHandlerTest, DispatchesThenCompletesFromTheWorkflowRunWebhook) {
  const TimePoint t0 = SystemClock::instance().now();
  serve_runs([t0] {
    return Json::array({run_json(555, "in_progress", "", t0 + std::chrono::seconds(1))});
  });
  Outcome out;
  handler_->start(request({{"inputs", {{"environment", "prod"}, {"replicas", 3}}}}),
                  out.reporter());
  // Wait until the handler found its run (it lists runs after dispatching).
  for (int i = 0; i < 200 && server_.request_count() < 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  auto reqs = server_.requests();
  ASSERT_GE(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].path, "/repos/octo/demo/actions/workflows/deploy.yml/dispatches");
  EXPECT_EQ(reqs[0].header("authorization"), "Bearer ghp_workflow");
  EXPECT_EQ(reqs[0].header("x-github-api-version"), "2022-11-28");
  auto body = Json::parse(reqs[0].body);
  EXPECT_EQ(body["ref"], "main");
  EXPECT_EQ(body["inputs"]["environment"], "prod");
  EXPECT_EQ(body["inputs"]["replicas"], "3");
  EXPECT_EQ(reqs[1].method, "GET");
  EXPECT_EQ(reqs[1].path, "/repos/octo/demo/actions/workflows/deploy.yml/runs");
  EXPECT_NE(reqs[1].query.find("event=workflow_dispatch"), std::string::npos);
  EXPECT_NE(reqs[1].query.find("branch=main"), std::string::npos);

  github::WorkflowRunEvent run;
  run.action = "completed";
  run.id = 555;
  run.status = "completed";
  run.conclusion = "success";
  run.run_number = 12;
  run.html_url = "https://github.com/octo/demo/actions/runs/555";
  std::string continued;
  for (int i = 0; i < 100 && continued.empty(); ++i) {
    continued = handler_->on_workflow_run("Octo/Demo", run);
    if (continued.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(continued, "node deploy of execution e-1: success");
  auto result = out.wait(std::chrono::seconds(5));
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result->success) << result->error;
  const runner::OutputValues expected = {
      {"run_id", "555"},
      {"run_number", "12"},
      {"conclusion", "success"},
      {"html_url", "https://github.com/octo/demo/actions/runs/555"}};
  EXPECT_EQ(result->outputs, expected);
  EXPECT_EQ(handler_->on_workflow_run("octo/demo", run), "") << "nobody waits any more";
}

TEST_F(GithubWorkflowHandlerTest, PollsTheRunWhenNoWebhookComesAndFailsOnItsConclusion) {
  const TimePoint t0 = SystemClock::instance().now();
  std::atomic<int> lists{0};
  serve_runs([t0, &lists] {
    const bool done = ++lists >= 3;
    return Json::array({run_json(600, done ? "completed" : "in_progress", done ? "failure" : "",
                                 t0 + std::chrono::seconds(1)),
                        run_json(599, "completed", "success", t0 - std::chrono::minutes(5))});
  });
  Outcome out;
  handler_->start(request({{"workflow", "release.yml"}, {"ref", "v2"}}), out.reporter());
  auto result = out.wait(std::chrono::seconds(10));
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->success);
  EXPECT_NE(result->error.find("run 600 concluded 'failure'"), std::string::npos) << result->error;
  EXPECT_EQ(server_.requests()[0].path,
            "/repos/octo/demo/actions/workflows/release.yml/dispatches");
  EXPECT_EQ(Json::parse(server_.requests()[0].body)["ref"], "v2");
  for (int i = 0; i < 100 && handler_->waiting() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(handler_->waiting(), 0u) << "a finished node is forgotten";
}

TEST_F(GithubWorkflowHandlerTest, TimesOutWhenNoRunShowsUp) {
  serve_runs([] { return Json::array(); });
  Outcome out;
  handler_->start(request({{"timeout", "300ms"}}), out.reporter());
  auto result = out.wait(std::chrono::seconds(10));
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->success);
  EXPECT_NE(result->error.find("timed out after 300ms"), std::string::npos) << result->error;
}

TEST_F(GithubWorkflowHandlerTest, ConfigurationProblemsAndGithubErrorsFailTheNode) {
  server_.set_handler([](const RecordedRequest&) {
    return CannedResponse::json(404, R"({"message": "Not Found"})");
  });
  Outcome not_found;
  handler_->start(request(), not_found.reporter());
  auto r = not_found.wait(std::chrono::seconds(5));
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->success);
  EXPECT_NE(r->error.find("dispatching deploy.yml failed"), std::string::npos) << r->error;

  Outcome bad_inputs;
  handler_->start(request({{"inputs", "nope"}}), bad_inputs.reporter());
  r = bad_inputs.wait(std::chrono::seconds(5));
  ASSERT_TRUE(r.has_value());
  EXPECT_NE(r->error.find("with.inputs must be an object"), std::string::npos);

  Outcome no_project;
  auto req = request();
  req.project_id.clear();
  handler_->start(req, no_project.reporter());
  r = no_project.wait(std::chrono::seconds(5));
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->success);
}

TEST_F(GithubWorkflowHandlerTest, ACancelledNodeReportsNothing) {
  serve_runs([] { return Json::array(); });
  Outcome out;
  handler_->start(request(), out.reporter());
  handler_->cancel("e-1", "deploy", 1);
  EXPECT_FALSE(out.wait(std::chrono::milliseconds(500)).has_value());
  for (int i = 0; i < 100 && handler_->waiting() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(handler_->waiting(), 0u);
}

}  // namespace
}  // namespace opz::trigger
