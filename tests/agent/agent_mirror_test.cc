// AgentWorker's git mirrors (issue 14, "Git at scale"), for real: a bare
// repository served by `git daemon` on loopback, whose log counts every clone
// and fetch; real AgentWorkers and LocalRunners run jobs handed out by a
// scripted transport, each job its own execution (so its own workspace).
#include <gtest/gtest.h>

#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "agent/agent_worker.h"
#include "git/mirror_checkout.h"
#include "runner/local_runner.h"
#include "support/git_daemon.h"
#include "support/temp_dir.h"

namespace opz::agent {
namespace {

int sh(const std::string& cmd) { return std::system(cmd.c_str()); }

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Hands out its queued jobs one per poll; once the queue is empty a poll
// waits (like the server's long-poll) until every job handed out completed,
// then stops the workers. Records completes and log lines.
class JobsTransport final : public AgentTransport {
 public:
  JobsTransport(std::atomic<bool>& stop, std::vector<Json> jobs)
      : stop_(stop), queue_(jobs.begin(), jobs.end()), expected_(jobs.size()) {}

  Result<HttpAnswer> post(const std::string& path, const Json& body,
                          std::chrono::milliseconds) override {
    std::unique_lock lock(mu_);
    if (path == "/api/v1/agents/poll") {
      if (!queue_.empty()) {
        Json job = queue_.front();
        queue_.pop_front();
        return HttpAnswer{200, Json{{"job", job}, {"stop", Json::array()}}};
      }
      cv_.wait_for(lock, std::chrono::seconds(60), [&] { return completes_.size() >= expected_; });
      stop_ = true;
      return HttpAnswer{204, nullptr};
    }
    const std::string id =
        path.substr(std::string("/api/v1/agents/jobs/").size(),
                    path.rfind('/') - std::string("/api/v1/agents/jobs/").size());
    if (path.ends_with("/logs"))
      for (const Json& l : body["lines"]) logs_[id] += l.value("text", "") + "\n";
    if (path.ends_with("/complete")) {
      completes_[id] = body;
      cv_.notify_all();
    }
    return HttpAnswer{200, Json{{"acknowledged", true}}};
  }

  std::map<std::string, Json> completes() {
    std::lock_guard lock(mu_);
    return completes_;
  }
  std::string log(const std::string& id) {
    std::lock_guard lock(mu_);
    return logs_[id];
  }

 private:
  std::atomic<bool>& stop_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Json> queue_;
  size_t expected_;
  std::map<std::string, Json> completes_;
  std::map<std::string, std::string> logs_;
};

// A job of its own execution that reports the commit it ran at.
Json job(const std::string& id, const std::string& url, const std::string& commit) {
  return {{"id", id},
          {"generation", 1},
          {"execution_id", "exec-" + id},
          {"heartbeat_ms", 5000},
          {"command", "echo \"head=$(git rev-parse HEAD)\" >> \"$OPZENIX_OUTPUT\""},
          {"env",
           {"OPZENIX_OUTPUT=x", "OPZENIX_WORKSPACE=x", "HOME=/tmp",
            std::string("PATH=") + std::getenv("PATH")}},
          {"checkout", {{"url", url}, {"commit", commit}}}};
}

std::vector<Json> jobs(const std::string& prefix, int n, const std::string& url,
                       const std::string& commit) {
  std::vector<Json> out;
  for (int i = 0; i < n; ++i) out.push_back(job(prefix + std::to_string(i), url, commit));
  return out;
}

// Runs `workers` AgentWorkers (each its own runner) on one work dir until
// every job completed; answers the transport for its records.
void run_workers(JobsTransport& server, std::atomic<bool>& stop, const std::string& work_dir,
                 int workers, int concurrency) {
  std::vector<std::unique_ptr<runner::LocalRunner>> runners;
  std::vector<std::unique_ptr<AgentWorker>> agents;
  for (int i = 0; i < workers; ++i) {
    runners.push_back(std::make_unique<runner::LocalRunner>());
    agents.push_back(std::make_unique<AgentWorker>(
        server, *runners.back(),
        AgentWorkerOptions{.concurrency = concurrency,
                           .work_dir = work_dir,
                           .log_flush_every = std::chrono::milliseconds(50)}));
  }
  std::vector<std::thread> threads;
  for (auto& a : agents) threads.emplace_back([&a, &stop] { a->run(stop); });
  for (auto& t : threads) t.join();
}

class AgentMirrorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string seed = dir_.str() + "/seed";
    ASSERT_EQ(sh("git init -q -b main " + seed + " && cd " + seed +
                 " && for i in 1 2 3 4 5; do echo $i > f$i; done && git add . && "
                 "git -c user.email=t@t -c user.name=t commit -q -m one && "
                 "git clone -q --bare " +
                 seed + " " + dir_.str() + "/served/repo.git"),
              0);
    daemon_ =
        std::make_unique<testing::GitDaemon>(dir_.str() + "/served", dir_.str() + "/daemon.log");
    first_ = commit("two");
  }

  // A new commit pushed to the served repository; answers its sha.
  std::string commit(const std::string& message) {
    const std::string seed = dir_.str() + "/seed";
    EXPECT_EQ(sh("cd " + seed + " && echo " + message +
                 " >> f1 && git -c user.email=t@t -c "
                 "user.name=t commit -q -am " +
                 message + " && git push -q " + dir_.str() +
                 "/served/repo.git main && git rev-parse HEAD > " + dir_.str() + "/sha"),
              0);
    std::ifstream in(dir_.str() + "/sha");
    std::string sha;
    in >> sha;
    return sha;
  }

  // Runs the jobs on `workers` workers; expects each to succeed at `commit`.
  void run_and_expect(std::vector<Json> batch, const std::string& commit, int workers = 1,
                      int concurrency = 4) {
    std::atomic<bool> stop{false};
    JobsTransport server(stop, batch);
    run_workers(server, stop, work_dir(), workers, concurrency);
    auto completes = server.completes();
    ASSERT_EQ(completes.size(), batch.size());
    for (const auto& [id, body] : completes) {
      EXPECT_EQ(body["exit_code"], 0) << id << ": " << server.log(id);
      EXPECT_EQ(body["outputs"].value("head", ""), commit) << id;
    }
  }

  std::string work_dir() const { return dir_.str() + "/agent"; }
  std::string url() const { return daemon_->url("repo.git"); }

  opz::testing::TempDir dir_;
  std::unique_ptr<testing::GitDaemon> daemon_;
  std::string first_;
};

TEST_F(AgentMirrorTest, TenJobsOfOneCommitFetchFromTheRemoteOnce) {
  run_and_expect(jobs("a", 10, url(), first_), first_);
  EXPECT_EQ(daemon_->requests(), 1) << read_all(dir_.str() + "/daemon.log");
  const std::string mirror = git::mirror_dir(work_dir(), url());
  EXPECT_TRUE(std::filesystem::is_directory(mirror));
  EXPECT_EQ(sh("git -C " + mirror + " fsck --no-progress --no-dangling 2>/dev/null"), 0);
}

TEST_F(AgentMirrorTest, ANewCommitIsOneIncrementalFetchAndAKnownOneNone) {
  run_and_expect(jobs("a", 3, url(), first_), first_);
  ASSERT_EQ(daemon_->requests(), 1);
  const std::string second = commit("three");
  run_and_expect(jobs("b", 5, url(), second), second);
  EXPECT_EQ(daemon_->requests(), 2) << "one fetch for the new commit";
  run_and_expect(jobs("c", 3, url(), first_), first_);
  EXPECT_EQ(daemon_->requests(), 2) << "both commits are in the mirror: no fetch";
}

TEST_F(AgentMirrorTest, TwoWorkersOnOneWorkDirShareTheMirrorSafely) {
  run_and_expect(jobs("a", 12, url(), first_), first_, /*workers=*/2, /*concurrency=*/6);
  EXPECT_EQ(daemon_->requests(), 1) << read_all(dir_.str() + "/daemon.log");
  const std::string second = commit("three");
  run_and_expect(jobs("b", 12, url(), second), second, 2, 6);
  EXPECT_EQ(daemon_->requests(), 2);
  EXPECT_EQ(sh("git -C " + git::mirror_dir(work_dir(), url()) +
               " fsck --no-progress --no-dangling 2>/dev/null"),
            0);
}

TEST_F(AgentMirrorTest, AFailedFetchFailsTheJobNamingTheUrlWithoutCredentials) {
  run_and_expect(jobs("a", 1, url(), first_), first_);
  const std::string second = commit("three");
  daemon_->stop();  // the remote is down: the mirror lacks `second`
  std::atomic<bool> stop{false};
  JobsTransport server(stop, {job("down", url(), second)});
  run_workers(server, stop, work_dir(), 1, 1);
  auto completes = server.completes();
  ASSERT_EQ(completes.size(), 1u);
  EXPECT_NE(completes["down"]["exit_code"], 0);
  EXPECT_NE(server.log("down").find("opzenix: could not fetch " + url()), std::string::npos)
      << server.log("down");
  EXPECT_FALSE(std::filesystem::exists(work_dir() + "/workspaces/exec-down"))
      << "a failed checkout leaves no workspace for the execution's next job";

  // Credentials in the URL never reach the log.
  const std::string secret_url =
      "http://user:s3cret@127.0.0.1:" + std::to_string(daemon_->port()) + "/repo.git";
  std::atomic<bool> stop2{false};
  JobsTransport server2(stop2, {job("creds", secret_url, second)});
  run_workers(server2, stop2, work_dir(), 1, 1);
  const std::string log = server2.log("creds");
  EXPECT_NE(server2.completes()["creds"]["exit_code"], 0);
  EXPECT_NE(log.find("opzenix: could not clone http://***@127.0.0.1:"), std::string::npos) << log;
  EXPECT_EQ(log.find("s3cret"), std::string::npos) << log;
}

}  // namespace
}  // namespace opz::agent
