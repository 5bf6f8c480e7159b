#include "api/response_cache.h"

namespace opz::api {

ResponseCache::ResponseCache(const Clock& clock, std::chrono::milliseconds max_age,
                             size_t capacity)
    : clock_(clock), max_age_(max_age), capacity_(capacity == 0 ? 1 : capacity) {}

std::optional<std::string> ResponseCache::find(const std::string& key, uint64_t generation) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.generation != generation ||
      it->second.expires <= clock_.now()) {
    ++misses_;
    return std::nullopt;
  }
  ++hits_;
  return it->second.body;
}

void ResponseCache::store(const std::string& key, uint64_t generation, std::string body) {
  const TimePoint expires = clock_.now() + max_age_;
  std::lock_guard lock(mu_);
  if (entries_.size() >= capacity_ && entries_.find(key) == entries_.end()) entries_.clear();
  Entry& e = entries_[key];
  // Never replace a newer answer with an older one computed concurrently.
  if (e.expires != TimePoint{} && e.generation > generation) return;
  e = Entry{generation, expires, std::move(body)};
}

uint64_t ResponseCache::hits() const {
  std::lock_guard lock(mu_);
  return hits_;
}

uint64_t ResponseCache::misses() const {
  std::lock_guard lock(mu_);
  return misses_;
}

}  // namespace opz::api
