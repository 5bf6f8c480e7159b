// mirror_changed_paths: the files a push changed, read from the server's
// local git mirror of the repository when the payload does not list them all
// (github/changed_paths.h: truncated commits or file lists, no commits).
//
// The mirror is the one the engine checks out from (engine/workspace.h
// mirror_dir: <data_dir>/mirrors/<hash of git_url>.git). Under the mirror's
// lock (`flock <mirror>.lock`, the engine's lock too, so a checkout and this
// never fetch into it at once) it is fetched from `git_url` — or cloned with
// --mirror when it does not exist yet — and then
// `git diff --name-only <before> <after>` answers the paths. Every process is
// started with an argv (never a shell parsing user text), no prompts, bounded
// in time and output (trigger/bounded_process.h); with an outbound guard the
// URL is checked first and git pinned to the checked address.
//
// Errors (the caller then starts the project rather than skipping it on
// missing information): kValidation for a bad URL or sha, kUnavailable when
// git failed (remote down and the commits not in the mirror, an unknown
// `before` after a force push, a timeout). Blocks the calling thread (the
// delivery worker). Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "trigger/git_remote.h"

namespace opz::trigger {

// Sorted, unique paths changed between `before` and `after` (40-hex shas).
Result<std::vector<std::string>> mirror_changed_paths(const std::string& data_dir,
                                                      const std::string& git_url,
                                                      const std::string& before,
                                                      const std::string& after,
                                                      const GitRemoteOptions& options = {});

}  // namespace opz::trigger
