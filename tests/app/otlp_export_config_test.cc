// The OTLP trace export's options: flags and the OTel spec's environment
// variables, validation naming the option, headers hidden from the config
// view, and the start-up check of the endpoint by the outbound guard.
#include <gtest/gtest.h>

#include "app/config.h"
#include "app/trace_exporter.h"
#include "support/temp_dir.h"

namespace opz::app {
namespace {

TEST(OtlpExportConfigTest, TheOtelEnvironmentVariablesSetEndpointAndHeaders) {
  auto c = resolve_config({}, {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"},
                               {"OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20x"}});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->otlp_export_endpoint, "http://collector:4318");
  EXPECT_EQ(c->otlp_export_headers, "Authorization=Bearer%20x");
  Json view = config_to_json(*c);
  EXPECT_EQ(view["otlp-export-endpoint"], "http://collector:4318");
  EXPECT_EQ(view["otlp-export-headers"], "(set)");  // may hold a credential

  auto flag = resolve_config({{"otlp-export-endpoint", "https://otel.example"}},
                             {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"}});
  ASSERT_TRUE(flag.ok());
  EXPECT_EQ(flag->otlp_export_endpoint, "https://otel.example");
  auto none = resolve_config({}, {});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->otlp_export_endpoint, "");
}

TEST(OtlpExportConfigTest, BadValuesAreRefusedNamingTheOption) {
  auto endpoint = resolve_config({{"otlp-export-endpoint", "ftp://collector"}}, {});
  ASSERT_FALSE(endpoint.ok());
  EXPECT_EQ(endpoint.error().field, "otlp-export-endpoint");
  auto headers = resolve_config({{"otlp-export-headers", "Authorization"}}, {});
  ASSERT_FALSE(headers.ok());
  EXPECT_EQ(headers.error().field, "otlp-export-headers");
}

class StartTraceExporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::move(store::Database::open_sqlite({.path = dir_.str() + "/t.db"})).value();
    ASSERT_TRUE(db_->migrate().ok());
  }
  Result<std::unique_ptr<TraceExporter>> start(const ServerConfig& config,
                                               const std::string& allow) {
    net::OutboundGuard guard(*net::AddressPolicy::from_list(allow));
    return start_trace_exporter(
        config, guard,
        TraceExporterDeps{*db_, bus_, clock_, metrics_,
                          [](auto&, auto&, auto&) -> Result<long> { return 200L; }});
  }
  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  engine::EventBus bus_;
  ManualClock clock_;
  telemetry::MetricsRegistry metrics_;
};

TEST_F(StartTraceExporterTest, NoEndpointNoExporter) {
  auto exporter = start(ServerConfig{}, "");
  ASSERT_TRUE(exporter.ok());
  EXPECT_EQ(*exporter, nullptr);
}

TEST_F(StartTraceExporterTest, ALoopbackEndpointIsAStartUpErrorUnlessOutboundAllowCoversIt) {
  ServerConfig config;
  config.otlp_export_endpoint = "http://127.0.0.1:4318";
  auto refused = start(config, "");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kValidation);
  EXPECT_EQ(refused.error().field, "otlp-export-endpoint");

  auto allowed = start(config, "127.0.0.0/8");
  ASSERT_TRUE(allowed.ok()) << allowed.error().message;
  ASSERT_NE(*allowed, nullptr);
  (*allowed)->stop();
}

}  // namespace
}  // namespace opz::app
