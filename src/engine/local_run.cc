#include "engine/local_run.h"

#include <stdio.h>

#include <array>
#include <filesystem>
#include <fstream>

#include "deploy/deploy_loop.h"
#include "deploy/http_prober.h"
#include "engine/deploy_node_handler.h"
#include "engine/engine.h"
#include "engine/execution_state.h"
#include "engine/sql_execution_journal.h"
#include "runner/local_runner.h"
#include "store/database.h"
#include "store/deployment_store.h"
#include "store/execution_history_store.h"
#include "store/execution_store.h"

namespace opz::engine {

namespace {

// First line of stdout of `command`, or "" (stderr discarded).
std::string first_line(const std::string& command) {
  FILE* p = ::popen((command + " 2>/dev/null").c_str(), "r");
  if (!p) return "";
  std::array<char, 512> buf{};
  std::string line;
  if (::fgets(buf.data(), buf.size(), p)) line = buf.data();
  ::pclose(p);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return line;
}

bool is_terminal_status(const std::string& s) {
  auto status = execution_status_from_string(s);
  return status && is_terminal(*status);
}

}  // namespace

GitFacts read_git_facts(const std::string& dir) {
  const std::string git = "git -C " + shell_quote(dir);
  GitFacts facts;
  facts.commit_sha = first_line(git + " rev-parse HEAD");
  if (facts.commit_sha.size() != 40) facts.commit_sha.clear();
  facts.branch = first_line(git + " rev-parse --abbrev-ref HEAD");
  if (facts.branch == "HEAD") facts.branch.clear();  // detached
  return facts;
}

Result<LocalRunResult> run_locally(const pipeline::Pipeline& pipeline,
                                   const LocalRunOptions& options, LocalRunObserver* observer,
                                   const std::atomic<bool>* interrupted) {
  if (options.workspace.empty())
    return Error::validation("a workspace directory is required", "workspace");
  const std::string data_dir =
      options.data_dir.empty() ? options.workspace + "/.opzenix" : options.data_dir;
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return Error::internal("cannot create " + data_dir + ": " + ec.message());
  // The default data dir lives in the user's work tree: it ignores itself, so
  // `git status` stays clean (issue 10, "seen from outside").
  if (options.data_dir.empty() && !std::filesystem::exists(data_dir + "/.gitignore"))
    std::ofstream(data_dir + "/.gitignore") << "# opzenix run's local state (database, logs)\n*\n";
  OPZ_TRY(std::unique_ptr<store::Database> db,
          store::Database::open_sqlite({.path = data_dir + "/opzenix.db",
                                        .synchronous_full = options.synchronous_full,
                                        .readers = 2,
                                        .busy_timeout_ms = 5000}));
  OPZ_TRY_STATUS(db->migrate());

  SqlExecutionJournal journal(*db);
  store::ExecutionStore executions(*db);
  runner::LocalRunner runner;
  EventBus bus;
  EngineOptions engine_options;
  engine_options.data_dir = data_dir;
  engine_options.max_parallel = options.max_parallel;
  engine_options.stuck_after = std::chrono::hours(24 * 365);
  Engine engine(journal, runner, bus, SystemClock::instance(), engine_options);
  // Deploy nodes run their strategy (health checks, hooks, canary steps) as
  // on the server; outside a project nothing is recorded as a deployment.
  store::DeploymentStore deployments(*db, SystemClock::instance());
  store::ExecutionHistoryStore history(*db);
  deploy::DeployLoop deploy_loop;
  deploy::HttpProber prober;
  engine.register_external_handler(
      "deploy", std::make_shared<DeployNodeHandler>(DeployNodeHandlerDeps{
                    runner, prober, deploy_loop, deployments, history, SystemClock::instance()}));
  auto events = bus.subscribe({.execution_id = "",
                               .kinds = static_cast<uint32_t>(EventKind::kExecutionState) |
                                        static_cast<uint32_t>(EventKind::kNodeState)},
                              1 << 16);
  engine.start();
  auto shutdown = [&] {
    engine.stop();
    deploy_loop.stop();
    runner.shutdown();
  };

  // A previous run that was killed must not stay 'running' (nor its processes alive).
  if (auto leftovers = journal.unfinished()) {
    for (const store::ExecutionRecord& old : *leftovers)
      (void)engine.force_fail(old.id, "interrupted: the opzenix run that started it did not finish",
                              "cli");
  }
  events->drain();

  NewExecution request;
  request.pipeline = pipeline;
  request.name = pipeline.name.empty() ? "local run" : pipeline.name;
  request.branch = options.branch;
  request.commit_sha = options.commit_sha;
  request.tag = options.tag;
  request.environment = options.environment;
  request.started_by = options.started_by;
  request.trigger_type = "cli";
  request.workspace = {WorkspaceSource::Kind::kDirectory, options.workspace, ""};
  const auto started = std::chrono::steady_clock::now();
  auto record = engine.submit(std::move(request));
  if (!record) {
    shutdown();
    return record.error();
  }
  if (observer) observer->on_start(*record, pipeline.nodes.size());

  LocalRunResult result;
  result.execution_id = record->id;
  bool cancel_sent = false;
  auto last_check = std::chrono::steady_clock::now();
  while (true) {
    if (interrupted && interrupted->load() && !cancel_sent) {
      cancel_sent = true;
      result.interrupted = true;
      (void)engine.cancel(record->id, "interrupted (Ctrl-C)", options.started_by);
    }
    auto event = events->next(std::chrono::milliseconds(100));
    if (event) {
      if (observer) observer->on_event(**event);
      const EngineEvent& e = **event;
      if (e.kind == EventKind::kExecutionState && e.execution_id == record->id &&
          is_terminal_status(e.new_state))
        break;
      continue;
    }
    if (observer) observer->on_tick();
    // Events can be dropped under extreme load; the database has the truth.
    if (std::chrono::steady_clock::now() - last_check > std::chrono::seconds(1)) {
      last_check = std::chrono::steady_clock::now();
      auto row = executions.find(record->id, false);
      if (row && is_terminal_status(row->status)) break;
    }
  }
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  shutdown();
  OPZ_TRY(store::ExecutionDetail detail, executions.get(record->id));
  result.status = detail.execution.status;
  for (const store::ExecutionNodeRecord& n : detail.nodes) {
    result.nodes.push_back({n.node_id, n.name, n.status, n.attempt, n.max_attempts, n.duration_ms,
                            n.exit_code, n.error});
  }
  db->close();
  return result;
}

}  // namespace opz::engine
