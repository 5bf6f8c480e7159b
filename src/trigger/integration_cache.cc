#include "trigger/integration_cache.h"
#include "core/ascii.h"

#include <cctype>

namespace opz::trigger {

namespace {

// GitHub matches repository names case-insensitively; so does the store.

}  // namespace

template <typename Find>
Result<store::GithubIntegrationRecord> IntegrationCache::lookup(const std::string& key, Find find) {
  const uint64_t generation = store_.generation();  // before the read: see the header
  if (auto cached = entries_.find(key, generation)) return std::move(*cached);
  auto found = find();
  if (found) entries_.store(key, generation, *found);
  return found;
}

Result<store::GithubIntegrationRecord> IntegrationCache::by_project(const std::string& project_id) {
  return lookup("p:" + project_id, [&] { return store_.find_by_project(project_id); });
}

Result<store::GithubIntegrationRecord> IntegrationCache::by_repository(const std::string& owner,
                                                                       const std::string& name) {
  return lookup("r:" + ascii_lower(owner) + "/" + ascii_lower(name),
                [&] { return store_.find_by_repository(owner, name); });
}

Result<std::vector<store::GithubIntegrationRecord>> IntegrationCache::all_by_repository(
    const std::string& owner, const std::string& name) {
  const std::string key = ascii_lower(owner) + "/" + ascii_lower(name);
  const uint64_t generation = store_.generation();  // before the read: see the header
  if (auto cached = followers_.find(key, generation)) return std::move(*cached);
  OPZ_TRY(auto found, store_.find_all_by_repository(owner, name));
  if (found.empty())
    return Error::not_found("no project integrates repository " + owner + "/" + name);
  followers_.store(key, generation, found);
  return found;
}

}  // namespace opz::trigger
