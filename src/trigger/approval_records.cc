#include "trigger/approval_records.h"

#include "core/time_format.h"

namespace opz::trigger {

namespace {

TimePoint time_or(const std::string& text, TimePoint fallback) {
  if (text.empty()) return fallback;
  auto t = parse_time(text);
  return t ? *t : fallback;
}

}  // namespace

governance::ApprovalRequest to_governance(const store::ApprovalRecord& row) {
  governance::ApprovalRequest a;
  a.id = row.id;
  a.execution_id = row.execution_id;
  a.environment = row.environment;
  a.status = governance::parse_approval_status(row.status)
                 .value_or(governance::ApprovalStatus::kPending);
  a.required_approvals = row.required_approvals;
  a.prevent_self_approval = row.prevent_self_approval;
  a.requested_by = row.requested_by;
  if (!row.pusher_user_id.empty()) a.pusher_user_id = row.pusher_user_id;
  a.commit_sha = row.commit_sha;
  a.created_at = time_or(row.created_at, TimePoint{});
  a.expires_at = time_or(row.expires_at, TimePoint::max());
  return a;
}

governance::ApprovalVote to_governance(const store::ApprovalVoteRecord& row) {
  governance::ApprovalVote v;
  v.user_id = row.user_id;
  v.user_label = row.user_email;
  v.approve = row.approve;
  v.comment = row.comment;
  v.commit_sha = row.commit_sha;
  v.at = time_or(row.created_at, TimePoint{});
  return v;
}

std::vector<governance::ApprovalVote> votes_of(const store::ApprovalRecord& row) {
  std::vector<governance::ApprovalVote> out;
  for (const auto& v : row.votes) out.push_back(to_governance(v));
  return out;
}

governance::EnvironmentProtection protection_of(const store::ApprovalRecord& row) {
  governance::EnvironmentProtection p;
  p.name = row.environment;
  p.requires_approval = true;
  p.required_approvals = row.required_approvals;
  p.prevent_self_approval = row.prevent_self_approval;
  p.reviewers = reviewers_from_json(row.reviewers);
  return p;
}

store::ApprovalRecord to_record(const governance::ApprovalRequest& request,
                                const std::vector<governance::Reviewer>& reviewers,
                                const std::string& node_id) {
  store::ApprovalRecord r;
  r.id = request.id;
  r.execution_id = request.execution_id;
  r.node_id = node_id;
  r.environment = request.environment;
  r.status = std::string(governance::to_string(request.status));
  r.required_approvals = request.required_approvals;
  r.prevent_self_approval = request.prevent_self_approval;
  r.reviewers = reviewers_json(reviewers);
  r.requested_by = request.requested_by;
  r.pusher_user_id = request.pusher_user_id.value_or("");
  r.commit_sha = request.commit_sha;
  if (request.created_at != TimePoint{}) r.created_at = format_time(request.created_at);
  if (request.expires_at != TimePoint{} && request.expires_at != TimePoint::max())
    r.expires_at = format_time(request.expires_at);
  return r;
}

Json reviewers_json(const std::vector<governance::Reviewer>& reviewers) {
  Json out = Json::array();
  for (const auto& r : reviewers)
    out.push_back(Json{{"kind", std::string(governance::to_string(r.kind))}, {"id", r.id}});
  return out;
}

std::vector<governance::Reviewer> reviewers_from_json(const Json& reviewers) {
  std::vector<governance::Reviewer> out;
  if (!reviewers.is_array()) return out;
  for (const Json& j : reviewers) {
    if (!j.is_object() || !j.contains("kind") || !j.contains("id") || !j["id"].is_string() ||
        !j["kind"].is_string())
      continue;
    auto kind = governance::parse_reviewer_kind(j["kind"].get<std::string>());
    if (!kind) continue;
    out.push_back({*kind, j["id"].get<std::string>()});
  }
  return out;
}

std::string tally_status(const store::ApprovalRecord& row, TimePoint now) {
  return std::string(
      governance::to_string(governance::tally(to_governance(row), votes_of(row), now).status));
}

}  // namespace opz::trigger
