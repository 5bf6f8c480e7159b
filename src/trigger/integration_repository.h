// What a project's GitHub integration says about its repository, and whether
// a delivery is about that repository.
//
// A webhook secret proves who sent a delivery, not which repository it is
// about: one secret may be shared by several repositories (an organization
// hook, or a careless copy). So a delivery is acted on only when its payload
// names the integration's repository: by GitHub's numeric id when the
// integration knows it, else by "owner/name" compared case-insensitively,
// as GitHub compares them. And the server only ever fetches from URLs of its
// own configuration — never from a URL taken from a payload.
// Pure; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "github/webhook_event.h"
#include "store/github_store.h"

namespace opz::trigger {

// Why `event` is not about `integration`'s repository, or nullopt when it is
// (or when the event names no repository: such events start nothing).
std::optional<std::string> repository_mismatch(const store::GithubIntegrationRecord& integration,
                                               const github::WebhookEvent& event);

// The HTTPS clone URL of the integration's repository, derived from its
// configured API base: https://api.github.com -> https://github.com/o/n.git;
// GitHub Enterprise https://host/api/v3 -> https://host/o/n.git.
std::string integration_clone_url(const store::GithubIntegrationRecord& integration);

}  // namespace opz::trigger
