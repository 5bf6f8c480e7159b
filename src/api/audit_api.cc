// The audit trail: GET /api/v1/audit-logs (JSON pages, or with format=csv
// every matching entry as one CSV download) and GET /api/v1/audit-logs/verify
// (admins: the hash chain checked now). Admins see every entry; operators and
// viewers only their own (000 §7.2 "View Audit Logs: Own only").
#include "api/endpoint.h"
#include "api/routes.h"
#include "audit/audit_chain.h"
#include "audit/audit_csv.h"
#include "audit/audit_log.h"
#include "core/time_format.h"

namespace opz::api {

namespace {

// The most rows one CSV export holds.
constexpr size_t kMaxCsvRows = 100000;
constexpr int kCsvPageSize = 500;

// The list's filters from the query, narrowed to the caller's own entries
// unless they are an admin.
Result<audit::AuditFilter> read_filter(const http::Request& req, const auth::Principal& p) {
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
  return filter;
}

// Every entry the filter matches (newest first, at most kMaxCsvRows) as CSV.
Result<http::Response> csv_export(ApiContext& ctx, const audit::AuditFilter& filter) {
  std::string body = audit::audit_csv_header();
  store::PageRequest page;
  page.limit = kCsvPageSize;
  size_t rows = 0;
  while (rows < kMaxCsvRows) {
    OPZ_TRY(auto entries, ctx.audit.list(filter, page));
    for (const auto& e : entries.items) {
      if (rows == kMaxCsvRows) break;
      body += audit::audit_csv_row(e);
      ++rows;
    }
    if (!entries.next_cursor) break;
    page.cursor = *entries.next_cursor;
  }
  http::Response r = http::Response::text(200, std::move(body), "text/csv; charset=utf-8");
  r.headers.set("Content-Disposition", "attachment; filename=\"audit-log.csv\"");
  return r;
}

Json verify_json(const std::vector<store::AuditLogRecord>& rows) {
  const audit::ChainReport report = audit::verify_chain(rows);
  const int64_t verified_up_to = report.entries > 0 ? rows[report.entries - 1].seq : 0;
  Json out{{"ok", report.intact()},
           {"rows", rows.size()},
           {"verified_up_to", verified_up_to},
           {"head_hash", report.head},
           {"broken_at", nullptr},
           {"problem", nullptr}};
  if (report.first_break) {
    out["broken_at"] = report.first_break->seq;
    out["problem"] = report.summary();
  }
  return out;
}

}  // namespace

Status register_audit_routes(http::Router& r, ApiContext& ctx) {
  OPZ_TRY_STATUS(add_response_endpoint(
      r, ctx, "GET", "/api/v1/audit-logs", "audit.read",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<http::Response> {
        const std::string format = req.query_or("format");
        if (!format.empty() && format != "json" && format != "csv")
          return Error::validation("format must be json or csv", "format");
        OPZ_TRY(auto filter, read_filter(req, p));
        if (format == "csv") return csv_export(ctx, filter);
        OPZ_TRY(auto page, store::parse_page_request(req.query_or("cursor"), req.query_or("limit")));
        OPZ_TRY(auto entries, ctx.audit.list(filter, page));
        Json items = Json::array();
        for (const auto& e : entries.items) items.push_back(audit::to_json(e));
        return to_response(Reply{200, list_body(std::move(items), entries.next_cursor)});
      }));
  return add_endpoint(r, ctx, "GET", "/api/v1/audit-logs/verify", "audit.verify",
                      [&ctx](http::Request&, const auth::Principal&) -> Result<Reply> {
                        OPZ_TRY(auto rows, store::AuditStore(ctx.db, ctx.clock).chain());
                        return Reply{200, verify_json(rows)};
                      });
}

}  // namespace opz::api
