// Approvals: the inbox across projects (GET /api/v1/approvals), one request
// (GET /api/v1/approvals/{id}), what it would deploy
// (GET /api/v1/approvals/{id}/changes, api/approval_changes.h) and votes
// (POST /api/v1/approvals/{id}/votes); see api/approval_votes.h for the vote
// path shared with the node alias.
#include <spdlog/spdlog.h>

#include <map>
#include <optional>

#include "api/approval_changes.h"
#include "api/approval_eligibility.h"
#include "api/approval_votes.h"
#include "api/execution_json.h"
#include "api/json_body.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "core/json_optional.h"
#include "engine/engine.h"
#include "trigger/admission.h"
#include "trigger/approval_records.h"
#include "trigger/notifier.h"

namespace opz::api {

namespace {

// The users an answer names (voters, reviewers), each read once per answer.
class People {
 public:
  explicit People(store::UserStore& users) : users_(users) {}
  const store::UserRecord* find(const std::string& id) {
    auto it = cache_.find(id);
    if (it == cache_.end()) {
      auto u = users_.find(id);
      it = cache_.emplace(id, u ? std::optional(std::move(*u)) : std::nullopt).first;
    }
    return it->second ? &*it->second : nullptr;
  }
  std::string label(const std::string& id) {
    const store::UserRecord* u = find(id);
    return u ? u->email : id;
  }

 private:
  store::UserStore& users_;
  std::map<std::string, std::optional<store::UserRecord>> cache_;
};

Json vote_json(const store::ApprovalVoteRecord& v, People& people) {
  const store::UserRecord* u = people.find(v.user_id);
  return Json{{"id", v.id},
              {"user_id", v.user_id},
              {"email", u ? Json(u->email) : Json(nullptr)},
              {"full_name", u ? string_or_null(u->full_name) : Json(nullptr)},
              {"vote", v.approve},
              {"comment", v.comment},
              {"commit_sha", v.commit_sha},
              {"created_at", v.created_at}};
}

// How people know the requester: full name, else email; null for a
// non-user starter (github:<login>, git-poll) or a deleted user.
Json requester_name(People& people, const std::string& id) {
  const store::UserRecord* u = id.empty() ? nullptr : people.find(id);
  if (!u) return nullptr;
  return u->full_name.empty() ? Json(u->email) : Json(u->full_name);
}

// The decision reaches the starter (and the project's webhooks).
Status notify_decided(ApiContext& ctx, store::SqlSession& tx, const store::ApprovalRecord& a) {
  trigger::Notifier notifier(ctx.db, ctx.clock, nullptr, {});
  trigger::Notification n;
  n.type = "approval_decided";
  n.project_id = a.project_id;
  if (!a.requested_by.empty()) n.target_user_ids.push_back(a.requested_by);
  n.payload = Json{{"approval_request_id", a.id}, {"execution_id", a.execution_id},
                   {"node_id", a.node_id},        {"environment", a.environment},
                   {"status", a.status},          {"decided_by", a.decided_by}};
  OPZ_TRY_STATUS(notifier.notify_in(tx, n));
  return {};
}

// Resumes (or fails) the gate a decided request held.
void release_gate(ApiContext& ctx, const store::ApprovalRecord& a, const VoteInput& vote,
                  const std::string& user_id) {
  if (!a.node_id.empty()) {
    if (!ctx.engine) return;
    auto st = ctx.engine->resolve_approval(a.execution_id, a.node_id, a.status == "approved",
                                           user_id, vote.comment);
    if (!st)
      spdlog::warn("approvals: resolving node {} of {}: {}", a.node_id, a.execution_id,
                   st.error().to_string());
  } else if (ctx.admission) {
    ctx.admission->reevaluate(a.execution_id);
  }
}

// `people` caches user lookups across the items of one answer.
Json approval_json(ApiContext& ctx, const store::ApprovalRecord& a, const auth::Principal& caller,
                   People& people) {
  Json votes = Json::array();
  int approvals = 0;
  for (const auto& v : a.votes) {
    votes.push_back(vote_json(v, people));
    if (v.approve) ++approvals;
  }
  const VoteEligibility may =
      vote_eligibility(a, caller.user_id, caller.role, ctx.clock.now(),
                       [&people](const std::string& id) { return people.label(id); });
  return Json{{"id", a.id},
              {"execution_id", a.execution_id},
              {"project_id", string_or_null(a.project_id)},
              {"node_id", string_or_null(a.node_id)},
              {"environment", a.environment},
              {"status", a.status},
              {"required_approvals", a.required_approvals},
              {"approvals", approvals},
              {"votes", votes},
              {"requested_by", a.requested_by},
              {"requested_by_name", requester_name(people, a.requested_by)},
              {"commit_sha", a.commit_sha},
              {"prevent_self_approval", a.prevent_self_approval},
              {"reviewers", a.reviewers},
              {"title", a.title},
              {"expires_at", string_or_null(a.expires_at)},
              {"decided_at", string_or_null(a.decided_at)},
              {"decided_by", string_or_null(a.decided_by)},
              {"created_at", a.created_at},
              {"can_vote", may.can_vote},
              {"cannot_vote_reason", may.reason ? Json(*may.reason) : Json(nullptr)}};
}

}  // namespace

Json approval_json(ApiContext& ctx, const store::ApprovalRecord& a, const auth::Principal& caller) {
  People people(ctx.users);
  return approval_json(ctx, a, caller, people);
}

Result<store::ApprovalRecord> cast_vote(ApiContext& ctx, const std::string& request_id,
                                        const VoteInput& vote, const auth::Principal& voter,
                                        const std::string& remote_addr) {
  const TimePoint now = ctx.clock.now();
  governance::ApprovalVote v;
  v.user_id = voter.user_id;
  v.approve = vote.approve;
  v.comment = vote.comment;
  v.commit_sha = vote.commit_sha;
  v.at = now;
  const Json details{{"vote", vote.approve}, {"comment", vote.comment}};
  store::VoteRules rules;
  rules.check = [&](const store::ApprovalRecord& r) -> Status {
    auto check =
        governance::check_voter(trigger::to_governance(r), trigger::votes_of(r),
                                {voter.user_id, voter.role}, v, trigger::protection_of(r), now);
    if (!check.allowed()) return check.error();
    return {};
  };
  rules.decide = [&](const store::ApprovalRecord& r) { return trigger::tally_status(r, now); };
  rules.after = [&](store::SqlSession& tx, const store::VoteOutcome& out) -> Status {
    Json d = details;
    d["status"] = out.request.status;
    d["decided"] = out.decided;
    d["execution_id"] = out.request.execution_id;
    OPZ_TRY_STATUS(
        ctx.audit.record_in(tx, {vote.approve ? "approval.approved" : "approval.rejected",
                                 "approval_request", request_id, voter.user_id, d, remote_addr}));
    if (out.decided) OPZ_TRY_STATUS(notify_decided(ctx, tx, out.request));
    return {};
  };
  store::ApprovalVoteRecord row;
  row.user_id = voter.user_id;
  row.approve = vote.approve;
  row.comment = vote.comment;
  row.commit_sha = vote.commit_sha;
  auto out = store::ApprovalStore(ctx.db, ctx.clock).vote(request_id, row, rules);
  if (!out) {
    const Error& e = out.error();
    if (e.code == ErrorCode::kForbidden || e.code == ErrorCode::kConflict ||
        e.code == ErrorCode::kValidation) {
      Json d = details;
      d["refused"] = e.message;
      (void)ctx.audit.record(
          {"approval.vote_refused", "approval_request", request_id, voter.user_id, d, remote_addr});
    }
    return e;
  }
  if (out->decided) release_gate(ctx, out->request, vote, voter.user_id);
  return std::move(out->request);
}

Result<Reply> vote_on_node(ApiContext& ctx, const std::string& execution_id,
                           const std::string& node_id, const VoteInput& vote,
                           const auth::Principal& voter, const std::string& remote_addr) {
  OPZ_TRY(auto request,
          store::ApprovalStore(ctx.db, ctx.clock).find_pending_for_node(execution_id, node_id));
  OPZ_TRY_STATUS(cast_vote(ctx, request.id, vote, voter, remote_addr));
  if (!ctx.executions) return Reply{200, Json{{"id", execution_id}}};
  OPZ_TRY(auto d, ctx.executions->get(execution_id));
  return Reply{200, to_json(d)};
}

Status register_approval_routes(http::Router& r, ApiContext& ctx) {
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "GET", "/api/v1/approvals", "approvals.read",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY(auto page,
                store::parse_page_request(req.query_or("cursor"), req.query_or("limit")));
        store::ApprovalFilter f;
        f.status = req.query_or("status");
        if (!f.status.empty())
          OPZ_TRY_STATUS(check_one_of(
              "status", f.status, {"pending", "approved", "rejected", "expired", "superseded"}));
        f.execution_id = req.query_or("execution_id");
        f.project_id = req.query_or("project_id");
        OPZ_TRY(auto list, store::ApprovalStore(ctx.db, ctx.clock).list(f, page));
        Json items = Json::array();
        People people(ctx.users);
        for (const auto& a : list.items) items.push_back(approval_json(ctx, a, p, people));
        return Reply{200, list_body(std::move(items), list.next_cursor)};
      }));
  OPZ_TRY_STATUS(
      add_endpoint(r, ctx, "GET", "/api/v1/approvals/{id}", "approvals.read",
                   [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
                     OPZ_TRY_STATUS(check_id(req.param("id"), "approval request"));
                     OPZ_TRY(auto a, store::ApprovalStore(ctx.db, ctx.clock).find(req.param("id")));
                     return Reply{200, approval_json(ctx, a, p)};
                   }));
  OPZ_TRY_STATUS(
      add_endpoint(r, ctx, "GET", "/api/v1/approvals/{id}/changes", "approvals.read",
                   [&ctx](http::Request& req, const auth::Principal&) -> Result<Reply> {
                     OPZ_TRY_STATUS(check_id(req.param("id"), "approval request"));
                     OPZ_TRY(auto a, store::ApprovalStore(ctx.db, ctx.clock).find(req.param("id")));
                     OPZ_TRY(Json changes, approval_changes_json(ctx, a));
                     return Reply{200, std::move(changes)};
                   }));
  OPZ_TRY_STATUS(add_endpoint(
      r, ctx, "POST", "/api/v1/approvals/{id}/votes", "approvals.vote",
      [&ctx](http::Request& req, const auth::Principal& p) -> Result<Reply> {
        OPZ_TRY_STATUS(check_id(req.param("id"), "approval request"));
        OPZ_TRY(Json body, parse_json_body(req));
        FieldReader f(body);
        OPZ_TRY_STATUS(f.reject_unknown({"vote", "comment", "commit_sha"}));
        OPZ_TRY(auto approve, f.optional_bool("vote"));
        if (!approve) return Error::validation("'vote' (true or false) is required", "vote");
        OPZ_TRY(auto comment, f.optional_string("comment", 2000));
        OPZ_TRY(auto sha, f.optional_string("commit_sha", 64));
        OPZ_TRY(auto a,
                cast_vote(ctx, req.param("id"), {*approve, comment.value_or(""), sha.value_or("")},
                          p, req.remote_addr));
        return Reply{201, approval_json(ctx, a, p)};
      }));
  return {};
}

}  // namespace opz::api
