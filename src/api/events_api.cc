// GET /api/v1/events — the realtime event stream (server-sent events; the
// wire format in realtime/sse_frame.h, the whole story in docs/realtime.md).
//
// Query: topics=a,b (absent: every topic the caller may read; an unknown
// name is 400 naming it; a topic the role may not read is 403),
// execution_id=, project_id=, last_event_id= (the Last-Event-ID header wins
// when both are given; a malformed id is 400), batch=1 (runs of events as
// one `batch` frame each, realtime/batch_frame.h; 0 or absent: one frame per
// event; anything else is 400 naming `batch`).
// The route's action is executions.read; each topic is then filtered by its
// own read action and the per-user rules (realtime/stream_filter.h).
// Answers at once with Response::push: the hub (realtime::EventHub) writes
// the stream from its tail thread; no handler thread is held.
#include "api/endpoint.h"
#include "api/routes.h"
#include "realtime/event_hub.h"
#include "realtime/sse_frame.h"
#include "realtime/stream_filter.h"

namespace opz::api {

namespace {

constexpr const char* kAction = "executions.read";
// What may wait unsent for one client before it counts as slow.
constexpr size_t kStreamBuffer = 1 << 20;

Result<std::optional<int64_t>> last_event_id(const http::Request& req) {
  std::string text(req.header("Last-Event-ID"));
  const char* field = "Last-Event-ID";
  if (text.empty()) {
    text = req.query_or("last_event_id");
    field = "last_event_id";
  }
  if (text.empty()) return std::optional<int64_t>();
  auto id = realtime::parse_event_id(text);
  if (!id) return Error::malformed("event id '" + text + "' is not a number", field);
  return std::optional<int64_t>(*id);
}

std::optional<std::string> query_value(const http::Request& req, const std::string& key) {
  auto it = req.query.find(key);
  if (it == req.query.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

Result<realtime::Framing> framing_of(const http::Request& req) {
  const std::string value = req.query_or("batch");
  if (value.empty() || value == "0" || value == "false") return realtime::Framing::kEachEvent;
  if (value == "1" || value == "true") return realtime::Framing::kBatchRuns;
  return Error::malformed("batch must be 1 or 0, not '" + value + "'", "batch");
}

Result<realtime::StreamFilter> filter_of(const http::Request& req, const auth::Principal& who) {
  std::optional<realtime::TopicSet> topics;
  if (auto list = query_value(req, "topics")) {
    OPZ_TRY(realtime::TopicSet set, realtime::parse_topic_list(*list));
    topics = set;
  }
  realtime::StreamScope scope{query_value(req, "execution_id"), query_value(req, "project_id")};
  return realtime::StreamFilter::make(topics, std::move(scope),
                                      realtime::Viewer{who.user_id, who.role});
}

Result<http::Response> open_stream(ApiContext& ctx, http::Request& req,
                                   const auth::Principal& who) {
  if (ctx.events == nullptr) return Error::unavailable("the event stream is not running");
  OPZ_TRY(realtime::StreamFilter filter, filter_of(req, who));
  OPZ_TRY(std::optional<int64_t> after, last_event_id(req));
  OPZ_TRY(realtime::Framing framing, framing_of(req));
  auto stream = std::make_shared<http::PushStream>(kStreamBuffer);
  OPZ_TRY_STATUS(ctx.events->subscribe(stream, std::move(filter), after, framing));
  http::Response res;
  res.status = 200;
  res.headers.set("Content-Type", "text/event-stream");
  res.headers.set("Cache-Control", "no-store");
  res.headers.set("X-Accel-Buffering", "no");
  res.push = std::move(stream);
  return res;
}

}  // namespace

Status register_event_routes(http::Router& r, ApiContext& ctx) {
  return add_response_endpoint(
      r, ctx, "GET", "/api/v1/events", kAction,
      [&ctx](http::Request& req, const auth::Principal& who) { return open_stream(ctx, req, who); });
}

}  // namespace opz::api
