#include "audit/audit_csv.h"

#include "core/json.h"

namespace opz::audit {

namespace {

std::string field(std::string text) {
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                        text[0] == '\t' || text[0] == '\r'))
    text.insert(text.begin(), '\'');
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string audit_csv_header() {
  return "seq,created_at,action,resource_type,resource_id,user_id,ip_address,user_agent,details,"
         "hash\r\n";
}

std::string audit_csv_row(const AuditRecord& r) {
  const AuditEntry& e = r.entry;
  std::string line = std::to_string(r.seq);
  for (const std::string& text :
       {r.created_at, e.action, e.resource_type, e.resource_id, e.user_id, e.ip_address,
        e.user_agent, dump_json(e.details), r.hash}) {
    line += ',';
    line += field(text);
  }
  return line + "\r\n";
}

}  // namespace opz::audit
