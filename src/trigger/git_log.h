// The commits between two versions, read with `git log` from a local
// repository (the engine's mirror of a project's remote, or a workspace
// directory) — for the approval dialog's "what would be deployed" list.
// git runs through trigger/bounded_process.h (argv, no shell, timeout);
// nothing is fetched: the list is what the local repository knows.
// Errors: kValidation for a sha that is not 4..64 hex digits (never passed
// to git), kUnavailable when git fails (unknown commit, not a repository) or
// times out, with git's message. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "trigger/git_remote.h"

namespace opz::trigger {

struct CommitSummary {
  std::string sha;
  std::string subject;
  std::string author;  // the author's name
  std::string date;    // the author date, ISO 8601 with offset
  bool operator==(const CommitSummary&) const = default;
};

struct CommitLog {
  std::vector<CommitSummary> commits;  // newest first
  bool truncated = false;              // more commits than asked for
};

// Parses `git log --format=kLogFormat` output; malformed records are skipped. Pure.
std::vector<CommitSummary> parse_git_log(std::string_view output);

// The commits in (from_sha, to_sha] (reachable from to_sha, not from
// from_sha), newest first, at most `max`; `truncated` when there are more.
Result<CommitLog> commits_between(const std::string& repo_dir, const std::string& from_sha,
                                  const std::string& to_sha, int max,
                                  const GitRemoteOptions& options = {});

}  // namespace opz::trigger
