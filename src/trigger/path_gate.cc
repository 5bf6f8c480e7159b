#include "trigger/path_gate.h"

#include "github/path_filter.h"

namespace opz::trigger {

const std::vector<std::string>* PathGate::mirror_paths(const std::string& git_url,
                                                       std::string& error) {
  auto it = from_mirror_.find(git_url);
  if (it == from_mirror_.end()) {
    const github::PushEvent& push = *event_.push();
    Result<std::vector<std::string>> paths =
        mirror_ ? mirror_(git_url, push.before, push.after)
                : Result<std::vector<std::string>>(
                      Error::unavailable("the server keeps no git mirror"));
    it = from_mirror_.emplace(git_url, std::move(paths)).first;
  }
  if (!it->second) {
    error = it->second.error().message;
    return nullptr;
  }
  return &*it->second;
}

PathVerdict PathGate::check(const std::vector<std::string>& path_filters,
                            const std::string& git_url) {
  const github::PushEvent* push = event_.push();
  if (path_filters.empty() || !push || push->ref_type != RefType::kBranch) return {};
  auto filter = github::PathFilter::compile(path_filters);
  if (!filter)  // checked when saved; a stored list that no longer compiles filters nothing
    return {true, "path_filters not applied: " + filter.error().message};

  const std::vector<std::string>* changed = &push->changed.paths;
  std::string source;
  if (!push->changed.complete) {
    std::string error;
    changed = mirror_paths(git_url, error);
    if (!changed)
      return {true, "path_filters not applied: " + push->changed.incomplete_reason +
                        ", and the git mirror could not tell (" + error + ")"};
    source = " (changed paths from the git mirror: " + push->changed.incomplete_reason + ")";
  }
  const std::string* match = filter->first_match(*changed);
  if (!match) return {false, std::string(kNoPathMatches) + source};
  return {true, "path '" + *match + "' matches path_filters" + source};
}

}  // namespace opz::trigger
