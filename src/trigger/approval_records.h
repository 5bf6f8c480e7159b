// Mapping between approval rows (store::ApprovalRecord, ApprovalVoteRecord)
// and the governance types the rules take (governance::ApprovalRequest,
// ApprovalVote, the reviewers of an EnvironmentProtection). The store stays
// rule-free; governance never sees a row. Pure functions.
#pragma once

#include <string>
#include <vector>

#include "governance/approval_tally.h"
#include "governance/environment_protection.h"
#include "store/approval_store.h"

namespace opz::trigger {

// A row without expires_at never expires (TimePoint::max()).
governance::ApprovalRequest to_governance(const store::ApprovalRecord& row);
governance::ApprovalVote to_governance(const store::ApprovalVoteRecord& row);
std::vector<governance::ApprovalVote> votes_of(const store::ApprovalRecord& row);
// What check_voter needs of the protection: the request's reviewers,
// required approvals and self-approval rule.
governance::EnvironmentProtection protection_of(const store::ApprovalRecord& row);

// A row for `request` (node_id empty: an environment request).
store::ApprovalRecord to_record(const governance::ApprovalRequest& request,
                                const std::vector<governance::Reviewer>& reviewers = {},
                                const std::string& node_id = {});

Json reviewers_json(const std::vector<governance::Reviewer>& reviewers);
// Entries that do not parse are skipped.
std::vector<governance::Reviewer> reviewers_from_json(const Json& reviewers);

// governance::tally of the row at `now`, as the status text the store writes.
std::string tally_status(const store::ApprovalRecord& row, TimePoint now);

}  // namespace opz::trigger
