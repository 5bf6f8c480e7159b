// Seed 003 ("ops.* Backend Deployment Checklist") walked example by example
// against the real server, with only the host changed (and, where the seed
// writes a placeholder, a real id). Each example that cannot work here says
// why (GTEST_SKIP with the reason; those need no server: suite
// Seed003Skipped), in the seed's order:
//   1. Apply Migrations        supabase CLI / PostgreSQL catalog -> skipped; the
//                              SQLite equivalent (the ops relations exist) runs
//   2. Secrets                 supabase CLI -> skipped (server env vars instead)
//   3. Deploy Edge Functions   supabase CLI -> skipped; the three functions are
//                              built in and answer
//   4. Test Edge Functions     both curl examples
//   5. Seed Initial Data       the SQL done through the API, then the two RPCs
//   6. Deploy UI to Vercel     skipped (the server serves its own UI)
//   7. Configure DNS           skipped (dig, vercel domains)
//   8. E2E Verification        GET /api/ops/projects with the session cookie
//   Monitoring                 supabase logs / psql skipped; curl -I the page
//   Rollback                   skipped (destructive PostgreSQL and CLI steps)
// (ops_functions_test.cc covers the function tokens' refusals.)
#include <gtest/gtest.h>

#include <set>

#include "integration/ops_backend_fixture.h"
#include "support/database_probe.h"

namespace opz::testing {
namespace {

constexpr char kIngestToken[] = "0123456789abcdef0123456789abcdef";
constexpr char kAdvisoryToken[] = "fedcba9876543210fedcba9876543210";

class Seed003Test : public OpsBackendFixture {
 protected:
  void SetUp() override {
    ServerProcess::Options options;
    options.env["OPS_INGEST_TOKEN"] = kIngestToken;
    options.env["OPS_ADVISORY_SCAN_TOKEN"] = kAdvisoryToken;
    // The seed's sample time (2026-02-12T17:30:00Z) is accepted however old.
    options.extra_args = {"--ops-ingest-max-past", "3650d"};
    server_ = std::make_unique<ServerProcess>(options);
    admin_token_ = server_->create_user_and_login("admin@example.com", "admin");
  }
};

TEST(Seed003Skipped, Step1ApplyMigrationsWithTheSupabaseCli) {
  GTEST_SKIP() << "supabase link / db push / db diff deploy to a Supabase project; Opzenix "
                  "applies its migrations itself at start (018_ops_schema creates the ops "
                  "relations), checked by Step1TheOpsRelationsExist";
}

TEST(Seed003Skipped, Step1VerificationSqlOnPostgres) {
  GTEST_SKIP() << "information_schema / pg_policies counts need the PostgreSQL backend "
                  "(issue 14: real ops and registry schemas); on SQLite see "
                  "Step1TheOpsRelationsExist";
}

TEST_F(Seed003Test, Step1TheOpsRelationsExist) {
  // Tables and views, from either backend's catalog.
  const DatabaseLocation db(*server_);
  const std::string column = db.postgres() ? "table_name" : "name";
  const std::string catalog =
      db.postgres() ? "information_schema.tables WHERE table_schema = current_schema()"
                    : "sqlite_master WHERE type IN ('table', 'view')";
  const std::vector<std::string> listed =
      column_texts(db, "SELECT " + column + " FROM " + catalog + " AND (" + column +
                           " LIKE 'ops\\_%' ESCAPE '\\' OR " + column +
                           " LIKE 'registry\\_%' ESCAPE '\\')");
  const std::set<std::string> names(listed.begin(), listed.end());
  for (const char* name : {"registry_orgs", "ops_projects", "ops_branches", "ops_builds",
                           "ops_run_queue", "ops_metrics", "ops_advisories"})
    EXPECT_TRUE(names.count(name)) << name;
}

TEST(Seed003Skipped, Step2GenerateAndSetSecretsWithTheSupabaseCli) {
  GTEST_SKIP() << "supabase secrets set stores function secrets in Supabase; here the tokens "
                  "are the server's OPS_INGEST_TOKEN / OPS_ADVISORY_SCAN_TOKEN environment "
                  "(or ops-ingest-token / ops-advisory-scan-token options), as this test's "
                  "server is started";
}

TEST(Seed003Skipped, Step3DeployEdgeFunctionsWithTheSupabaseCli) {
  GTEST_SKIP() << "supabase functions deploy / list: the three functions are built into "
                  "the server, checked by Step3TheThreeFunctionsAreServed";
}

TEST_F(Seed003Test, Step3TheThreeFunctionsAreServed) {
  HttpClient anonymous(server_->base_url());
  for (const char* fn : {"ops-trigger-build", "ops-metrics-ingest", "ops-advisory-scan"}) {
    auto r = anonymous.request("POST", std::string("/functions/v1/") + fn, "{}", {});
    EXPECT_NE(r.status, 404) << fn << ": " << r.body;
    EXPECT_EQ(r.status / 100, 4) << fn << ": " << r.body;  // no credentials: refused
  }
}

TEST_F(Seed003Test, Step4TestEdgeFunctions) {
  // The seed's zero project id is a placeholder (its own scan example says
  // "requires valid project"): a real project's id replaces it.
  const std::string project = create_project({{"name", "Production ERP"}});
  HttpClient curl(server_->base_url());
  auto inserted = curl.request(
      "POST", "/functions/v1/ops-metrics-ingest", R"({
    "project_id": ")" + project + R"(",
    "ts": "2026-02-12T17:30:00Z",
    "samples": [
      {"metric": "cpu_pct", "value": 45.2},
      {"metric": "mem_mb", "value": 1024}
    ]
  })",
      {"content-type: application/json", std::string("x-ops-ingest-token: ") + kIngestToken});
  ASSERT_EQ(inserted.status, 200) << inserted.body;
  EXPECT_EQ(inserted.json(), json::parse(R"({"inserted": 2})"));

  auto scanned = curl.request(
      "POST", "/functions/v1/ops-advisory-scan", "",
      {"content-type: application/json", std::string("x-ops-advisory-token: ") + kAdvisoryToken});
  ASSERT_EQ(scanned.status, 200) << scanned.body;
  ASSERT_EQ(scanned.json().size(), 1u) << scanned.body;
  EXPECT_TRUE(scanned.json()["advisories_created"].is_number_integer()) << scanned.body;
}

TEST_F(Seed003Test, Step5SeedInitialDataThroughTheApiThenTheRpcs) {
  // insert into registry.orgs (name) values ('InsightPulse AI') returning id;
  auto org = admin().post("/api/v1/organizations", json{{"name", "InsightPulse AI"}});
  ASSERT_EQ(org.status, 201) << org.body;
  const std::string org_id = org.json()["id"];
  // insert into ops.projects (org_id, name, slug, repo_url, runtime_version) ...
  // (repo_url needs its scheme here: a bare host is not a URL the server can fetch.)
  const std::string project =
      create_project({{"organization_id", org_id},
                      {"name", "Production ERP"},
                      {"slug", "prod-erp"},
                      {"github_repo_url", "https://github.com/insightpulseai/odoo"},
                      {"runtime_version", "19.0"}});
  ASSERT_FALSE(project.empty());
  // insert into ops.branches (project_id, name, stage, is_production)
  //   values ('[PROJECT_ID]', 'main', 'production', true)
  map_branches(project, {{"main", "Production"}});
  // insert into ops.builds (...) values (..., 'success', 'manual', 'abc123'): a
  // build here is a real execution, so it is queued with the function instead
  // (7 hex digits at least: 'abc123' is one short of an abbreviated sha).
  // Production is locked by default, so governance refuses to run it: the
  // RPCs and ops.builds say so (ops_backend_test.cc follows a build to success).
  auto build =
      admin().post("/functions/v1/ops-trigger-build",
                   json{{"project_id", project}, {"branch", "main"}, {"commit_sha", "abc1234"}});
  ASSERT_EQ(build.status, 202) << build.body;
  EXPECT_EQ(build.json()["status"], "queued");

  // select * from ops.list_projects();
  json row = project_row(project);
  ASSERT_TRUE(row.is_object());
  EXPECT_EQ(row["org_id"], org_id);
  EXPECT_EQ(row["name"], "Production ERP");
  EXPECT_EQ(row["slug"], "prod-erp");
  EXPECT_EQ(row["repo_url"], "https://github.com/insightpulseai/odoo");
  EXPECT_EQ(row["runtime_version"], "19.0");
  EXPECT_EQ(row["branch_count"], 1);
  for (const char* key : {"id", "created_at", "last_build_status", "last_build_at"})
    EXPECT_TRUE(row.contains(key)) << key;
  // select * from ops.project_branches('[PROJECT_ID]');
  auto branches = rpc("project_branches", {{"project_id", project}});
  ASSERT_EQ(branches.status, 200) << branches.body;
  ASSERT_EQ(branches.json().size(), 1u) << branches.body;
  const json main = branches.json()[0];
  EXPECT_EQ(main["name"], "main");
  EXPECT_EQ(main["stage"], "production");
  EXPECT_EQ(main["is_production"], true);
  EXPECT_EQ(main["project_id"], project);
  // The runner hands the build to governance, which refuses a person's start
  // in the locked Production environment: the build fails, saying why.
  row = wait_for_last_build(project, "failed");
  const std::string build_id = build.json()["build_id"];
  auto queue = ops_table("run_queue", "id=eq." + build_id);
  ASSERT_EQ(queue.status, 200) << queue.body;
  ASSERT_EQ(queue.json().size(), 1u) << queue.body;
  EXPECT_NE(queue.json()[0]["error"].get<std::string>().find("locked"), std::string::npos)
      << queue.body;
  auto builds = ops_table("builds", "project_id=eq." + project);
  ASSERT_EQ(builds.status, 200) << builds.body;
  ASSERT_EQ(builds.json().size(), 1u) << builds.body;
  EXPECT_EQ(builds.json()[0]["branch_id"], main["id"]);
  EXPECT_EQ(builds.json()[0]["commit_sha"], "abc1234");
  EXPECT_EQ(builds.json()[0]["trigger"], "manual");
}

TEST(Seed003Skipped, Step6DeployUiToVercel) {
  GTEST_SKIP() << "vercel env add / vercel --prod deploy the seed's Next.js console; Opzenix "
                  "serves its own web UI from the server (web/dist)";
}

TEST(Seed003Skipped, Step7ConfigureDns) {
  GTEST_SKIP() << "a Cloudflare CNAME, dig and vercel domains add need a public domain and "
                  "DNS; the tests run on loopback";
}

TEST(Seed003Skipped, Step8E2eProjectsPageHtml) {
  GTEST_SKIP() << "curl /app/projects | grep Projects: the projects page is rendered in the "
                  "browser by the React app (the server sends the app's index.html), so the "
                  "word is not in the HTML; web/e2e drives the page in a real browser";
}

TEST_F(Seed003Test, Step8E2eApiWithTheAuthCookie) {
  const std::string project = create_project({{"name", "Production ERP"}});
  HttpClient curl(server_->base_url());
  auto r =
      curl.request("GET", "/api/ops/projects", "", {"Cookie: opzenix_session=" + admin_token_});
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(r.json()["projects"].is_array()) << r.body;  // Expected: {"projects": [...]}
  ASSERT_EQ(r.json()["projects"].size(), 1u);
  EXPECT_EQ(r.json()["projects"][0]["id"], project);
  EXPECT_EQ(curl.get("/api/ops/projects").status, 401);  // "after authentication"
}

TEST(Seed003Skipped, MonitoringFunctionLogsAndPsql) {
  GTEST_SKIP() << "supabase functions logs and psql against the seed's PostgreSQL: the "
                  "server's own log and, for SQL, the PostgreSQL backend (issue 14)";
}

TEST_F(Seed003Test, MonitoringUiUptime) {
  // curl -I sends HEAD; this client reads bodies, so GET asks the same.
  HttpClient curl(server_->base_url());
  auto r = curl.get("/app/projects");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.header("content-type").find("text/html"), std::string::npos);
}

TEST(Seed003Skipped, RollbackPlan) {
  GTEST_SKIP() << "drop schema ops cascade / supabase db reset / supabase functions delete / "
                  "vercel rollback are destructive operations on the seed's Supabase and "
                  "Vercel projects; Opzenix's schema is versioned migrations and its "
                  "functions are part of the binary";
}

}  // namespace
}  // namespace opz::testing
