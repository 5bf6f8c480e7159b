// The audit hash chain seen from outside the server: verify_chain() checks a
// run of audit_logs rows (from the database or from an export), and the
// export line format (JSON lines) an auditor keeps. docs/audit.md.
//
// verify_chain is pure: no I/O, no clock. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "store/audit_store.h"

namespace opz::audit {

// What is wrong with the first bad row.
enum class ChainFault {
  kUnchained,  // no hash (or no seq): never chained
  kEdited,     // its contents do not match its hash
  kDeleted,    // rows before it are missing (seq gap, or its predecessor is not the row it was
               // chained to)
  kReordered,  // its place in seq order is not where it was chained
  kInserted,   // rows were inserted before it (its prev_hash is an earlier row's hash)
};
std::string_view to_string(ChainFault fault);

struct ChainBreak {
  int64_t seq = 0;  // the first bad row, as stored
  std::string id;
  ChainFault fault = ChainFault::kEdited;
  std::string detail;  // one sentence for people
};

struct ChainReport {
  size_t entries = 0;
  std::string head;  // the last good row's hash (the start's prev_hash when none)
  std::optional<ChainBreak> first_break;
  bool intact() const { return !first_break; }
  // "audit chain intact: N entries, head H" or
  // "audit chain broken at seq S (id I): <fault>: <detail>".
  std::string summary() const;
};

// Where a run of rows must start. The whole chain starts at seq 1 after
// kGenesisHash; an exported range starts wherever its first row says.
struct ChainStart {
  int64_t seq = 1;
  std::string prev_hash = std::string(store::kGenesisHash);
};
// The start an exported range claims: its first row's seq and prev_hash
// (a range that claims seq 1 must start at kGenesisHash).
ChainStart start_of(const std::vector<store::AuditLogRecord>& rows);

// Walks `rows` in the order given (seq order as read or exported) and stops
// at the first bad row.
ChainReport verify_chain(const std::vector<store::AuditLogRecord>& rows,
                         const ChainStart& start = {});

// One export line: the canonical row plus prev_hash and hash.
Json export_line(const store::AuditLogRecord& row);
// The inverse; kMalformed naming the field that is missing or of the wrong type.
Result<store::AuditLogRecord> parse_export_line(const Json& line);

}  // namespace opz::audit
