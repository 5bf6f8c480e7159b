// Pipeline definitions: flow templates (the visual builder's React Flow shape)
// under /api/v1/flow-templates, and POST /api/v1/pipelines/validate.
#include "api/endpoint.h"
#include "api/execution_json.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "pipeline/flow_template.h"
#include "pipeline/pipeline_yaml.h"

namespace opz::api {

namespace {

// 200 with the report for a valid pipeline; 422 with the report and, like
// every other 422, an "error" naming the first problem, for an invalid one
// (the same status starting an execution with it answers).
Reply validation_reply(const pipeline::ValidationReport& report) {
  Json body = report.to_json();
  if (report.valid || report.errors.empty()) return Reply{200, std::move(body)};
  const Error& first = report.errors.front();
  body["error"] = {{"code", "validation_failed"}, {"message", first.message}, {"field", first.field}};
  return Reply{422, std::move(body)};
}

Result<store::FlowTemplateFields> read_template(const Json& body, bool create) {
  FieldReader f(body);
  OPZ_TRY_STATUS(f.reject_unknown({"name", "description", "type", "nodes", "edges", "project_id"}));
  store::FlowTemplateFields out;
  if (create) {
    OPZ_TRY(std::string name, f.required_string("name", 200));
    out.name = name;
  } else {
    OPZ_TRY(out.name, f.optional_string("name", 200));
  }
  OPZ_TRY(out.description, f.optional_string("description", 4000));
  OPZ_TRY(out.type, f.optional_string("type", 32));
  if (out.type)
    OPZ_TRY_STATUS(check_one_of("type", *out.type,
                                {"cicd", "mlops", "llmops", "infrastructure", "security"}));
  OPZ_TRY(out.project_id, f.optional_string("project_id", 64));
  if (const Json* n = f.get("nodes")) out.nodes = *n;
  if (const Json* e = f.get("edges")) out.edges = *e;
  if (create && !out.nodes) return Error::validation("'nodes' is required", "nodes");
  if (out.nodes || out.edges) {
    // The definition must compile: same validation as opzenix.yml, with paths
    // like nodes[3].data.retry.
    const Json nodes = out.nodes.value_or(Json::array());
    const Json edges = out.edges.value_or(Json::array());
    auto compiled = pipeline::compile_flow_template(nodes, edges, out.name.value_or("template"));
    if (!compiled) return compiled.error();
  }
  return out;
}

}  // namespace

Status register_pipeline_routes(http::Router& r, ApiContext& ctx) {
  auto need = [&ctx]() -> Status {
    if (!ctx.flow_templates) return Error::unavailable("flow templates are not available");
    return {};
  };
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/api/v1/flow-templates", "pipelines.manage",
      [&ctx, need](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY_STATUS(need());
        OPZ_TRY(Json body, parse_json_body(req));
        OPZ_TRY(auto fields, read_template(body, true));
        if (!fields.type) fields.type = "cicd";
        OPZ_TRY(auto t, ctx.flow_templates->create(fields, p.user_id));
        (void)ctx.audit.record({"flow_template.created", "flow_template", t.id, p.user_id,
                                Json{{"name", t.name}}, req.remote_addr});
        return Reply{201, to_json(t)};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "GET", "/api/v1/flow-templates", "pipelines.read",
      [&ctx, need](http::Request& req, const auth::Principal&) -> Result<Reply> {
        OPZ_TRY_STATUS(need());
        OPZ_TRY(auto page, store::parse_page_request(req.query_or("cursor"), req.query_or("limit")));
        store::FlowTemplateFilter filter;
        filter.project_id = req.query_or("project_id");
        filter.type = req.query_or("type");
        OPZ_TRY(auto list, ctx.flow_templates->list(filter, page));
        Json items = Json::array();
        for (const auto& t : list.items) items.push_back(to_json(t));
        return Reply{200, list_body(std::move(items), list.next_cursor)};
      },
      kCachedAnswer));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", "/api/v1/flow-templates/{id}", "pipelines.read",
                              [&ctx, need](http::Request& req, const auth::Principal&) -> Result<Reply> {
                                OPZ_TRY_STATUS(need());
                                OPZ_TRY_STATUS(check_id(req.param("id"), "flow template"));
                                OPZ_TRY(auto t, ctx.flow_templates->find(req.param("id")));
                                return Reply{200, to_json(t)};
                              },
      kCachedAnswer));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "PUT", "/api/v1/flow-templates/{id}", "pipelines.manage",
      [&ctx, need](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY_STATUS(need());
        OPZ_TRY_STATUS(check_id(req.param("id"), "flow template"));
        OPZ_TRY(Json body, parse_json_body(req));
        OPZ_TRY(auto fields, read_template(body, false));
        OPZ_TRY(auto t, ctx.flow_templates->update(req.param("id"), fields));
        (void)ctx.audit.record({"flow_template.updated", "flow_template", t.id, p.user_id,
                                Json::object(), req.remote_addr});
        return Reply{200, to_json(t)};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "DELETE", "/api/v1/flow-templates/{id}", "pipelines.manage",
      [&ctx, need](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY_STATUS(need());
        OPZ_TRY_STATUS(check_id(req.param("id"), "flow template"));
        OPZ_TRY_STATUS(ctx.flow_templates->remove(req.param("id")));
        (void)ctx.audit.record({"flow_template.deleted", "flow_template", req.param("id"),
                                p.user_id, Json::object(), req.remote_addr});
        return Reply{204, {}};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/api/v1/pipelines/validate", "pipelines.read",
      [](http::Request& req, const auth::Principal&) -> Result<Reply> {
        OPZ_TRY(Json body, parse_json_body(req));
        FieldReader f(body);
        OPZ_TRY_STATUS(f.reject_unknown({"pipeline_yaml", "nodes", "edges"}));
        OPZ_TRY(auto yaml, f.optional_string("pipeline_yaml", 8u << 20));
        if (yaml) return validation_reply(pipeline::validate_pipeline_yaml(*yaml));
        const Json* nodes = f.get("nodes");
        if (!nodes) return Error::validation("give 'pipeline_yaml' or 'nodes' (+ 'edges')", "pipeline_yaml");
        const Json* edges = f.get("edges");
        return validation_reply(
            pipeline::validate_flow_template(*nodes, edges ? *edges : Json::array()));
      }));
  return {};
}

}  // namespace opz::api
