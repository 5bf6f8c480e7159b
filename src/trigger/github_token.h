// GitHub integration tokens at rest (issue 12; seed 000 §7.4): sealed with the
// master key ring (secrets/secret_cipher.h: XChaCha20-Poly1305, associated
// data = the github_tokens row's address: its id, the project, the name
// GITHUB_TOKEN) and stored in github_tokens by store::GithubStore.
//
// GithubTokens::seal() answers what GithubStore stores (token_sealed form):
// with a ring, a github_tokens row; without one (a server that never ran
// `opzenix secrets init`), the old form sealed with secret.key, kept in
// github_integrations until move_legacy() runs with a ring. open() reads
// either form, so every reader (commit statuses, github_workflow nodes) works
// whichever place a token is in. Neither the token nor a key is ever put in an
// error message. Thread-safe (MasterKeys is).
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "secrets/master_keys.h"
#include "secrets/secret_box.h"
#include "secrets/secret_cipher.h"
#include "store/github_store.h"

namespace opz::trigger {

inline constexpr std::string_view kGithubTokenName = "GITHUB_TOKEN";

// The associated data of a project's token row.
secrets::SecretAddress github_token_address(const std::string& project_id,
                                            const std::string& row_id);

class GithubTokens {
 public:
  // `legacy`: the secret.key box (reads old tokens; seals when there is no
  // ring); `keys`: the master key ring, null when the server has none.
  GithubTokens(const secrets::SecretBox& legacy, secrets::MasterKeys* keys)
      : legacy_(legacy), keys_(keys) {}

  Result<std::string> seal(const std::string& project_id, std::string_view token) const;
  // kUnavailable when a ring token's key is not in the ring (or there is no
  // ring); kUnauthenticated when the ciphertext was altered or moved.
  Result<std::string> open(const std::string& project_id, std::string_view sealed) const;
  Result<std::string> open(const store::GithubIntegrationRecord& integration) const {
    return open(integration.project_id, integration.token_sealed);
  }

  // The token's last four characters as stored ("" for an old-form token).
  static std::string last4(std::string_view sealed);

  struct MoveReport {
    int moved = 0;
    std::vector<std::string> unreadable;  // project ids whose token did not open
  };
  // Re-encrypts under the ring's newest key, one project per transaction:
  // every old-form token (moving it into github_tokens) and every ring token
  // under an older key (rotation). A token changed meanwhile is left to the
  // next run. kUnavailable without a ring.
  Result<MoveReport> reseal_all(store::GithubStore& store) const;

 private:
  Result<std::shared_ptr<const secrets::KeyRing>> ring() const;

  const secrets::SecretBox& legacy_;
  secrets::MasterKeys* keys_;
};

}  // namespace opz::trigger
