// Voting on approval requests: one code path for POST /api/v1/approvals/{id}/votes
// and the node alias POST /api/v1/executions/{id}/nodes/{node_id}/approval.
//
// cast_vote() checks the vote with governance::check_voter and decides with
// governance::tally inside the store's write transaction (the audit row and
// the "approval decided" notification commit with the vote); a refused vote
// is audited on its own. When the vote decides the request it resumes the
// gate: an approval node through Engine::resolve_approval, an environment
// request through Admission::reevaluate. Errors: 404 unknown request, 403
// not eligible / self-approval, 409 already voted / not pending / another
// commit, 422 rejection without comment.
#pragma once

#include <string>

#include "api/api_context.h"
#include "api/endpoint.h"
#include "auth/authenticator.h"
#include "core/json.h"
#include "store/approval_store.h"

namespace opz::api {

struct VoteInput {
  bool approve = true;
  std::string comment;
  std::string commit_sha;  // empty: the request's commit
};

// Answers the request after the vote (approval_json).
Result<store::ApprovalRecord> cast_vote(ApiContext& ctx, const std::string& request_id,
                                        const VoteInput& vote, const auth::Principal& voter,
                                        const std::string& remote_addr);

// The node alias: votes on the pending request of `node_id` and answers 200
// with the execution's detail (the route's answer before it was an alias).
Result<Reply> vote_on_node(ApiContext& ctx, const std::string& execution_id,
                           const std::string& node_id, const VoteInput& vote,
                           const auth::Principal& voter, const std::string& remote_addr);

// The request as the API answers it, for `caller`: votes[] name each voter
// (user_id, email, full_name), and can_vote / cannot_vote_reason say whether
// the caller may approve it now and if not why (api/approval_eligibility.h).
Json approval_json(ApiContext& ctx, const store::ApprovalRecord& a, const auth::Principal& caller);

}  // namespace opz::api
