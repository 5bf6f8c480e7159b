// Approval rules: who may vote on an approval request, and what the votes
// add up to (issue 8 "Approvals"; one mechanism for environment protection
// and pipeline `approval` nodes).
//
//   check_voter  refuses a vote with a typed reason the API maps to a status:
//                kNotEligible / kSelfApproval -> 403, kAlreadyVoted /
//                kNotPending / kWrongCommit -> 409, kCommentRequired -> 422.
//   tally        pending / approved (distinct approvals >= required) /
//                rejected (any rejection) / expired (now >= expires_at,
//                undecided) / superseded (as recorded).
//
// A vote is bound to a commit: a vote carrying another sha never counts.
// With prevent_self_approval neither the requester nor the pusher of the
// commit may approve (they may reject). Pure functions of their arguments;
// thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/role.h"
#include "core/clock.h"
#include "core/result.h"
#include "governance/environment_protection.h"
#include "governance/execution_request.h"

namespace opz::governance {

enum class ApprovalStatus { kPending, kApproved, kRejected, kExpired, kSuperseded };

// The facts of one approval request (a store row, mapped).
struct ApprovalRequest {
  std::string id;
  std::string execution_id;
  std::string environment;
  ApprovalStatus status = ApprovalStatus::kPending;  // as recorded
  int required_approvals = 1;
  bool prevent_self_approval = true;
  std::string requested_by;                   // user id or "github:<login>"
  std::optional<std::string> pusher_user_id;  // the commit's pusher, if a user
  std::string commit_sha;
  TimePoint created_at{};
  TimePoint expires_at{};
};

struct ApprovalVote {
  std::string user_id;
  bool approve = true;
  std::string comment;
  std::string commit_sha;  // the sha the voter saw
  TimePoint at{};
  std::string user_label;  // how people know the voter (an email); "" = user_id
};

struct Voter {
  std::string user_id;
  auth::Role role = auth::Role::kViewer;
};

enum class VoteRefusal {
  kNotEligible,      // 403: a viewer, or not one of the named reviewers
  kSelfApproval,     // 403: the requester or the pusher approving
  kAlreadyVoted,     // 409: one vote per user
  kNotPending,       // 409: decided, expired or superseded
  kWrongCommit,      // 409: the vote names another commit
  kCommentRequired,  // 422: a rejection needs a comment
};

struct VoteCheck {
  std::optional<VoteRefusal> refusal;  // nullopt: the vote may be recorded
  std::string reason;                  // why, for the API error and the audit log

  bool allowed() const { return !refusal.has_value(); }
  // forbidden / conflict / validation (field "comment" or "commit_sha").
  Error error() const;
};

// A new request for `request`'s deployment under `protection`, created at
// `now`: required approvals, self-approval rule and expiry taken from the
// protection, commit and people from the request.
ApprovalRequest make_approval_request(const ExecutionRequest& request,
                                      const EnvironmentProtection& protection,
                                      std::string execution_id, TimePoint now);

// Checks in this order: eligibility, self-approval, pending (and not
// expired at `now`), commit, one vote per user, rejection comment.
VoteCheck check_voter(const ApprovalRequest& request, const std::vector<ApprovalVote>& votes,
                      const Voter& voter, const ApprovalVote& vote,
                      const EnvironmentProtection& protection, TimePoint now);

struct Tally {
  ApprovalStatus status = ApprovalStatus::kPending;
  int approvals = 0;  // distinct users approving this commit
  int required = 0;
  std::vector<std::string> approvers;  // in vote order
  std::string rejected_by;             // kRejected: the voter's label (email), else id
  std::string rejection_comment;       // kRejected
  std::string commit_sha;              // the request's commit
  // When the decision fell (the deciding vote, or expires_at); the wait
  // timer runs from here.
  std::optional<TimePoint> decided_at;
  TimePoint expires_at{};
};

// `votes` in the order they were recorded. Votes on another commit, votes at
// or after expires_at, repeated votes of one user (the first counts) and
// self-approvals the request forbids are ignored.
Tally tally(const ApprovalRequest& request, const std::vector<ApprovalVote>& votes, TimePoint now);

std::string_view to_string(ApprovalStatus status);  // "pending", "approved", ...
Result<ApprovalStatus> parse_approval_status(std::string_view text);
std::string_view to_string(VoteRefusal refusal);  // "not_eligible", "self_approval", ...

}  // namespace opz::governance
