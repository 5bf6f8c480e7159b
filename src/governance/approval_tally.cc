#include "governance/approval_tally.h"

#include <algorithm>

#include "governance/enum_names.h"

namespace opz::governance {

namespace {

constexpr detail::NameTable<ApprovalStatus, 5> kApprovalStatuses{{
    {ApprovalStatus::kPending, "pending"},
    {ApprovalStatus::kApproved, "approved"},
    {ApprovalStatus::kRejected, "rejected"},
    {ApprovalStatus::kExpired, "expired"},
    {ApprovalStatus::kSuperseded, "superseded"},
}};

constexpr detail::NameTable<VoteRefusal, 6> kRefusals{{
    {VoteRefusal::kNotEligible, "not_eligible"},
    {VoteRefusal::kSelfApproval, "self_approval"},
    {VoteRefusal::kAlreadyVoted, "already_voted"},
    {VoteRefusal::kNotPending, "not_pending"},
    {VoteRefusal::kWrongCommit, "wrong_commit"},
    {VoteRefusal::kCommentRequired, "comment_required"},
}};

VoteCheck refuse(VoteRefusal refusal, std::string reason) { return {refusal, std::move(reason)}; }

bool is_self(const ApprovalRequest& request, std::string_view user_id) {
  return user_id == request.requested_by ||
         (request.pusher_user_id && user_id == *request.pusher_user_id);
}

bool eligible(const Voter& voter, const EnvironmentProtection& protection) {
  if (voter.role < auth::Role::kOperator) return false;
  if (protection.reviewers.empty()) return true;
  return std::any_of(protection.reviewers.begin(), protection.reviewers.end(),
                     [&](const Reviewer& r) {
                       if (r.kind == ReviewerKind::kUser) return r.id == voter.user_id;
                       auto role = auth::parse_role(r.id);
                       return role && voter.role >= *role;
                     });
}

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

}  // namespace

Error VoteCheck::error() const {
  if (!refusal) return Error::internal("vote allowed: no error");
  switch (*refusal) {
    case VoteRefusal::kNotEligible:
    case VoteRefusal::kSelfApproval:
      return Error::forbidden(reason);
    case VoteRefusal::kAlreadyVoted:
    case VoteRefusal::kNotPending:
      return Error::conflict(reason);
    case VoteRefusal::kWrongCommit:
      return Error::conflict(reason, "commit_sha");
    case VoteRefusal::kCommentRequired:
      return Error::validation(reason, "comment");
  }
  return Error::internal(reason);
}

ApprovalRequest make_approval_request(const ExecutionRequest& request,
                                      const EnvironmentProtection& protection,
                                      std::string execution_id, TimePoint now) {
  ApprovalRequest a;
  a.execution_id = std::move(execution_id);
  a.environment = protection.name;
  a.required_approvals = std::max(1, protection.required_approvals);
  a.prevent_self_approval = protection.prevent_self_approval;
  a.requested_by = request.requested_by;
  a.pusher_user_id = request.pusher_user_id;
  a.commit_sha = request.commit_sha;
  a.created_at = now;
  a.expires_at = now + protection.approval_expiry;
  return a;
}

VoteCheck check_voter(const ApprovalRequest& request, const std::vector<ApprovalVote>& votes,
                      const Voter& voter, const ApprovalVote& vote,
                      const EnvironmentProtection& protection, TimePoint now) {
  if (!eligible(voter, protection))
    return refuse(
        VoteRefusal::kNotEligible,
        voter.role < auth::Role::kOperator
            ? "a " + std::string(auth::to_string(voter.role)) + " may not vote"
            : "only " + describe_reviewers(protection) + " may approve " + request.environment);
  if (vote.approve && request.prevent_self_approval && is_self(request, voter.user_id))
    return refuse(VoteRefusal::kSelfApproval,
                  voter.user_id == request.requested_by
                      ? "the user who started the execution may not approve it"
                      : "the pusher of the commit may not approve its deployment");
  if (request.status != ApprovalStatus::kPending)
    return refuse(VoteRefusal::kNotPending,
                  "the approval request is " + std::string(to_string(request.status)));
  if (now >= request.expires_at)
    return refuse(VoteRefusal::kNotPending, "the approval request has expired");
  if (!vote.commit_sha.empty() && vote.commit_sha != request.commit_sha)
    return refuse(VoteRefusal::kWrongCommit, "the vote is for commit " + vote.commit_sha +
                                                 ", the request for " + request.commit_sha);
  if (std::any_of(votes.begin(), votes.end(),
                  [&](const ApprovalVote& v) { return v.user_id == voter.user_id; }))
    return refuse(VoteRefusal::kAlreadyVoted, "user " + voter.user_id + " has already voted");
  if (!vote.approve && blank(vote.comment))
    return refuse(VoteRefusal::kCommentRequired, "a rejection needs a comment");
  return {};
}

Tally tally(const ApprovalRequest& request, const std::vector<ApprovalVote>& votes, TimePoint now) {
  Tally t;
  t.required = request.required_approvals;
  t.commit_sha = request.commit_sha;
  t.expires_at = request.expires_at;
  if (request.status == ApprovalStatus::kSuperseded) {
    t.status = ApprovalStatus::kSuperseded;
    return t;
  }
  std::vector<std::string> seen;
  for (const ApprovalVote& v : votes) {
    if (t.status != ApprovalStatus::kPending) break;
    if (v.at >= request.expires_at) break;  // late votes never count
    bool same_commit = v.commit_sha.empty() || v.commit_sha == request.commit_sha;
    if (!same_commit || std::find(seen.begin(), seen.end(), v.user_id) != seen.end()) continue;
    seen.push_back(v.user_id);
    if (!v.approve) {
      t.status = ApprovalStatus::kRejected;
      t.rejected_by = v.user_label.empty() ? v.user_id : v.user_label;
      t.rejection_comment = v.comment;
      t.decided_at = v.at;
    } else if (!(request.prevent_self_approval && is_self(request, v.user_id))) {
      t.approvers.push_back(v.user_id);
      t.approvals = static_cast<int>(t.approvers.size());
      if (t.approvals >= t.required) {
        t.status = ApprovalStatus::kApproved;
        t.decided_at = v.at;
      }
    }
  }
  if (t.status == ApprovalStatus::kPending && now >= request.expires_at) {
    t.status = ApprovalStatus::kExpired;
    t.decided_at = request.expires_at;
  }
  return t;
}

std::string_view to_string(ApprovalStatus status) {
  return detail::name_of(kApprovalStatuses, status);
}
Result<ApprovalStatus> parse_approval_status(std::string_view text) {
  return detail::parse_named(kApprovalStatuses, text, "status");
}
std::string_view to_string(VoteRefusal refusal) { return detail::name_of(kRefusals, refusal); }

}  // namespace opz::governance
