// Master key rotation (`opzenix secrets rotate-key`, docs/secrets.md): a new
// key is added to the key ring file (atomically replaced), then every secret
// not yet under it is decrypted with its own key and sealed under the new
// one, each row in its own small transaction, while the server keeps running
// (it re-reads the ring file when it changes, and a secret set meanwhile is
// already under the new key: reseal() leaves a row alone when its key or
// time changed).
//
// Stopped at any point and run again, nothing is lost: until a row is
// resealed it stays under its old key, which the ring keeps. A rerun that
// finds secrets under older keys FINISHES that rotation (no new key);
// otherwise it starts a new one. Secrets that do not decrypt are counted and
// left as they are (the command then fails naming them). Not thread-safe
// with itself (run one rotation at a time).
//
// GitHub integration tokens (github_tokens, trigger/github_token.h) are
// re-encrypted the same way after the secrets, each project's in its own
// transaction; tokens still sealed the old way (secret.key, before the ring
// existed) are moved into github_tokens when `legacy_key_file` is given.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::cli {

struct RotationOptions {
  std::string key_file;
  int batch = 50;
  // Stop after resealing this many rows (tests simulate a kill with it).
  std::optional<int> stop_after;
  // <data_dir>/secret.key: opens GitHub tokens sealed before the ring existed
  // (empty: those are left where they are; the server moves them at start).
  std::string legacy_key_file = {};
};

struct RotationReport {
  std::string key_id;      // the key everything is (being) moved under
  bool resumed = false;    // finished an interrupted rotation instead of adding a key
  int resealed = 0;                     // secrets and GitHub tokens
  int skipped = 0;                      // set meanwhile: already current
  // "NAME (scope)" of secrets, "GitHub token of project <id>", that did not decrypt
  std::vector<std::string> unreadable;
  bool stopped = false;                 // stop_after reached
};

Result<RotationReport> rotate_master_key(store::Database& db, const Clock& clock,
                                         const RotationOptions& options);

}  // namespace opz::cli
