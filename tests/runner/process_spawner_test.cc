#include "runner/process_spawner.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "support/temp_dir.h"

namespace opz::runner {
namespace {

struct Finished {
  std::string out;
  std::string err;
  int status = 0;
};

// Reads both pipes to EOF (bounded to 5 s) and reaps the child.
Finished run_to_end(SpawnedProcess& p) {
  Finished f;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while ((p.stdout_fd || p.stderr_fd) && std::chrono::steady_clock::now() < give_up) {
    pollfd fds[2] = {{p.stdout_fd.get(), POLLIN, 0}, {p.stderr_fd.get(), POLLIN, 0}};
    ::poll(fds, 2, 100);
    for (int i = 0; i < 2; ++i) {
      UniqueFd& fd = i == 0 ? p.stdout_fd : p.stderr_fd;
      if (!fd || fds[i].revents == 0) continue;
      char buf[4096];
      const ssize_t n = ::read(fd.get(), buf, sizeof buf);
      if (n > 0) {
        (i == 0 ? f.out : f.err).append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EAGAIN) {
        fd.reset();
      }
    }
  }
  ::kill(-p.pid, SIGKILL);  // only matters if the test failed and something hangs
  ::waitpid(p.pid, &f.status, 0);
  return f;
}

Finished run(ProcessSpec spec) {
  Result<SpawnedProcess> p = spawn_process(spec);
  EXPECT_TRUE(p.ok()) << p.error().to_string();
  if (!p.ok()) return {};
  return run_to_end(*p);
}

ProcessSpec shell(std::string command) {
  ProcessSpec spec;
  spec.command = std::move(command);
  return spec;
}

TEST(SpawnProcess, RunsShellCommandWithSeparatePipes) {
  Finished f = run(shell("echo out; echo err >&2; exit 7"));
  EXPECT_EQ(f.out, "out\n");
  EXPECT_EQ(f.err, "err\n");
  ASSERT_TRUE(WIFEXITED(f.status));
  EXPECT_EQ(WEXITSTATUS(f.status), 7);
}

TEST(SpawnProcess, ParentEndsAreCloexecAndNonBlocking) {
  Result<SpawnedProcess> p = spawn_process(shell("true"));
  ASSERT_TRUE(p.ok());
  for (int fd : {p->stdout_fd.get(), p->stderr_fd.get(), p->pidfd.get()}) {
    EXPECT_TRUE(::fcntl(fd, F_GETFD) & FD_CLOEXEC) << fd;
  }
  EXPECT_TRUE(::fcntl(p->stdout_fd.get(), F_GETFL) & O_NONBLOCK);
  EXPECT_TRUE(::fcntl(p->stderr_fd.get(), F_GETFL) & O_NONBLOCK);
  run_to_end(*p);
}

TEST(SpawnProcess, ChildLeadsItsOwnProcessGroup) {
  Finished f = run(shell("echo $$ $(cut -d' ' -f5 /proc/$$/stat)"));
  const size_t space = f.out.find(' ');
  ASSERT_NE(space, std::string::npos) << f.out;
  EXPECT_EQ(f.out.substr(0, space) + "\n", f.out.substr(space + 1));
  EXPECT_NE(f.out.substr(0, space), std::to_string(::getpgrp()));
}

TEST(SpawnProcess, EnvironmentIsExactlyTheSpecPlusDefaultPath) {
  ::setenv("OPZ_SPAWN_TEST_INHERITED", "leak", 1);
  ProcessSpec spec = shell("echo \"$GREETING|$PATH|${OPZ_SPAWN_TEST_INHERITED-unset}\"");
  spec.env = {"GREETING=hello world"};
  EXPECT_EQ(run(spec).out, std::string("hello world|") + kDefaultPath + "|unset\n");
  spec.env.push_back("PATH=/bin");
  EXPECT_EQ(run(spec).out, "hello world|/bin|unset\n");
  ::unsetenv("OPZ_SPAWN_TEST_INHERITED");
}

TEST(SpawnProcess, HonoursWorkingDirectory) {
  opz::testing::TempDir dir;
  ProcessSpec spec = shell("pwd -P");
  spec.cwd = dir.str();
  EXPECT_EQ(run(spec).out, std::filesystem::canonical(dir.path()).string() + "\n");
}

TEST(SpawnProcess, StdinIsDevNull) {
  Finished f = run(shell("read x; echo \"rc=$? x=[$x]\""));
  EXPECT_EQ(f.out, "rc=1 x=[]\n");
}

TEST(SpawnProcess, NoParentFileDescriptorReachesTheChild) {
  // One fd with close-on-exec, one without (as a careless library would open it).
  const int with_cloexec = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const int without_cloexec = ::open("/dev/null", O_RDONLY);
  ASSERT_GE(with_cloexec, 3);
  ASSERT_GE(without_cloexec, 3);
  // ls opens the directory itself: exactly one fd beyond 0, 1, 2.
  Finished f = run(shell("ls /proc/self/fd | sort -n | tr '\\n' ' '"));
  EXPECT_EQ(f.out, "0 1 2 3 ");
  ::close(with_cloexec);
  ::close(without_cloexec);
}

TEST(SpawnProcess, ChildStartsWithEmptySignalMaskAndDefaultDispositions) {
  sigset_t block;
  sigset_t old_mask;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  ASSERT_EQ(::pthread_sigmask(SIG_BLOCK, &block, &old_mask), 0);
  struct sigaction ignore {};
  struct sigaction old_pipe {};
  ignore.sa_handler = SIG_IGN;
  ASSERT_EQ(::sigaction(SIGPIPE, &ignore, &old_pipe), 0);

  Finished f = run(shell("grep -E '^(SigBlk|SigIgn)' /proc/self/status"));

  ::sigaction(SIGPIPE, &old_pipe, nullptr);
  ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  // "SigBlk:\t<hex>\nSigIgn:\t<hex>\n"
  ASSERT_EQ(f.out.size(), 2 * (8 + 16 + 1)) << f.out;
  const uint64_t blocked = std::stoull(f.out.substr(8, 16), nullptr, 16);
  const uint64_t ignored = std::stoull(f.out.substr(25 + 8, 16), nullptr, 16);
  EXPECT_EQ(blocked, 0u);
  // Signals 1..31 all at their defaults. glibc's posix_spawn leaves its two
  // internal real-time signals (32, 33) ignored; nothing else uses them.
  EXPECT_EQ(ignored & 0x7FFFFFFFu, 0u) << f.out;
}

TEST(SpawnProcess, MissingWorkingDirectoryIsNotFound) {
  ProcessSpec spec = shell("true");
  spec.cwd = "/nonexistent/opz-runner-test";
  Result<SpawnedProcess> p = spawn_process(spec);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, ErrorCode::kNotFound);
  EXPECT_NE(p.error().message.find("/nonexistent/opz-runner-test"), std::string::npos);
  EXPECT_NE(p.error().message.find("working directory"), std::string::npos);
}

TEST(SpawnProcess, WorkingDirectoryThatIsAFileIsRejected) {
  opz::testing::TempDir dir;
  ProcessSpec spec = shell("true");
  spec.cwd = dir.write("file.txt", "x");
  Result<SpawnedProcess> p = spawn_process(spec);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message.find("not a directory"), std::string::npos) << p.error().message;
}

TEST(SpawnProcess, RejectsSpecsThatCannotBeRun) {
  ProcessSpec nul = shell(std::string("echo a\0b", 8));
  EXPECT_EQ(spawn_process(nul).error().code, ErrorCode::kValidation);
  ProcessSpec bad_env = shell("true");
  bad_env.env = {"GOOD=1", "NOEQUALS"};
  Result<SpawnedProcess> p = spawn_process(bad_env);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, ErrorCode::kValidation);
  EXPECT_NE(p.error().message.find("entry 1"), std::string::npos);
  bad_env.env = {"=value"};
  EXPECT_FALSE(spawn_process(bad_env).ok());
  for (int nice : {-1, 20}) {
    ProcessSpec greedy = shell("true");
    greedy.nice = nice;
    Result<SpawnedProcess> q = spawn_process(greedy);
    ASSERT_FALSE(q.ok()) << nice;
    EXPECT_EQ(q.error().code, ErrorCode::kValidation);
    EXPECT_EQ(q.error().field, "nice");
  }
}

// The niceness the process reads from /proc for itself (field 19 of stat).
constexpr const char* kOwnNiceness = "sleep 0.1; cut -d' ' -f19 /proc/self/stat";

TEST(SpawnProcess, NiceRaisesTheNicenessOfTheChildAndWhatItStarts) {
  const int base = ::getpriority(PRIO_PROCESS, 0);
  EXPECT_EQ(run(shell(kOwnNiceness)).out, std::to_string(base) + "\n");
  ProcessSpec niced = shell(kOwnNiceness);
  niced.nice = 7;
  EXPECT_EQ(run(niced).out, std::to_string(std::min(base + 7, 19)) + "\n");
  niced.nice = 19;
  EXPECT_EQ(run(niced).out, "19\n");
}

}  // namespace
}  // namespace opz::runner
