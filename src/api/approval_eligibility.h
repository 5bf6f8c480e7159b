// Whether the CALLER may approve an approval request, and if not why, in a
// sentence a person reads (the approvals inbox and dialog show it next to a
// disabled Approve button). Computed with the very rules the vote applies:
// governance::check_voter on the request, its votes and the protection it
// recorded (reviewers, self-approval), for an approving vote on the request's
// commit at `now`. Pure: user names come from `name_of`.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "auth/role.h"
#include "core/clock.h"
#include "store/approval_store.h"

namespace opz::api {

struct VoteEligibility {
  bool can_vote = false;
  std::optional<std::string> reason;  // nullopt when can_vote
};

// The label a person knows a user by (their email; the id when unknown).
using UserLabel = std::function<std::string(const std::string& user_id)>;

// Sentences, in check_voter's order:
//   "Only operators and admins can approve"
//   "You are not a named reviewer of Production (reviewers: alice@x, role admin)"
//   "You started this execution: self-approval is not allowed in Production"
//   "You pushed this commit: self-approval is not allowed in Production"
//   "This request is no longer pending (approved)" / "This request has expired"
//   "You already approved" / "You already rejected"
VoteEligibility vote_eligibility(const store::ApprovalRecord& request, const std::string& user_id,
                                 auth::Role role, TimePoint now, const UserLabel& name_of);

}  // namespace opz::api
