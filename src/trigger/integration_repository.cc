#include "trigger/integration_repository.h"

#include <strings.h>

#include "core/git_ref_name.h"

namespace opz::trigger {

std::optional<std::string> repository_mismatch(const store::GithubIntegrationRecord& integration,
                                               const github::WebhookEvent& event) {
  if (!event.repository) return std::nullopt;
  const github::Repository& repo = *event.repository;
  if (!integration.repository_id.empty() && !repo.id.empty()) {
    if (repo.id == integration.repository_id) return std::nullopt;
    return "the payload's repository.id " + repo.id + " (" + printable(repo.full_name) +
           ") is not the integration's repository " + integration.full_name() + " (id " +
           integration.repository_id + ")";
  }
  const std::string expected = integration.full_name();
  if (repo.full_name.size() == expected.size() &&
      strncasecmp(repo.full_name.data(), expected.data(), expected.size()) == 0)
    return std::nullopt;
  return "the payload's repository '" + printable(repo.full_name) +
         "' is not the integration's repository " + expected;
}

std::string integration_clone_url(const store::GithubIntegrationRecord& integration) {
  std::string base = integration.api_base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::string web;
  if (base.empty() || base == "https://api.github.com") {
    web = "https://github.com";
  } else if (base.ends_with("/api/v3")) {
    web = base.substr(0, base.size() - 7);
  } else if (size_t at = base.find("://api."); at != std::string::npos) {
    web = base.substr(0, at + 3) + base.substr(at + 7);  // https://api.host -> https://host
  } else {
    web = base;
  }
  return web + "/" + integration.repository_owner + "/" + integration.repository_name + ".git";
}

}  // namespace opz::trigger
