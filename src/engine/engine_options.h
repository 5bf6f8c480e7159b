// EngineOptions: the engine's tunables (the configuration table fills them;
// defaults are what a server uses). Plain value.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "engine/execution_ownership.h"
#include "engine/step_environment.h"
#include "engine/step_variables.h"
#include "net/outbound_guard.h"

namespace opz::engine {

struct EngineOptions {
  // Required: <data_dir>/workspaces/<id> and <data_dir>/outputs/<id> live here.
  std::string data_dir;
  // Step processes running at once over all executions; 0 = the number of cores.
  int max_parallel = 0;
  // SIGTERM -> SIGKILL delay when a step is cancelled or times out. Cancelled
  // work is gone within kill_grace + a few hundred ms.
  std::chrono::milliseconds kill_grace{1500};
  // Output kept per node attempt (all its steps); beyond it lines are dropped
  // and a system line says how many bytes.
  uint64_t node_log_cap_bytes = 16ull << 20;
  // Buffered log lines are committed at least this often.
  std::chrono::milliseconds log_flush_interval{50};
  // Group commit of the loop's rounds, like PostgreSQL's commit_delay: a round
  // whose changes come less than this long after the previous commit waits
  // (at most this long) and commits with the rounds behind it. Every commit
  // writes the last page of each table and index it appends to into the
  // write-ahead log again, and short steps make rounds of a few starts and
  // exits: a 1,000-node DAG of `echo` steps committed ~780 times, three
  // quarters of the engine thread's time (105 times with the window). A round after a quiet spell, and
  // the commands (cancel, approvals, ...: after_round(kNow)), commit at once;
  // what a round decided (steps started, events) is published only with its
  // commit, as before. 0: every round commits.
  // OFF by default: a step is spawned before its `running` row commits, and
  // a round that waits widens that gap from microseconds to the window. A
  // server killed inside it leaves the node `pending` in the journal, and the
  // server that takes over runs it again as attempt 1: two runs, one attempt
  // counted (SeveralServersTest.KillingOneServerMidRun... caught it). Turning
  // it on needs the start written ahead of the spawn first.
  std::chrono::milliseconds commit_window{0};
  // A running execution's progress column is written at most this often
  // (a status change and the end write it whatever the interval). Each write
  // is an UPDATE of the execution's row, and SQLite rewrites a row whole,
  // pipeline snapshot included: 300 KB for a 1,000-node pipeline, whose
  // progress changed 100 times, 30 MB of the write-ahead log per run. A
  // change held back is written when the interval is over, even if nothing
  // else happens then. 0: every change.
  std::chrono::milliseconds progress_interval{1000};
  // An execution running (or paused) longer than this is reported stuck, once.
  std::chrono::milliseconds stuck_after{std::chrono::minutes(30)};
  // How often running executions are checked against stuck_after.
  std::chrono::milliseconds stuck_check_interval{std::chrono::minutes(1)};
  // Checkouts are removed this long after their last change (swept at start
  // and every sweep_interval).
  std::chrono::milliseconds workspace_retention{std::chrono::hours(24)};
  std::chrono::milliseconds sweep_interval{std::chrono::hours(1)};
  // Where the base environment of steps comes from; default ::getenv.
  EnvLookup env_lookup;
  // Environment configuration and secrets for a node (step_variables.h),
  // asked at each node start; empty: steps get none.
  StepVariableSource step_variables;
  // The outbound guard (net/outbound_guard.h) every workspace repository URL
  // passes at submit(): a URL it refuses (loopback, private, metadata... not
  // on the allow-list; a local path without the allow-list's "file") makes
  // submit() fail with a validation error naming "workspace.url", so nothing
  // is created and no clone ever starts. A name that does not resolve right
  // now is accepted (the clone reports it; a mirror may still serve). Null:
  // no check (`opzenix run`: the user's own machine and repositories).
  // Not owned; outlives the engine.
  const net::OutboundGuard* outbound = nullptr;
  // Several servers on one database (engine/execution_ownership.h): which
  // executions this server runs, leases, takeover, forwarded commands. Null:
  // this process owns everything (SoleOwnership). Not owned; outlives the
  // engine.
  ExecutionOwnership* ownership = nullptr;
  // How long cancel/force_fail/resolve_approval wait for another server
  // that owns the execution to answer; then kUnavailable, nothing changed.
  std::chrono::milliseconds command_answer_timeout{kCommandAnswerTimeout};
};

}  // namespace opz::engine
