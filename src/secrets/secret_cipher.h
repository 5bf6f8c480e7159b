// Secret encryption: one stored secret value under the key ring's newest key
// with libsodium's AEAD XChaCha20-Poly1305 (IETF), a fresh random 24-byte
// nonce per seal, and the secret's address (row id, scope, project,
// environment, name) as associated data. The address is authenticated, not
// stored in the ciphertext: a ciphertext copied onto another row (another id,
// scope or name) does not open, so swapping rows in the database cannot move
// a production secret into a development step.
//
// open() answers kUnauthenticated for a ciphertext that was altered, sealed
// under another key with the same id, or sealed for another address;
// kUnavailable when the ring lacks the key id it names (a ring file from
// before a rotation). Errors never contain the value or a key.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "secrets/key_ring.h"

namespace opz::secrets {

// Where a secret lives. project_id empty: global; environment_id empty: the
// whole project (or global). environment_id is the environment's stable row
// id (project_environments.id), not its name, so renaming an environment
// keeps its secrets readable while moving a row to another environment does
// not.
struct SecretAddress {
  std::string id;  // the secret's row id
  std::string project_id;
  std::string environment_id;
  std::string name;
};

// "global", "project" or "environment".
std::string_view scope_of(const SecretAddress& address);

struct SealedSecret {
  std::string key_id;
  std::string nonce;       // base64
  std::string ciphertext;  // base64, MAC included
};

Result<SealedSecret> seal_secret(const KeyRing& ring, const SecretAddress& address,
                                 std::string_view value);
Result<std::string> open_secret(const KeyRing& ring, const SecretAddress& address,
                                const SealedSecret& sealed);

}  // namespace opz::secrets
