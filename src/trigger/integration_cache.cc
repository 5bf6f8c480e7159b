#include "trigger/integration_cache.h"

#include "core/ascii.h"

namespace opz::trigger {

Result<store::GithubIntegrationRecord> IntegrationCache::by_project(const std::string& project_id) {
  // The generation is read before the store is: see the header.
  return entries_.find_or_load("p:" + project_id, store_.generation(),
                               [&] { return store_.find_by_project(project_id); });
}

Result<store::GithubIntegrationRecord> IntegrationCache::by_repository(const std::string& owner,
                                                                       const std::string& name) {
  // GitHub matches repository names case-insensitively; so do the store and the keys.
  return entries_.find_or_load("r:" + ascii_lower(owner) + "/" + ascii_lower(name),
                               store_.generation(),
                               [&] { return store_.find_by_repository(owner, name); });
}

Result<std::vector<store::GithubIntegrationRecord>> IntegrationCache::all_by_repository(
    const std::string& owner, const std::string& name) {
  const std::string key = ascii_lower(owner) + "/" + ascii_lower(name);
  using Followers = std::vector<store::GithubIntegrationRecord>;
  return followers_.find_or_load(key, store_.generation(), [&]() -> Result<Followers> {
    OPZ_TRY(Followers found, store_.find_all_by_repository(owner, name));
    if (found.empty())
      return Error::not_found("no project integrates repository " + owner + "/" + name);
    return found;
  });
}

}  // namespace opz::trigger
