// LocalRun: one pipeline run on this machine without a server — the core of
// `opzenix run`. It opens (creating and migrating) the database under the
// data dir (default <workspace>/.opzenix/opzenix.db), starts a LocalRunner and
// an Engine whose workspace is the given directory, submits the pipeline,
// streams the engine's events to an observer, and answers the final summary.
// Every state change and log line is recorded exactly as the server records
// it (the same Engine, WAL journal, synchronous=NORMAL unless asked for FULL).
//
// Executions a previous, interrupted `opzenix run` left unfinished in the same
// database are force-failed first (their leftover processes killed): a local
// run never resumes old work.
//
// Interrupts: when `*interrupted` becomes true (a SIGINT handler sets it),
// the run is cancelled (processes killed) and finishes as 'cancelled'.
// Not thread-safe: one LocalRun::run at a time per data dir.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "engine/event_bus.h"
#include "pipeline/model.h"
#include "store/execution_store.h"

namespace opz::engine {

struct LocalRunOptions {
  std::string workspace;  // the directory steps run in (required)
  std::string data_dir;   // default: <workspace>/.opzenix
  std::string branch;
  std::string commit_sha;
  std::string tag;
  std::string environment;
  std::string started_by;
  int max_parallel = 0;  // 0: the number of cores
  bool synchronous_full = false;
};

struct NodeSummary {
  std::string node_id;
  std::string name;
  std::string status;
  int attempt = 0;
  int max_attempts = 1;
  std::optional<int64_t> duration_ms;
  std::optional<int64_t> exit_code;
  std::string error;
};

struct LocalRunResult {
  std::string execution_id;
  std::string status;  // the execution's final status
  std::vector<NodeSummary> nodes;
  std::chrono::milliseconds elapsed{0};
  bool interrupted = false;
};

class LocalRunObserver {
 public:
  virtual ~LocalRunObserver() = default;
  virtual void on_start(const store::ExecutionRecord& execution, size_t node_count) = 0;
  // Execution and node state events, in order.
  virtual void on_event(const EngineEvent& event) = 0;
  // About every 100 ms while waiting (spinners).
  virtual void on_tick() {}
};

// The branch and commit of the git checkout at `dir`; empty when not a repository.
struct GitFacts {
  std::string branch;
  std::string commit_sha;
};
GitFacts read_git_facts(const std::string& dir);

Result<LocalRunResult> run_locally(const pipeline::Pipeline& pipeline,
                                   const LocalRunOptions& options, LocalRunObserver* observer,
                                   const std::atomic<bool>* interrupted);

}  // namespace opz::engine
