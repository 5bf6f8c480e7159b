// LocalRunner: timeouts, cancellation, leftover background processes and
// shutdown, with real processes and real signals.
#include "runner/local_runner.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "runner/process_recorder.h"
#include "runner/running_process.h"
#include "support/temp_dir.h"

namespace opz::runner {
namespace {

using namespace std::chrono_literals;
using testing::ProcessRecorder;
using testing::shell;
using Clock = std::chrono::steady_clock;

// True when `pid` no longer runs: gone, or a zombie waiting for init to reap it.
bool process_gone(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(stat, text)) return true;
  const size_t paren = text.rfind(')');
  return paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] == 'Z';
}

bool wait_gone(pid_t pid, std::chrono::milliseconds limit = 1s) {
  const auto until = Clock::now() + limit;
  while (!process_gone(pid)) {
    if (Clock::now() > until) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

std::vector<pid_t> pids_of(ProcessRecorder& rec) {
  std::vector<pid_t> pids;
  for (const std::string& text : rec.texts(Stream::kStdout)) {
    if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) {
      pids.push_back(static_cast<pid_t>(std::stol(text)));
    }
  }
  return pids;
}

TEST(LocalRunnerStop, TimeoutTerminatesTheGroup) {
  LocalRunner runner;
  ProcessRecorder rec;
  ProcessSpec spec = shell("sleep 30");
  spec.timeout = 100ms;
  const auto t0 = Clock::now();
  runner.start(spec, rec.callbacks());
  ASSERT_TRUE(rec.wait_exit(2s));
  const ProcessResult r = rec.result();
  EXPECT_TRUE(r.timed_out);
  EXPECT_FALSE(r.cancelled);
  EXPECT_FALSE(r.success());
  EXPECT_EQ(r.exit_code, -1);
  EXPECT_EQ(r.signal, SIGTERM);
  EXPECT_GE(rec.exited_at() - t0, 100ms);
  EXPECT_LT(rec.exited_at() - t0, 600ms);
  EXPECT_GE(r.duration, 100ms);
}

TEST(LocalRunnerStop, TimeoutKillsAProcessThatIgnoresTerm) {
  LocalRunner runner;
  ProcessRecorder rec;
  ProcessSpec spec = shell("trap '' TERM; sleep 30");
  spec.timeout = 100ms;
  spec.kill_grace = 300ms;
  const auto t0 = Clock::now();
  runner.start(spec, rec.callbacks());
  ASSERT_TRUE(rec.wait_exit(2s));
  EXPECT_TRUE(rec.result().timed_out);
  EXPECT_EQ(rec.result().signal, SIGKILL);
  EXPECT_GE(rec.exited_at() - t0, 400ms);
  EXPECT_LT(rec.exited_at() - t0, 400ms + 300ms);
}

TEST(LocalRunnerStop, ProcessFinishingBeforeItsTimeoutIsNotTimedOut) {
  LocalRunner runner;
  ProcessRecorder rec;
  ProcessSpec spec = shell("echo fast");
  spec.timeout = 5s;
  runner.start(spec, rec.callbacks());
  ASSERT_TRUE(rec.wait_exit());
  EXPECT_FALSE(rec.result().timed_out);
  EXPECT_TRUE(rec.result().success());
}

TEST(LocalRunnerStop, CancelStopsAProcessIgnoringTermAfterTheGrace) {
  LocalRunner runner;
  ProcessRecorder rec;
  ProcessSpec spec = shell("trap '' TERM; echo ready; sleep 30");
  spec.kill_grace = 300ms;
  const ProcessId id = runner.start(spec, rec.callbacks());
  ASSERT_TRUE(rec.wait_lines(1));
  const auto t0 = Clock::now();
  runner.cancel(id);
  ASSERT_TRUE(rec.wait_exit(2s));
  EXPECT_TRUE(rec.result().cancelled);
  EXPECT_FALSE(rec.result().timed_out);
  EXPECT_EQ(rec.result().signal, SIGKILL);
  EXPECT_GE(rec.exited_at() - t0, 250ms);
  EXPECT_LT(rec.exited_at() - t0, 300ms + 300ms);
}

TEST(LocalRunnerStop, CancelWithTermHonouredIsQuick) {
  LocalRunner runner;
  ProcessRecorder rec;
  const ProcessId id = runner.start(shell("echo ready; sleep 30"), rec.callbacks());
  ASSERT_TRUE(rec.wait_lines(1));
  const auto t0 = Clock::now();
  runner.cancel(id);
  ASSERT_TRUE(rec.wait_exit(2s));
  EXPECT_TRUE(rec.result().cancelled);
  EXPECT_EQ(rec.result().signal, SIGTERM);
  EXPECT_LT(rec.exited_at() - t0, 500ms);
}

TEST(LocalRunnerStop, CancelFromInsideOnOutput) {
  LocalRunner runner;
  std::atomic<ProcessId> id{kNoProcess};
  std::atomic<int> cancels{0};
  ProcessRecorder rec;
  ProcessCallbacks recorded = rec.callbacks();
  ProcessSpec spec = shell("trap '' TERM; sleep 0.1; echo started; sleep 30");
  spec.kill_grace = 200ms;
  id = runner.start(spec, {[&](std::vector<LogLine>&& lines) {
                             if (id.load() != kNoProcess) {
                               runner.cancel(id.load());
                               ++cancels;
                             }
                             recorded.on_output(std::move(lines));
                           },
                           recorded.on_exit});
  ASSERT_TRUE(rec.wait_exit(2s));
  EXPECT_EQ(cancels.load(), 1);
  EXPECT_TRUE(rec.result().cancelled);
  EXPECT_EQ(rec.result().signal, SIGKILL);
  EXPECT_EQ(rec.texts(Stream::kStdout), (std::vector<std::string>{"started"}));
}

TEST(LocalRunnerStop, CancelOfUnknownOrFinishedProcessIsANoOp) {
  LocalRunner runner;
  runner.cancel(12345);
  runner.cancel(kNoProcess);
  ProcessRecorder rec;
  const ProcessId id = runner.start(shell("echo hi"), rec.callbacks());
  ASSERT_TRUE(rec.wait_exit());
  runner.cancel(id);
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(rec.exits(), 1);
  EXPECT_FALSE(rec.result().cancelled);
  EXPECT_TRUE(rec.result().success());
}

TEST(LocalRunnerStop, LeftoverBackgroundProcessesAreKilledAtExit) {
  LocalRunner runner;
  ProcessRecorder rec;
  const auto t0 = Clock::now();
  runner.start(shell("sleep 30 & echo $!; (sleep 30 & echo $!); "
                     "nohup sleep 30 >/dev/null 2>&1 & echo $!; echo main-done"),
               rec.callbacks());
  ASSERT_TRUE(rec.wait_exit(2s));
  EXPECT_LT(rec.exited_at() - t0, 1s);
  EXPECT_EQ(rec.result().exit_code, 0);
  EXPECT_EQ(rec.texts(Stream::kStdout).back(), "main-done");
  const std::vector<pid_t> pids = pids_of(rec);
  ASSERT_EQ(pids.size(), 3u);
  for (pid_t pid : pids) EXPECT_TRUE(wait_gone(pid)) << pid;
}

// A process that leaves the group with setsid() survives (documented
// limitation), but its open pipe must not hold the exit report back.
TEST(LocalRunnerStop, PipeHeldByEscapedProcessDoesNotHangTheExit) {
  opz::testing::TempDir dir;
  LocalRunner runner;
  ProcessRecorder rec;
  ProcessSpec spec = shell(
      "setsid sh -c 'echo $$ > escaped.pid; exec sleep 30' & "
      "while [ ! -s escaped.pid ]; do sleep 0.01; done; cat escaped.pid; echo main-done");
  spec.cwd = dir.str();
  spec.timeout = 3s;  // bounds the wait loop should setsid fail
  const auto t0 = Clock::now();
  runner.start(spec, rec.callbacks());
  ASSERT_TRUE(rec.wait_exit(4s));
  // From the main process's exit (result.duration after spawn) to the report.
  const auto took = rec.exited_at() - t0 - rec.result().duration;
  const std::vector<pid_t> pids = pids_of(rec);
  for (pid_t pid : pids) ::kill(pid, SIGKILL);  // clean up what escaped us
  ASSERT_EQ(pids.size(), 1u);
  EXPECT_EQ(rec.result().exit_code, 0);
  EXPECT_EQ(rec.texts(Stream::kStdout).back(), "main-done");
  EXPECT_GE(took, kDrainAfterExit - 5ms);  // duration is rounded down to milliseconds
  EXPECT_LT(took, kDrainAfterExit + 500ms);
}

TEST(LocalRunnerStop, ShutdownKillsReapsAndReportsEveryProcess) {
  auto runner = std::make_unique<LocalRunner>();
  std::vector<std::unique_ptr<ProcessRecorder>> recs;
  const char* commands[] = {
      "echo $$; sleep 30",
      "echo $$; sleep 30",
      "trap '' TERM; echo $$; sleep 30 & wait",
  };
  for (const char* command : commands) {
    recs.push_back(std::make_unique<ProcessRecorder>());
    runner->start(shell(command), recs.back()->callbacks());
  }
  for (auto& rec : recs) ASSERT_TRUE(rec->wait_lines(1));
  EXPECT_EQ(runner->running(), 3u);

  const auto t0 = Clock::now();
  runner->shutdown();
  EXPECT_LT(Clock::now() - t0, 1s);
  EXPECT_EQ(runner->running(), 0u);
  for (auto& rec : recs) {
    EXPECT_EQ(rec->exits(), 1);
    EXPECT_TRUE(rec->result().cancelled);
    EXPECT_EQ(rec->result().signal, SIGKILL);
    for (pid_t pid : pids_of(*rec)) {
      EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), -1);  // already reaped by the runner
      EXPECT_EQ(::kill(pid, 0), -1);
    }
  }
  // No child of this test process is left unreaped.
  errno = 0;
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);

  ProcessRecorder late;
  EXPECT_EQ(runner->start(shell("echo late"), late.callbacks()), kNoProcess);
  runner->shutdown();  // idempotent
  runner.reset();
  EXPECT_EQ(late.exits(), 0);
  EXPECT_TRUE(late.lines().empty());
}

TEST(LocalRunnerStop, DestructorStopsRunningProcesses) {
  ProcessRecorder rec;
  {
    LocalRunner runner;
    runner.start(shell("echo $$; sleep 30"), rec.callbacks());
    ASSERT_TRUE(rec.wait_lines(1));
  }
  EXPECT_EQ(rec.exits(), 1);
  EXPECT_TRUE(rec.result().cancelled);
  for (pid_t pid : pids_of(rec)) EXPECT_EQ(::kill(pid, 0), -1);
}

}  // namespace
}  // namespace opz::runner
