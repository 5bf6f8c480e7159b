#include "engine/leftover_processes.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
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

}  // namespace
}  // namespace opz::engine
