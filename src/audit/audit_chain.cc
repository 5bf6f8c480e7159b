#include "audit/audit_chain.h"

#include <unordered_map>

namespace opz::audit {

namespace {

ChainBreak broken(const store::AuditLogRecord& r, ChainFault fault, std::string detail) {
  return ChainBreak{r.seq, r.id, fault, std::move(detail)};
}

// Why rows[index], whose prev_hash is not the hash of the row before it, is
// out of place. `position_of_hash` maps every row's stored hash to its index.
ChainBreak misplaced(const std::vector<store::AuditLogRecord>& rows, size_t index,
                     const std::unordered_map<std::string, size_t>& position_of_hash) {
  const store::AuditLogRecord& r = rows[index];
  auto it = position_of_hash.find(r.prev_hash);
  if (it != position_of_hash.end() && it->second > index)
    return broken(r, ChainFault::kReordered,
                  "it was chained after seq " + std::to_string(rows[it->second].seq) +
                      ", which now comes later");
  if (it != position_of_hash.end() && it->second + 1 < index)
    return broken(r, ChainFault::kInserted,
                  "it was chained after seq " + std::to_string(rows[it->second].seq) +
                      ": the rows between were inserted");
  if (store::audit_row_hash(r.prev_hash, r) != r.hash)
    return broken(r, ChainFault::kEdited, "its contents and prev_hash do not match its hash");
  return broken(r, ChainFault::kDeleted,
                "its prev_hash is not the hash of the row before it: the row it was chained "
                "after was deleted or replaced");
}

bool comes_later(const std::vector<store::AuditLogRecord>& rows, size_t index, int64_t seq) {
  for (size_t j = index + 1; j < rows.size(); ++j)
    if (rows[j].seq == seq) return true;
  return false;
}

}  // namespace

std::string_view to_string(ChainFault fault) {
  switch (fault) {
    case ChainFault::kUnchained: return "unchained";
    case ChainFault::kEdited: return "edited";
    case ChainFault::kDeleted: return "deleted";
    case ChainFault::kReordered: return "reordered";
    case ChainFault::kInserted: return "inserted";
  }
  return "broken";
}

std::string ChainReport::summary() const {
  if (!first_break)
    return "audit chain intact: " + std::to_string(entries) + " entries, head " + head;
  const ChainBreak& b = *first_break;
  return "audit chain broken at seq " + std::to_string(b.seq) + " (id " + b.id +
         "): " + std::string(to_string(b.fault)) + ": " + b.detail;
}

ChainStart start_of(const std::vector<store::AuditLogRecord>& rows) {
  if (rows.empty() || rows.front().seq <= 1) return {};
  return ChainStart{rows.front().seq, rows.front().prev_hash};
}

ChainReport verify_chain(const std::vector<store::AuditLogRecord>& rows, const ChainStart& start) {
  std::unordered_map<std::string, size_t> position_of_hash;
  position_of_hash.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) position_of_hash.emplace(rows[i].hash, i);

  ChainReport report;
  report.head = start.prev_hash;
  int64_t expected_seq = start.seq;
  for (size_t i = 0; i < rows.size(); ++i) {
    const store::AuditLogRecord& r = rows[i];
    std::optional<ChainBreak> fault;
    if (r.seq == 0 || r.hash.empty()) {
      fault = broken(r, ChainFault::kUnchained,
                     "it has no seq or no hash (rows written before migration 004 are chained "
                     "by the first audit write after it)");
    } else if (r.seq > expected_seq && comes_later(rows, i, expected_seq)) {
      fault = broken(r, ChainFault::kReordered,
                     "seq " + std::to_string(expected_seq) + " comes after it");
    } else if (r.seq > expected_seq) {
      fault = broken(r, ChainFault::kDeleted,
                     r.seq == expected_seq + 1
                         ? "seq " + std::to_string(expected_seq) + " is missing before it"
                         : "seq " + std::to_string(expected_seq) + " to " +
                               std::to_string(r.seq - 1) + " are missing before it");
    } else if (r.seq < expected_seq) {
      fault = broken(r, ChainFault::kReordered,
                     "seq " + std::to_string(r.seq) + " comes where seq " +
                         std::to_string(expected_seq) + " belongs");
    } else if (r.prev_hash != report.head) {
      fault = misplaced(rows, i, position_of_hash);
    } else if (store::audit_row_hash(r.prev_hash, r) != r.hash) {
      fault = broken(r, ChainFault::kEdited, "its contents do not match its hash");
    }
    if (fault) {
      report.first_break = std::move(fault);
      return report;
    }
    report.head = r.hash;
    ++report.entries;
    ++expected_seq;
  }
  return report;
}

Json export_line(const store::AuditLogRecord& row) {
  Json line = store::audit_row_json(row);
  line["prev_hash"] = row.prev_hash;
  line["hash"] = row.hash;
  return line;
}

Result<store::AuditLogRecord> parse_export_line(const Json& line) {
  if (!line.is_object()) return Error::malformed("an export line is a JSON object");
  store::AuditLogRecord r;
  auto text = [&](const char* key, std::string& out, bool nullable) -> Status {
    auto it = line.find(key);
    if (it != line.end() && it->is_string()) {
      out = it->get<std::string>();
      return {};
    }
    if (nullable && it != line.end() && it->is_null()) return {};
    return Error::malformed(std::string("export line: '") + key + "' is missing or not " +
                                (nullable ? "a string or null" : "a string"),
                            key);
  };
  auto seq = line.find("seq");
  if (seq == line.end() || !seq->is_number_integer())
    return Error::malformed("export line: 'seq' is missing or not an integer", "seq");
  r.seq = seq->get<int64_t>();
  OPZ_TRY_STATUS(text("id", r.id, false));
  OPZ_TRY_STATUS(text("action", r.action, false));
  OPZ_TRY_STATUS(text("resource_type", r.resource_type, false));
  OPZ_TRY_STATUS(text("resource_id", r.resource_id, true));
  OPZ_TRY_STATUS(text("user_id", r.user_id, true));
  OPZ_TRY_STATUS(text("ip_address", r.ip_address, true));
  OPZ_TRY_STATUS(text("user_agent", r.user_agent, true));
  OPZ_TRY_STATUS(text("created_at", r.created_at, false));
  OPZ_TRY_STATUS(text("prev_hash", r.prev_hash, false));
  OPZ_TRY_STATUS(text("hash", r.hash, false));
  auto details = line.find("details");
  if (details == line.end()) return Error::malformed("export line: 'details' is missing", "details");
  // A string is kept as the text it was (see store::audit_row_json).
  r.details = details->is_string() ? details->get<std::string>() : dump_json(*details);
  return r;
}

}  // namespace opz::audit
