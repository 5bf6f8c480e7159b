// Issue 9's proof on a real service: examples/webapp deployed by the real
// `opzenix serve` from a real git repository, behind a real nginx started by
// the example's own scripts, while a client sends requests through nginx
// the whole time (OPZ_WEBAPP_RPS, default 100 per second).
//
//   v1  first deployment (blue)                       -> nginx answers v1
//   v2  blue-green to green, blue cleaned up          -> v2
//   v3  unhealthy: health check fails, auto rollback  -> v2 throughout
//   v4  canary, flaky: analysis fails, aborted        -> weight 0, v2
//   manual rollback to v1's deployment                -> v1; history labels it
//   v5  pushed (signed webhook): waits on the hold; released -> v5
//
// Asserted: no failed request through nginx in any phase (the count per
// phase is printed), the history newest first with the rollbacks labelled,
// and the pre-deploy migration's retry waits in the ratio ~1:2. Printed: the
// time from the bad canary's first failing analysis sample to its abort and
// the rollback's wall time; OPZ_WEBAPP_REPORT=<file> writes them as JSON
// (bench/deploy_bench.sh).
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>

#include "core/time_format.h"
#include "webapp_fixture.h"
#include "webhook_test_support.h"

namespace opz::testing {
namespace {

using nlohmann::json;
using webapp::PhaseReport;
using webhooks::wait_for;

constexpr const char* kSecret = "webapp-webhook-secret";
constexpr auto kRunLimit = std::chrono::seconds(90);

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

int64_t unix_ms(const json& text) {
  if (!text.is_string()) return 0;
  auto t = parse_time(text.get<std::string>());
  return t.ok() ? to_unix_millis(*t) : 0;
}

int64_t wall_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The answer's JSON object (an empty one when the answer is not one).
json object_of(const HttpResult& r) {
  json j = r.json();
  return j.is_object() ? j : json::object();
}

bool terminal(const std::string& status) {
  return status == "success" || status == "warning" || status == "failed" || status == "cancelled";
}

class DeployWebappTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (run_command(
            {"sh", "-c", "command -v python3 && (command -v nginx || test -x /usr/sbin/nginx)"})
            .exit_code != 0)
      GTEST_SKIP() << "needs python3 and nginx (scripts/install-deps.sh installs them)";
    port_base_ = webapp::free_port_base();
    ASSERT_NE(port_base_, 0) << "no three free consecutive ports";
    home_ = home_dir_.str() + "/webapp";
    repo_ = std::make_unique<webapp::WebappRepo>(
        std::map<std::string, std::string>{{"WEBAPP_HOME", home_},
                                           {"WEBAPP_PORT_BASE", std::to_string(port_base_)},
                                           {"WEBAPP_MIGRATE_FAILURES", "2"}});
    router_ = std::make_unique<webapp::Router>(home_, port_base_);

    admin_ = server_.create_user_and_login("admin@example.com", "admin");
    auto p = api().post("/api/v1/projects", json{{"name", "webapp"}, {"git_url", repo_->url()}});
    ASSERT_EQ(p.status, 201) << p.body;
    project_ = p.json()["id"];
    auto g =
        api().put("/api/v1/projects/" + project_ + "/github", json{{"repository_owner", "octo"},
                                                                   {"repository_name", "webapp"},
                                                                   {"webhook_secret", kSecret}});
    ASSERT_EQ(g.status, 200) << g.body;
    auto mapping = api().put("/api/v1/projects/" + project_ + "/branch-mappings",
                             json::array({{{"pattern", "main"},
                                           {"ref_type", "branch"},
                                           {"environment", "Production"},
                                           {"deployable", true},
                                           {"image_tag_template", "prod-{sha7}"},
                                           {"replicas", 1}}}));
    ASSERT_EQ(mapping.status, 200) << mapping.body;
    // Production without approvals or a lock: this test is about deploying.
    auto unlocked = api().del(env_path() + "/lock");
    ASSERT_EQ(unlocked.status / 100, 2) << unlocked.body;
    auto open = api().patch(
        env_path(),
        json{{"requires_approval", false}, {"wait_timer_seconds", 0}, {"auto_deploy", true}});
    ASSERT_EQ(open.status, 200) << open.body;

    auto started = router_->start();
    ASSERT_EQ(started.exit_code, 0) << started.out << started.err;
  }

  // On failure: the server's log without the access lines, and nginx's.
  void TearDown() override {
    if (!HasFailure()) return;
    std::istringstream in(server_.log());
    std::string log;
    for (std::string line; std::getline(in, line);)
      if (line.find("[http]") == std::string::npos) log += line + "\n";
    std::cout << "---- server log (last 30 KB, without requests) ----\n"
              << log.substr(log.size() > 30000 ? log.size() - 30000 : 0)
              << "---- nginx error log ----\n"
              << router_->error_log() << "----\n";
  }

  HttpClient api() const {
    HttpClient c(server_.base_url());
    c.set_token(admin_);
    return c;
  }
  std::string env_path() const {
    return "/api/v1/projects/" + project_ + "/environments/Production";
  }

  // Starts the repository's pipeline on `sha` (a person's start through the
  // API) and answers the execution once it ended.
  json deploy_commit(const std::string& sha) {
    auto r = api().post("/api/v1/executions", json{{"project_id", project_},
                                                   {"environment", "Production"},
                                                   {"branch", "main"},
                                                   {"commit_sha", sha}});
    EXPECT_EQ(r.status, 201) << r.body;
    return finished(object_of(r).value("id", ""));
  }
  // Deploys `sha`, whose deployment fails after the deploy command and is
  // rolled back automatically; answers its history item.
  json deploy_rolled_back(const std::string& sha) {
    json e = deploy_commit(sha);
    EXPECT_EQ(e["status"], "failed") << e.dump(2);
    json d = history_item(sha);
    EXPECT_EQ(d.is_object() ? d.value("status", "") : "", "rolled_back") << d.dump(2);
    return d;
  }
  json finished(const std::string& execution_id) {
    json e;
    wait_for(
        [&] {
          e = object_of(api().get("/api/v1/executions/" + execution_id));
          return terminal(e.value("status", ""));
        },
        kRunLimit);
    return e;
  }
  json history() {
    auto r = api().get(env_path() + "/history");
    EXPECT_EQ(r.status, 200) << r.body;
    return object_of(r).value("items", json::array());
  }
  // The newest history item of `sha` (its deployment row), or null.
  json history_item(const std::string& sha) {
    for (const json& item : history())
      if (item.value("commit_sha", "") == sha) return item;
    return nullptr;
  }
  json deployment(const std::string& id) {
    return object_of(api().get("/api/v1/deployments/" + id));
  }
  // The version nginx serves now ("" when it does not answer 200).
  std::string served() {
    HttpClient c(router_->url());
    auto r = c.get("");
    if (r.status != 200) return "";
    std::string v = r.body.substr(r.body.find(' ') + 1);
    while (!v.empty() && v.back() == '\n') v.pop_back();
    return v;
  }
  // From the aborted canary's first failing analysis sample to its end
  // (weight 0), as GET /api/v1/deployments/{id} records them.
  void report_time_to_detect(const std::string& deployment_id, json& report) {
    const json d = deployment(deployment_id);
    int64_t first_failure = 0;
    int samples = 0;
    for (const json& probe : d.value("probes", json::array())) {
      if (probe.value("kind", "") != "analysis") continue;
      ++samples;
      const int64_t at = unix_ms(probe["created_at"]);
      if (!probe.value("ok", true) && (first_failure == 0 || at < first_failure))
        first_failure = at;
      std::cout << "[ webapp ] canary analysis sample: " << probe.dump() << "\n";
    }
    EXPECT_GE(samples, 3) << "min_samples is 3: " << d.dump(2);
    EXPECT_NE(first_failure, 0) << "no failing analysis sample recorded: " << d.dump(2);
    const int64_t detect = unix_ms(d["completed_at"]) - first_failure;
    std::cout << "[ webapp ] canary: " << samples << " analysis samples; first failing sample to "
              << "abort: " << detect << " ms\n";
    report["canary_analysis_samples"] = samples;
    report["canary_time_to_detect_ms"] = detect;
  }
  // A commit of the repository with VERSION and behaviour set.
  std::string commit_version(const std::string& version, const std::string& behaviour) {
    repo_->write("VERSION", version + "\n");
    repo_->write("behaviour", behaviour + "\n");
    return repo_->commit("webapp " + version + " (" + behaviour + ")");
  }
  std::string node_logs(const json& execution, const std::string& node) {
    auto r =
        api().get("/api/v1/executions/" + execution.value("id", "") + "/nodes/" + node + "/logs");
    std::string out;
    for (const json& line : object_of(r).value("items", json::array()))
      out += line.value("message", line.value("line", "")) + "\n";
    return out;
  }

  // Declared first: destroyed last, after the router stopped its processes.
  TempDir home_dir_;
  std::string home_;
  int port_base_ = 0;
  std::unique_ptr<webapp::WebappRepo> repo_;
  std::unique_ptr<webapp::Router> router_;
  ServerProcess server_;
  std::string admin_;
  std::string project_;
};

void print_phases(const std::vector<PhaseReport>& phases) {
  std::cout << "[ webapp ] requests through nginx, per phase:\n";
  for (const PhaseReport& p : phases) {
    std::cout << "[ webapp ]   " << p.name << ": " << p.requests << " requests, " << p.failed
              << " failed; answers:";
    for (const auto& [v, n] : p.versions) std::cout << " " << v << "=" << n;
    std::cout << "\n";
    for (const std::string& f : p.failures) std::cout << "[ webapp ]     failed: " << f << "\n";
  }
}

// Not one request through nginx failed, in any phase; while v3 failed its
// health check only v2 answered; the canary answered its share (20%, less
// its failures, which nginx retried on v2: counted in its access log).
void expect_no_failed_requests(const std::vector<PhaseReport>& phases, const webapp::Router& router,
                               json& report) {
  print_phases(phases);
  int64_t total = 0, failed = 0;
  report["phases"] = json::array();
  for (const PhaseReport& p : phases) {
    total += p.requests;
    failed += p.failed;
    report["phases"].push_back({{"name", p.name},
                                {"requests", p.requests},
                                {"failed", p.failed},
                                {"versions", p.versions}});
    EXPECT_EQ(p.failed, 0) << p.name;
    if (p.name.starts_with("v3")) {
      EXPECT_EQ(p.versions, (std::map<std::string, int64_t>{{"v2", p.requests - p.failed}}));
    }
    if (p.name.starts_with("v4")) {
      EXPECT_GT(p.versions.count("v4"), 0u) << "no canary answers";
    }
  }
  EXPECT_GT(total, 0);
  report["requests"] = total;
  report["failed"] = failed;
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // nginx flushes its log each 1 s
  const int64_t retried = router.retried_requests();
  std::cout << "[ webapp ] nginx retried " << retried
            << " requests on the stable version after the canary failed them\n";
  report["nginx_retried"] = retried;
  EXPECT_GT(retried, 0);
}

// The waits between the migration hook's attempts of one deployment (ms):
// from one attempt's end to the next one's start, as the script wrote them
// ("start <unix time>" / "end <unix time> <outcome>" lines).
std::vector<double> retry_waits_ms(const std::string& attempts_file) {
  std::istringstream in(webapp::read_text(attempts_file));
  std::vector<double> starts, ends;
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string what;
    double t = 0;
    if (!(fields >> what >> t)) continue;
    (what == "start" ? starts : ends).push_back(t * 1000.0);
  }
  std::vector<double> waits;
  for (size_t i = 1; i < starts.size() && i - 1 < ends.size(); ++i)
    waits.push_back(starts[i] - ends[i - 1]);
  return waits;
}

TEST_F(DeployWebappTest, BlueGreenCanaryRollbackAndHoldWithoutFailedRequests) {
  const int rps = env_int("OPZ_WEBAPP_RPS", 100);
  json report = {{"rps", rps}};

  const std::string blue_green = repo_->read("opzenix.yml");

  // v1: the first deployment goes to the blue slot.
  const std::string v1 = repo_->commit("webapp v1");
  json e1 = deploy_commit(v1);
  ASSERT_EQ(e1["status"], "success") << e1.dump(2) << node_logs(e1, "deploy");
  EXPECT_EQ(served(), "v1");
  json d1 = history_item(v1);
  ASSERT_TRUE(d1.is_object()) << history().dump(2);
  EXPECT_EQ(d1["status"], "success");
  EXPECT_EQ(d1["is_current"], true);
  const std::string d1_id = d1["deployment_id"];

  // The migration failed twice, then passed: waits of 200 ms, then 400 ms.
  const std::vector<double> waits = retry_waits_ms(home_ + "/migrations/" + d1_id + ".attempts");
  ASSERT_EQ(waits.size(), 2u) << "expected 3 migration attempts";
  const double ratio = waits[1] / waits[0];
  std::cout << "[ webapp ] migration retry waits: " << waits[0] << " ms, " << waits[1]
            << " ms (ratio " << ratio << ")\n";
  EXPECT_GE(waits[0], 200);
  EXPECT_GE(ratio, 1.5);
  EXPECT_LE(ratio, 3.0);
  report["migration_waits_ms"] = waits;

  webapp::TrafficClient client(router_->url(), rps);
  // v2: blue-green to green; blue is stopped after cleanup_delay.
  client.start("blue-green v1 -> v2");
  const std::string v2 = commit_version("v2", "healthy");
  json e2 = deploy_commit(v2);
  ASSERT_EQ(e2["status"], "success") << e2.dump(2) << node_logs(e2, "deploy");
  EXPECT_EQ(served(), "v2");
  EXPECT_NE(router_->upstream().find(":" + std::to_string(router_->slot_port("green"))),
            std::string::npos)
      << router_->upstream();
  EXPECT_TRUE(wait_for([&] { return !webapp::listening(router_->slot_port("blue")); },
                       std::chrono::seconds(15)))
      << "the previous slot (blue, v1) was not cleaned up";
  const json d2 = history_item(v2);
  ASSERT_TRUE(d2.is_object());
  EXPECT_EQ(d2["status"], "success");

  // v3: unhealthy in the idle slot; its health check fails before any
  // switch, the automatic rollback keeps v2.
  client.mark("v3 unhealthy, auto rollback");
  const std::string v3 = commit_version("v3", "unhealthy");
  deploy_rolled_back(v3);
  EXPECT_EQ(served(), "v2");

  // v4: a canary that fails 30% of its requests; nginx retries those on v2,
  // the analysis (3 samples, max 5%) aborts it: weight 0.
  client.mark("v4 canary, aborted");
  repo_->write("opzenix.yml",
               webapp::with_deploy_node(repo_->read("opzenix.yml"), webapp::readme_canary_node()));
  const std::string v4 = commit_version("v4", "flaky");
  const json d4 = deploy_rolled_back(v4);
  ASSERT_TRUE(d4.is_object());
  EXPECT_EQ(router_->upstream().find(":" + std::to_string(router_->slot_port("blue"))),
            std::string::npos)
      << "weight 0 leaves the canary's slot out: " << router_->upstream();
  EXPECT_EQ(served(), "v2");
  report_time_to_detect(d4["deployment_id"], report);
  EXPECT_EQ(history().at(0)["commit_sha"], v4);
  {
    bool v2_current = false;
    for (const json& item : history())
      if (item["commit_sha"] == v2 && item.value("is_current", false)) v2_current = true;
    EXPECT_TRUE(v2_current) << history().dump(2);
  }

  // A person's rollback to v1's deployment.
  client.mark("rollback to v1");
  const int64_t requested = wall_now_ms();
  auto rb =
      api().post("/api/v1/deployments/rollback", json{{"deployment_id", d1_id},
                                                      {"environment", "Production"},
                                                      {"reason", "v2 needs a fix; back to v1"}});
  ASSERT_EQ(rb.status, 202) << rb.body;
  const std::string rollback_id = rb.json()["id"];
  json rd;
  ASSERT_TRUE(wait_for(
      [&] {
        rd = deployment(rollback_id);
        const std::string s = rd.value("status", "");
        return s == "success" || s == "failed" || s == "rolled_back" || s == "cancelled";
      },
      kRunLimit))
      << rd.dump(2);
  ASSERT_EQ(rd["status"], "success") << rd.dump(2);
  const int64_t rollback_ms = unix_ms(rd["completed_at"]) - requested;
  std::cout << "[ webapp ] rollback: request to success " << rollback_ms << " ms\n";
  report["rollback_wall_ms"] = rollback_ms;
  EXPECT_EQ(served(), "v1");

  // History, newest first: the rollback (current, labelled), v4 and v3
  // rolled back, v2, v1.
  const json items = history();
  ASSERT_GE(items.size(), 5u) << items.dump(2);
  EXPECT_EQ(items[0]["deployment_id"], rollback_id);
  EXPECT_EQ(items[0]["commit_sha"], v1);
  EXPECT_EQ(items[0]["rollback_of"], d1_id);
  EXPECT_EQ(items[0]["is_current"], true);
  EXPECT_EQ(items[0]["reason"], "v2 needs a fix; back to v1");
  const std::vector<std::pair<std::string, std::string>> expected = {
      {v4, "rolled_back"}, {v3, "rolled_back"}, {v2, "success"}, {v1, "success"}};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(items[i + 1]["commit_sha"], expected[i].first) << i << items.dump(2);
    EXPECT_EQ(items[i + 1]["status"], expected[i].second) << i << items.dump(2);
    EXPECT_EQ(items[i + 1]["is_current"], false) << i;
  }
  for (const json& item : items)
    EXPECT_TRUE(item.contains("version_tag") && item.contains("started_at"));

  // v5 pushed: the signed webhook's execution waits on the hold.
  client.mark("v5 pushed, held, released");
  auto hold = api().get(env_path() + "/hold");
  EXPECT_EQ(hold.status, 200) << hold.body;
  repo_->write("opzenix.yml", blue_green);
  const std::string v5 = commit_version("v5", "healthy");
  const std::string body = webhooks::push_body("octo/webapp", "refs/heads/main", v4, v5);
  HttpClient hook(server_.base_url());
  auto delivered =
      webhooks::send_delivery(hook, "/api/v1/webhooks/github/" + project_, "push", "webapp-v5",
                              body, webhooks::hmac_sha256_header(kSecret, body));
  ASSERT_EQ(delivered.status, 202) << delivered.body;
  const json row = webhooks::processed_delivery(api(), delivered.json()["delivery_id"]);
  ASSERT_TRUE(row["execution_id"].is_string()) << row.dump(2);
  const std::string e5_id = row["execution_id"];
  json e5 = object_of(api().get("/api/v1/executions/" + e5_id));
  EXPECT_EQ(e5["governance_status"], "waiting") << e5.dump(2);
  EXPECT_EQ(e5["status"], "paused");
  const json why = object_of(api().get("/api/v1/executions/" + e5_id + "/governance"));
  EXPECT_NE(why.dump().find("deploy_hold"), std::string::npos) << why.dump(2);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_EQ(object_of(api().get("/api/v1/executions/" + e5_id))["status"], "paused")
      << "the held execution must not start by itself";
  EXPECT_EQ(served(), "v1");

  auto released = api().del(env_path() + "/hold");
  EXPECT_EQ(released.status, 200) << released.body;
  e5 = finished(e5_id);
  EXPECT_EQ(e5["status"], "success") << e5.dump(2) << node_logs(e5, "deploy");
  EXPECT_EQ(served(), "v5");
  client.mark("v5 serving");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  client.stop();
  report["client_ms"] = client.now_ms();

  // Not one request through nginx failed, in any phase.
  expect_no_failed_requests(client.phases(), *router_, report);

  if (const char* path = std::getenv("OPZ_WEBAPP_REPORT"); path && *path) {
    std::ofstream(path) << report.dump(2) << "\n";
  }
}

}  // namespace
}  // namespace opz::testing
