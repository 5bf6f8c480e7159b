// The audit chain, offline (docs/audit.md); the server need not run:
//   opzenix audit verify --data-dir DIR     the database, opened read-only
//   opzenix audit verify --database URL     the PostgreSQL database, in a read-only snapshot
//   opzenix audit verify --file FILE        an export, from its first row's prev_hash
//   opzenix audit export --data-dir DIR [--from SEQ] [--to SEQ] [--output FILE]
// verify exits 0 with "audit chain intact: N entries, head H", 1 with
// "audit chain broken at seq S (id I): <what>: <why>", 2 when it cannot read.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "audit/audit_chain.h"
#include "cli/commands.h"
#include "store/audit_store.h"
#include "store/database.h"

namespace opz::cli {

namespace {

struct AuditOptions {
  std::string data_dir;
  std::string file;
  std::string output;
  std::string database;  // a postgres:// URL instead of the data dir's SQLite
  int64_t from = 0;
  int64_t to = 0;
};

// The rows of the data directory's database (read-only; never created), or
// of the PostgreSQL database --database names (in a read-only snapshot).
Result<std::vector<store::AuditLogRecord>> read_data_dir(const AuditOptions& o) {
  if (!o.database.empty()) {
    OPZ_TRY(std::unique_ptr<store::Database> db,
            store::Database::open_postgres({.url = o.database, .readers = 1}));
    auto rows = db->read([&](store::SqlSession& s) {
      return store::AuditStore::read_chain(s, o.from, o.to);
    });
    db->close();
    return rows;
  }
  const std::string path = (std::filesystem::path(o.data_dir) / "opzenix.db").string();
  if (!std::filesystem::exists(path)) return Error::not_found("no database at " + path);
  return store::AuditStore::read_chain_file(path, o.from, o.to);
}

Result<std::vector<store::AuditLogRecord>> read_export(const std::string& file) {
  std::ifstream in(file);
  if (!in) return Error::not_found("cannot open " + file);
  std::vector<store::AuditLogRecord> rows;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto where = [&](const Error& e) {
      return Error::malformed(file + ":" + std::to_string(number) + ": " + e.message);
    };
    auto json = parse_json(line);
    if (!json) return where(json.error());
    auto row = audit::parse_export_line(*json);
    if (!row) return where(row.error());
    rows.push_back(std::move(*row));
  }
  return rows;
}

int verify(const AuditOptions& o) {
  const int sources = !o.data_dir.empty() + !o.database.empty() + !o.file.empty();
  if (sources != 1) {
    std::cerr << "opzenix audit verify: give exactly one of --data-dir, --database and --file\n";
    return 2;
  }
  auto rows = o.file.empty() ? read_data_dir(o) : read_export(o.file);
  if (!rows) {
    std::cerr << "opzenix audit verify: " << rows.error().message << "\n";
    return 2;
  }
  // The database holds the whole chain; an export may be a range.
  const audit::ChainStart start = o.file.empty() ? audit::ChainStart{} : audit::start_of(*rows);
  const audit::ChainReport report = audit::verify_chain(*rows, start);
  std::cout << report.summary() << "\n";
  return report.intact() ? 0 : 1;
}

int export_rows(const AuditOptions& o) {
  if (o.data_dir.empty() == o.database.empty()) {
    std::cerr << "opzenix audit export: give exactly one of --data-dir and --database\n";
    return 2;
  }
  auto rows = read_data_dir(o);
  if (!rows) {
    std::cerr << "opzenix audit export: " << rows.error().message << "\n";
    return 2;
  }
  std::ofstream file;
  if (!o.output.empty()) {
    file.open(o.output, std::ios::trunc);
    if (!file) {
      std::cerr << "opzenix audit export: cannot write " << o.output << "\n";
      return 2;
    }
  }
  std::ostream& out = o.output.empty() ? std::cout : file;
  for (const store::AuditLogRecord& r : *rows) out << dump_json(audit::export_line(r)) << "\n";
  out.flush();
  if (!out) {
    std::cerr << "opzenix audit export: write failed\n";
    return 2;
  }
  if (!o.output.empty()) std::cerr << "exported " << rows->size() << " entries to " << o.output << "\n";
  return 0;
}

}  // namespace

void add_audit_commands(CLI::App& app, CommandState& state) {
  auto* audit = app.add_subcommand("audit", "Verify and export the tamper-evident audit trail");
  audit->require_subcommand(1);
  auto opts = std::make_shared<AuditOptions>();

  auto* verify_cmd = audit->add_subcommand(
      "verify", "Walk the audit hash chain; exit 1 naming the first edited, deleted or moved row");
  verify_cmd->add_option("--data-dir", opts->data_dir, "data directory (opened read-only)");
  verify_cmd->add_option("--database", opts->database, "a postgres:// URL instead of --data-dir");
  verify_cmd->add_option("--file", opts->file, "an `opzenix audit export` file");
  verify_cmd->callback([opts, &state] { state.exit_code = verify(*opts); });

  auto* export_cmd =
      audit->add_subcommand("export", "Write audit entries with their hashes as JSON lines");
  export_cmd->add_option("--data-dir", opts->data_dir, "data directory (opened read-only)");
  export_cmd->add_option("--database", opts->database, "a postgres:// URL instead of --data-dir");
  export_cmd->add_option("--from", opts->from, "first seq (default: the first entry)")
      ->check(CLI::PositiveNumber);
  export_cmd->add_option("--to", opts->to, "last seq (default: the last entry)")
      ->check(CLI::PositiveNumber);
  export_cmd->add_option("--output", opts->output, "file to write (default: stdout)");
  export_cmd->callback([opts, &state] { state.exit_code = export_rows(*opts); });
}

}  // namespace opz::cli
