// The OTLP trace export through the real server: a 2-node pipeline of real
// processes runs, and the recording OTLP receiver (a fake HTTP server on
// loopback, allowed by --outbound-allow) gets one trace: the execution as
// the root span, each node a child span of it, with names, statuses,
// attributes and the configured headers; a receiver answering 503 gets the
// same trace again; the counters show on /metrics; another Opzenix's
// receiver stores the spans linked to the execution (round trip); and an
// endpoint the outbound guard refuses stops the start naming the option.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <thread>

#include "support/fake_http_server.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace opz::testing {
namespace {

using nlohmann::json;

constexpr char kPipeline[] = R"yaml(name: traced
nodes:
  build:
    type: build
    run: echo "building"
  test:
    type: test
    needs: build
    run: echo "testing"; exit 3
)yaml";

json attribute(const json& attributes, const std::string& key) {
  for (const json& a : attributes)
    if (a["key"] == key) return a["value"];
  return nullptr;
}

class OtlpExportTest : public ::testing::Test {
 protected:
  void start_server(const std::string& headers = "") {
    ServerProcess::Options o;
    o.extra_args = {"--otlp-export-endpoint", receiver_.base_url()};
    if (!headers.empty()) o.env["OTEL_EXPORTER_OTLP_HEADERS"] = headers;
    server_ = std::make_unique<ServerProcess>(o);
    token_ = server_->create_user_and_login("admin@example.com", "admin");
  }
  HttpClient api() const {
    HttpClient c(server_->base_url());
    c.set_token(token_);
    return c;
  }
  std::string run_pipeline() {
    auto r = api().post("/api/v1/executions", json{{"pipeline_yaml", kPipeline},
                                                   {"environment", "Development"},
                                                   {"branch", "main"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", "");
  }
  // Waits (bounded) until the receiver has `n` requests.
  std::vector<RecordedRequest> wait_requests(size_t n, int seconds = 60) {
    for (int i = 0; i < seconds * 20 && receiver_.request_count() < n; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto requests = receiver_.requests();
    EXPECT_GE(requests.size(), n) << server_->log();
    return requests;
  }

  FakeHttpServer receiver_;
  std::unique_ptr<ServerProcess> server_;
  std::string token_;
};

TEST_F(OtlpExportTest, AFinishedExecutionArrivesAsOneTraceWithARootSpanAndAChildPerNode) {
  receiver_.set_handler([](const RecordedRequest&) { return CannedResponse::json(200, "{}"); });
  start_server("Authorization=Bearer%20otlp-token,x-tenant=ops");
  const std::string id = run_pipeline();
  auto requests = wait_requests(1);
  ASSERT_EQ(requests.size(), 1u);
  const RecordedRequest& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/v1/traces");
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(r.header("authorization"), "Bearer otlp-token");
  EXPECT_EQ(r.header("x-tenant"), "ops");

  const json body = json::parse(r.body);
  const json& resource = body["resourceSpans"][0]["resource"];
  EXPECT_EQ(attribute(resource["attributes"], "service.name")["stringValue"], "opzenix");
  const json& spans = body["resourceSpans"][0]["scopeSpans"][0]["spans"];
  ASSERT_EQ(spans.size(), 3u) << body.dump(2);

  std::string trace_id = id;
  std::erase(trace_id, '-');
  const json& root = spans[0];
  EXPECT_EQ(root["name"], "traced");
  EXPECT_EQ(root["traceId"], trace_id);
  EXPECT_FALSE(root.contains("parentSpanId"));
  EXPECT_EQ(root["status"]["code"], 2);  // failed
  EXPECT_EQ(attribute(root["attributes"], "opzenix.execution_id")["stringValue"], id);
  EXPECT_EQ(attribute(root["attributes"], "deployment.environment")["stringValue"], "Development");
  EXPECT_EQ(attribute(root["attributes"], "vcs.ref.head.name")["stringValue"], "main");
  EXPECT_EQ(attribute(root["attributes"], "opzenix.status")["stringValue"], "failed");

  std::map<std::string, json> nodes;
  for (size_t i = 1; i < spans.size(); ++i) nodes[spans[i]["name"]] = spans[i];
  ASSERT_TRUE(nodes.count("build") && nodes.count("test")) << body.dump(2);
  for (const auto& [name, span] : nodes) {
    EXPECT_EQ(span["traceId"], trace_id);
    EXPECT_EQ(span["parentSpanId"], root["spanId"]);
    EXPECT_NE(span["spanId"], root["spanId"]);
    EXPECT_EQ(attribute(span["attributes"], "opzenix.node_id")["stringValue"], name);
    EXPECT_EQ(attribute(span["attributes"], "opzenix.execution_id")["stringValue"], id);
    EXPECT_LE(std::stoll(root["startTimeUnixNano"].get<std::string>()),
              std::stoll(span["startTimeUnixNano"].get<std::string>()));
    EXPECT_LE(std::stoll(span["startTimeUnixNano"].get<std::string>()),
              std::stoll(span["endTimeUnixNano"].get<std::string>()));
  }
  EXPECT_EQ(nodes["build"]["status"]["code"], 1);
  EXPECT_EQ(nodes["test"]["status"]["code"], 2);
  EXPECT_EQ(attribute(nodes["test"]["attributes"], "process.exit_code")["intValue"], "3");
  bool logged_testing = false;
  for (const json& e : nodes["test"]["events"])
    if (e["name"] == "log" && attribute(e["attributes"], "message")["stringValue"] == "testing")
      logged_testing = true;
  EXPECT_TRUE(logged_testing) << nodes["test"].dump(2);

  auto metrics = HttpClient(server_->base_url()).get("/metrics");
  EXPECT_NE(metrics.body.find("opzenix_otlp_export_spans_total{result=\"exported\"} 3"),
            std::string::npos)
      << metrics.body;
}

TEST_F(OtlpExportTest, AReceiverAnswering503GetsTheSameTraceAgain) {
  std::atomic<int> calls{0};
  receiver_.set_handler([&calls](const RecordedRequest&) {
    return CannedResponse::json(++calls == 1 ? 503 : 200, "{}");
  });
  start_server();
  run_pipeline();
  auto requests = wait_requests(2);  // the first retry waits 1 s
  ASSERT_GE(requests.size(), 2u);
  EXPECT_EQ(requests[0].body, requests[1].body);
}

// Round trip: one Opzenix exports to another's OTLP receiver (POST /v1/traces
// with the ops ingest token in the configured headers), which stores the
// spans linked to the execution id they carry.
TEST(OtlpExportRoundTripTest, AnotherOpzenixReceivesTheSpansLinkedToTheExecution) {
  ServerProcess::Options receiver_options;
  receiver_options.env["OPS_INGEST_TOKEN"] = "round-trip-token";
  ServerProcess receiver(receiver_options);
  const std::string reader = receiver.create_user_and_login("viewer@example.com", "viewer");

  ServerProcess::Options sender_options;
  sender_options.extra_args = {"--otlp-export-endpoint", receiver.base_url()};
  sender_options.env["OTEL_EXPORTER_OTLP_HEADERS"] = "x-ops-ingest-token=round-trip-token";
  ServerProcess sender(sender_options);
  HttpClient send_api(sender.base_url());
  send_api.set_token(sender.create_user_and_login("admin@example.com", "admin"));
  auto started = send_api.post("/api/v1/executions", json{{"pipeline_yaml", kPipeline},
                                                          {"environment", "Staging"},
                                                          {"branch", "main"}});
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string id = started.json().value("id", "");
  std::string trace_id = id;
  std::erase(trace_id, '-');

  HttpClient read_api(receiver.base_url());
  read_api.set_token(reader);
  json items;
  for (int i = 0; i < 1200 && items.size() < 3; ++i) {
    auto r = read_api.get("/api/v1/telemetry/signals?otel_trace_id=" + trace_id);
    if (r.status == 200) items = r.json()["items"];
    if (items.size() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(items.size(), 3u) << items.dump(2) << "\nsender log:\n" << sender.log();
  std::map<std::string, json> by_node;
  for (const json& s : items) {
    EXPECT_EQ(s["signal_type"], "span");
    EXPECT_EQ(s["otel_trace_id"], trace_id);
    EXPECT_EQ(s["execution_id"], id);
    EXPECT_EQ(s["environment"], "Staging");
    by_node[s["node_id"].is_string() ? s["node_id"].get<std::string>() : ""] = s;
  }
  ASSERT_EQ(by_node.size(), 3u) << items.dump(2);
  EXPECT_EQ(by_node[""]["status_code"], "ERROR");
  EXPECT_EQ(by_node["build"]["status_code"], "OK");
  EXPECT_EQ(by_node["test"]["status_code"], "ERROR");
}

TEST(OtlpExportStartTest, AnEndpointTheOutboundGuardRefusesStopsTheStart) {
  TempDir dir;
  CommandResult r = run_command({opzenix_binary(), "serve", "--data-dir", dir.str(), "--listen",
                                 "127.0.0.1:0", "--otlp-export-endpoint",
                                 "http://169.254.169.254:4318"},
                                "", {}, 30);
  EXPECT_NE(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE((r.out + r.err).find("otlp-export-endpoint"), std::string::npos) << r.out << r.err;
}

}  // namespace
}  // namespace opz::testing
