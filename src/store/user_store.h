// UserStore: profiles, their role (user_roles), preferences, login sessions
// and personal API tokens. Tokens are stored only as hashes (auth/token.h).
//
// Creating a user is one transaction that writes the profile, its role
// (viewer unless told otherwise: the seeds' handle_new_user) and default
// preferences. Thread-safe (all state is in the database).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"
#include "store/page.h"

namespace opz::store {

struct UserRecord {
  std::string id;
  std::string email;
  std::string full_name;
  std::string role;  // admin | operator | viewer
  std::string password_hash;
  std::string created_at;
};

struct ApiTokenRecord {
  std::string id;
  std::string user_id;
  std::string name;
  std::string token_prefix;
  std::string created_at;
  std::optional<std::string> last_used_at;
  std::optional<std::string> expires_at;
  std::optional<std::string> revoked_at;
};

// Who a bearer token belongs to.
struct TokenOwner {
  UserRecord user;
  std::string kind;  // "session" | "api_token"
  std::string token_id;
};

class UserStore {
 public:
  UserStore(Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // kConflict when the email exists (case-insensitive).
  Result<UserRecord> create(const std::string& email, const std::string& full_name,
                            const std::string& password_hash, const std::string& role);
  Result<UserRecord> find(const std::string& id);
  Result<UserRecord> find_by_email(const std::string& email);
  Result<Page<UserRecord>> list(const PageRequest& page);
  Status set_role(const std::string& user_id, const std::string& role);
  Result<int64_t> count();

  Status create_session(const std::string& user_id, const std::string& token_hash,
                        TimePoint expires_at);
  Status delete_session(const std::string& token_hash);

  Result<ApiTokenRecord> create_api_token(const std::string& user_id, const std::string& name,
                                          const std::string& token_hash,
                                          const std::string& prefix,
                                          std::optional<TimePoint> expires_at);
  Result<std::vector<ApiTokenRecord>> list_api_tokens(const std::string& user_id);
  // kNotFound unless the token exists, belongs to user_id and is not revoked.
  Status revoke_api_token(const std::string& user_id, const std::string& token_id);

  // Resolves a token hash against live sessions, then live API tokens.
  Result<TokenOwner> find_token_owner(const std::string& token_hash);

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace opz::store
