// The agent's command line (agent_cli/agent_cli.h): what `opzenix agent`
// parses reaches the run, and run_arguments() — what `opzenix agent` hands
// the slim `opzenix-agent` it execs — parses back to the same run.
#include "agent_cli/agent_cli.h"

#include <gtest/gtest.h>

#include <optional>

namespace opz::agent_cli {
namespace {

// Parses `argv` (after the program name) as the agent command; the args the
// run form was called with, or nullopt when it was not called.
std::optional<AgentArgs> parse(std::vector<std::string> argv, int* exit_code = nullptr) {
  CLI::App app("agent");
  int code = 0;
  std::optional<AgentArgs> ran;
  define_agent_command(app, code, [&ran](const AgentArgs& a) {
    ran = a;
    return 0;
  });
  std::reverse(argv.begin(), argv.end());  // CLI11 takes them last to first
  try {
    app.parse(argv);
  } catch (const CLI::ParseError& e) {
    if (exit_code) *exit_code = app.exit(e);
    return std::nullopt;
  }
  if (exit_code) *exit_code = code;
  return ran;
}

TEST(AgentCommandLine, MirrorRetentionReachesTheRunAndDefaultsToTwoWeeks) {
  auto plain = parse({"--server", "http://a:1", "--token", "t"});
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->mirror_unused_days, 14);
  auto kept = parse({"--server", "http://a:1", "--token", "t", "--mirror-unused-days", "0"});
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->mirror_unused_days, 0);
}

TEST(AgentCommandLine, RefusesANegativeOrHugeRetention) {
  for (const char* bad : {"-1", "4000", "soon"}) {
    int code = 0;
    EXPECT_FALSE(
        parse({"--server", "http://a:1", "--token", "t", "--mirror-unused-days", bad}, &code))
        << bad;
    EXPECT_NE(code, 0) << bad;
  }
}

TEST(AgentCommandLine, TheSlimAgentsArgumentsParseBackToTheSameRunWithoutTheToken) {
  auto given = parse({"--server", "http://a:1,http://b:2", "--token", "secret-token", "--labels",
                      "linux,docker", "--concurrency", "3", "--work-dir", "/var/agent",
                      "--mirror-unused-days", "3"});
  ASSERT_TRUE(given.has_value());
  const std::vector<std::string> forwarded = run_arguments(*given);
  for (const std::string& a : forwarded) EXPECT_EQ(a.find("secret-token"), std::string::npos);
  std::vector<std::string> with_token = forwarded;
  with_token.insert(with_token.end(), {"--token", "secret-token"});
  auto again = parse(with_token);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->servers, given->servers);
  EXPECT_EQ(again->labels, "linux,docker");
  EXPECT_EQ(again->concurrency, 3);
  EXPECT_EQ(again->work_dir, "/var/agent");
  EXPECT_EQ(again->mirror_unused_days, 3);
}

}  // namespace
}  // namespace opz::agent_cli
