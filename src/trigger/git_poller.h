// GitPoller: triggers for repositories without webhooks. A project with a
// git_url and poll_interval_seconds > 0 is polled with `git ls-remote`
// (trigger/git_remote.h) every interval; every branch or tag whose sha is new
// or moved since the last poll, and that the project's branch mapping
// matches, starts one execution (trigger_type "poll", the same rules as a
// webhook push: trigger_plan.h).
//
// Semantics (docs/webhooks.md "Git polling"):
//   - first sight of a repository (or of a new git_url): the refs found are
//     recorded and NOTHING is triggered — like GitHub, which only sends events
//     for changes made after the hook exists;
//   - each new commit on a mapped ref triggers exactly once, across restarts:
//     the ref's new sha is stored in the transaction that records the trigger
//     (with its audit entry); a crash between the engine creating the
//     execution and that transaction is repaired at the next poll, which finds
//     the execution by metadata.trigger_key among those created since the last
//     completed poll;
//   - refs no rule matches, and deleted refs, are recorded silently;
//   - an unreachable repository is retried at the next interval (last_error
//     kept in git_poll_state).
// poll_project() does one poll now; poll_due() polls every project whose
// interval elapsed (it keeps the schedule in memory: after a restart every
// project is polled once right away).
// Thread-safety: call from one thread (the TriggerService's poll thread).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/result.h"
#include "store/branch_mapping_store.h"
#include "store/database.h"
#include "store/git_poll_store.h"
#include "store/project_store.h"
#include "trigger/execution_submitter.h"
#include "trigger/git_remote.h"
#include "trigger/trigger_metrics.h"

namespace opz::trigger {

struct GitPollerDeps {
  store::Database& db;
  store::ProjectStore& projects;
  store::GitPollStore& polls;
  store::BranchMappingStore& mappings;
  audit::AuditLog& audit;
  ExecutionSubmitter& submitter;
  TriggerMetrics& metrics;
  const Clock& clock;
  GitRemoteOptions git;
};

struct PollReport {
  bool first_sight = false;
  std::vector<std::string> executions;  // started (or found again) by this poll
  std::vector<std::string> ignored;     // "refs/heads/x: <why>"
};

class GitPoller {
 public:
  explicit GitPoller(GitPollerDeps deps) : d_(std::move(deps)) {}

  Result<PollReport> poll_project(const store::ProjectRecord& project);
  // Polls the projects that are due; answers how many were polled.
  int poll_due();

 private:
  Status trigger_ref(const store::ProjectRecord& project, const std::string& polled_at,
                     const std::string& since, const RemoteRef& ref, PollReport& report);

  GitPollerDeps d_;
  std::map<std::string, TimePoint> next_due_;  // project id -> next poll
};

}  // namespace opz::trigger
