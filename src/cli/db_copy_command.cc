// opzenix db copy --from sqlite:PATH --to postgresql://USER@HOST:PORT/DB
//
// PATH is the data directory or its opzenix.db; stop the server that uses it
// first (SQLite cannot tell whether another process still writes). The
// target is migrated, must hold no user data, and receives every row in one
// transaction (store/database_copy.h). Prints per-table progress on stderr,
// then the rows per table and "audit chain: N entries verified" on stdout.
// Exit status: 0 copied; 1 the copy failed or the audit chain does not
// verify on the target (nothing is committed); 2 bad arguments or a database
// that cannot be opened.
#include "cli/db_copy_command.h"

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "app/data_dir.h"
#include "audit/audit_chain.h"
#include "cli/table.h"
#include "store/database_copy.h"

namespace opz::cli {

namespace {

struct CopyArguments {
  std::string from;
  std::string to;
};

bool is_postgres_url(const std::string& url) {
  return url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0;
}

// "sqlite:DIR" or "sqlite:DIR/opzenix.db" -> the database file.
Result<std::string> sqlite_file(const std::string& from) {
  const std::string prefix = "sqlite:";
  if (from.rfind(prefix, 0) != 0) {
    return Error::validation("--from must be sqlite:PATH (a data directory or its opzenix.db)",
                             "from");
  }
  std::filesystem::path path = from.substr(prefix.size());
  if (std::filesystem::is_directory(path)) path /= "opzenix.db";
  if (!std::filesystem::is_regular_file(path))
    return Error::not_found("no SQLite database at " + path.string());
  return path.string();
}

Status verify_audit(const std::vector<store::AuditLogRecord>& rows) {
  const audit::ChainReport report = audit::verify_chain(rows);
  if (report.intact()) return {};
  return Error::validation("the copied " + report.summary() +
                           " (run `opzenix audit verify` on the source)");
}

void print_report(const store::CopyReport& report) {
  TablePrinter table({"TABLE", "ROWS"});
  int64_t total = 0;
  size_t empty = 0;
  for (const store::TableCopied& t : report.tables) {
    total += t.rows;
    if (t.rows == 0) ++empty;
    else table.add_row({t.table, std::to_string(t.rows)});
  }
  table.add_row({"total", std::to_string(total)});
  table.print(std::cout);
  std::cout << report.tables.size() << " tables copied (" << empty << " empty)\n";
  std::cout << "audit chain: " << report.audit_entries << " entries verified\n";
  if (!report.used_replica_role)
    std::cout << "triggers were disabled per table (no replication role)\n";
}

int run_copy(const CopyArguments& args) {
  auto file = sqlite_file(args.from);
  if (!file) {
    std::cerr << "opzenix db copy: " << file.error().message << "\n";
    return 2;
  }
  if (!is_postgres_url(args.to)) {
    std::cerr << "opzenix db copy: --to must be a postgres:// URL\n";
    return 2;
  }
  auto source = store::Database::open_sqlite({.path = *file, .readers = 1});
  if (!source) {
    std::cerr << "opzenix db copy: " << source.error().message << "\n";
    return 2;
  }
  auto target = app::open_database({.database = args.to}, "");
  if (!target) {
    std::cerr << "opzenix db copy: " << target.error().message << "\n";
    return 2;
  }
  store::CopyOptions options;
  options.progress = [](const std::string& table, int64_t done, int64_t total) {
    std::cerr << table << ": " << done << "/" << total << "\n";
  };
  options.verify_audit = verify_audit;
  auto report = store::copy_database(**source, **target, options);
  (*target)->close();
  (*source)->close();
  if (!report) {
    std::cerr << "opzenix db copy: " << report.error().message
              << "\nnothing was copied: the target is as it was\n";
    return 1;
  }
  print_report(*report);
  return 0;
}

}  // namespace

void add_db_copy_command(CLI::App& db, CommandState& state) {
  auto args = std::make_shared<CopyArguments>();
  auto* copy = db.add_subcommand(
      "copy", "Copy a whole installation from SQLite into a new PostgreSQL database "
              "(stop the server first)");
  copy->add_option("--from", args->from, "sqlite:PATH (the data directory or its opzenix.db)")
      ->required();
  copy->add_option("--to", args->to, "postgres://USER@HOST:PORT/DB (migrated here; no user data)")
      ->required();
  copy->callback([args, &state] { state.exit_code = run_copy(*args); });
}

}  // namespace opz::cli
