// AgentProcess: a real `opzenix agent` started for a test (its own work dir
// and log file), stopped and reaped when it goes out of scope.
#pragma once

#include <sys/types.h>

#include <string>

namespace opz::testing {

class AgentProcess {
 public:
  struct Options {
    std::string server;  // base URL of the server it polls
    std::string token;   // from `opzenix agent register`
    std::string labels = "linux";
    std::string work_dir;
    std::string log_path;  // stdout and stderr
    int concurrency = 2;
    bool append_log = false;  // a restarted agent keeps its earlier log
    // How the destructor stops it: SIGTERM lets it cancel its steps and
    // report them; SIGKILL leaves nothing to report (a test's end).
    int stop_signal = 15;
  };

  explicit AgentProcess(Options options);
  ~AgentProcess();
  AgentProcess(const AgentProcess&) = delete;
  AgentProcess& operator=(const AgentProcess&) = delete;

  // Sends `sig` and reaps the process (SIGKILL after 10 s if it lingers).
  void stop(int sig);
  pid_t pid() const { return pid_; }

 private:
  int stop_signal_;
  pid_t pid_ = -1;
};

}  // namespace opz::testing
