// Executions: start, list, show, logs, history, cancel, rerun, force-fail,
// approval decisions. /api/v1/executions...
#include <cstdint>

#include "api/approval_votes.h"
#include "api/endpoint.h"
#include "api/execution_json.h"
#include "api/execution_requests.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "core/time_format.h"
#include "engine/engine.h"
#include "governance/reason_length.h"

namespace opz::api {

namespace {

Status need_engine(const ApiContext& ctx) {
  if (!ctx.engine || !ctx.executions || !ctx.history)
    return Error::unavailable("the execution engine is not running");
  return {};
}

Result<Reply> list_executions(ApiContext& ctx, http::Request& req) {
  OPZ_TRY(auto page, store::parse_page_request(req.query_or("cursor"), req.query_or("limit")));
  store::ExecutionFilter f;
  f.status = req.query_or("status");
  if (!f.status.empty())
    OPZ_TRY_STATUS(check_one_of("status", f.status,
                                {"idle", "running", "paused", "success", "warning", "failed",
                                 "cancelled"}));
  f.environment = req.query_or("environment");
  f.branch = req.query_or("branch");
  f.project_id = req.query_or("project_id", req.query_or("project"));
  f.trigger_type = req.query_or("trigger_type");
  f.since = req.query_or("since");
  if (!f.since.empty()) {
    auto t = parse_time(f.since);
    if (!t) return Error::validation(t.error().message, "since");
    f.since = format_time(*t);
  }
  OPZ_TRY(auto execs, ctx.executions->list(f, page));
  Json items = Json::array();
  for (const auto& e : execs.items) items.push_back(to_json(e));
  return Reply{200, list_body(std::move(items), execs.next_cursor)};
}

// A query parameter that must be a whole number in [min, max] when given.
Status read_int_param(const std::string& text, const char* name, int64_t min, int64_t max,
                      const std::string& expected, int64_t& out) {
  if (text.empty()) return {};
  try {
    size_t used = 0;
    const int64_t v = std::stoll(text, &used);
    if (used != text.size() || v < min || v > max) throw std::invalid_argument(name);
    out = v;
    return {};
  } catch (const std::exception&) {
    return Error::validation("'" + std::string(name) + "' must be " + expected, name);
  }
}

// after/limit: a page of lines after a seq (tailing); tail: the last N lines
// (400 with after or limit: they contradict; a bad number is 422 naming it).
// Every answer says the node's line count and first seq, so a viewer can
// number a tail's lines by their place in the whole log.
Result<Reply> node_log_answer(ApiContext& ctx, const std::string& execution_id,
                              const std::string& node_id, const std::string& after,
                              const std::string& limit, const std::string& tail) {
  OPZ_TRY_STATUS(need_engine(ctx));
  OPZ_TRY_STATUS(check_id(execution_id, "execution"));
  OPZ_TRY(store::ExecutionDetail detail, ctx.executions->get(execution_id));
  std::string node_status;
  for (const auto& n : detail.nodes)
    if (n.node_id == node_id) node_status = n.status;
  if (node_status.empty())
    return Error::not_found("execution " + execution_id + " has no node '" + node_id + "'");
  store::LogQuery q;
  q.execution_id = execution_id;
  q.node_id = node_id;
  if (!tail.empty() && (!after.empty() || !limit.empty()))
    return Error::malformed("'tail' answers the last lines of the log; it cannot be combined "
                            "with '" + std::string(after.empty() ? "limit" : "after") + "'",
                            "tail");
  int64_t limit_value = q.limit;
  int64_t tail_value = 0;
  OPZ_TRY_STATUS(read_int_param(after, "after", 0, INT64_MAX, "a non-negative integer (a log seq)",
                                q.after_seq));
  OPZ_TRY_STATUS(read_int_param(limit, "limit", 1, 10000,
                                "an integer from 1 to 10000", limit_value));
  OPZ_TRY_STATUS(read_int_param(tail, "tail", 1, 10000, "an integer from 1 to 10000",
                                tail_value));
  q.limit = static_cast<int>(limit_value);
  q.tail = static_cast<int>(tail_value);
  OPZ_TRY(store::LogPage page, ctx.history->log_page(q));
  Json items = Json::array();
  int64_t last = q.after_seq;
  for (const auto& l : page.lines) {
    items.push_back(to_json(l));
    last = std::max(last, l.seq);
  }
  return Reply{200, Json{{"items", std::move(items)},
                         {"next_after", last},
                         {"total", page.extent.total},
                         {"first_seq", page.extent.first_seq},
                         {"node_status", node_status},
                         {"execution_status", detail.execution.status}}};
}

}  // namespace

Result<Reply> node_logs_reply(ApiContext& ctx, const std::string& execution_id,
                              const std::string& node_id, const std::string& after,
                              const std::string& limit) {
  return node_log_answer(ctx, execution_id, node_id, after, limit, "");
}

Status register_execution_routes(http::Router& r, ApiContext& ctx) {
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/api/v1/executions", "executions.start",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY_STATUS(need_engine(ctx));
        OPZ_TRY(Json body, parse_json_body(req));
        OPZ_TRY(trigger::AdmissionRequest request, read_start_request(ctx, body, p));
        OPZ_TRY(store::ExecutionRecord e, start_execution(ctx, std::move(request), p, req, "api"));
        return Reply{201, to_json(e)};
      }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", "/api/v1/executions", "executions.read",
                              [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
                                OPZ_TRY_STATUS(need_engine(ctx));
                                return list_executions(ctx, req);
                              }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", "/api/v1/executions/{id}", "executions.read",
                              [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
                                OPZ_TRY_STATUS(need_engine(ctx));
                                OPZ_TRY_STATUS(check_id(req.param("id"), "execution"));
                                OPZ_TRY(auto d, ctx.executions->get(req.param("id")));
                                return Reply{200, to_json(d)};
                              }));
  OPZ_TRY_STATUS(add_endpoint(r, ctx, "GET", "/api/v1/executions/{id}/nodes/{node_id}/logs",
                              "executions.read",
                              [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
                                return node_log_answer(ctx, req.param("id"), req.param("node_id"),
                                                       req.query_or("after"), req.query_or("limit"),
                                                       req.query_or("tail"));
                              }));
  // History lists: checkpoints, state events, artifacts, approval requests.
  struct HistoryRoute {
    const char* suffix;
    std::function<Result<Json>(ApiContext&, const std::string&)> load;
  };
  const std::vector<HistoryRoute> history = {
      {"checkpoints",
       [](ApiContext& c, const std::string& id) -> Result<Json> {
         OPZ_TRY(auto v, c.history->checkpoints(id));
         Json items = Json::array();
         for (const auto& x : v) items.push_back(to_json(x));
         return items;
       }},
      {"events",
       [](ApiContext& c, const std::string& id) -> Result<Json> {
         OPZ_TRY(auto v, c.history->state_events(id));
         Json items = Json::array();
         for (const auto& x : v) items.push_back(to_json(x));
         return items;
       }},
      {"artifacts",
       [](ApiContext& c, const std::string& id) -> Result<Json> {
         OPZ_TRY(auto v, c.history->artifacts(id));
         Json items = Json::array();
         for (const auto& x : v) items.push_back(to_json(x));
         return items;
       }},
      {"approvals",
       [](ApiContext& c, const std::string& id) -> Result<Json> {
         OPZ_TRY(auto v, c.history->approval_requests(id));
         Json items = Json::array();
         for (const auto& x : v) items.push_back(to_json(x));
         return items;
       }},
  };
  for (const auto& h : history) {
    OPZ_TRY_STATUS(add_endpoint(
        r, ctx, "GET", std::string("/api/v1/executions/{id}/") + h.suffix, "executions.read",
        [&ctx, load = h.load](http::Request& req, const auth::Principal&) -> Result<Reply> {
          OPZ_TRY_STATUS(need_engine(ctx));
          OPZ_TRY_STATUS(check_id(req.param("id"), "execution"));
          OPZ_TRY_STATUS(ctx.executions->find(req.param("id"), false));
          OPZ_TRY(Json items, load(ctx, req.param("id")));
          return Reply{200, list_body(std::move(items), std::nullopt)};
        }));
  }
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/api/v1/executions/{id}/cancel", "executions.cancel",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY_STATUS(need_engine(ctx));
        OPZ_TRY_STATUS(check_id(req.param("id"), "execution"));
        OPZ_TRY(Json body, parse_json_body(req, BodyPolicy::kStrictJson, true));
        FieldReader f(body);
        OPZ_TRY_STATUS(f.reject_unknown({"reason"}));
        OPZ_TRY(auto reason, f.optional_string("reason", governance::kMaxOperationReasonLength));
        return cancel_execution(ctx, req.param("id"), reason.value_or("cancelled by " + p.email), p,
                                req.remote_addr);
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/api/v1/executions/{id}/rerun", "executions.rerun",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY_STATUS(need_engine(ctx));
        OPZ_TRY_STATUS(check_id(req.param("id"), "execution"));
        OPZ_TRY(Json body, parse_json_body(req, BodyPolicy::kStrictJson, true));
        FieldReader f(body);
        OPZ_TRY_STATUS(f.reject_unknown({"checkpoint_id", "failed_only"}));
        OPZ_TRY(auto checkpoint, f.optional_string("checkpoint_id", 64));
        OPZ_TRY(auto failed_only, f.optional_bool("failed_only"));
        return rerun_execution(ctx, req.param("id"), checkpoint.value_or(""),
                               failed_only.value_or(false), p, req.remote_addr);
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/api/v1/executions/{id}/fail", "executions.fail",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY_STATUS(need_engine(ctx));
        OPZ_TRY_STATUS(check_id(req.param("id"), "execution"));
        OPZ_TRY(Json body, parse_json_body(req));
        FieldReader f(body);
        OPZ_TRY_STATUS(f.reject_unknown({"reason"}));
        OPZ_TRY(std::string reason,
                f.required_string("reason", governance::kMaxOperationReasonLength));
        return fail_execution(ctx, req.param("id"), reason, p, req.remote_addr);
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "GET", "/api/v1/executions/{id}/governance", "executions.read",
      [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
        OPZ_TRY_STATUS(need_engine(ctx));
        OPZ_TRY_STATUS(check_id(req.param("id"), "execution"));
        if (!ctx.admission) return Error::unavailable("governance is not running");
        OPZ_TRY(Json explanation, ctx.admission->explain(req.param("id")));
        return Reply{200, std::move(explanation)};
      }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/api/v1/executions/{id}/nodes/{node_id}/approval", "approvals.vote",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY_STATUS(need_engine(ctx));
        OPZ_TRY_STATUS(check_id(req.param("id"), "execution"));
        OPZ_TRY(Json body, parse_json_body(req));
        FieldReader f(body);
        OPZ_TRY_STATUS(f.reject_unknown({"approved", "comment"}));
        OPZ_TRY(auto approved, f.optional_bool("approved"));
        if (!approved) return Error::validation("'approved' (true or false) is required", "approved");
        OPZ_TRY(auto comment, f.optional_string("comment", governance::kMaxOperationReasonLength));
        // An alias of POST /api/v1/approvals/{id}/votes for the node's request.
        return vote_on_node(ctx, req.param("id"), req.param("node_id"),
                            {*approved, comment.value_or(""), ""}, p, req.remote_addr);
      }));
  return {};
}

}  // namespace opz::api
