#include "support/postgres_test_database.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <thread>

#include "store/database.h"
#include "store/migrations.h"
#include "store/pg_session.h"

namespace opz::testing {

namespace {

// Names the migration set, so a schema change gets a new template.
std::string template_name() {
  size_t h = 1469598103934665603ull;
  for (const store::Migration& m : store::embedded_migrations("postgres")) {
    h ^= std::hash<std::string>{}(m.name) + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h ^= std::hash<std::string>{}(m.sql) + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "opz_tpl_%016zx", h);
  return buf;
}

Result<bool> database_exists(store::PgSession& admin, const std::string& name) {
  OPZ_TRY(store::Rows rows, admin.query("SELECT 1 FROM pg_database WHERE datname = $1", {name}));
  return !rows.empty();
}

// The migrated template, built once by whichever test process gets there
// first: it migrates a private database and renames it into place (the
// rename is atomic; a loser drops its copy).
Status ensure_template(store::PgSession& admin, const std::string& server_url,
                       const std::string& tpl) {
  OPZ_TRY(bool exists, database_exists(admin, tpl));
  if (exists) return {};
  const std::string building = tpl + "_b" + std::to_string(::getpid());
  OPZ_TRY_STATUS(admin.exec_script("DROP DATABASE IF EXISTS " + building));
  OPZ_TRY_STATUS(admin.exec_script("CREATE DATABASE " + building));
  {
    OPZ_TRY(std::unique_ptr<store::Database> db,
            store::Database::open_postgres({.url = postgres_url_with_database(server_url, building), .readers = 1}));
    OPZ_TRY(std::vector<std::string> applied, db->migrate());
    (void)applied;
    db->close();
  }
  Status renamed = admin.exec_script("ALTER DATABASE " + building + " RENAME TO " + tpl);
  if (!renamed.ok()) {
    (void)admin.exec_script("DROP DATABASE IF EXISTS " + building + " WITH (FORCE)");
    OPZ_TRY(bool now, database_exists(admin, tpl));
    if (!now) return renamed;
  }
  return {};
}

}  // namespace

std::string postgres_url_with_database(const std::string& url, const std::string& name) {
  const size_t scheme = url.find("://");
  const size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (slash == std::string::npos) return url + "/" + name;
  const size_t query = url.find('?', slash);
  return url.substr(0, slash + 1) + name + (query == std::string::npos ? "" : url.substr(query));
}

std::optional<std::string> postgres_test_url() {
  if (const char* url = std::getenv("OPZ_TEST_POSTGRES_URL"); url && *url) return std::string(url);
  if (const char* dir = std::getenv("OPZ_TEST_POSTGRES_DIR"); dir && *dir) {
    std::ifstream in(std::string(dir) + "/url");
    std::string url;
    if (in && std::getline(in, url) && !url.empty()) return url;
  }
  return std::nullopt;
}

Result<PostgresTestDatabase> PostgresTestDatabase::create(const std::string& server_url,
                                                          bool migrated) {
  static std::atomic<int> counter{0};
  OPZ_TRY(std::unique_ptr<store::PgSession> admin, store::PgSession::open(server_url));
  const std::string name = "opz_t" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
  if (migrated) {
    const std::string tpl = template_name();
    OPZ_TRY_STATUS(ensure_template(*admin, server_url, tpl));
    // Two copies of one template at the same instant: PostgreSQL refuses the
    // second while the first is copying ("being accessed by other users").
    Status st;
    for (int attempt = 0; attempt < 50; ++attempt) {
      st = admin->exec_script("CREATE DATABASE " + name + " TEMPLATE " + tpl);
      if (st.ok() || st.error().message.find("being accessed") == std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20 + attempt * 10));
    }
    OPZ_TRY_STATUS(st);
  } else {
    OPZ_TRY_STATUS(admin->exec_script("CREATE DATABASE " + name));
  }
  return PostgresTestDatabase(server_url, name, postgres_url_with_database(server_url, name));
}

PostgresTestDatabase::PostgresTestDatabase(PostgresTestDatabase&& other) noexcept
    : server_url_(std::move(other.server_url_)),
      name_(std::move(other.name_)),
      url_(std::move(other.url_)) {
  other.name_.clear();
}

PostgresTestDatabase::~PostgresTestDatabase() {
  if (name_.empty()) return;
  auto admin = store::PgSession::open(server_url_);
  if (admin.ok()) (void)(*admin)->exec_script("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
}

}  // namespace opz::testing
