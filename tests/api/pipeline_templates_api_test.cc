// The pipeline template library through its routes: the five starter
// templates of migration 014 compile as flow templates (and are accepted by
// POST /api/v1/flow-templates as they are), filters, the popularity order,
// creation with the flow-template validation, and /use.
#include <gtest/gtest.h>

#include "api/api_fixture.h"
#include "pipeline/flow_template.h"
#include "store/flow_template_store.h"

namespace opz::api {
namespace {

class PipelineTemplatesApiTest : public ApiFixture {
 protected:
  void configure(ApiContext& ctx) override {
    flow_templates_ = std::make_unique<store::FlowTemplateStore>(*db_, clock_);
    ctx.flow_templates = flow_templates_.get();
  }
  void SetUp() override {
    ApiFixture::SetUp();
    if (HasFatalFailure()) return;
    for (auto role : {"viewer", "operator"}) tokens_[role] = token_for(role);
  }

  http::Response call(const std::string& method, const std::string& path, const std::string& role,
                      std::map<std::string, std::string> query = {}, const std::string& body = "") {
    return call_route(method, path, bearer(tokens_[role]), body, std::move(query));
  }
  Json list(std::map<std::string, std::string> query = {}) {
    auto res = call("GET", "/api/v1/pipeline-templates", "viewer", std::move(query));
    EXPECT_EQ(res.status, 200) << res.body;
    return Json::parse(res.body);
  }
  static std::vector<std::string> names(const Json& body) {
    std::vector<std::string> out;
    for (const auto& t : body["items"]) out.push_back(t["name"]);
    return out;
  }

  std::unique_ptr<store::FlowTemplateStore> flow_templates_;
  std::map<std::string, std::string> tokens_;
};

const char* kStarterNames[] = {"Build, test and deploy a web service",
                               "Container image with scan and staged promotion",
                               "Train, evaluate, register a model",
                               "Prompt evaluation and LLM app deploy",
                               "Terraform plan, approve, apply"};

TEST_F(PipelineTemplatesApiTest, TheStarterTemplatesCompileAndSaveAsFlowTemplates) {
  Json body = list();
  EXPECT_TRUE(body["next_cursor"].is_null());
  ASSERT_EQ(names(body), std::vector<std::string>(std::begin(kStarterNames), std::end(kStarterNames)));
  std::set<std::string> flow_types;
  for (const Json& t : body["items"]) {
    flow_types.insert(t["flow_type"].get<std::string>());
    auto compiled = pipeline::compile_flow_template(t["nodes"], t["edges"], t["name"]);
    ASSERT_TRUE(compiled.ok()) << t["name"] << ": " << compiled.error().to_string();
    EXPECT_GE(compiled->nodes.size(), 4u) << t["name"];
    EXPECT_FALSE(t["tags"].empty());
    EXPECT_FALSE(t["category"].get<std::string>().empty());
    // The builder saves a template as a flow template exactly as it is.
    Json save{{"name", t["name"]}, {"type", t["flow_type"]}, {"nodes", t["nodes"]},
              {"edges", t["edges"]}};
    auto saved = call("POST", "/api/v1/flow-templates", "operator", {}, dump_json(save));
    EXPECT_EQ(saved.status, 201) << t["name"] << ": " << saved.body;
  }
  EXPECT_EQ(flow_types,
            (std::set<std::string>{"cicd", "mlops", "llmops", "infrastructure", "security"}));
}

TEST_F(PipelineTemplatesApiTest, FiltersNarrowTheList) {
  EXPECT_EQ(names(list({{"flow_type", "mlops"}})),
            std::vector<std::string>{"Train, evaluate, register a model"});
  EXPECT_EQ(names(list({{"category", "infrastructure"}})),
            std::vector<std::string>{"Terraform plan, approve, apply"});
  EXPECT_EQ(names(list({{"tag", "approval"}})),
            (std::vector<std::string>{"Container image with scan and staged promotion",
                                      "Terraform plan, approve, apply"}));
  EXPECT_EQ(names(list({{"q", "PROMPT"}})),
            std::vector<std::string>{"Prompt evaluation and LLM app deploy"});
  EXPECT_TRUE(list({{"q", "100%_"}})["items"].empty());
  EXPECT_EQ(call("GET", "/api/v1/pipeline-templates", "viewer", {{"flow_type", "devops"}}).status,
            422);
}

TEST_F(PipelineTemplatesApiTest, UseCountsAndReordersByPopularity) {
  const std::string last = list()["items"][4]["id"];
  Json used;
  for (int i = 0; i < 60; ++i) {
    auto res = call("POST", "/api/v1/pipeline-templates/" + last + "/use", "viewer");
    ASSERT_EQ(res.status, 200) << res.body;
    used = Json::parse(res.body);
  }
  EXPECT_EQ(used["popularity"], 70);
  EXPECT_EQ(used["name"], "Terraform plan, approve, apply");
  EXPECT_EQ(list()["items"][0]["id"], last);
  auto one = call("GET", "/api/v1/pipeline-templates/" + last, "viewer");
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(Json::parse(one.body)["popularity"], 70);
  EXPECT_EQ(call("POST", "/api/v1/pipeline-templates/00000000-0000-4000-8000-000000000000/use",
                 "viewer")
                .status,
            404);
}

TEST_F(PipelineTemplatesApiTest, CreateValidatesTheGraphAndNamesTheField) {
  const std::string good = R"({"name": "Mine", "category": "web", "flow_type": "cicd",
    "tags": ["x"], "nodes": [{"id": "a", "type": "build", "data": {"run": "echo a"}},
                             {"id": "b", "type": "test", "data": {"run": "echo b"}}],
    "edges": [{"id": "e", "source": "a", "target": "b"}]})";
  EXPECT_EQ(call("POST", "/api/v1/pipeline-templates", "viewer", {}, good).status, 403);
  auto created = call("POST", "/api/v1/pipeline-templates", "operator", {}, good);
  ASSERT_EQ(created.status, 201) << created.body;
  Json t = Json::parse(created.body);
  EXPECT_EQ(t["popularity"], 0);
  EXPECT_EQ(t["tags"], Json::array({"x"}));
  EXPECT_EQ(names(list({{"q", "mine"}})), std::vector<std::string>{"Mine"});

  auto no_run = call("POST", "/api/v1/pipeline-templates", "operator", {},
                     R"({"name": "Bad", "category": "web", "flow_type": "cicd",
                         "nodes": [{"id": "a", "type": "build", "data": {}}], "edges": []})");
  EXPECT_EQ(no_run.status, 422);
  EXPECT_EQ(Json::parse(no_run.body)["error"]["field"], "nodes[0].data") << no_run.body;
  auto bad_type = call("POST", "/api/v1/pipeline-templates", "operator", {},
                       R"({"name": "Bad", "category": "web", "flow_type": "devops",
                           "nodes": [], "edges": []})");
  EXPECT_EQ(bad_type.status, 422);
  EXPECT_EQ(Json::parse(bad_type.body)["error"]["field"], "flow_type");
  auto bad_tag = call("POST", "/api/v1/pipeline-templates", "operator", {},
                      R"({"name": "Bad", "category": "web", "flow_type": "cicd", "tags": [1],
                          "nodes": [], "edges": []})");
  EXPECT_EQ(Json::parse(bad_tag.body)["error"]["field"], "tags[0]");
}

}  // namespace
}  // namespace opz::api
