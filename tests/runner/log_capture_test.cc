#include "runner/log_capture.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace opz::runner {
namespace {

const TimePoint kT0{std::chrono::seconds{1700000000}};
const TimePoint kT1 = kT0 + std::chrono::seconds{1};

std::vector<std::string> texts(const std::vector<LogLine>& lines) {
  std::vector<std::string> out;
  for (const LogLine& l : lines) out.push_back(l.text);
  return out;
}

TEST(LogCapture, KeepsStreamsTimestampsAndOrder) {
  LogCapture capture(1 << 20);
  capture.append(Stream::kStdout, "out1\nout", kT0);
  capture.append(Stream::kStderr, "err1\n", kT0);
  capture.append(Stream::kStdout, "2\n", kT1);
  std::vector<LogLine> lines = capture.take_lines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].text, "out1");
  EXPECT_EQ(lines[0].stream, Stream::kStdout);
  EXPECT_EQ(lines[0].at, kT0);
  EXPECT_EQ(lines[1].text, "err1");
  EXPECT_EQ(lines[1].stream, Stream::kStderr);
  EXPECT_EQ(lines[2].text, "out2");
  EXPECT_EQ(lines[2].at, kT1);
  EXPECT_FALSE(capture.has_lines());
  EXPECT_TRUE(capture.take_lines().empty());
  EXPECT_EQ(capture.log_bytes(), 15u);
  EXPECT_EQ(capture.dropped_bytes(), 0u);
  EXPECT_FALSE(capture.truncated());
}

TEST(LogCapture, FinishDeliversUnterminatedLinesOfBothStreams) {
  LogCapture capture(1 << 20);
  capture.append(Stream::kStdout, "tail-out", kT0);
  capture.append(Stream::kStderr, "tail-err", kT0);
  EXPECT_FALSE(capture.has_lines());
  capture.finish(kT1);
  std::vector<LogLine> lines = capture.take_lines();
  EXPECT_EQ(texts(lines), (std::vector<std::string>{"tail-out", "tail-err"}));
  EXPECT_EQ(lines[1].stream, Stream::kStderr);
  EXPECT_EQ(lines[0].at, kT1);
  EXPECT_EQ(capture.log_bytes(), 16u);
}

TEST(LogCapture, SanitisesText) {
  LogCapture capture(1 << 20);
  capture.append(Stream::kStdout, std::string("a\0b\xFF\r\n", 6), kT0);
  EXPECT_EQ(texts(capture.take_lines()), (std::vector<std::string>{"ab\xEF\xBF\xBD"}));
  EXPECT_EQ(capture.log_bytes(), 6u);  // raw bytes, not text bytes
}

TEST(LogCapture, CapDropsLinesAndReportsOneMarker) {
  LogCapture capture(10);
  capture.append(Stream::kStdout, "aaaa\nbbbb\n", kT0);  // exactly 10 bytes: kept
  capture.append(Stream::kStderr, "c\npartial", kT0);    // over the cap
  capture.append(Stream::kStdout, "dddd\neeee\n", kT1);
  capture.append(Stream::kStderr, "more\n", kT1);
  capture.finish(kT1);
  std::vector<LogLine> lines = capture.take_lines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].text, "aaaa");
  EXPECT_EQ(lines[1].text, "bbbb");
  EXPECT_EQ(lines[2].stream, Stream::kStderr);
  EXPECT_EQ(lines[2].text.rfind("[opzenix] log limit of 10 bytes", 0), 0u) << lines[2].text;
  EXPECT_TRUE(capture.truncated());
  EXPECT_EQ(capture.log_bytes(), 10u);
  EXPECT_EQ(capture.dropped_bytes(), 9u + 10u + 5u);  // "c\npartial", "dddd\neeee\n", "more\n"
}

TEST(LogCapture, PendingBytesAtTruncationAreCountedAsDropped) {
  LogCapture capture(4);
  capture.append(Stream::kStdout, "unterminated", kT0);
  capture.append(Stream::kStderr, "toolong\n", kT0);
  capture.append(Stream::kStdout, "\n", kT0);
  capture.finish(kT0);
  EXPECT_TRUE(capture.truncated());
  EXPECT_EQ(capture.log_bytes(), 0u);
  EXPECT_EQ(capture.log_bytes() + capture.dropped_bytes(), 12u + 8u + 1u);
  EXPECT_EQ(capture.take_lines().size(), 1u);  // only the marker
}

TEST(LogCapture, ZeroCapKeepsNothingButTheMarker) {
  LogCapture capture(0);
  capture.append(Stream::kStdout, "x\n", kT0);
  capture.append(Stream::kStdout, "y\n", kT0);
  EXPECT_EQ(capture.take_lines().size(), 1u);
  EXPECT_EQ(capture.dropped_bytes(), 4u);
}

}  // namespace
}  // namespace opz::runner
