// ResponseCache: serialized answers of GET routes whose body depends only on
// the request target and the database (a project list, not "who am I").
//
// An entry is valid while the database's committed-write count is the one it
// was computed under: Database::committed_writes() is read BEFORE the query,
// and a commit raises the count only after it is visible, so an entry can be
// older than its label but never newer, and every write of this process
// invalidates everything at once. Writes by another process (an admin's
// `opzenix user create` against the same file) are not counted: for those an
// entry also expires after `max_age`, the same bound as the token cache.
//
// Authentication and the policy check still run on every request; the cache
// only replaces the query and the JSON rendering. Bounded: at `capacity`
// entries the table is emptied (a flood of distinct query strings cannot grow
// it). Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/clock.h"

namespace opz::api {

class ResponseCache {
 public:
  ResponseCache(const Clock& clock, std::chrono::milliseconds max_age, size_t capacity = 1024);

  // The body stored for `key` under `generation`, unless it is older than max_age.
  std::optional<std::string> find(const std::string& key, uint64_t generation);
  void store(const std::string& key, uint64_t generation, std::string body);

  uint64_t hits() const;
  uint64_t misses() const;

 private:
  struct Entry {
    uint64_t generation = 0;
    TimePoint expires{};
    std::string body;
  };
  const Clock& clock_;
  const std::chrono::milliseconds max_age_;
  const size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
};

}  // namespace opz::api
