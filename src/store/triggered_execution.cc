#include "store/triggered_execution.h"

#include "core/json.h"

namespace opz::store {

Result<std::string> find_triggered_execution(Database& db, const std::string& project_id,
                                             const std::string& since, const std::string& key,
                                             const std::string& value) {
  return db.read([&](SqlSession& s) -> Result<std::string> {
    // The metadata is matched here rather than in SQL so the statement stays
    // portable (no json_extract / ->> difference); the created_at range keeps
    // the scan to the executions created since the trigger happened.
    OPZ_TRY(Rows rows, s.query("SELECT id, metadata FROM executions WHERE created_at >= $1 AND "
                               "project_id = $2 ORDER BY created_at DESC, id DESC",
                               {since, project_id}));
    for (const Row& r : rows) {
      auto meta = parse_json(r["metadata"].as_text());
      if (!meta || !meta->is_object()) continue;
      auto it = meta->find(key);
      if (it != meta->end() && it->is_string() && it->get<std::string>() == value)
        return r["id"].as_text();
    }
    return std::string();
  });
}

}  // namespace opz::store
