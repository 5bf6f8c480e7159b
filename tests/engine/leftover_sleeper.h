// spawn_sleeper: a stand-in for a step a dead server left behind, used by the
// leftover-process and recovery tests: `sleep 30` in its own process group,
// its environment carrying OPZENIX_EXECUTION_ID (what recovery looks for).
#pragma once

#include <spawn.h>
#include <sys/types.h>

#include <string>

namespace opz::engine {

// The child's pid, or -1 when it could not be started.
inline pid_t spawn_sleeper(const std::string& execution_id) {
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  std::string entry = "OPZENIX_EXECUTION_ID=" + execution_id;
  char* env[] = {entry.data(), nullptr};
  char arg0[] = "sleep", arg1[] = "30";
  char* argv[] = {arg0, arg1, nullptr};
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, "sleep", nullptr, &attr, argv, env);
  posix_spawnattr_destroy(&attr);
  return rc == 0 ? pid : -1;
}

}  // namespace opz::engine
