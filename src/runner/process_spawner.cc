#include "runner/process_spawner.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace opz::runner {
namespace {

std::string errno_text(int err) { return std::strerror(err); }

Error os_error(std::string_view step, int err) {
  return Error::internal(std::string(step) + ": " + errno_text(err));
}

struct Pipe {
  UniqueFd read;
  UniqueFd write;
};

Result<Pipe> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return os_error("pipe2", errno);
  Pipe p{UniqueFd(fds[0]), UniqueFd(fds[1])};
  if (::fcntl(p.read.get(), F_SETFL, O_NONBLOCK) != 0) return os_error("fcntl", errno);
  return p;
}

Status validate(const ProcessSpec& spec) {
  if (spec.command.find('\0') != std::string::npos) {
    return Error::validation("command contains a NUL byte", "command");
  }
  if (spec.cwd.find('\0') != std::string::npos) {
    return Error::validation("working directory contains a NUL byte", "cwd");
  }
  for (size_t i = 0; i < spec.env.size(); ++i) {
    const std::string& entry = spec.env[i];
    const size_t eq = entry.find('=');
    if (eq == std::string::npos || eq == 0 || entry.find('\0') != std::string::npos) {
      return Error::validation("environment entry " + std::to_string(i) + " is not KEY=VALUE",
                               "env");
    }
  }
  if (spec.nice < 0 || spec.nice > 19) {
    return Error::validation("nice must be 0..19 (raising a priority needs privileges), not " +
                                 std::to_string(spec.nice),
                             "nice");
  }
  return ok_status();
}

// The spawn attributes and file actions, released on scope exit.
class SpawnSetup {
 public:
  SpawnSetup() {
    attr_ok_ = ::posix_spawnattr_init(&attr_) == 0;
    actions_ok_ = ::posix_spawn_file_actions_init(&actions_) == 0;
  }
  ~SpawnSetup() {
    if (attr_ok_) ::posix_spawnattr_destroy(&attr_);
    if (actions_ok_) ::posix_spawn_file_actions_destroy(&actions_);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  // Returns 0 or the errno of the first failing call.
  int configure(const ProcessSpec& spec, int out_fd, int err_fd) {
    if (!attr_ok_ || !actions_ok_) return ENOMEM;
    sigset_t none;
    sigset_t all;
    sigemptyset(&none);
    sigfillset(&all);
    int rc = 0;
    short flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    if ((rc = ::posix_spawnattr_setflags(&attr_, flags)) != 0) return rc;
    if ((rc = ::posix_spawnattr_setpgroup(&attr_, 0)) != 0) return rc;
    if ((rc = ::posix_spawnattr_setsigmask(&attr_, &none)) != 0) return rc;
    if ((rc = ::posix_spawnattr_setsigdefault(&attr_, &all)) != 0) return rc;
    if ((rc = ::posix_spawn_file_actions_addopen(&actions_, 0, "/dev/null", O_RDONLY, 0)) != 0) {
      return rc;
    }
    if ((rc = ::posix_spawn_file_actions_adddup2(&actions_, out_fd, 1)) != 0) return rc;
    if ((rc = ::posix_spawn_file_actions_adddup2(&actions_, err_fd, 2)) != 0) return rc;
    // Fds another library opened without O_CLOEXEC must not reach the step.
    if ((rc = ::posix_spawn_file_actions_addclosefrom_np(&actions_, 3)) != 0) return rc;
    if (!spec.cwd.empty()) {
      if ((rc = ::posix_spawn_file_actions_addchdir_np(&actions_, spec.cwd.c_str())) != 0) {
        return rc;
      }
    }
    return 0;
  }

  const posix_spawnattr_t* attr() const { return &attr_; }
  const posix_spawn_file_actions_t* actions() const { return &actions_; }

 private:
  posix_spawnattr_t attr_;
  posix_spawn_file_actions_t actions_;
  bool attr_ok_ = false;
  bool actions_ok_ = false;
};

// posix_spawn reports the errno of whichever step failed in the child; name
// the likely culprit so the user sees "working directory ... does not exist".
Error explain_spawn_failure(const ProcessSpec& spec, int err) {
  if (!spec.cwd.empty()) {
    struct stat st;
    if (::stat(spec.cwd.c_str(), &st) != 0) {
      const int stat_err = errno;
      std::string msg =
          "working directory '" + spec.cwd + "' is not accessible: " + errno_text(stat_err);
      if (stat_err == ENOENT) return Error::not_found(std::move(msg));
      return Error::internal(std::move(msg));
    }
    if (!S_ISDIR(st.st_mode)) {
      return Error::not_found("working directory '" + spec.cwd + "' is not a directory");
    }
  }
  return Error::internal("cannot start /bin/sh: " + errno_text(err));
}

}  // namespace

Result<SpawnedProcess> spawn_process(const ProcessSpec& spec) {
  OPZ_TRY_STATUS(validate(spec));
  OPZ_TRY(Pipe out, make_pipe());
  OPZ_TRY(Pipe err, make_pipe());

  std::vector<char*> envp;
  envp.reserve(spec.env.size() + 2);
  bool has_path = false;
  for (const std::string& entry : spec.env) {
    has_path = has_path || entry.starts_with("PATH=");
    envp.push_back(const_cast<char*>(entry.c_str()));
  }
  std::string default_path;
  if (!has_path) {
    default_path = std::string("PATH=") + kDefaultPath;
    envp.push_back(default_path.data());
  }
  envp.push_back(nullptr);

  char sh[] = "/bin/sh";
  char dash_c[] = "-c";
  char* argv[] = {sh, dash_c, const_cast<char*>(spec.command.c_str()), nullptr};

  SpawnSetup setup;
  if (int rc = setup.configure(spec, out.write.get(), err.write.get()); rc != 0) {
    return os_error("posix_spawn setup", rc);
  }
  pid_t pid = -1;
  if (int rc = ::posix_spawn(&pid, sh, setup.actions(), setup.attr(), argv, envp.data()); rc != 0) {
    return explain_spawn_failure(spec, rc);
  }

  if (spec.nice > 0) {
    const int niceness = ::getpriority(PRIO_PROCESS, 0) + spec.nice;
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(pid), std::min(niceness, 19));
  }
  // The child is ours until we reap it, so its pid cannot be reused before
  // pidfd_open (nobody else may wait for it; see local_runner.h).
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) {
    const int e = errno;
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return os_error("pidfd_open", e);
  }
  SpawnedProcess spawned;
  spawned.pid = pid;
  spawned.pidfd = UniqueFd(pidfd);
  spawned.stdout_fd = std::move(out.read);
  spawned.stderr_fd = std::move(err.read);
  return spawned;  // the write ends close here: only the child holds them now
}

}  // namespace opz::runner
