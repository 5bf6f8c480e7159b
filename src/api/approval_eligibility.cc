#include "api/approval_eligibility.h"

#include "trigger/approval_records.h"

namespace opz::api {

namespace {

std::string reviewer_list(const governance::EnvironmentProtection& p, const UserLabel& name_of) {
  std::string out;
  for (const auto& r : p.reviewers) {
    if (!out.empty()) out += ", ";
    out += r.kind == governance::ReviewerKind::kUser ? name_of(r.id) : "role " + r.id;
  }
  return out;
}

std::string refusal_sentence(governance::VoteRefusal refusal, const store::ApprovalRecord& a,
                             const governance::ApprovalRequest& request,
                             const governance::EnvironmentProtection& protection,
                             const std::string& user_id, auth::Role role,
                             const UserLabel& name_of) {
  using governance::VoteRefusal;
  switch (refusal) {
    case VoteRefusal::kNotEligible:
      if (role < auth::Role::kOperator) return "Only operators and admins can approve";
      return "You are not a named reviewer of " + a.environment +
             " (reviewers: " + reviewer_list(protection, name_of) + ")";
    case VoteRefusal::kSelfApproval:
      return std::string(user_id == a.requested_by ? "You started this execution"
                                                   : "You pushed this commit") +
             ": self-approval is not allowed in " + a.environment;
    case VoteRefusal::kNotPending:
      if (request.status == governance::ApprovalStatus::kPending) return "This request has expired";
      return "This request is no longer pending (" + a.status + ")";
    case VoteRefusal::kAlreadyVoted:
      for (const auto& v : a.votes)
        if (v.user_id == user_id) return v.approve ? "You already approved" : "You already rejected";
      return "You already voted";
    case VoteRefusal::kWrongCommit:
      return "The request is for another commit";
    case VoteRefusal::kCommentRequired:
      return "A rejection needs a comment";
  }
  return "You may not vote on this request";
}

}  // namespace

VoteEligibility vote_eligibility(const store::ApprovalRecord& a, const std::string& user_id,
                                 auth::Role role, TimePoint now, const UserLabel& name_of) {
  const governance::ApprovalRequest request = trigger::to_governance(a);
  const governance::EnvironmentProtection protection = trigger::protection_of(a);
  governance::ApprovalVote vote;
  vote.user_id = user_id;
  vote.approve = true;
  vote.at = now;
  const governance::VoteCheck check = governance::check_voter(
      request, trigger::votes_of(a), {user_id, role}, vote, protection, now);
  if (check.allowed()) return {true, std::nullopt};
  return {false,
          refusal_sentence(*check.refusal, a, request, protection, user_id, role, name_of)};
}

}  // namespace opz::api
