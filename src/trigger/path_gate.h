// PathGate: whether a project's path filters (github/path_filter.h) let one
// push through, for every project a delivery is for.
//
// The changed files come from the payload (github/changed_paths.h); when the
// payload does not list them all, from the server's git mirror
// (trigger/mirror_diff.h), asked at most once per repository URL per
// delivery, only when a project with filters needs it. When neither can tell,
// the project STARTS — a push is never skipped for want of information — and
// the note says why the filters were not applied.
//
// Only pushes of branches are filtered: tag pushes, tags created, releases
// and pull requests name no list of files and always pass. A project without
// filters always passes (no note). Not thread-safe: one gate per delivery,
// on the delivery worker.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "github/webhook_event.h"

namespace opz::trigger {

// The changed paths between two commits of the repository at `git_url`.
using MirrorPaths = std::function<Result<std::vector<std::string>>(
    const std::string& git_url, const std::string& before, const std::string& after)>;

inline constexpr std::string_view kNoPathMatches = "no changed path matches path_filters";

struct PathVerdict {
  bool start = true;
  // Why (kNoPathMatches when !start); "" for a project without filters.
  std::string note;
};

class PathGate {
 public:
  // `mirror` may be empty (no mirror: incomplete payloads start every project).
  PathGate(const github::WebhookEvent& event, MirrorPaths mirror)
      : event_(event), mirror_(std::move(mirror)) {}

  // `git_url`: the URL the project checks out from (its mirror's key).
  PathVerdict check(const std::vector<std::string>& path_filters, const std::string& git_url);

 private:
  const std::vector<std::string>* mirror_paths(const std::string& git_url, std::string& error);

  const github::WebhookEvent& event_;
  MirrorPaths mirror_;
  std::map<std::string, Result<std::vector<std::string>>> from_mirror_;  // by git_url
};

}  // namespace opz::trigger
