#include "trigger/integration_cache.h"

#include <cctype>

namespace opz::trigger {

namespace {

// GitHub matches repository names case-insensitively; so does the store.
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

template <typename Find>
Result<store::GithubIntegrationRecord> IntegrationCache::lookup(const std::string& key, Find find) {
  const uint64_t generation = store_.generation();  // before the read: see the header
  {
    std::lock_guard lock(mu_);
    if (generation != generation_) {
      entries_.clear();
      generation_ = generation;
    }
    auto it = entries_.find(key);
    if (it != entries_.end() && clock_.now() - it->second.fetched_at < ttl_)
      return it->second.record;
  }
  const TimePoint fetched_at = clock_.now();
  auto found = find();
  if (!found) return found;
  std::lock_guard lock(mu_);
  if (generation == generation_) entries_[key] = Entry{*found, fetched_at};
  return found;
}

Result<store::GithubIntegrationRecord> IntegrationCache::by_project(const std::string& project_id) {
  return lookup("p:" + project_id, [&] { return store_.find_by_project(project_id); });
}

Result<store::GithubIntegrationRecord> IntegrationCache::by_repository(const std::string& owner,
                                                                       const std::string& name) {
  return lookup("r:" + lower(owner) + "/" + lower(name),
                [&] { return store_.find_by_repository(owner, name); });
}

}  // namespace opz::trigger
