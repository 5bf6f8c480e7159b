#include "engine/leftover_processes.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/ids.h"
#include "leftover_sleeper.h"

extern char** environ;

namespace opz::engine {
namespace {

bool reaped_within(pid_t pid, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

TEST(LeftoverProcessesTest, FindsAndKillsOnlyTheExecutionsProcesses) {
  const std::string mine = new_uuid(), other = new_uuid();
  pid_t a = spawn_sleeper(mine);
  pid_t b = spawn_sleeper(other);
  ASSERT_GT(a, 0);
  ASSERT_GT(b, 0);
  // environ is readable once exec completed; give it a moment.
  std::vector<pid_t> found;
  for (int i = 0; i < 200 && found.empty(); ++i) {
    found = find_execution_processes(mine);
    if (found.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(found, std::vector<pid_t>{a});
  EXPECT_EQ(kill_execution_processes(mine), 1);
  EXPECT_TRUE(reaped_within(a, std::chrono::seconds(5)));
  EXPECT_EQ(::kill(b, 0), 0) << "the other execution's process must survive";
  EXPECT_TRUE(find_execution_processes(new_uuid()).empty());
  EXPECT_TRUE(find_execution_processes("").empty());
  EXPECT_TRUE(find_execution_processes(mine, "/nonexistent").empty());
  ::kill(b, SIGKILL);
  EXPECT_TRUE(reaped_within(b, std::chrono::seconds(5)));
}

// A remote agent on the same machine runs steps of the same executions: the
// server's recovery must leave them to the agent (it re-attaches to them).
TEST(LeftoverProcessesTest, LeavesAnAgentsStepsAlone) {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / ("opz-proc-" + new_uuid());
  auto write_environ = [&](const char* pid, const std::string& env) {
    fs::create_directories(root / pid);
    std::ofstream(root / pid / "environ", std::ios::binary) << env;
  };
  using namespace std::string_literals;
  write_environ("101", "PATH=/bin\0OPZENIX_EXECUTION_ID=e1\0"s);
  write_environ("102", "OPZENIX_EXECUTION_ID=e1\0OPZENIX_AGENT_JOB_ID=j7\0"s);
  write_environ("103", "OPZENIX_EXECUTION_ID=e2\0"s);
  write_environ("104", "OPZENIX_EXECUTION_ID=e1x\0"s);
  EXPECT_EQ(find_execution_processes("e1", root.string()), std::vector<pid_t>{101});
  fs::remove_all(root);
}

}  // namespace
}  // namespace opz::engine
