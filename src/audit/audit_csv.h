// The audit trail as CSV, for the audit page's export
// (GET /api/v1/audit-logs?format=csv): a header row, then one row per entry
// in the order given. RFC 4180 quoting (fields with a comma, quote, CR or LF
// are quoted, quotes doubled; lines end in CRLF). A field that a spreadsheet
// would read as a formula (starting with = + - @, tab or CR) is prefixed with
// a single quote (OWASP "CSV injection"); details stay the JSON text.
// Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "audit/audit_log.h"

namespace opz::audit {

// "seq,created_at,action,resource_type,resource_id,user_id,ip_address,user_agent,details,hash\r\n"
std::string audit_csv_header();
std::string audit_csv_row(const AuditRecord& r);

}  // namespace opz::audit
