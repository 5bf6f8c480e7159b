// The pipeline template library (issue 11, the visual builder's "start from a
// template"): GET /api/v1/pipeline-templates (filters category, flow_type,
// q, tag; most popular first), GET /api/v1/pipeline-templates/{id},
// POST /api/v1/pipeline-templates (the graph must validate like a flow
// template: 422 naming the field, e.g. "nodes[2].data.run") and
// POST /api/v1/pipeline-templates/{id}/use (popularity + 1, answers the
// template: the builder calls it when someone starts from one).
#include "api/endpoint.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "pipeline/flow_template.h"
#include "store/pipeline_template_store.h"

namespace opz::api {

namespace {

Json template_json(const store::PipelineTemplateRecord& t) {
  return Json{{"id", t.id},
              {"name", t.name},
              {"description", t.description.empty() ? Json(nullptr) : Json(t.description)},
              {"category", t.category},
              {"flow_type", t.flow_type},
              {"tags", t.tags},
              {"popularity", t.popularity},
              {"nodes", t.nodes},
              {"edges", t.edges},
              {"created_at", t.created_at},
              {"updated_at", t.updated_at}};
}

const std::initializer_list<std::string_view> kFlowTypes = {"cicd", "mlops", "llmops",
                                                            "infrastructure", "security"};

Result<store::PipelineTemplateRecord> read_new_template(const Json& body) {
  FieldReader f(body);
  OPZ_TRY_STATUS(f.expect_object());
  OPZ_TRY_STATUS(f.reject_unknown(
      {"name", "description", "category", "flow_type", "tags", "nodes", "edges"}));
  store::PipelineTemplateRecord t;
  OPZ_TRY(t.name, f.required_string("name", 200));
  OPZ_TRY_STATUS(check_printable(t.name, "name"));
  OPZ_TRY(auto description, f.optional_string("description", 4000));
  t.description = description.value_or("");
  OPZ_TRY(t.category, f.required_string("category", 64));
  OPZ_TRY_STATUS(check_printable(t.category, "category"));
  OPZ_TRY(t.flow_type, f.required_string("flow_type", 32));
  OPZ_TRY_STATUS(check_one_of("flow_type", t.flow_type, kFlowTypes));
  if (const Json* tags = f.get("tags")) {
    if (!tags->is_array() || tags->size() > 20)
      return Error::validation("tags must be an array of at most 20 strings", "tags");
    for (size_t i = 0; i < tags->size(); ++i) {
      const Json& tag = (*tags)[i];
      if (!tag.is_string() || tag.get<std::string>().empty() || tag.get<std::string>().size() > 40)
        return Error::validation("each tag is a string of 1..40 characters",
                                 "tags[" + std::to_string(i) + "]");
    }
    t.tags = *tags;
  }
  const Json* nodes = f.get("nodes");
  if (!nodes) return Error::validation("'nodes' is required", "nodes");
  const Json* edges = f.get("edges");
  t.nodes = *nodes;
  t.edges = edges ? *edges : Json::array();
  // The same validation a flow template gets, so any template can be saved
  // as a flow template and run.
  const pipeline::ValidationReport report = pipeline::validate_flow_template(t.nodes, t.edges);
  if (!report.valid) {
    if (report.errors.empty()) return Error::validation("the pipeline is not valid", "nodes");
    return report.errors.front();
  }
  return t;
}

}  // namespace

Status register_pipeline_template_routes(http::Router& r, ApiContext& ctx) {
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "GET", "/api/v1/pipeline-templates", "pipelines.read",
      [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
        store::PipelineTemplateFilter filter;
        filter.category = req.query_or("category");
        filter.flow_type = req.query_or("flow_type");
        if (!filter.flow_type.empty())
          OPZ_TRY_STATUS(check_one_of("flow_type", filter.flow_type, kFlowTypes));
        filter.tag = req.query_or("tag");
        filter.text = req.query_or("q");
        OPZ_TRY(auto list, store::PipelineTemplateStore(ctx.db, ctx.clock).list(filter));
        Json items = Json::array();
        for (const auto& t : list) items.push_back(template_json(t));
        return Reply{200, list_body(std::move(items), std::nullopt)};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "GET", "/api/v1/pipeline-templates/{id}", "pipelines.read",
      [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
        OPZ_TRY_STATUS(check_id(req.param("id"), "pipeline template"));
        OPZ_TRY(auto t, store::PipelineTemplateStore(ctx.db, ctx.clock).find(req.param("id")));
        return Reply{200, template_json(t)};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/api/v1/pipeline-templates", "pipelines.manage",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY(Json body, parse_json_body(req));
        OPZ_TRY(auto fields, read_new_template(body));
        OPZ_TRY(auto t, store::PipelineTemplateStore(ctx.db, ctx.clock).create(std::move(fields)));
        (void)ctx.audit.record({"pipeline_template.created", "pipeline_template", t.id, p.user_id,
                                Json{{"name", t.name}}, req.remote_addr});
        return Reply{201, template_json(t)};
      }));
  return add_endpoint(
      r, ctx, "POST", "/api/v1/pipeline-templates/{id}/use", "pipelines.read",
      [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
        OPZ_TRY_STATUS(check_id(req.param("id"), "pipeline template"));
        OPZ_TRY(auto t,
                store::PipelineTemplateStore(ctx.db, ctx.clock).record_use(req.param("id")));
        return Reply{200, template_json(t)};
      });
}

}  // namespace opz::api
