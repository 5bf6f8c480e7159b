#include "store/approval_store.h"

#include <map>

#include "core/ids.h"
#include "core/time_format.h"
#include "store/optional_values.h"

namespace opz::store {

namespace {

// Rows fill commit and project from their execution (engine-created node
// requests carry neither).
constexpr const char* kApprovalSelect =
    "SELECT a.id, a.execution_id, COALESCE(a.node_id, '') AS node_id, "
    "COALESCE(a.environment, '') AS environment, a.status, a.required_approvals, "
    "a.prevent_self_approval, a.reviewers, COALESCE(a.requested_by, '') AS requested_by, "
    "COALESCE(a.pusher_user_id, '') AS pusher_user_id, "
    "COALESCE(a.commit_sha, e.commit_hash, '') AS commit_sha, COALESCE(a.title, '') AS title, "
    "COALESCE(a.description, '') AS description, a.expires_at, a.decided_at, "
    "COALESCE(a.decided_by, '') AS decided_by, "
    "COALESCE(e.project_id, '') AS project_id, a.created_at, a.updated_at "
    "FROM approval_requests a LEFT JOIN executions e ON e.id = a.execution_id ";

ApprovalRecord request_from_row(const Row& r) {
  ApprovalRecord a;
  a.id = r["id"].as_text();
  a.execution_id = r["execution_id"].as_text();
  a.node_id = r["node_id"].as_text();
  a.environment = r["environment"].as_text();
  a.status = r["status"].as_text();
  a.required_approvals = static_cast<int>(r["required_approvals"].as_int());
  a.prevent_self_approval = r["prevent_self_approval"].as_bool();
  a.reviewers = Json::parse(r["reviewers"].as_text(), nullptr, false);
  if (!a.reviewers.is_array()) a.reviewers = Json::array();
  a.requested_by = r["requested_by"].as_text();
  a.pusher_user_id = r["pusher_user_id"].as_text();
  a.commit_sha = r["commit_sha"].as_text();
  a.title = r["title"].as_text();
  a.description = r["description"].as_text();
  a.expires_at = r["expires_at"].as_text();
  a.decided_at = r["decided_at"].as_text();
  a.decided_by = r["decided_by"].as_text();
  a.project_id = r["project_id"].as_text();
  a.created_at = r["created_at"].as_text();
  a.updated_at = r["updated_at"].as_text();
  return a;
}

ApprovalVoteRecord vote_from_row(const Row& r) {
  ApprovalVoteRecord v;
  v.id = r["id"].as_text();
  v.approval_request_id = r["approval_request_id"].as_text();
  v.user_id = r["user_id"].as_text();
  v.approve = r["vote"].as_bool();
  v.comment = r["comment"].as_text();
  v.commit_sha = r["commit_sha"].as_text();
  v.created_at = r["created_at"].as_text();
  v.user_email = r["user_email"].as_text();
  return v;
}

// Fills each request's votes, in recorded order (created_at, then SQLite's
// rowid or PostgreSQL's seq, an identity column of its schema).
Status attach_votes(SqlSession& s, std::vector<ApprovalRecord>& requests) {
  if (requests.empty()) return {};
  std::string sql =
      "SELECT v.id, v.approval_request_id, v.user_id, v.vote, COALESCE(v.comment, '') AS comment, "
      "COALESCE(v.commit_sha, '') AS commit_sha, v.created_at, COALESCE(u.email, '') AS user_email "
      "FROM approval_votes v LEFT JOIN profiles u ON u.id = v.user_id "
      "WHERE v.approval_request_id IN (";
  Params params;
  std::map<std::string, ApprovalRecord*> by_id;
  for (ApprovalRecord& a : requests) {
    if (!params.empty()) sql += ", ";
    params.emplace_back(a.id);
    sql += "$" + std::to_string(params.size());
    by_id[a.id] = &a;
    a.votes.clear();
  }
  sql += s.dialect() == "postgres" ? ") ORDER BY v.created_at, v.seq"
                                   : ") ORDER BY v.created_at, v.rowid";
  OPZ_TRY(Rows rows, s.query(sql, params));
  for (const Row& r : rows) {
    ApprovalVoteRecord v = vote_from_row(r);
    by_id[v.approval_request_id]->votes.push_back(std::move(v));
  }
  return {};
}

Result<std::vector<ApprovalRecord>> select_requests(SqlSession& s, const std::string& where,
                                                    const Params& params) {
  OPZ_TRY(Rows rows, s.query(std::string(kApprovalSelect) + where, params));
  std::vector<ApprovalRecord> out;
  for (const Row& r : rows) out.push_back(request_from_row(r));
  OPZ_TRY_STATUS(attach_votes(s, out));
  return out;
}

Result<ApprovalRecord> select_one(SqlSession& s, const std::string& where, const Params& params,
                                  const std::string& missing) {
  OPZ_TRY(auto found, select_requests(s, where, params));
  if (found.empty()) return Error::not_found(missing);
  return std::move(found.front());
}

// pending -> `status`; true when this call moved it.
Result<bool> decide_in(SqlSession& tx, const std::string& id, const std::string& status,
                       const std::string& decided_by, const std::string& now) {
  OPZ_TRY(int64_t changed,
          tx.exec("UPDATE approval_requests SET status = $2, decided_at = $3, decided_by = $4, "
                  "resolved_at = $3, updated_at = $3 WHERE id = $1 AND status = 'pending'",
                  {id, status, now, text_or_null(decided_by)}));
  return changed == 1;
}

}  // namespace

Result<ApprovalRecord> ApprovalStore::create(const ApprovalRecord& request) {
  return db_.write([&](SqlSession& tx) { return create_in(tx, request); });
}

Result<ApprovalRecord> ApprovalStore::create_in(SqlSession& tx, const ApprovalRecord& request) {
  ApprovalRecord a = request;
  if (a.id.empty()) a.id = new_uuid();
  if (a.created_at.empty()) a.created_at = format_time(clock_.now());
  a.updated_at = a.created_at;
  a.status = "pending";
  OPZ_TRY_STATUS(tx.exec(
      "INSERT INTO approval_requests (id, execution_id, node_id, environment, status, "
      "required_approvals, requested_by, title, description, created_at, updated_at, commit_sha, "
      "expires_at, prevent_self_approval, reviewers, pusher_user_id) VALUES ($1, $2, $3, $4, "
      "'pending', $5, $6, $7, $8, $9, $9, $10, $11, $12, $13, $14)",
      {a.id, a.execution_id, text_or_null(a.node_id), text_or_null(a.environment),
       a.required_approvals, text_or_null(a.requested_by), text_or_null(a.title),
       text_or_null(a.description), a.created_at, text_or_null(a.commit_sha),
       text_or_null(a.expires_at), a.prevent_self_approval,
       a.reviewers.is_array() ? a.reviewers.dump() : std::string("[]"),
       text_or_null(a.pusher_user_id)}));
  return find_in(tx, a.id);
}

Result<ApprovalRecord> ApprovalStore::find(const std::string& id) {
  return db_.read([&](SqlSession& s) { return find_in(s, id); });
}

Result<ApprovalRecord> ApprovalStore::find_in(SqlSession& s, const std::string& id) {
  return select_one(s, "WHERE a.id = $1", {id}, "no approval request with id " + id);
}

Result<ApprovalRecord> ApprovalStore::find_pending_for_node(const std::string& execution_id,
                                                            const std::string& node_id) {
  return db_.read([&](SqlSession& s) {
    return select_one(
        s, "WHERE a.execution_id = $1 AND a.node_id = $2 AND a.status = 'pending'",
        {execution_id, node_id},
        "node " + node_id + " of execution " + execution_id + " has no pending approval request");
  });
}

Result<Page<ApprovalRecord>> ApprovalStore::list(const ApprovalFilter& filter,
                                                 const PageRequest& page) {
  std::string where = "WHERE 1 = 1";
  Params params;
  auto add = [&](const char* column, const std::string& value) {
    if (value.empty()) return;
    params.emplace_back(value);
    where += std::string(" AND ") + column + " = $" + std::to_string(params.size());
  };
  add("a.status", filter.status);
  add("a.execution_id", filter.execution_id);
  add("e.project_id", filter.project_id);
  if (!page.cursor.empty()) {  // oldest first: the keyset runs forward
    OPZ_TRY(CursorPosition at, decode_cursor(page.cursor));
    params.emplace_back(at.key);
    params.emplace_back(at.id);
    where += " AND (a.created_at, a.id) > ($" + std::to_string(params.size() - 1) + ", $" +
             std::to_string(params.size()) + ")";
  }
  params.emplace_back(page.limit + 1);
  where += " ORDER BY a.created_at, a.id LIMIT $" + std::to_string(params.size());
  return db_.read([&](SqlSession& s) -> Result<Page<ApprovalRecord>> {
    OPZ_TRY(auto found, select_requests(s, where, params));
    Page<ApprovalRecord> out;
    for (ApprovalRecord& a : found) {
      if (static_cast<int>(out.items.size()) == page.limit) {
        out.next_cursor = encode_cursor(out.items.back().created_at, out.items.back().id);
        break;
      }
      out.items.push_back(std::move(a));
    }
    return out;
  });
}

Result<VoteOutcome> ApprovalStore::vote(const std::string& request_id, ApprovalVoteRecord vote,
                                        const VoteRules& rules) {
  const std::string now = format_time(clock_.now());
  if (vote.id.empty()) vote.id = new_uuid();
  if (vote.created_at.empty()) vote.created_at = now;
  vote.approval_request_id = request_id;
  return db_.write([&](SqlSession& tx) -> Result<VoteOutcome> {
    OPZ_TRY(ApprovalRecord request, find_in(tx, request_id));
    if (rules.check) OPZ_TRY_STATUS(rules.check(request));
    OPZ_TRY_STATUS(tx.exec(
        "INSERT INTO approval_votes (id, approval_request_id, user_id, vote, comment, created_at, "
        "commit_sha) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {vote.id, request_id, vote.user_id, vote.approve, text_or_null(vote.comment),
         vote.created_at, text_or_null(vote.commit_sha)}));
    VoteOutcome out;
    out.vote = vote;
    request.votes.push_back(vote);
    const std::string status = rules.decide ? rules.decide(request) : request.status;
    if (status != "pending") {
      OPZ_TRY(out.decided, decide_in(tx, request_id, status, vote.user_id, now));
    }
    OPZ_TRY(out.request, find_in(tx, request_id));
    if (rules.after) OPZ_TRY_STATUS(rules.after(tx, out));
    return out;
  });
}

Result<bool> ApprovalStore::resolve_in(SqlSession& tx, const std::string& request_id,
                                       const std::string& status, const std::string& decided_by) {
  return decide_in(tx, request_id, status, decided_by, format_time(clock_.now()));
}

Result<std::vector<ApprovalRecord>> ApprovalStore::unnotified(int limit) {
  return db_.read([&](SqlSession& s) {
    return select_requests(s,
                           "WHERE a.status = 'pending' AND a.notified_at IS NULL "
                           "ORDER BY a.created_at, a.id LIMIT $1",
                           {limit});
  });
}

Status ApprovalStore::mark_notified_in(SqlSession& tx, const std::string& request_id) {
  OPZ_TRY_STATUS(tx.exec("UPDATE approval_requests SET notified_at = $2 WHERE id = $1",
                         {request_id, format_time(clock_.now())}));
  return {};
}

Result<std::vector<ApprovalRecord>> ApprovalStore::expire_due() {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& tx) -> Result<std::vector<ApprovalRecord>> {
    OPZ_TRY(auto due, select_requests(tx,
                                      "WHERE a.status = 'pending' AND a.expires_at IS NOT NULL "
                                      "AND a.expires_at <= $1 ORDER BY a.created_at, a.id",
                                      {now}));
    std::vector<ApprovalRecord> out;
    for (ApprovalRecord& a : due) {
      OPZ_TRY(bool changed, resolve_in(tx, a.id, "expired", ""));
      if (!changed) continue;
      a.status = "expired";
      a.decided_at = now;
      out.push_back(std::move(a));
    }
    return out;
  });
}

}  // namespace opz::store
