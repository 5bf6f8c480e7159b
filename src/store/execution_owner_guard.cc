#include "store/execution_owner_guard.h"

#include <algorithm>
#include <vector>

namespace opz::store {

namespace {

// Executions per query: well under both backends' bound-parameter limits.
constexpr size_t kGuardChunk = 500;

}  // namespace

Result<std::set<std::string>> fenced_executions(SqlSession& s, const OwnerGuards& guards) {
  std::set<std::string> fenced;
  if (guards.empty()) return fenced;
  // Rows are locked in execution id order (the map's), chunk after chunk:
  // two batches never wait for each other's row locks in a cycle.
  const std::string lock = s.dialect() == "postgres" ? " FOR SHARE" : "";
  std::vector<const std::pair<const std::string, OwnerGuard>*> all;
  all.reserve(guards.size());
  for (const auto& g : guards) all.push_back(&g);
  for (size_t begin = 0; begin < all.size(); begin += kGuardChunk) {
    const size_t end = std::min(all.size(), begin + kGuardChunk);
    std::string sql =
        "SELECT execution_id, server_id, generation FROM execution_owners WHERE execution_id IN (";
    Params params;
    for (size_t i = begin; i < end; ++i) {
      params.push_back(all[i]->first);
      if (i > begin) sql += ", ";
      sql += "$" + std::to_string(params.size());
    }
    sql += ") ORDER BY execution_id" + lock;
    OPZ_TRY(Rows rows, s.query(sql, params));
    std::map<std::string, OwnerGuard> found;
    for (const Row& r : rows)
      found[r["execution_id"].as_text()] = {r["server_id"].as_text(), r["generation"].as_int()};
    for (size_t i = begin; i < end; ++i) {
      auto it = found.find(all[i]->first);
      if (it == found.end() || it->second != all[i]->second) fenced.insert(all[i]->first);
    }
  }
  return fenced;
}

}  // namespace opz::store
