// Workspaces: where an execution's steps run, and the shell commands that
// prepare and remove them. The engine runs these commands through the
// LocalRunner like any step (never blocking its own thread).
//
// Layout under the engine's data dir:
//   <data_dir>/workspaces/<execution_id>/   the checkout (or an empty dir)
//   <data_dir>/outputs/<execution_id>/      $OPZENIX_OUTPUT files, removed
//                                           when the execution finishes
// Sources: none (an empty directory), an existing directory used in place
// (`opzenix run` uses the current directory; it is never removed), or a git
// repository cloned at a commit (`git clone --no-checkout`, then
// `git checkout --detach <sha>`, or the branch head when no sha is given).
// Checkouts older than the retention period are removed by sweeps.
// Pure functions except list_expired_dirs (reads a directory). Thread-safe.
#pragma once

#include <chrono>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/json.h"
#include "core/result.h"
#include "git/mirror_checkout.h"
#include "git/shell_quote.h"
#include "net/git_pinning.h"
#include "net/outbound_guard.h"

namespace opz::engine {

struct WorkspaceSource {
  enum class Kind { kNone, kDirectory, kGit };
  Kind kind = Kind::kNone;
  std::string path;     // kDirectory: the directory to run in
  std::string git_url;  // kGit: what `git clone` accepts (credentials belong in a helper)

  Json to_json() const;
  static Result<WorkspaceSource> from_json(const Json& json);
};

std::string workspace_dir(const std::string& data_dir, const std::string& execution_id);
std::string outputs_dir(const std::string& data_dir, const std::string& execution_id);

// 'text' for /bin/sh: single-quoted, embedded quotes escaped.
using git::shell_quote;

// The command that makes `dir` a checkout of `commit_sha` (or of `branch`'s
// head when the sha is empty) of `git_url`, and prints the checked-out
// commit's sha as its last line of stdout. `dir` must not exist yet.
//
// With a `mirror` (a bare `git clone --mirror` kept under the data dir, see
// mirror_dir; the logic, shared with the agent, is git/mirror_checkout.h),
// the mirror is created, or fetched unless it already has `commit_sha` (under
// `flock`, so executions of one repository never fetch into it at the same
// time), and the checkout is cloned from it. When the fetch fails (the
// remote is down) the mirror is used as it is, with a warning: a commit
// deployed before still checks out, which is what a rollback needs (issue 9:
// "works with the git remote unreachable"). A commit the mirror lacks is
// fetched from `git_url`.
//
// Every git process that talks to the remote (the clone or the mirror's clone
// and fetch, the fetch of a missing commit) runs as `git <remote.config> ...`
// against remote.url: a remote pinned by pin_workspace_remote() reaches only
// the address the outbound guard checked. The string overload is the
// unpinned form (no configuration: `opzenix run`, tests).
std::string checkout_command(const net::PinnedGitRemote& remote, const std::string& commit_sha,
                             const std::string& branch, const std::string& dir,
                             const std::string& mirror = "");
std::string checkout_command(const std::string& git_url, const std::string& commit_sha,
                             const std::string& branch, const std::string& dir,
                             const std::string& mirror = "");

// The remote a checkout of `git_url` uses. With a guard, the URL is checked
// again right before the clone (field "workspace.url"; refusals are audited
// by the guard's listener) and pinned to the checked address
// (net/git_pinning.h: http.curloptResolve for http(s), the address in the URL
// for git://, no redirects, no proxy), so a name that answers differently
// between the submit-time check and the clone (DNS rebinding) is never
// connected to at its new address. Local paths and file:// stay as they are
// (the guard allows them only when the allow-list says "file"). Without a
// guard: the URL unchanged, no configuration. A name that does not resolve
// right now gives `-c protocol.allow=never` (git connects nowhere; a mirror
// still serves the commits it has: rollbacks with the remote down). Resolves
// the name once (blocking getaddrinfo, on the caller's thread).
Result<net::PinnedGitRemote> pin_workspace_remote(const net::OutboundGuard* guard,
                                                  const std::string& git_url);

// <data_dir>/mirrors/<stable hash of git_url>.git
using git::mirror_dir;

std::string remove_command(const std::string& dir);

// Directories directly under `root` (named by execution id) last modified
// before `now - retention`, except those of `active` executions.
std::vector<std::string> list_expired_dirs(const std::string& root, TimePoint now,
                                           std::chrono::milliseconds retention,
                                           const std::set<std::string>& active);

}  // namespace opz::engine
