#include "app/data_dir.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/clock.h"
#include "core/ids.h"
#include "store/project_store.h"

namespace opz::app {

Result<std::unique_ptr<store::Database>> open_database(const DatabaseChoice& choice,
                                                      const std::string& data_dir) {
  const std::string& database = choice.database;
  if (database.rfind("postgres://", 0) == 0 || database.rfind("postgresql://", 0) == 0)
    return store::Database::open_postgres({.url = database});
  if (!database.empty()) {
    return Error::validation("database must be empty (SQLite in the data directory) or a "
                             "postgres:// URL",
                             "database");
  }
  store::DatabaseOptions opts;
  opts.path = (std::filesystem::path(data_dir) / "opzenix.db").string();
  opts.synchronous_full = choice.sync_full;
  opts.checkpoint_pages = choice.sqlite_checkpoint_pages;
  opts.reader_cache_bytes = int64_t{choice.sqlite_reader_cache_mb} << 20;
  opts.commit_window = choice.sqlite_commit_window;
  return store::Database::open_sqlite(opts);
}

Result<std::string> server_id_for(const std::string& path) {
  const std::filesystem::path file = std::filesystem::path(path) / "server-id";
  {
    std::ifstream in(file);
    std::string id;
    if (in && std::getline(in, id) && !id.empty() && id.size() <= 64) return id;
  }
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  const std::string id = new_uuid();
  const std::string tmp = file.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << id << "\n";
    if (!out.flush())
      return Error::unavailable("cannot write the server id file " + tmp);
  }
  if (std::rename(tmp.c_str(), file.c_str()) != 0)
    return Error::unavailable("cannot write the server id file " + file.string());
  return id;
}

DatabaseChoice database_choice_of(const ServerConfig& config) {
  return {.database = config.database,
          .sync_full = config.sync_full,
          .sqlite_checkpoint_pages = config.sqlite_checkpoint_pages,
          .sqlite_reader_cache_mb = config.sqlite_reader_cache_mb,
          .sqlite_commit_window = std::chrono::microseconds(config.sqlite_commit_window_us)};
}

Result<DataDir> open_data_dir(const std::string& path, const DatabaseChoice& choice) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return Error::unavailable("cannot create data directory '" + path + "': " + ec.message());
  DataDir dir;
  dir.path = path;
  OPZ_TRY(dir.db, open_database(choice, path));
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
