#include "http/dispatcher.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "core/ids.h"
#include "core/json.h"
#include "telemetry/metrics.h"

namespace opz::http {
namespace {

Json body_json(const Response& r) { return parse_json(r.body).value_or(Json()); }

class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(router
                    .add("GET", "/items/{id}",
                         [](Request& req) {
                           Response r = Response::json(200, Json{{"id", req.param("id")},
                                                                 {"q", req.query_or("q", "none")},
                                                                 {"rid", req.request_id}}
                                                                .dump());
                           r.headers.set("X-Evil", "a\r\nSet-Cookie: x=1");
                           r.headers.set("Content-Length", "999");
                           r.headers.set("X-Fine", "yes");
                           return r;
                         })
                    .ok());
    ASSERT_TRUE(router
                    .add(
                        "POST", "/items",
                        [](Request& req) { return Response::text(201, req.body); },
                        RouteOptions{"item.create", 64})
                    .ok());
    ASSERT_TRUE(
        router.add("GET", "/boom", [](Request&) -> Response { throw std::runtime_error("kaput"); })
            .ok());
    ASSERT_TRUE(router.add("GET", "/odd", [](Request&) { return Response::text(42, "?"); }).ok());
  }

  DispatchOptions options() {
    DispatchOptions o;
    o.max_body = 1000;
    o.metrics = &registry;
    return o;
  }

  static RequestHead head(std::string method, std::string target) {
    RequestHead h;
    h.method = std::move(method);
    h.target = std::move(target);
    h.remote_addr = "127.0.0.1:5000";
    return h;
  }

  Router router;
  telemetry::MetricsRegistry registry;
};

TEST_F(DispatcherTest, FoundRouteGetsParamsQueryAndRouteLimit) {
  Dispatcher d(router, options());
  Exchange ex = d.begin(head("GET", "/items/a%20b?q=x+y"));
  ASSERT_FALSE(ex.early.has_value());
  EXPECT_EQ(ex.route_label, "/items/{id}");
  EXPECT_EQ(ex.body_limit, 1000u);  // server default
  EXPECT_EQ(ex.request.path, "/items/a b");
  EXPECT_EQ(ex.request.remote_addr, "127.0.0.1:5000");
  Response r = d.handle(ex, "");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(body_json(r)["id"], "a b");
  EXPECT_EQ(body_json(r)["q"], "x y");
  EXPECT_EQ(r.headers.get("X-Request-Id"), ex.request.request_id);
  EXPECT_TRUE(is_uuid(ex.request.request_id));

  Exchange post = d.begin(head("POST", "/items"));
  EXPECT_EQ(post.body_limit, 64u);  // route override
}

TEST_F(DispatcherTest, UnsafeAndFramingHeadersAreDropped) {
  Dispatcher d(router, options());
  Exchange ex = d.begin(head("GET", "/items/1"));
  Response r = d.handle(ex, "");
  EXPECT_FALSE(r.headers.has("X-Evil"));
  EXPECT_FALSE(r.headers.has("Content-Length"));
  EXPECT_EQ(r.headers.get("X-Fine"), "yes");
}

TEST_F(DispatcherTest, ClientRequestIdIsKeptWhenSane) {
  Dispatcher d(router, options());
  RequestHead h = head("GET", "/items/1");
  h.headers.add("x-request-id", "trace-42");
  Exchange ex = d.begin(std::move(h));
  EXPECT_EQ(ex.request.request_id, "trace-42");
  EXPECT_EQ(d.handle(ex, "").headers.get("X-Request-Id"), "trace-42");

  RequestHead bad = head("GET", "/items/1");
  bad.headers.add("X-Request-Id", "no spaces please");
  EXPECT_TRUE(is_uuid(d.begin(std::move(bad)).request.request_id));
}

TEST_F(DispatcherTest, NotFoundAndMethodNotAllowedAreEarly) {
  Dispatcher d(router, options());
  Exchange nf = d.begin(head("GET", "/nothing"));
  ASSERT_TRUE(nf.early.has_value());
  EXPECT_EQ(nf.early->status, 404);
  EXPECT_EQ(body_json(*nf.early)["error"]["code"], "not_found");
  EXPECT_EQ(nf.route_label, "unmatched");
  EXPECT_FALSE(nf.early->headers.get("X-Request-Id").empty());

  Exchange na = d.begin(head("DELETE", "/items"));
  ASSERT_TRUE(na.early.has_value());
  EXPECT_EQ(na.early->status, 405);
  EXPECT_EQ(na.early->headers.get("Allow"), "POST");
  EXPECT_EQ(body_json(*na.early)["error"]["code"], "method_not_allowed");
  EXPECT_EQ(na.route_label, "/items");
}

TEST_F(DispatcherTest, BadTargetIs400) {
  Dispatcher d(router, options());
  for (const char* t : {"/items/%zz", "*", "http://evil/items/1", "/items/1?x=%"}) {
    Exchange ex = d.begin(head("GET", t));
    ASSERT_TRUE(ex.early.has_value()) << t;
    EXPECT_EQ(ex.early->status, 400) << t;
    EXPECT_EQ(body_json(*ex.early)["error"]["code"], "malformed") << t;
  }
}

TEST_F(DispatcherTest, BeforeHandlerCanShortCircuit) {
  DispatchOptions o = options();
  std::string seen_action;
  o.before_handler = [&](Request& req, const RouteOptions& route) -> std::optional<Response> {
    seen_action = route.action;
    if (req.header("Authorization").empty()) {
      return Response::json(401, R"({"error":{"code":"unauthorized","message":"no"}})");
    }
    return std::nullopt;
  };
  Dispatcher d(router, o);
  Exchange ex = d.begin(head("POST", "/items"));
  Response r = d.handle(ex, "hello");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(seen_action, "item.create");
  EXPECT_EQ(r.headers.get("X-Request-Id"), ex.request.request_id);

  RequestHead h = head("POST", "/items");
  h.headers.add("Authorization", "Bearer t");
  Exchange ok = d.begin(std::move(h));
  Response r2 = d.handle(ok, "hello");
  EXPECT_EQ(r2.status, 201);
  EXPECT_EQ(r2.body, "hello");
}

TEST_F(DispatcherTest, HandlerExceptionIs500WithRequestId) {
  Dispatcher d(router, options());
  Exchange ex = d.begin(head("GET", "/boom"));
  Response r = d.handle(ex, "");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(body_json(r)["error"]["code"], "internal");
  EXPECT_EQ(body_json(r)["error"]["message"],
            "internal error (request id " + ex.request.request_id + ")");
}

TEST_F(DispatcherTest, BeforeHandlerExceptionIs500) {
  DispatchOptions o = options();
  o.before_handler = [](Request&, const RouteOptions&) -> std::optional<Response> {
    throw 42;  // not even a std::exception
  };
  Dispatcher d(router, o);
  Exchange ex = d.begin(head("GET", "/items/1"));
  EXPECT_EQ(d.handle(ex, "").status, 500);
}

TEST_F(DispatcherTest, InvalidStatusFromHandlerIs500) {
  Dispatcher d(router, options());
  Exchange ex = d.begin(head("GET", "/odd"));
  EXPECT_EQ(d.handle(ex, "").status, 500);
}

TEST_F(DispatcherTest, BodyTooLargeAndReject) {
  Dispatcher d(router, options());
  Exchange ex = d.begin(head("POST", "/items"));
  Response r = d.body_too_large(ex);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(body_json(r)["error"]["code"], "payload_too_large");
  EXPECT_EQ(r.headers.get("X-Request-Id"), ex.request.request_id);

  Exchange bad = d.reject(Error::malformed("garbage"), "10.0.0.1:1");
  ASSERT_TRUE(bad.early.has_value());
  EXPECT_EQ(bad.early->status, 400);
  Exchange big = d.reject(Error::too_large("head"), "10.0.0.1:1", 431);
  EXPECT_EQ(big.early->status, 431);
}

TEST_F(DispatcherTest, FinishCountsByPatternNotPath) {
  Dispatcher d(router, options());
  for (const char* id : {"1", "2", "3"}) {
    Exchange ex = d.begin(head("GET", std::string("/items/") + id));
    d.finish(ex, 200, 10, std::chrono::milliseconds(3));
  }
  Exchange nf = d.begin(head("GET", "/nope/1"));
  d.finish(nf, 404, 10, std::chrono::milliseconds(1));
  Exchange weird = d.begin(head("BREW", "/items/1"));
  d.finish(weird, 405, 10, std::chrono::milliseconds(1));

  const std::string text = registry.render();
  EXPECT_NE(text.find("opzenix_http_requests_total{route=\"/items/{id}\",method=\"GET\","
                      "status=\"200\"} 3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("opzenix_http_requests_total{route=\"unmatched\",method=\"GET\","
                      "status=\"404\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("method=\"other\",status=\"405\"} 1\n"), std::string::npos) << text;
  // Three GETs and the 405 (it matched the path, so it has the pattern too).
  EXPECT_NE(text.find("opzenix_http_request_duration_seconds_bucket{route=\"/items/{id}\","
                      "le=\"0.005\"} 4\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("/items/1"), std::string::npos) << text;
}

TEST_F(DispatcherTest, WorksWithoutMetrics) {
  DispatchOptions o;
  Dispatcher d(router, o);
  Exchange ex = d.begin(head("GET", "/items/1"));
  EXPECT_EQ(d.handle(ex, "").status, 200);
  d.finish(ex, 200, 1, std::chrono::milliseconds(1));
}

TEST_F(DispatcherTest, TwoDispatchersShareOneRegistry) {
  Dispatcher a(router, options());
  Dispatcher b(router, options());
  Exchange ex = a.begin(head("GET", "/items/1"));
  a.finish(ex, 200, 1, std::chrono::milliseconds(1));
  b.finish(ex, 200, 1, std::chrono::milliseconds(1));
  EXPECT_NE(registry.render().find("status=\"200\"} 2\n"), std::string::npos);
}

}  // namespace
}  // namespace opz::http
