// Insights (issue 13; seed 004 ai-insights, explain-config):
//   GET  /api/v1/projects/{id}/insights?window=7d|30d|90d   (projects.read)
//        the deterministic report (api/insights_report.h); 422 naming
//        "window", 404 for an unknown project
//   POST /functions/v1/ai-insights {"project_id","window"?}  (projects.read)
//   POST /functions/v1/explain-config {"yaml"} | {"pipeline": yaml text or
//        {"nodes","edges"}}                                  (pipelines.read)
// The two functions send the deterministic facts (the insights report, or the
// validated pipeline's summary with the config itself) to the optional
// OpenAI-compatible endpoint (config ai-endpoint, ai-model, ai-api-key /
// AI_API_KEY; api/ai_chat.h) and answer
//   200 {"explanation": "<its text>", "model", "insights" | "summary"}
// With no endpoint configured they still answer the facts:
//   200 {"explanation": null, "reason": "no AI endpoint configured (config
//        ai-endpoint)", "insights" | "summary"}
// When the endpoint fails (unreachable, refused by the outbound guard, timed
// out after ai-timeout, non-2xx, no answer text): 502 {"error": {"code":
// "ai_endpoint_failed", "message": names the endpoint's status}, plus the facts}.
#include "api/ai_chat.h"
#include "api/endpoint.h"
#include "api/insights_report.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "api/telemetry_analysis_api.h"
#include "pipeline/flow_template.h"
#include "pipeline/pipeline_yaml.h"

namespace opz::api {

namespace {

constexpr size_t kMaxConfigBytes = 256 * 1024;
constexpr std::string_view kNotConfigured = "no AI endpoint configured (config ai-endpoint)";

constexpr std::string_view kInsightsInstruction =
    "You are the reliability assistant of Opzenix, a CI/CD server. The user message is a JSON "
    "report computed from a project's pipeline executions over a window: slowest_nodes (p50/p95 "
    "durations in ms, the previous window's p95 and a trend), flaky_nodes (passes after a retry, "
    "outcome flips on the same commit), failure_clusters (failures grouped by exit code and a "
    "normalised log line; <n>, <ip>, <path>, <hex>, <uuid>, <ts> are placeholders) and "
    "queue_wait. Explain in a few short paragraphs what stands out and what to do next. Use only "
    "figures from the report.";

constexpr std::string_view kConfigInstruction =
    "You are the pipeline assistant of Opzenix, a CI/CD server. The user message is a JSON "
    "document with a pipeline configuration (config) and its validation summary (summary: valid, "
    "errors, node and edge counts, run order). Explain in plain language what the pipeline does, "
    "in which order its nodes run, how retries, conditions and deployments behave, why it is "
    "invalid when it is, and which best practices it misses. Be concise.";

// The facts under `key`, phrased by the AI endpoint when one is configured.
Reply explained(const ApiContext& ctx, std::string_view instruction, const std::string& key,
                Json facts, const Json& context) {
  const AiSettings settings = ai_settings(ctx);
  if (!settings.configured())
    return Reply{200, Json{{"explanation", nullptr}, {"reason", kNotConfigured}, {key, facts}}};
  auto answer = ask_ai(settings, ctx.outbound, instruction, context);
  if (!answer)
    return Reply{502, Json{{"error", {{"code", "ai_endpoint_failed"},
                                      {"message", answer.error().message}}},
                           {key, std::move(facts)}}};
  return Reply{200, Json{{"explanation", answer->text}, {"model", answer->model},
                         {key, std::move(facts)}}};
}

Result<Reply> ai_insights(ApiContext& ctx, http::Request& req) {
  OPZ_TRY(Json body, parse_json_body(req, BodyPolicy::kLenientSeedAlias));
  FieldReader f(body);
  OPZ_TRY_STATUS(f.expect_object());
  OPZ_TRY_STATUS(f.reject_unknown({"project_id", "window"}));
  OPZ_TRY(std::string project_id, f.required_string("project_id", 64));
  OPZ_TRY(auto window, f.optional_string("window", 16));
  OPZ_TRY(Json report, insights_report(ctx, project_id, window.value_or("7d")));
  return explained(ctx, kInsightsInstruction, "insights", report, report);
}

Result<Reply> explain_config(ApiContext& ctx, http::Request& req) {
  OPZ_TRY(Json body, parse_json_body(req, BodyPolicy::kLenientSeedAlias));
  FieldReader f(body);
  OPZ_TRY_STATUS(f.expect_object());
  OPZ_TRY_STATUS(f.reject_unknown({"yaml", "pipeline"}));
  OPZ_TRY(auto yaml, f.optional_string("yaml", kMaxConfigBytes));
  const Json* pipeline = f.get("pipeline");
  if (yaml && pipeline) return Error::validation("give 'yaml' or 'pipeline', not both", "pipeline");
  Json config;
  pipeline::ValidationReport report;
  if (!yaml && pipeline && pipeline->is_string()) {
    OPZ_TRY(yaml, f.optional_string("pipeline", kMaxConfigBytes));
  }
  if (yaml) {
    config = *yaml;
    report = pipeline::validate_pipeline_yaml(*yaml);
  } else if (pipeline && pipeline->is_object() && pipeline->contains("nodes")) {
    if (pipeline->dump().size() > kMaxConfigBytes)
      return Error::validation("pipeline is at most 256 KiB", "pipeline");
    config = *pipeline;
    const Json edges = pipeline->value("edges", Json::array());
    report = pipeline::validate_flow_template((*pipeline)["nodes"], edges);
  } else if (pipeline) {
    return Error::validation("pipeline must be YAML text or an object with 'nodes' (+ 'edges')",
                             "pipeline");
  } else {
    return Error::validation("give the pipeline as 'yaml' (text) or 'pipeline'", "yaml");
  }
  Json summary = report.to_json();
  return explained(ctx, kConfigInstruction, "summary", summary,
                   Json{{"config", config}, {"summary", summary}});
}

}  // namespace

Status register_insight_routes(http::Router& r, ApiContext& ctx) {
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "GET", "/api/v1/projects/{id}/insights", "projects.read",
      [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
        OPZ_TRY(Json report, insights_report(ctx, req.param("id"), req.query_or("window", "7d")));
        return Reply{200, std::move(report)};
      }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "POST", "/functions/v1/ai-insights", "projects.read",
                              [&ctx](http::Request& req, const auth::Principal&) {
                                return ai_insights(ctx, req);
                              }));
  OPZ_TRY_STATUS(register_telemetry_analysis_routes(r, ctx));
  return add_endpoint(r, ctx, "POST", "/functions/v1/explain-config", "pipelines.read",
                      [&ctx](http::Request& req, const auth::Principal&) {
                        return explain_config(ctx, req);
                      });
}

}  // namespace opz::api
