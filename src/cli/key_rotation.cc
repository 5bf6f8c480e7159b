#include "cli/key_rotation.h"

#include <filesystem>
#include <set>

#include "secrets/master_keys.h"
#include "secrets/secret_cipher.h"
#include "store/github_store.h"
#include "store/secret_store.h"
#include "trigger/github_token.h"

namespace opz::cli {

namespace {

// Re-encrypts the GitHub tokens under the ring file's newest key.
Status reseal_github_tokens(store::Database& db, const Clock& clock,
                            const RotationOptions& options, RotationReport& report) {
  std::optional<secrets::SecretBox> legacy;
  std::error_code ec;
  if (!options.legacy_key_file.empty() && std::filesystem::exists(options.legacy_key_file, ec)) {
    auto box = secrets::SecretBox::open_or_create(options.legacy_key_file);
    if (box) legacy.emplace(*box);
  }
  if (!legacy) {
    // No old tokens can be opened: a box under a throwaway key only reseals ring tokens.
    OPZ_TRY(secrets::SecretBox none, secrets::SecretBox::from_key(std::string(32, '\0')));
    legacy.emplace(none);
  }
  secrets::MasterKeys keys({options.key_file, std::nullopt});
  store::GithubStore github(db, clock);
  if (options.legacy_key_file.empty()) {
    // Only ring tokens: old-form ones stay for the server to move.
    OPZ_TRY(auto older, github.tokens_not_under(report.key_id));
    if (older.empty()) return {};
  }
  trigger::GithubTokens tokens(*legacy, &keys);
  OPZ_TRY(auto moved, tokens.reseal_all(github));
  report.resealed += moved.moved;
  for (const std::string& project : moved.unreadable)
    report.unreadable.push_back("GitHub token of project " + project);
  return {};
}

}  // namespace

Result<RotationReport> rotate_master_key(store::Database& db, const Clock& clock,
                                         const RotationOptions& options) {
  RotationReport report;
  OPZ_TRY(secrets::KeyRing ring, secrets::read_key_ring_file(options.key_file));
  store::SecretStore store(db, clock);
  OPZ_TRY(auto pending, store.not_under_key(ring.newest().id, 1));
  OPZ_TRY(auto pending_tokens, store::GithubStore(db, clock).tokens_not_under(ring.newest().id));
  if (!pending.empty() || !pending_tokens.empty()) {
    report.resumed = true;
  } else {
    OPZ_TRY_STATUS(ring.add_key());
    OPZ_TRY_STATUS(secrets::write_key_ring_file(options.key_file, ring));
  }
  report.key_id = ring.newest().id;

  std::set<std::string> left;  // unreadable rows, not asked for again
  for (;;) {
    OPZ_TRY(auto rows, store.not_under_key(report.key_id,
                                           options.batch + static_cast<int>(left.size())));
    bool progressed = false;
    for (const store::SecretRecord& row : rows) {
      if (left.count(row.id)) continue;
      if (options.stop_after && report.resealed >= *options.stop_after) {
        report.stopped = true;
        return report;
      }
      progressed = true;
      const secrets::SecretAddress address{row.id, row.project_id, row.environment_id, row.name};
      auto value = secrets::open_secret(
          ring, address, {row.sealed.key_id, row.sealed.nonce, row.sealed.ciphertext});
      if (!value) {
        left.insert(row.id);
        report.unreadable.push_back(row.name + " (" + row.scope + ")");
        continue;
      }
      auto sealed = secrets::seal_secret(ring, address, *value);
      if (!sealed) return sealed.error();
      OPZ_TRY(bool replaced,
              store.reseal(row.id, row.sealed.key_id, row.updated_at,
                           {sealed->key_id, sealed->nonce, sealed->ciphertext}));
      // Not replaced: set meanwhile (under the new key, or asked again
      // with its new time by the next query).
      if (replaced) ++report.resealed; else ++report.skipped;
    }
    if (!progressed) break;
  }
  OPZ_TRY_STATUS(reseal_github_tokens(db, clock, options, report));
  return report;
}

}  // namespace opz::cli
