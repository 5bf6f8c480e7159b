#include "telemetry/log_signature.h"

#include <gtest/gtest.h>

namespace opz::telemetry {
namespace {

TEST(LogSignatureTest, ConnectionErrorsWithDifferentAddressesAndTimesAreTheSame) {
  const std::string a = normalise_log_line("connection refused to 10.0.0.3:5432 after 3012ms");
  const std::string b = normalise_log_line("connection refused to 10.0.0.7:5432 after 2990ms");
  EXPECT_EQ(a, "connection refused to <ip>:<n> after <n>ms");
  EXPECT_EQ(a, b);
}

TEST(LogSignatureTest, ReplacesUuidsTimestampsHexAndPaths) {
  EXPECT_EQ(normalise_log_line("2024-01-15T10:30:10.123Z job 3f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b "
                               "failed at 0x7ffd12ab in /var/lib/opz/ws/main.c:42"),
            "<ts> job <uuid> failed at <hex> in <path>:<n>");
  EXPECT_EQ(normalise_log_line("commit 9fceb02d0ae598e95dc970b74767f19372d61af8 not found"),
            "commit <hex> not found");
  EXPECT_EQ(normalise_log_line("at 2024-03-01 12:00:01+02:00 cannot open ./build/out.o"),
            "at <ts> cannot open <path>");
  EXPECT_EQ(normalise_log_line("date 2024-03-01 only"), "date <ts> only");
}

TEST(LogSignatureTest, KeepsWordsThatOnlyLookNumericInParts) {
  // A hex-looking word without digits is a word; digits inside a word are numbers.
  EXPECT_EQ(normalise_log_line("deadbeef error in step2"), "deadbeef error in step<n>");
  EXPECT_EQ(normalise_log_line("a / b"), "a / b");  // a lone slash is not a path
  EXPECT_EQ(normalise_log_line("version 1.2.3"), "version <n>.<n>");
}

TEST(LogSignatureTest, CollapsesBlanksTrimsAndCutsLongLines) {
  EXPECT_EQ(normalise_log_line("  too \t many   spaces \r"), "too many spaces");
  const std::string cut = normalise_log_line(std::string(500, 'x'));
  EXPECT_EQ(cut.size(), kMaxSignatureBytes);
  // A cut never splits a UTF-8 character.
  std::string accents;
  for (int i = 0; i < 150; ++i) accents += "\xc3\xa9";  // é
  const std::string cut_utf8 = normalise_log_line(accents);
  EXPECT_LE(cut_utf8.size(), kMaxSignatureBytes);
  EXPECT_EQ(cut_utf8.size() % 2, 0u);
}

TEST(LogSignatureTest, PicksTheLastErrorLookingLineElseTheLastLine) {
  EXPECT_EQ(last_error_line("starting\nERROR: disk full\ncleaning up\n\n"), "ERROR: disk full");
  EXPECT_EQ(last_error_line("one\nFailed to connect\nTimed out waiting\nbye"), "Timed out waiting");
  EXPECT_EQ(last_error_line("just output\n  last line  \r\n"), "last line");
  EXPECT_EQ(last_error_line(""), "");
  EXPECT_EQ(last_error_line("\n \n"), "");
}

TEST(LogSignatureTest, FallsBackToTheEngineDescriptionWithoutOutput) {
  EXPECT_EQ(log_signature("", "step 1/1 'run' exited with code 3"),
            "step <n>/<n> 'run' exited with code <n>");
  EXPECT_EQ(log_signature("x\nerror 7\n", "ignored"), "error <n>");
}

}  // namespace
}  // namespace opz::telemetry
