// GenerationCache<V>: values computed from a source that counts its own
// changes (a generation: the database's committed-write count, a store's
// change counter), reused while that count is unchanged.
//
// Contract for callers: read the generation BEFORE computing the value and
// store the value under that generation. A change raises the count only once
// it is visible, so an entry can be older than its label but never newer, and
// any change invalidates every entry at once. Changes the source does not
// count (another process writing the same database) are bounded by
// `max_age`, counted from store(). Only what callers store is kept: a value
// they do not store (an error, a miss) is asked for again every time.
// Bounded: at `capacity` entries the table is emptied, so a flood of distinct
// keys cannot grow it. Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/clock.h"

namespace opz {

template <typename V>
class GenerationCache {
 public:
  GenerationCache(const Clock& clock, std::chrono::milliseconds max_age, size_t capacity = 1024)
      : clock_(clock), max_age_(max_age), capacity_(capacity == 0 ? 1 : capacity) {}

  // The value stored for `key` under `generation`, unless older than max_age.
  std::optional<V> find(const std::string& key, uint64_t generation) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.generation != generation ||
        it->second.expires <= clock_.now()) {
      ++misses_;
      return std::nullopt;
    }
    ++hits_;
    return it->second.value;
  }

  // find(), else `load()` (a Result<V>) stored under `generation` when it
  // succeeds; read `generation` before calling (the contract above).
  template <typename Load>
  auto find_or_load(const std::string& key, uint64_t generation, Load load) -> decltype(load()) {
    if (std::optional<V> cached = find(key, generation)) return std::move(*cached);
    auto loaded = load();
    if (loaded) store(key, generation, *loaded);
    return loaded;
  }

  void store(const std::string& key, uint64_t generation, V value) {
    const TimePoint expires = clock_.now() + max_age_;
    std::lock_guard lock(mu_);
    if (entries_.size() >= capacity_ && entries_.find(key) == entries_.end()) entries_.clear();
    auto [it, inserted] = entries_.try_emplace(key);
    // Never replace a newer value with an older one computed concurrently.
    if (!inserted && it->second.generation > generation) return;
    it->second = Entry{generation, expires, std::move(value)};
  }

  uint64_t hits() const {
    std::lock_guard lock(mu_);
    return hits_;
  }
  uint64_t misses() const {
    std::lock_guard lock(mu_);
    return misses_;
  }

 private:
  struct Entry {
    uint64_t generation = 0;
    TimePoint expires{};
    V value{};
  };

  const Clock& clock_;
  const std::chrono::milliseconds max_age_;
  const size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
};

}  // namespace opz
