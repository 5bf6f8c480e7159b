#include "runner/local_runner.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "runner/process_recorder.h"
#include "support/temp_dir.h"

namespace opz::runner {
namespace {

using namespace std::chrono_literals;
using testing::ProcessRecorder;
using testing::shell;

// An independent strict UTF-8 check (not the code under test).
bool is_valid_utf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<uint8_t>(s[i]);
    int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    uint32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    for (int k = 1; k < len; ++k) {
      const auto c = static_cast<uint8_t>(s[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    const uint32_t min_cp[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

TEST(LocalRunner, CapturesBothStreamsLineByLineInOrder) {
  LocalRunner runner;
  ProcessRecorder rec;
  const TimePoint before = std::chrono::system_clock::now();
  runner.start(shell("printf 'a\\nb\\n'; printf 'e1\\ne2\\n' >&2; printf 'c\\r\\nlast'"),
               rec.callbacks());
  ASSERT_TRUE(rec.wait_exit());
  const TimePoint after = std::chrono::system_clock::now();
  EXPECT_EQ(rec.texts(Stream::kStdout), (std::vector<std::string>{"a", "b", "c", "last"}));
  EXPECT_EQ(rec.texts(Stream::kStderr), (std::vector<std::string>{"e1", "e2"}));
  const ProcessResult r = rec.result();
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(r.success());
  EXPECT_EQ(r.signal, 0);
  EXPECT_EQ(r.log_bytes, 4u + 6u + 3u + 4u);
  EXPECT_EQ(r.dropped_bytes, 0u);
  EXPECT_FALSE(r.log_truncated);
  EXPECT_FALSE(rec.output_after_exit());
  EXPECT_EQ(rec.exits(), 1);
  TimePoint previous = before;
  for (const LogLine& line : rec.lines()) {
    if (line.stream != Stream::kStdout) continue;
    EXPECT_GE(line.at, previous);
    EXPECT_LE(line.at, after);
    previous = line.at;
  }
}

TEST(LocalRunner, ReportsExitCode) {
  LocalRunner runner;
  ProcessRecorder rec;
  runner.start(shell("echo failing; exit 3"), rec.callbacks());
  ASSERT_TRUE(rec.wait_exit());
  EXPECT_EQ(rec.result().exit_code, 3);
  EXPECT_EQ(rec.result().signal, 0);
  EXPECT_FALSE(rec.result().success());
  EXPECT_FALSE(rec.result().spawn_failed);
  EXPECT_EQ(rec.texts(Stream::kStdout), (std::vector<std::string>{"failing"}));
}

TEST(LocalRunner, ReportsDeathBySignal) {
  LocalRunner runner;
  ProcessRecorder rec;
  runner.start(shell("ulimit -c 0; kill -SEGV $$"), rec.callbacks());
  ASSERT_TRUE(rec.wait_exit());
  EXPECT_EQ(rec.result().exit_code, -1);
  EXPECT_EQ(rec.result().signal, SIGSEGV);
  EXPECT_FALSE(rec.result().timed_out);
  EXPECT_FALSE(rec.result().cancelled);
}

TEST(LocalRunner, SpawnFailureIsReportedOnTheLoopThread) {
  LocalRunner runner;
  std::mutex mu;
  std::condition_variable cv;
  std::optional<ProcessResult> result;
  std::thread::id exit_thread;
  bool got_output = false;
  ProcessSpec spec = shell("echo never");
  spec.cwd = "/nonexistent/opz-runner-cwd";
  const ProcessId id = runner.start(spec, {[&](std::vector<LogLine>&&) { got_output = true; },
                                           [&](const ProcessResult& r) {
                                             std::lock_guard lock(mu);
                                             result = r;
                                             exit_thread = std::this_thread::get_id();
                                             cv.notify_all();
                                           }});
  EXPECT_NE(id, kNoProcess);
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, 5s, [&] { return result.has_value(); }));
  EXPECT_TRUE(result->spawn_failed);
  EXPECT_EQ(result->exit_code, -1);
  EXPECT_FALSE(result->success());
  EXPECT_NE(result->error.find("/nonexistent/opz-runner-cwd"), std::string::npos) << result->error;
  EXPECT_NE(exit_thread, std::this_thread::get_id());
  EXPECT_FALSE(got_output);
  EXPECT_EQ(runner.running(), 0u);
}

TEST(LocalRunner, PassesEnvironmentAndWorkingDirectory) {
  opz::testing::TempDir dir;
  LocalRunner runner;
  ProcessRecorder rec;
  ProcessSpec spec = shell("echo \"$STAGE\"; echo \"$PATH\"; pwd -P; read x || echo stdin-eof");
  spec.env = {"STAGE=prod eu"};
  spec.cwd = dir.str();
  runner.start(spec, rec.callbacks());
  ASSERT_TRUE(rec.wait_exit());
  EXPECT_EQ(
      rec.texts(Stream::kStdout),
      (std::vector<std::string>{"prod eu", kDefaultPath,
                                std::filesystem::canonical(dir.path()).string(), "stdin-eof"}));
}

TEST(LocalRunner, StartsProcessesAtItsNicenessUnlessTheSpecAsksForOne) {
  const int base = ::getpriority(PRIO_PROCESS, 0);
  LocalRunner runner(5);  // the server's step-nice
  ProcessRecorder rec;
  runner.start(shell("sleep 0.1; cut -d' ' -f19 /proc/self/stat"), rec.callbacks());
  ASSERT_TRUE(rec.wait_exit());
  EXPECT_EQ(rec.texts(Stream::kStdout),
            std::vector<std::string>{std::to_string(std::min(base + 5, 19))});
  ProcessRecorder own;
  ProcessSpec spec = shell("sleep 0.1; cut -d' ' -f19 /proc/self/stat");
  spec.nice = 2;
  runner.start(spec, own.callbacks());
  ASSERT_TRUE(own.wait_exit());
  EXPECT_EQ(own.texts(Stream::kStdout),
            std::vector<std::string>{std::to_string(std::min(base + 2, 19))});
}

TEST(LocalRunner, BinaryOutputBecomesValidUtf8Lines) {
  LocalRunner runner;
  ProcessRecorder rec;
  runner.start(shell("head -c 100000 /dev/urandom"), rec.callbacks());
  ASSERT_TRUE(rec.wait_exit());
  EXPECT_EQ(rec.result().exit_code, 0);
  EXPECT_EQ(rec.result().log_bytes, 100000u);
  const std::vector<LogLine> lines = rec.lines();
  EXPECT_GT(lines.size(), 10u);
  for (const LogLine& line : lines) {
    ASSERT_TRUE(is_valid_utf8(line.text));
    ASSERT_EQ(line.text.find('\0'), std::string::npos);
  }
}

TEST(LocalRunner, SplitsVeryLongLines) {
  LocalRunner runner;
  ProcessRecorder rec;
  runner.start(shell("head -c 200000 /dev/zero | tr '\\0' a; echo; echo end"), rec.callbacks());
  ASSERT_TRUE(rec.wait_exit());
  const std::vector<std::string> out = rec.texts(Stream::kStdout);
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[0], std::string(kMaxLogLineBytes, 'a'));
  EXPECT_EQ(out[1].size(), kMaxLogLineBytes);
  EXPECT_EQ(out[2].size(), kMaxLogLineBytes);
  EXPECT_EQ(out[3], std::string(200000 - 3 * kMaxLogLineBytes, 'a'));
  EXPECT_EQ(out[4], "end");
}

TEST(LocalRunner, CapsHugeOutputAndCountsTheRest) {
  LocalRunner runner;
  ProcessRecorder rec;
  ProcessSpec spec = shell("yes | head -c 300000000");
  spec.log_cap_bytes = 1 << 20;
  runner.start(spec, rec.callbacks());
  ASSERT_TRUE(rec.wait_exit(20s));
  const ProcessResult r = rec.result();
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(r.log_truncated);
  EXPECT_EQ(r.log_bytes, uint64_t{1} << 20);  // "y\n" lines fill the cap exactly
  EXPECT_EQ(r.log_bytes + r.dropped_bytes, 300000000u);
  const std::vector<std::string> err = rec.texts(Stream::kStderr);
  ASSERT_EQ(err.size(), 1u);
  EXPECT_EQ(err[0].rfind("[opzenix] log limit", 0), 0u);
  EXPECT_EQ(rec.texts(Stream::kStdout).size(), (size_t{1} << 20) / 2);
}

TEST(LocalRunner, StaysResponsiveWhileAProcessFloodsOutput) {
  LocalRunner runner;
  ProcessRecorder flood;
  ProcessSpec spec = shell("yes flood");
  spec.log_cap_bytes = 64 * 1024;
  spec.kill_grace = 100ms;
  const ProcessId flood_id = runner.start(spec, flood.callbacks());
  ASSERT_TRUE(flood.wait_lines(2));  // flooding and past its cap by now or soon

  ProcessRecorder quick;
  const auto t0 = std::chrono::steady_clock::now();
  runner.start(shell("echo quick"), quick.callbacks());
  ASSERT_TRUE(quick.wait_exit(2s));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
  EXPECT_EQ(quick.texts(Stream::kStdout), (std::vector<std::string>{"quick"}));

  runner.cancel(flood_id);
  ASSERT_TRUE(flood.wait_exit(2s));
  EXPECT_TRUE(flood.result().cancelled);
  EXPECT_TRUE(flood.result().log_truncated);
  EXPECT_GT(flood.result().dropped_bytes, 0u);
  EXPECT_LE(flood.result().log_bytes, 64u * 1024);
}

TEST(LocalRunner, RunsManyProcessesConcurrentlyReportingEachOnce) {
  LocalRunner runner;
  constexpr int kCount = 200;
  std::vector<std::unique_ptr<ProcessRecorder>> recs;
  for (int i = 0; i < kCount; ++i) {
    recs.push_back(std::make_unique<ProcessRecorder>());
    runner.start(shell("sleep 0.05; echo done " + std::to_string(i)), recs.back()->callbacks());
  }
  for (int i = 0; i < kCount; ++i) {
    ASSERT_TRUE(recs[i]->wait_exit(10s)) << i;
    EXPECT_EQ(recs[i]->result().exit_code, 0) << i;
    EXPECT_EQ(recs[i]->texts(Stream::kStdout),
              (std::vector<std::string>{"done " + std::to_string(i)}));
  }
  std::this_thread::sleep_for(20ms);  // a duplicate on_exit would have landed by now
  for (int i = 0; i < kCount; ++i) EXPECT_EQ(recs[i]->exits(), 1) << i;
  EXPECT_EQ(runner.running(), 0u);
}

TEST(LocalRunner, StartFromInsideOnExitChainsProcesses) {
  LocalRunner runner;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> seen;
  std::vector<size_t> running_in_exit;
  bool finished = false;
  std::function<void(int)> launch = [&](int step) {
    runner.start(shell("echo step" + std::to_string(step)),
                 {[&](std::vector<LogLine>&& lines) {
                    std::lock_guard lock(mu);
                    for (auto& l : lines) seen.push_back(l.text);
                  },
                  [&, step](const ProcessResult&) {
                    {
                      std::lock_guard lock(mu);
                      running_in_exit.push_back(runner.running());
                    }
                    if (step < 4) {
                      launch(step + 1);
                      return;
                    }
                    std::lock_guard lock(mu);
                    finished = true;
                    cv.notify_all();
                  }});
  };
  launch(0);
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, 5s, [&] { return finished; }));
  EXPECT_EQ(seen, (std::vector<std::string>{"step0", "step1", "step2", "step3", "step4"}));
  EXPECT_EQ(running_in_exit, (std::vector<size_t>{0, 0, 0, 0, 0}));
}

TEST(LocalRunner, RunningCountsLiveProcesses) {
  LocalRunner runner;
  ProcessRecorder a;
  ProcessRecorder b;
  EXPECT_EQ(runner.running(), 0u);
  runner.start(shell("sleep 0.2"), a.callbacks());
  runner.start(shell("sleep 0.2"), b.callbacks());
  EXPECT_EQ(runner.running(), 2u);
  ASSERT_TRUE(a.wait_exit());
  ASSERT_TRUE(b.wait_exit());
  EXPECT_EQ(runner.running(), 0u);
}

}  // namespace
}  // namespace opz::runner
