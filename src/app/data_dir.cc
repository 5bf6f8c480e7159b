#include "app/data_dir.h"

#include <filesystem>

#include "core/clock.h"
#include "store/project_store.h"

namespace opz::app {

Result<DataDir> open_data_dir(const std::string& path, bool sync_full) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return Error::unavailable("cannot create data directory '" + path + "': " + ec.message());
  DataDir dir;
  dir.path = path;
  store::DatabaseOptions opts;
  opts.path = (std::filesystem::path(path) / "opzenix.db").string();
  opts.synchronous_full = sync_full;
  OPZ_TRY(dir.db, store::Database::open_sqlite(opts));
  OPZ_TRY(dir.migrations_applied, dir.db->migrate());
  store::ProjectStore projects(*dir.db, SystemClock::instance());
  auto orgs = projects.list_organizations(store::PageRequest{"", 1});
  if (!orgs) return orgs.error();
  if (orgs->items.empty()) {
    auto created = projects.create_organization("Default", "default", "");
    if (!created && !created.error().is_conflict()) return created.error();
  }
  return dir;
}

}  // namespace opz::app
