// ApprovalStore: approval requests and their votes (approval_requests,
// approval_votes) — one mechanism for environment protection (rows without a
// node_id, created by the admission path) and pipeline `approval` nodes (rows
// the engine creates through ExecutionStore::apply).
//
// Rule-free: this store never decides who may vote or what votes add up to.
// vote() runs the caller's check and decision (governance::check_voter and
// governance::tally, mapped by trigger/approval_records.h) inside its write
// transaction, on the request and votes as they are there, so concurrent
// votes are judged one after another. The status changes only from 'pending':
// of N concurrent votes that reach the threshold exactly one learns
// `decided`.
//
// Reads fill what a row leaves empty from its execution: the commit
// (executions.commit_hash) and the project. Thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"
#include "store/database.h"
#include "store/page.h"

namespace opz::store {

struct ApprovalVoteRecord {
  std::string id;
  std::string approval_request_id;
  std::string user_id;
  bool approve = true;
  std::string comment;
  std::string commit_sha;  // the sha the voter saw; empty: the request's
  std::string created_at;
  std::string user_email;  // read only: the voter's email ("" when the user is gone)
};

// The fields of governance::ApprovalRequest, plus the gate (node or
// environment) and the row's bookkeeping.
struct ApprovalRecord {
  std::string id;
  std::string execution_id;
  std::string node_id;  // empty: an environment protection request
  std::string environment;
  std::string status = "pending";  // pending|approved|rejected|expired|superseded
  int required_approvals = 1;
  bool prevent_self_approval = true;
  Json reviewers = Json::array();  // [{"kind": "user"|"role", "id": ...}]
  std::string requested_by;
  std::string pusher_user_id;  // empty: unknown
  std::string commit_sha;
  std::string title;
  std::string description;
  std::string expires_at;  // empty: never
  std::string decided_at;
  std::string decided_by;
  std::string project_id;  // read only: the execution's
  std::string created_at;
  std::string updated_at;
  std::vector<ApprovalVoteRecord> votes;  // in recorded order (reads fill it)
};

struct ApprovalFilter {
  std::string status;  // empty: any
  std::string execution_id;
  std::string project_id;
};

struct VoteOutcome {
  ApprovalRecord request;  // after the vote, with every vote
  ApprovalVoteRecord vote;
  bool decided = false;  // this vote moved the request out of 'pending'
};

// The caller's rules, run inside vote()'s transaction.
struct VoteRules {
  // Refuses the vote (nothing is written; the error is vote()'s answer),
  // given the request with its votes so far.
  std::function<Status(const ApprovalRecord&)> check;
  // The status after the vote, given the request with the new vote appended
  // ("pending" while undecided).
  std::function<std::string(const ApprovalRecord&)> decide;
  // Optional: more writes in the same transaction (audit row, notifications).
  std::function<Status(SqlSession&, const VoteOutcome&)> after;
};

class ApprovalStore {
 public:
  ApprovalStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Inserts a pending request (id generated when empty; created_at/updated_at
  // = now when empty). kConflict when the gate (execution + node, or
  // execution + environment for node-less requests) already has a pending one.
  Result<ApprovalRecord> create(const ApprovalRecord& request);
  Result<ApprovalRecord> create_in(SqlSession& tx, const ApprovalRecord& request);

  // kNotFound when unknown. With its votes.
  Result<ApprovalRecord> find(const std::string& id);
  Result<ApprovalRecord> find_in(SqlSession& s, const std::string& id);
  // The pending request of an approval node, kNotFound when none.
  Result<ApprovalRecord> find_pending_for_node(const std::string& execution_id,
                                               const std::string& node_id);
  // Oldest first (created_at, id), keyset-paginated; with votes.
  Result<Page<ApprovalRecord>> list(const ApprovalFilter& filter, const PageRequest& page);

  // Records `vote` (id generated when empty, created_at = now when empty) on request
  // `request_id` under `rules` (see VoteRules) in one transaction. kNotFound
  // for an unknown request; rules.check's error; kConflict when the user has
  // voted already (UNIQUE(approval_request_id, user_id)).
  Result<VoteOutcome> vote(const std::string& request_id, ApprovalVoteRecord vote,
                           const VoteRules& rules);

  // Moves a pending request to `status` (expired, superseded, ...) with
  // decided_at = now and decided_by (may be empty). Answers false when it was
  // no longer pending.
  Result<bool> resolve_in(SqlSession& tx, const std::string& request_id, const std::string& status,
                          const std::string& decided_by);
  // Pending requests whose approvers were not notified yet, oldest first;
  // mark_notified_in records that they were.
  Result<std::vector<ApprovalRecord>> unnotified(int limit);
  Status mark_notified_in(SqlSession& tx, const std::string& request_id);
  // Every pending request whose expires_at <= now becomes 'expired'; answers them.
  Result<std::vector<ApprovalRecord>> expire_due();

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
