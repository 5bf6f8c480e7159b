#include "runner/line_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace opz::runner {
namespace {

struct Collected {
  std::vector<std::string> lines;
  size_t consumed = 0;
};

void feed(LineSplitter& splitter, std::string_view data, Collected& out) {
  splitter.feed(data, [&](std::string_view line, size_t consumed) {
    out.lines.emplace_back(line);
    out.consumed += consumed;
  });
}

void finish(LineSplitter& splitter, Collected& out) {
  splitter.finish([&](std::string_view line, size_t consumed) {
    out.lines.emplace_back(line);
    out.consumed += consumed;
  });
}

TEST(LineSplitter, SplitsLinesAcrossChunks) {
  LineSplitter splitter;
  Collected out;
  feed(splitter, "one\ntw", out);
  EXPECT_EQ(out.lines, (std::vector<std::string>{"one"}));
  feed(splitter, "o\n\nthr", out);
  feed(splitter, "ee", out);
  EXPECT_EQ(out.lines, (std::vector<std::string>{"one", "two", ""}));
  EXPECT_EQ(splitter.pending_bytes(), 5u);
  finish(splitter, out);
  EXPECT_EQ(out.lines, (std::vector<std::string>{"one", "two", "", "three"}));
  EXPECT_EQ(out.consumed, 14u);
  EXPECT_EQ(splitter.pending_bytes(), 0u);
}

TEST(LineSplitter, FinishWithoutPendingDeliversNothing) {
  LineSplitter splitter;
  Collected out;
  feed(splitter, "a\n", out);
  finish(splitter, out);
  EXPECT_EQ(out.lines, (std::vector<std::string>{"a"}));
}

TEST(LineSplitter, DropsCrOfCrlfOnly) {
  LineSplitter splitter;
  Collected out;
  feed(splitter, "a\r\nb\rc\n\r\r\n", out);
  EXPECT_EQ(out.lines, (std::vector<std::string>{"a", "b\rc", "\r"}));
  EXPECT_EQ(out.consumed, 10u);
}

TEST(LineSplitter, CrlfSplitAcrossChunksIsStillOneLine) {
  LineSplitter splitter;
  Collected out;
  feed(splitter, "abc\r", out);
  feed(splitter, "\n", out);
  EXPECT_EQ(out.lines, (std::vector<std::string>{"abc"}));
}

TEST(LineSplitter, LineOfExactlyTheMaximumStaysWhole) {
  LineSplitter splitter;
  Collected out;
  const std::string line(kMaxLogLineBytes, 'x');
  feed(splitter, line.substr(0, 1000), out);
  feed(splitter, line.substr(1000) + "\n", out);
  ASSERT_EQ(out.lines.size(), 1u);
  EXPECT_EQ(out.lines[0], line);
  EXPECT_EQ(out.consumed, kMaxLogLineBytes + 1);
}

TEST(LineSplitter, LongerLineIsSplitIntoMaximumPieces) {
  LineSplitter splitter;
  Collected out;
  const std::string line(2 * kMaxLogLineBytes + 10, 'y');
  feed(splitter, line + "\nnext\n", out);
  ASSERT_EQ(out.lines.size(), 4u);
  EXPECT_EQ(out.lines[0].size(), kMaxLogLineBytes);
  EXPECT_EQ(out.lines[1].size(), kMaxLogLineBytes);
  EXPECT_EQ(out.lines[2], std::string(10, 'y'));
  EXPECT_EQ(out.lines[3], "next");
  EXPECT_EQ(out.consumed, line.size() + 6);
}

TEST(LineSplitter, NeverBuffersMoreThanTheMaximum) {
  LineSplitter splitter;
  Collected out;
  const std::string chunk(10000, 'z');
  for (int i = 0; i < 100; ++i) {
    feed(splitter, chunk, out);
    ASSERT_LT(splitter.pending_bytes(), kMaxLogLineBytes);
  }
  finish(splitter, out);
  EXPECT_EQ(out.consumed, 1000000u);
  for (const std::string& piece : out.lines) EXPECT_LE(piece.size(), kMaxLogLineBytes);
}

TEST(LineSplitter, SplitDoesNotCutACharacterInTwo) {
  LineSplitter splitter;
  Collected out;
  // "é" (C3 A9) straddles the 64 KiB boundary: the first piece stops before it.
  std::string line(kMaxLogLineBytes - 1, 'a');
  line += "\xC3\xA9";
  line += "bc";
  feed(splitter, line + "\n", out);
  ASSERT_EQ(out.lines.size(), 2u);
  EXPECT_EQ(out.lines[0], std::string(kMaxLogLineBytes - 1, 'a'));
  EXPECT_EQ(out.lines[1],
            "\xC3\xA9"
            "bc");
  EXPECT_EQ(out.consumed, line.size() + 1);
}

}  // namespace
}  // namespace opz::runner
