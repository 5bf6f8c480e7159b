// The audit trail: GET /api/v1/audit-logs. Admins see every entry; operators
// and viewers only their own (000 §7.2 "View Audit Logs: Own only").
#include "api/endpoint.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "core/time_format.h"

namespace opz::api {

Status register_audit_routes(http::Router& r, ApiContext& ctx) {
  return add_endpoint(
      r, ctx, "GET", "/api/v1/audit-logs", "audit.read",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY(auto page, store::parse_page_request(req.query_or("cursor"), req.query_or("limit")));
        audit::AuditFilter filter;
        filter.resource_type = req.query_or("resource_type");
        filter.resource_id = req.query_or("resource_id");
        filter.action = req.query_or("action");
        filter.user_id = req.query_or("user_id");
        // from/to: ISO 8601 times, compared in the stored form (UTC, ms).
        for (auto [name, bound] : {std::pair{"from", &filter.from}, std::pair{"to", &filter.to}}) {
          const std::string text = req.query_or(name);
          if (text.empty()) continue;
          auto t = parse_time(text);
          if (!t) return Error::validation(std::string(name) + " must be an ISO 8601 time", name);
          *bound = format_time(*t);
        }
        if (p.role != auth::Role::kAdmin) {
          if (!filter.user_id.empty() && filter.user_id != p.user_id)
            return Error::forbidden("only admins may read other users' audit entries");
          filter.user_id = p.user_id;
        }
        OPZ_TRY(auto entries, ctx.audit.list(filter, page));
        Json items = Json::array();
        for (const auto& e : entries.items) items.push_back(audit::to_json(e));
        return Reply{200, list_body(std::move(items), entries.next_cursor)};
      });
}

}  // namespace opz::api
