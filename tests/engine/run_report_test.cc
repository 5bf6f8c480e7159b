#include "engine/run_report.h"

#include <gtest/gtest.h>

namespace opz::engine {
namespace {

TEST(RunReportTest, StatusWords) {
  EXPECT_EQ(status_word("success", "running"), "ok");
  EXPECT_EQ(status_word("failed", "running"), "FAIL");
  EXPECT_EQ(status_word("skipped", "pending"), "skip");
  EXPECT_EQ(status_word("cancelled", "running"), "cancel");
  EXPECT_EQ(status_word("pending", "running"), "retry");
  EXPECT_EQ(status_word("waiting", "pending"), "wait");
  EXPECT_EQ(status_word("queued", "pending"), "queued");
}

TEST(RunReportTest, ShortDurations) {
  using std::chrono::milliseconds;
  EXPECT_EQ(short_duration(milliseconds(0)), "0.0s");
  EXPECT_EQ(short_duration(milliseconds(420)), "0.4s");
  EXPECT_EQ(short_duration(milliseconds(12'345)), "12.3s");
  EXPECT_EQ(short_duration(milliseconds(125'000)), "2m05s");
  EXPECT_EQ(short_duration(milliseconds(3'720'000)), "1h02m");
  EXPECT_EQ(short_duration(milliseconds(-5)), "0.0s");
}

TEST(RunReportTest, ProgressLines) {
  EXPECT_EQ(progress_line(12, 200, "ok", "build", 400), "[ 12/200] ok    build (0.4s)");
  EXPECT_EQ(progress_line(3, 3, "FAIL", "test", 1500, "exited with code 1"),
            "[3/3] FAIL  test (1.5s) - exited with code 1");
  EXPECT_EQ(progress_line(1, 10, "skip", "deploy", std::nullopt), "[ 1/10] skip  deploy");
  EXPECT_EQ(progress_line(7, 1000, "cancel", "x", std::nullopt), "[   7/1000] cancel x");
}

}  // namespace
}  // namespace opz::engine
