#include "telemetry/metrics.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <thread>

namespace opz::telemetry {
namespace {

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

TEST(Counter, IncrementsAndIgnoresNegativeAndNan) {
  Counter c;
  c.inc();
  c.inc(2.5);
  c.inc(-10);
  c.inc(std::nan(""));
  EXPECT_DOUBLE_EQ(c.value(), 3.5);
}

TEST(Gauge, SetIncDec) {
  Gauge g;
  g.set(10);
  g.inc(2);
  g.dec(5);
  EXPECT_DOUBLE_EQ(g.value(), 7);
  g.dec(10);
  EXPECT_DOUBLE_EQ(g.value(), -3);
}

TEST(Histogram, BucketsAreInclusiveAndCumulative) {
  Histogram h({0.1, 1, 10});
  for (double v : {0.05, 0.1, 0.5, 1.0, 5.0, 100.0}) h.observe(v);
  h.observe(std::nan(""));
  auto s = h.snapshot();
  EXPECT_EQ(s.cumulative, (std::vector<uint64_t>{2, 4, 5, 6}));
  EXPECT_EQ(s.count, 6u);
  EXPECT_DOUBLE_EQ(s.sum, 106.65);
}

TEST(Registry, RendersCounterWithHelpTypeAndLabels) {
  MetricsRegistry r;
  auto fam = r.counter("opzenix_runs_total", "Runs finished.", {"status"});
  ASSERT_TRUE(fam.ok());
  (*fam)->with({"succeeded"}).inc(3);
  (*fam)->with({"failed"}).inc();
  EXPECT_EQ(r.render(),
            "# HELP opzenix_runs_total Runs finished.\n"
            "# TYPE opzenix_runs_total counter\n"
            "opzenix_runs_total{status=\"failed\"} 1\n"
            "opzenix_runs_total{status=\"succeeded\"} 3\n");
}

TEST(Registry, UnlabelledFamiliesExistFromRegistration) {
  MetricsRegistry r;
  ASSERT_TRUE(r.gauge("opzenix_queue_depth", "Queued runs.").ok());
  ASSERT_TRUE(r.counter("opzenix_things_total", "Things.", {"kind"}).ok());
  const std::string text = r.render();
  EXPECT_TRUE(contains(text, "opzenix_queue_depth 0\n")) << text;
  // A labelled family without children is omitted entirely.
  EXPECT_FALSE(contains(text, "opzenix_things_total")) << text;
}

TEST(Registry, RendersHistogramBucketsSumCount) {
  MetricsRegistry r;
  auto fam = r.histogram("opzenix_step_seconds", "Step time.", {"step"}, {0.5, 2});
  ASSERT_TRUE(fam.ok());
  Histogram& h = (*fam)->with({"build"});
  h.observe(0.25);
  h.observe(1);
  h.observe(3);
  EXPECT_EQ(r.render(),
            "# HELP opzenix_step_seconds Step time.\n"
            "# TYPE opzenix_step_seconds histogram\n"
            "opzenix_step_seconds_bucket{step=\"build\",le=\"0.5\"} 1\n"
            "opzenix_step_seconds_bucket{step=\"build\",le=\"2\"} 2\n"
            "opzenix_step_seconds_bucket{step=\"build\",le=\"+Inf\"} 3\n"
            "opzenix_step_seconds_sum{step=\"build\"} 4.25\n"
            "opzenix_step_seconds_count{step=\"build\"} 3\n");
}

TEST(Registry, DefaultBucketsAndTrailingInfIsDropped) {
  MetricsRegistry r;
  auto a = r.histogram("a_seconds", "A.");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ((*a)->buckets(), default_latency_buckets());
  auto b = r.histogram("b_seconds", "B.", {}, {1, std::numeric_limits<double>::infinity()});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ((*b)->buckets(), std::vector<double>{1});
  // a: HELP, TYPE, 11 + 1 buckets, sum, count; b: HELP, TYPE, 1 + 1 buckets, sum, count.
  const std::string text = r.render();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 16 + 6) << text;
  EXPECT_TRUE(contains(text, "b_seconds_bucket{le=\"1\"} 0\n")) << text;
  EXPECT_TRUE(contains(text, "b_seconds_bucket{le=\"+Inf\"} 0\n")) << text;
}

TEST(Registry, EscapesLabelValuesAndHelp) {
  MetricsRegistry r;
  auto fam = r.counter("odd_total", "Help with \\ and\nnewline.", {"v"});
  ASSERT_TRUE(fam.ok());
  (*fam)->with({"quote\" backslash\\ newline\n"}).inc();
  const std::string text = r.render();
  EXPECT_TRUE(contains(text, "# HELP odd_total Help with \\\\ and\\nnewline.\n")) << text;
  EXPECT_TRUE(contains(text, "odd_total{v=\"quote\\\" backslash\\\\ newline\\n\"} 1\n")) << text;
}

TEST(Registry, LabelValueCountIsNormalized) {
  MetricsRegistry r;
  auto fam = r.counter("pairs_total", "P.", {"a", "b"});
  ASSERT_TRUE(fam.ok());
  (*fam)->with({"1"}).inc();
  (*fam)->with({"1", "", "extra"}).inc();  // same child as above
  (*fam)->with({"x\xFFy", "2"}).inc();
  const std::string text = r.render();
  EXPECT_TRUE(contains(text, "pairs_total{a=\"1\",b=\"\"} 2\n")) << text;
  EXPECT_TRUE(contains(text, "pairs_total{a=\"x\xEF\xBF\xBDy\",b=\"2\"} 1\n")) << text;
}

TEST(Registry, HandlesAreStable) {
  MetricsRegistry r;
  auto fam = r.counter("h_total", "H.", {"k"});
  ASSERT_TRUE(fam.ok());
  Counter& first = (*fam)->with({"a"});
  for (int i = 0; i < 100; ++i) (*fam)->with({std::to_string(i)});
  EXPECT_EQ(&first, &(*fam)->with({"a"}));
}

TEST(Registry, ReRegisteringSameShapeReturnsSameFamily) {
  MetricsRegistry r;
  auto a = r.counter("x_total", "X.", {"k"});
  auto b = r.counter("x_total", "X again.", {"k"});
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*a, *b);
}

TEST(Registry, ConflictingShapeIsRejected) {
  MetricsRegistry r;
  ASSERT_TRUE(r.counter("x_total", "X.", {"k"}).ok());
  ASSERT_TRUE(r.histogram("lat_seconds", "L.", {}, {1, 2}).ok());
  auto labels = r.counter("x_total", "X.", {"other"});
  ASSERT_FALSE(labels.ok());
  EXPECT_EQ(labels.error().code, ErrorCode::kConflict);
  EXPECT_FALSE(r.histogram("lat_seconds", "L.", {}, {1, 3}).ok());
  EXPECT_FALSE(r.gauge("lat_seconds", "L.").ok());
}

TEST(Registry, RejectsBadNames) {
  MetricsRegistry r;
  EXPECT_FALSE(r.counter("runs", "missing _total").ok());
  EXPECT_FALSE(r.counter("Runs_total", "upper case").ok());
  EXPECT_FALSE(r.counter("1runs_total", "leading digit").ok());
  EXPECT_FALSE(r.counter("a-b_total", "dash").ok());
  EXPECT_FALSE(r.counter("a:b_total", "colon").ok());
  EXPECT_FALSE(r.counter("", "empty").ok());
  EXPECT_FALSE(r.gauge("depth_total", "gauge ending in _total").ok());
  EXPECT_FALSE(r.gauge("depth_count", "reserved suffix").ok());
  EXPECT_FALSE(r.histogram("lat_bucket", "reserved suffix").ok());
  EXPECT_FALSE(r.gauge("depth", "").ok());
  auto bad = r.gauge("depth", "bad label", {"__x"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kValidation);
  EXPECT_FALSE(r.gauge("depth", "bad label", {"a-b"}).ok());
  EXPECT_FALSE(r.gauge("depth", "dup label", {"a", "a"}).ok());
  EXPECT_FALSE(r.histogram("lat_seconds", "le reserved", {"le"}).ok());
  EXPECT_FALSE(r.histogram("lat_seconds", "not increasing", {}, {1, 1}).ok());
  EXPECT_FALSE(r.histogram("lat_seconds", "nan", {}, {std::nan("")}).ok());
  EXPECT_EQ(r.render(), "");
}

TEST(Registry, ConcurrentIncrementsAreNotLost) {
  MetricsRegistry r;
  auto fam = r.counter("c_total", "C.", {"t"});
  auto hist = r.histogram("d_seconds", "D.", {"t"}, {1});
  ASSERT_TRUE(fam.ok());
  ASSERT_TRUE(hist.ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10000; ++i) {
        (*fam)->with({std::to_string(i % 3)}).inc();
        (*hist)->with({"x"}).observe(t);
        if (i % 1000 == 0) (void)r.render();
      }
    });
  }
  for (auto& t : threads) t.join();
  double total = 0;
  for (int k = 0; k < 3; ++k) total += (*fam)->with({std::to_string(k)}).value();
  EXPECT_DOUBLE_EQ(total, 40000);
  EXPECT_EQ((*hist)->with({"x"}).snapshot().count, 40000u);
}

// Runs `promtool check metrics` on `text`; returns its exit code, or -1 when
// promtool is missing. `output` receives what it printed.
int promtool_check(const std::string& text, std::string& output) {
  if (access("/usr/bin/promtool", X_OK) != 0) return -1;
  char in_path[] = "/tmp/opz_metrics_XXXXXX";
  const int fd = mkstemp(in_path);
  if (fd < 0) return -2;
  close(fd);
  std::ofstream(in_path) << text;
  const std::string out_path = std::string(in_path) + ".out";
  const std::string cmd =
      "/usr/bin/promtool check metrics < " + std::string(in_path) + " > " + out_path + " 2>&1";
  const int status = std::system(cmd.c_str());
  std::stringstream buf;
  buf << std::ifstream(out_path).rdbuf();
  output = buf.str();
  std::remove(in_path);
  std::remove(out_path.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -3;
}

TEST(Registry, ExpositionPassesPromtool) {
  MetricsRegistry r;
  auto requests =
      r.counter("opzenix_http_requests_total", "HTTP requests.", {"route", "method", "status"});
  auto depth = r.gauge("opzenix_queue_depth", "Queued runs.");
  auto temp = r.gauge("opzenix_temperature_celsius", "A gauge that goes negative.", {"where"});
  auto lat = r.histogram("opzenix_http_request_duration_seconds", "Latency.", {"route"});
  auto bare = r.histogram("opzenix_step_duration_seconds", "Steps.\nSecond line \\ here.");
  ASSERT_TRUE(requests.ok() && depth.ok() && temp.ok() && lat.ok() && bare.ok());
  (*requests)->with({"/api/v1/executions/{id}", "GET", "200"}).inc(17);
  (*requests)->with({"weird \"route\" \\ with\nnewline", "POST", "500"}).inc();
  (*requests)->with({"\xFF\xFE invalid utf8", "other", "400"}).inc();
  (*depth)->with().set(4);
  (*temp)->with({"outside"}).set(-12.5);
  (*temp)->with({"space"}).set(-std::numeric_limits<double>::infinity());
  (*lat)->with({"/api/v1/executions/{id}"}).observe(0.003);
  (*lat)->with({"/api/v1/executions/{id}"}).observe(42);
  (*lat)->with({"unmatched"}).observe(0.2);
  (*bare)->with().observe(1.5);

  const std::string text = r.render();
  std::string output;
  const int rc = promtool_check(text, output);
  if (rc == -1) GTEST_SKIP() << "promtool not installed";
  EXPECT_EQ(rc, 0) << "promtool said:\n" << output << "\non:\n" << text;
}

TEST(Registry, PromtoolCatchesBrokenText) {
  // Guards the check above: promtool must actually reject bad exposition.
  std::string output;
  const int rc = promtool_check("# TYPE x counter\nx{a=\"unterminated} 1\n", output);
  if (rc == -1) GTEST_SKIP() << "promtool not installed";
  EXPECT_NE(rc, 0) << output;
}

}  // namespace
}  // namespace opz::telemetry
