// PostgREST-style reads (issue 15): GET/HEAD /rest/v1/{table}, so that scripts
// and dashboards written against the seeds' Supabase backend keep working
// with only the host changed. The grammar is rest/query_parser.h, the tables
// and their row policies store/rest_catalog.h, the SQL store/rest_query_store.h;
// this file is the HTTP edge: credentials (apikey or Authorization: Bearer,
// the session cookie on GET), the Accept-Profile schema, Content-Range and the
// 200/206/416 choice as PostgREST makes it, and errors in PostgREST's shape
// (api/postgrest_error.h). No read answers more than ctx.db_max_rows rows
// (db-max-rows). Reads run on the handler pool, not an HTTP I/O thread: a
// large one must not stall the other connections of that thread. Writes are
// not offered: POST/PATCH/PUT/DELETE answer 405 pointing to /api/v1.
// docs/rest.md describes the surface.
#include <algorithm>
#include <string>
#include <string_view>

#include "api/endpoint.h"
#include "api/postgrest_error.h"
#include "api/routes.h"
#include "rest/query_parser.h"
#include "store/rest_catalog.h"
#include "store/rest_query_store.h"

namespace opz::api {

namespace {

constexpr std::string_view kPattern = "/rest/v1/{table}";
// Every signed-in role holds it: the row policies, not the role, decide what is read.
constexpr std::string_view kSelfReadAction = "self.read";

http::Response from_query_error(const rest::QueryError& e) {
  return postgrest_error(e.status, e.code, e.message, e.details, e.hint);
}

http::Response unauthenticated(const Error& e) {
  http::Response r = postgrest_error(401, "PGRST301", e.message, "",
                                     "Send a session or API token as 'apikey: <token>' or "
                                     "'Authorization: Bearer <token>'");
  r.headers.set("WWW-Authenticate", "Bearer");
  return r;
}

// The query string without Opzenix's own access_token parameter (a
// credential for browsers' event streams, not a filter).
std::string raw_query_of(const http::Request& req) {
  const size_t q = req.target.find('?');
  if (q == std::string::npos) return {};
  std::string out;
  std::string_view rest = std::string_view(req.target).substr(q + 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view part = rest.substr(0, amp);
    if (part.substr(0, 13) != "access_token=" && part != "access_token") {
      if (!out.empty()) out.push_back('&');
      out.append(part);
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return out;
}

// Row objects keep their column order (OrderedJson); invalid UTF-8 becomes
// U+FFFD, as dump_json does.
std::string dump_rows(const store::OrderedJson& j) {
  return j.dump(-1, ' ', false, store::OrderedJson::error_handler_t::replace);
}

// PostgREST's database errors for what the store refuses.
http::Response from_store_error(const Error& e) {
  switch (e.code) {
    case ErrorCode::kNotFound:
      return postgrest_error(400, "42703", e.message);
    case ErrorCode::kValidation:
      return postgrest_error(400, "22P02", e.message);
    case ErrorCode::kTooLarge:
      return postgrest_error(400, "PGRST100", e.message);
    case ErrorCode::kUnavailable:
      return postgrest_error(503, "PGRST001", e.message);
    default:
      return postgrest_error(500, "PGRST000", "the database could not answer");
  }
}

// Content-Range and the status, as PostgREST's rangeStatusHeader decides them.
http::Response rows_response(const rest::Query& q, const store::RestReadResult& read) {
  const int64_t lower = q.offset;
  const int64_t upper = lower + static_cast<int64_t>(read.rows.size()) - 1;
  const std::optional<int64_t> total = read.total;
  if (total && lower > *total) {
    return postgrest_error(416, "PGRST103", "Requested range not satisfiable",
                           "An offset of " + std::to_string(lower) +
                               " was requested, but there are only " + std::to_string(*total) +
                               " rows.");
  }
  std::string range = (total.value_or(1) != 0 && lower <= upper)
                          ? std::to_string(lower) + "-" + std::to_string(upper)
                          : "*";
  range += "/" + (total ? std::to_string(*total) : std::string("*"));
  http::Response r;
  r.status = total && upper - lower + 1 < *total ? 206 : 200;
  r.headers.set("Content-Type", "application/json; charset=utf-8");
  r.headers.set("Content-Range", std::move(range));
  r.body = dump_rows(read.rows);
  return r;
}

http::Response read_table(ApiContext& ctx, const http::Request& req) {
  auto who = authenticate_request(ctx.authenticator, req);
  if (!who) return unauthenticated(who.error());

  const store::RestCatalog& catalog = store::RestCatalog::standard();
  std::string schema(req.header("Accept-Profile"));
  if (schema.empty()) schema = "public";
  if (!catalog.has_schema(schema))
    return postgrest_error(406, "PGRST106", "Invalid schema: " + schema, "",
                           "Only the following schemas are exposed: public, ops, registry");
  const std::string& table = req.param("table");
  const store::RestRelation* relation = catalog.find(schema, table);
  if (!relation)
    return postgrest_error(
        404, "PGRST205",
        "Could not find the table '" + schema + "." + table + "' in the schema cache", "",
        "docs/rest.md lists the readable tables of each schema");

  const std::string raw_query = raw_query_of(req);
  auto query = rest::parse_query(rest::ReadRequest{raw_query, req.header("Range"),
                                                   req.header("Prefer"), req.header("Accept")});
  if (!query) return from_query_error(query.error());
  const rest::Query& q = query.value();

  const auto scope =
      store::RowScope::for_caller(*relation, who->user_id, who->role == auth::Role::kAdmin);
  // object+json asks whether exactly one row matches: two rows tell, even under a cap of 1.
  const int64_t max_rows =
      q.single_object ? std::max<int64_t>(ctx.db_max_rows, 2) : ctx.db_max_rows;
  store::RestQueryStore store(ctx.db, max_rows);
  auto read = store.read(*relation, q, scope);
  if (!read) return from_store_error(read.error());

  if (q.single_object) {
    const size_t n = read->rows.size();
    if (n != 1)
      return postgrest_error(406, "PGRST116",
                             "JSON object requested, multiple (or no) rows returned",
                             "The result contains " + std::to_string(n) + " rows");
    http::Response r;
    r.headers.set("Content-Type", "application/vnd.pgrst.object+json; charset=utf-8");
    r.headers.set("Content-Range", std::to_string(q.offset) + "-" + std::to_string(q.offset) + "/" +
                                       (read->total ? std::to_string(*read->total) : "*"));
    r.body = dump_rows(read->rows[0]);
    return r;
  }
  return rows_response(q, read.value());
}

http::Response refuse_write(ApiContext& ctx, const http::Request& req) {
  auto who = authenticate_request(ctx.authenticator, req);
  if (!who) return unauthenticated(who.error());
  http::Response r = postgrest_error(
      405, "PGRST117", "Unsupported HTTP method: " + req.method,
      "/rest/v1 offers reads only (GET, HEAD)",
      "Change data through the Opzenix API under /api/v1 (docs/api.md), which checks roles, "
      "governance and the audit trail");
  r.headers.set("Allow", "GET, HEAD");
  return r;
}

}  // namespace

Status register_rest_routes(http::Router& r, ApiContext& ctx) {
  http::RouteOptions options;
  options.action = std::string(kSelfReadAction);
  http::RouteOptions reading = options;
  reading.on_handler_pool = true;
  OPZ_TRY_STATUS(r.add(
      "GET", kPattern, [&ctx](http::Request& req) { return read_table(ctx, req); }, reading));
  for (const char* method : {"POST", "PATCH", "PUT", "DELETE"}) {
    OPZ_TRY_STATUS(r.add(
        method, kPattern, [&ctx](http::Request& req) { return refuse_write(ctx, req); }, options));
  }
  return {};
}

}  // namespace opz::api
