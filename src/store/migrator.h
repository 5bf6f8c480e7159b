// Migrator: brings a Database's schema up to date from an ordered list of
// migrations (normally embedded_migrations(), store/migrations.h).
//
// Contract:
//   * Migrations are applied in list order (names must be strictly increasing),
//     each in its own write transaction together with its row in
//     schema_migrations(version TEXT PRIMARY KEY, applied_at TEXT): a migration
//     is either fully applied and recorded, or not at all.
//   * A recorded migration is never re-applied. The check is repeated inside
//     the write transaction, and write transactions are serialized across
//     processes (BEGIN IMMEDIATE), so two processes starting at once on the same
//     file apply each migration exactly once; the second sees it recorded.
//   * A database that records a migration this binary does not know (it was
//     migrated by a newer Opzenix) is refused with kInternal, nothing applied.
//   * Migration scripts must not contain BEGIN/COMMIT.
//
// Thread-safety: a Migrator is used by one thread; several Migrators (in one or
// several processes) may run against the same database at once.
#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"
#include "store/migrations.h"

namespace opz::store {

class Migrator {
 public:
  // `db`, `migrations` and `clock` must outlive the Migrator.
  Migrator(Database& db, const std::vector<Migration>& migrations, const Clock& clock)
      : db_(db), migrations_(migrations), clock_(clock) {}

  // Applies the pending migrations; answers the names this call applied.
  Result<std::vector<std::string>> apply();
  // Recorded migration names in order; empty when schema_migrations does not exist.
  Result<std::vector<std::string>> applied();
  // True when every migration of the list is recorded.
  Result<bool> up_to_date();

 private:
  Status check_order() const;
  bool known(const std::string& name) const;

  Database& db_;
  const std::vector<Migration>& migrations_;
  const Clock& clock_;
};

}  // namespace opz::store
