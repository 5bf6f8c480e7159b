#include "store/user_store.h"

#include "core/ids.h"
#include "core/time_format.h"

namespace opz::store {

namespace {

constexpr std::string_view kUserColumns =
    "p.id, p.email, COALESCE(p.full_name, '') AS full_name, COALESCE(r.role, 'viewer') AS role, "
    "COALESCE(p.password_hash, '') AS password_hash, p.created_at";

UserRecord user_from_row(const Row& r) {
  return UserRecord{r["id"].as_text(),   r["email"].as_text(),         r["full_name"].as_text(),
                    r["role"].as_text(), r["password_hash"].as_text(), r["created_at"].as_text()};
}

ApiTokenRecord token_from_row(const Row& r) {
  return ApiTokenRecord{r["id"].as_text(),
                        r["user_id"].as_text(),
                        r["name"].as_text(),
                        r["token_prefix"].as_text(),
                        r["created_at"].as_text(),
                        r["last_used_at"].as_optional_text(),
                        r["expires_at"].as_optional_text(),
                        r["revoked_at"].as_optional_text()};
}

std::string user_select(std::string_view where) {
  return "SELECT " + std::string(kUserColumns) +
         " FROM profiles p LEFT JOIN user_roles r ON r.user_id = p.id " + std::string(where);
}

Result<UserRecord> one_user(SqlSession& s, std::string_view where, const Params& params,
                            const std::string& what) {
  OPZ_TRY(Rows rows, s.query(user_select(where), params));
  if (rows.empty()) return Error::not_found("no user " + what);
  return user_from_row(rows[0]);
}

}  // namespace

Result<UserRecord> UserStore::create(const std::string& email, const std::string& full_name,
                                     const std::string& password_hash, const std::string& role) {
  const std::string now = format_time(clock_.now());
  const std::string id = new_uuid();
  return db_.write([&](SqlSession& s) -> Result<UserRecord> {
    OPZ_TRY(Rows existing, s.query("SELECT id FROM profiles WHERE email = $1", {email}));
    if (!existing.empty())
      return Error::conflict("a user with email '" + email + "' already exists", "email");
    OPZ_TRY_STATUS(s.exec(
        "INSERT INTO profiles (id, email, full_name, password_hash, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $5)",
        {id, email, full_name, password_hash, now}));
    OPZ_TRY_STATUS(s.exec(
        "INSERT INTO user_roles (id, user_id, role, created_at) VALUES ($1, $2, $3, $4)",
        {new_uuid(), id, role, now}));
    OPZ_TRY_STATUS(s.exec(
        "INSERT INTO user_preferences (id, user_id, default_mode, ui_preferences, created_at, "
        "updated_at) VALUES ($1, $2, 'control-tower', '{}', $3, $3)",
        {new_uuid(), id, now}));
    return UserRecord{id, email, full_name, role, password_hash, now};
  });
}

Result<UserRecord> UserStore::find(const std::string& id) {
  return db_.read([&](SqlSession& s) { return one_user(s, "WHERE p.id = $1", {id}, "with id " + id); });
}

Result<UserRecord> UserStore::find_by_email(const std::string& email) {
  return db_.read([&](SqlSession& s) {
    return one_user(s, "WHERE p.email = $1", {email}, "with that email");
  });
}

Result<Page<UserRecord>> UserStore::list(const PageRequest& page) {
  return db_.read([&](SqlSession& s) -> Result<Page<UserRecord>> {
    std::string sql = user_select("WHERE 1 = 1");
    Params params;
    OPZ_TRY_STATUS(append_page_clause(page, sql, params, {"p.created_at", "p.id"}));
    OPZ_TRY(Rows rows, s.query(sql, params));
    return page_from_rows<UserRecord>(rows, page.limit, user_from_row);
  });
}

Status UserStore::set_role(const std::string& user_id, const std::string& role) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Status {
    OPZ_TRY(Rows rows, s.query("SELECT id FROM profiles WHERE id = $1", {user_id}));
    if (rows.empty()) return Error::not_found("no user with id " + user_id);
    OPZ_TRY_STATUS(s.exec(
        "INSERT INTO user_roles (id, user_id, role, created_at) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (user_id) DO UPDATE SET role = excluded.role",
        {new_uuid(), user_id, role, now}));
    return {};
  });
}

Result<int64_t> UserStore::count() {
  return db_.read([&](SqlSession& s) -> Result<int64_t> {
    OPZ_TRY(Rows rows, s.query("SELECT COUNT(*) AS n FROM profiles"));
    return rows[0]["n"].as_int();
  });
}

Status UserStore::create_session(const std::string& user_id, const std::string& token_hash,
                                 TimePoint expires_at) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Status {
    // Expired sessions of this user are swept on every login: the table stays small.
    OPZ_TRY_STATUS(s.exec("DELETE FROM sessions WHERE user_id = $1 AND expires_at < $2",
                          {user_id, now}));
    OPZ_TRY_STATUS(s.exec(
        "INSERT INTO sessions (id, user_id, token_hash, created_at, expires_at, last_used_at) "
        "VALUES ($1, $2, $3, $4, $5, $4)",
        {new_uuid(), user_id, token_hash, now, format_time(expires_at)}));
    return {};
  });
}

Status UserStore::delete_session(const std::string& token_hash) {
  return db_.write([&](SqlSession& s) -> Status {
    OPZ_TRY_STATUS(s.exec("DELETE FROM sessions WHERE token_hash = $1", {token_hash}));
    return {};
  });
}

Result<ApiTokenRecord> UserStore::create_api_token(const std::string& user_id,
                                                   const std::string& name,
                                                   const std::string& token_hash,
                                                   const std::string& prefix,
                                                   std::optional<TimePoint> expires_at) {
  const std::string now = format_time(clock_.now());
  ApiTokenRecord rec{new_uuid(), user_id, name, prefix, now, std::nullopt, std::nullopt,
                     std::nullopt};
  if (expires_at) rec.expires_at = format_time(*expires_at);
  return db_.write([&](SqlSession& s) -> Result<ApiTokenRecord> {
    OPZ_TRY_STATUS(s.exec(
        "INSERT INTO api_tokens (id, user_id, name, token_hash, token_prefix, created_at, "
        "expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {rec.id, user_id, name, token_hash, prefix, now, rec.expires_at}));
    return rec;
  });
}

Result<std::vector<ApiTokenRecord>> UserStore::list_api_tokens(const std::string& user_id) {
  return db_.read([&](SqlSession& s) -> Result<std::vector<ApiTokenRecord>> {
    OPZ_TRY(Rows rows, s.query("SELECT id, user_id, name, token_prefix, created_at, last_used_at, "
                               "expires_at, revoked_at FROM api_tokens WHERE user_id = $1 "
                               "ORDER BY created_at DESC, id DESC",
                               {user_id}));
    std::vector<ApiTokenRecord> out;
    for (const Row& r : rows) out.push_back(token_from_row(r));
    return out;
  });
}

Status UserStore::revoke_api_token(const std::string& user_id, const std::string& token_id) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Status {
    OPZ_TRY(int64_t n, s.exec("UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND "
                              "user_id = $2 AND revoked_at IS NULL",
                              {token_id, user_id, now}));
    if (n == 0) return Error::not_found("no active token " + token_id + " of this user");
    return {};
  });
}

Result<TokenOwner> UserStore::find_token_owner(const std::string& token_hash) {
  const std::string now = format_time(clock_.now());
  return db_.read([&](SqlSession& s) -> Result<TokenOwner> {
    OPZ_TRY(Rows rows,
            s.query(user_select("JOIN sessions t ON t.user_id = p.id WHERE t.token_hash = $1 AND "
                                "t.expires_at > $2")
                        .replace(0, 6, "SELECT t.id AS token_id,"),
                    {token_hash, now}));
    if (!rows.empty()) return TokenOwner{user_from_row(rows[0]), "session", rows[0]["token_id"].as_text()};
    OPZ_TRY(Rows trows,
            s.query(user_select("JOIN api_tokens t ON t.user_id = p.id WHERE t.token_hash = $1 AND "
                                "t.revoked_at IS NULL AND (t.expires_at IS NULL OR "
                                "t.expires_at > $2)")
                        .replace(0, 6, "SELECT t.id AS token_id,"),
                    {token_hash, now}));
    if (!trows.empty())
      return TokenOwner{user_from_row(trows[0]), "api_token", trows[0]["token_id"].as_text()};
    return Error::unauthenticated("invalid or expired token");
  });
}

}  // namespace opz::store
