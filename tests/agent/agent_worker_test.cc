// AgentWorker with a recording transport: a result found on disk at start
// (the agent died after the job ended, before the server acknowledged) is
// re-sent with its generation and removed once acknowledged.
#include "agent/agent_worker.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>

#include "runner/local_runner.h"
#include "support/temp_dir.h"

namespace opz::agent {
namespace {

// Answers polls with 204 once a complete was acknowledged (blocking until
// then, like a long-poll), and every complete with 200; records the bodies.
class RecordingTransport final : public AgentTransport {
 public:
  explicit RecordingTransport(std::atomic<bool>& stop) : stop_(stop) {}
  Result<HttpAnswer> post(const std::string& path, const Json& body,
                          std::chrono::milliseconds) override {
    std::unique_lock lock(mu_);
    if (path == "/api/v1/agents/poll") {
      cv_.wait_for(lock, std::chrono::seconds(30), [&] { return !completes_.empty(); });
      stop_ = true;
      return HttpAnswer{204, nullptr};
    }
    if (path.ends_with("/complete")) {
      completes_.emplace_back(path, body);
      cv_.notify_all();
    }
    return HttpAnswer{200, Json{{"acknowledged", true}}};
  }
  std::vector<std::pair<std::string, Json>> completes() {
    std::lock_guard lock(mu_);
    return completes_;
  }

 private:
  std::atomic<bool>& stop_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::pair<std::string, Json>> completes_;
};

TEST(AgentWorker, ReSendsAResultFoundOnDiskAndRemovesItWhenAcknowledged) {
  opz::testing::TempDir dir;
  const std::string job_dir = dir.str() + "/jobs/job-1";
  std::filesystem::create_directories(job_dir);
  JobResult saved;
  saved.exit_code = 7;
  std::ofstream(job_dir + "/result.json")
      << Json{{"id", "job-1"}, {"generation", 3}, {"result", saved.to_json()}}.dump();
  std::filesystem::create_directories(dir.str() + "/jobs/job-2");  // died mid-run: no result

  std::atomic<bool> stop{false};
  RecordingTransport server(stop);
  runner::LocalRunner runner;
  AgentWorker worker(server, runner, {.concurrency = 1, .work_dir = dir.str()});
  EXPECT_EQ(worker.run(stop), 0);

  auto completes = server.completes();
  ASSERT_EQ(completes.size(), 1u);
  EXPECT_EQ(completes[0].first, "/api/v1/agents/jobs/job-1/complete");
  EXPECT_EQ(completes[0].second["generation"], 3);
  EXPECT_EQ(completes[0].second["exit_code"], 7);
  EXPECT_FALSE(std::filesystem::exists(job_dir));
  EXPECT_FALSE(std::filesystem::exists(dir.str() + "/jobs/job-2"));
}

}  // namespace
}  // namespace opz::agent
