#include "engine/leftover_processes.h"

#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string_view>

namespace opz::engine {

namespace {

bool all_digits(const char* s) {
  if (*s == '\0') return false;
  for (; *s; ++s)
    if (*s < '0' || *s > '9') return false;
  return true;
}

// True when the environment at `path` holds `entry` and is not an agent's
// step (OPZENIX_AGENT_JOB_ID): an agent on this machine runs steps of the
// same executions, and they are its to stop (the server re-attaches to them).
bool is_own_step(const std::string& path, const std::string& entry) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  constexpr std::string_view kAgentJob = "OPZENIX_AGENT_JOB_ID=";
  bool found = false;
  size_t start = 0;
  while (start < data.size()) {
    size_t end = data.find('\0', start);
    if (end == std::string::npos) end = data.size();
    std::string_view item(data.data() + start, end - start);
    if (item == entry) found = true;
    if (item.substr(0, kAgentJob.size()) == kAgentJob) return false;
    start = end + 1;
  }
  return found;
}

}  // namespace

std::vector<pid_t> find_execution_processes(const std::string& execution_id,
                                            const std::string& proc_root) {
  std::vector<pid_t> out;
  if (execution_id.empty()) return out;
  const std::string entry = "OPZENIX_EXECUTION_ID=" + execution_id;
  DIR* dir = opendir(proc_root.c_str());
  if (!dir) return out;
  const pid_t self = getpid();
  while (dirent* e = readdir(dir)) {
    if (!all_digits(e->d_name)) continue;
    pid_t pid = static_cast<pid_t>(std::atol(e->d_name));
    if (pid == self) continue;
    if (is_own_step(proc_root + "/" + e->d_name + "/environ", entry)) out.push_back(pid);
  }
  closedir(dir);
  return out;
}

int kill_execution_processes(const std::string& execution_id) {
  int killed = 0;
  const pid_t own_group = getpgrp();
  for (pid_t pid : find_execution_processes(execution_id)) {
    pid_t group = getpgid(pid);
    if (group == pid && group != own_group) ::kill(-group, SIGKILL);
    if (::kill(pid, SIGKILL) == 0) ++killed;
  }
  return killed;
}

}  // namespace opz::engine
