#include "support/agent_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <vector>

#include "support/server_process.h"

namespace opz::testing {

AgentProcess::AgentProcess(Options o) : stop_signal_(o.stop_signal) {
  std::vector<std::string> args = {opzenix_binary(), "agent",      "--server",   o.server,
                                   "--token",        o.token,      "--labels",   o.labels,
                                   "--work-dir",     o.work_dir,   "--concurrency",
                                   std::to_string(o.concurrency)};
  const int flags = O_WRONLY | O_CREAT | (o.append_log ? O_APPEND : O_TRUNC);
  pid_ = fork();
  if (pid_ == 0) {
    const int fd = open(o.log_path.c_str(), flags, 0600);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
}

AgentProcess::~AgentProcess() { stop(stop_signal_); }

void AgentProcess::stop(int sig) {
  if (pid_ <= 0) return;
  ::kill(pid_, sig);
  int status = 0;
  for (int i = 0; i < 200 && waitpid(pid_, &status, WNOHANG) == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (waitpid(pid_, &status, WNOHANG) == 0) {
    ::kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
  }
  pid_ = -1;
}

}  // namespace opz::testing
