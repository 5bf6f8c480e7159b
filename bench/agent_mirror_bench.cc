// Agents' git mirrors (issue 14, docs/performance.md "Agents' git mirrors"):
// 100 jobs of one repository at one commit, each in its own workspace, side
// by side in one run:
//   PerWorkspaceClone — the agent before mirrors: `git clone URL ws` and a
//                       checkout of the commit, per workspace (the anchor);
//   MirrorCheckout    — git::checkout_command with the work dir's mirror (as
//                       AgentWorker does): one clone of the mirror, then a
//                       local clone of it per workspace.
// The remote is a real `git daemon` on loopback; "fetches" counts the clones
// and fetches it served (upload-pack requests). The repository: 600 files of
// 4 KiB of random bytes over 30 commits (about 2.5 MB packed).
// Run: build/agent_mirror_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>

#include "../tests/support/git_daemon.h"
#include "git/mirror_checkout.h"
#include "git/shell_quote.h"

namespace {

namespace fs = std::filesystem;
constexpr int kJobs = 100;

struct Fixture {
  std::string root;
  std::unique_ptr<opz::testing::GitDaemon> daemon;
  std::string sha;

  Fixture() {
    char tmpl[] = "/tmp/opz-mirror-bench-XXXXXX";
    root = ::mkdtemp(tmpl);
    const std::string seed = root + "/seed";
    const std::string make = "git init -q -b main " + seed + " && cd " + seed +
                             " && for c in $(seq 1 30); do for f in $(seq 1 20); do "
                             "head -c 4096 /dev/urandom > \"f$c-$f\"; done; git add . && "
                             "git -c user.email=b@b -c user.name=b commit -q -m \"c$c\"; done && "
                             "git clone -q --bare . " +
                             root + "/served/repo.git && git rev-parse HEAD > " + root + "/sha";
    if (std::system(make.c_str()) != 0) std::abort();
    std::ifstream(root + "/sha") >> sha;
    daemon = std::make_unique<opz::testing::GitDaemon>(root + "/served", root + "/daemon.log");
  }
  ~Fixture() {
    daemon.reset();
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  std::string url() const { return daemon->url("repo.git"); }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void run_jobs(benchmark::State& state, const std::string& name,
              const std::function<std::string(const std::string& ws)>& command) {
  Fixture& f = fixture();
  for (auto _ : state) {
    const std::string work = f.root + "/" + name;
    const int before = f.daemon->requests();
    for (int i = 0; i < kJobs; ++i) {
      const std::string cmd =
          "(" + command(work + "/workspaces/exec-" + std::to_string(i)) + ") > /dev/null";
      if (std::system(cmd.c_str()) != 0) state.SkipWithError("a checkout failed");
    }
    state.counters["fetches"] = f.daemon->requests() - before;
    state.PauseTiming();
    std::error_code ec;
    fs::remove_all(work, ec);
    state.ResumeTiming();
  }
  state.counters["jobs"] = kJobs;
}

// The agent's checkout before mirrors (a clone per workspace).
void BM_PerWorkspaceClone(benchmark::State& state) {
  const Fixture& f = fixture();
  using opz::git::shell_quote;
  run_jobs(state, "clone", [&](const std::string& ws) {
    return "mkdir -p " + shell_quote(fs::path(ws).parent_path().string()) + " && git clone -q " +
           shell_quote(f.url()) + " " + shell_quote(ws) + " && cd " + shell_quote(ws) +
           " && git checkout -q --force " + f.sha;
  });
}

// The agent's checkout now (AgentWorker: the work dir's mirror).
void BM_MirrorCheckout(benchmark::State& state) {
  const Fixture& f = fixture();
  run_jobs(state, "mirror", [&](const std::string& ws) {
    const std::string work = fs::path(ws).parent_path().parent_path().string();
    return "mkdir -p " + opz::git::shell_quote(fs::path(ws).parent_path().string()) + " && " +
           opz::git::checkout_command({.remote = {{}, f.url()},
                                       .commit_sha = f.sha,
                                       .branch = {},
                                       .dir = ws,
                                       .mirror = opz::git::mirror_dir(work, f.url()),
                                       .on_fetch_failure = opz::git::FetchFailure::kFail});
  });
}

BENCHMARK(BM_PerWorkspaceClone)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_MirrorCheckout)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
