#include "cli/key_rotation.h"

#include <set>

#include "secrets/master_keys.h"
#include "secrets/secret_cipher.h"
#include "store/secret_store.h"

namespace opz::cli {

Result<RotationReport> rotate_master_key(store::Database& db, const Clock& clock,
                                         const RotationOptions& options) {
  RotationReport report;
  OPZ_TRY(secrets::KeyRing ring, secrets::read_key_ring_file(options.key_file));
  store::SecretStore store(db, clock);
  OPZ_TRY(auto pending, store.not_under_key(ring.newest().id, 1));
  if (!pending.empty()) {
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
    if (!progressed) return report;
  }
}

}  // namespace opz::cli
