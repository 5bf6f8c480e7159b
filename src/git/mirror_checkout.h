// Checkouts through a local bare mirror per repository, shared by the server
// (engine/workspace.h: executions' workspaces) and the agent
// (agent/agent_worker.h: jobs' workspaces). The commands are shell text, run
// by the caller through a runner (never on a thread that must not block).
//
// A mirror is `git clone --mirror` of the repository at
// <root>/mirrors/<FNV-1a 64 of the url>.git, guarded by <mirror>.lock:
//   1. Under the lock held EXCLUSIVELY (flock; so any number of jobs, engine
//      checkouts and agent processes on one root never write it at once):
//      no mirror yet: clone it (into <mirror>.tmp, renamed into place, so a
//      clone killed half-way leaves no half mirror); a commit sha the mirror
//      already has: nothing at all (no connection to the remote); otherwise
//      fetch branches and tags (--prune), then the sha itself when no branch
//      reaches it (a pull request head), then `git gc --auto` in the
//      foreground; the mirror's mtime is touched (its last use, for sweeps).
//   2. Under the lock held SHARED (concurrent checkouts, never during a
//      fetch or gc): `git clone --no-checkout <mirror> <dir>`, a local clone
//      whose objects are hard links into the mirror's (no copy, no network),
//      and independent of it afterwards (unlike `--shared`/alternates, a
//      later gc of the mirror can never take an object a workspace needs).
//   3. `git checkout --detach <sha>` (or the branch's head, or HEAD), then the
//      checked-out sha is printed as the last line of stdout.
// So N checkouts of one commit fetch from the remote once, and a new commit
// fetches only what is new.
//
// A failed clone or fetch prints git's message (credentials in URLs shown as
// ***) and `opzenix: could not fetch <url without credentials> ...` on
// stderr; then FetchFailure decides: kUseMirror goes on with the mirror as
// it is (the server: a commit deployed before still checks out with the
// remote down, which a rollback needs), kFail exits 1 (the agent: the job
// fails, naming the URL). Without a mirror the dir is cloned straight from
// the remote (and a missing sha fetched into it). Pure; thread-safe.
#pragma once

#include <string>

#include "net/git_pinning.h"

namespace opz::git {

// <root>/mirrors/<stable hash of git_url>.git (stable across builds and
// platforms: the same url finds the same mirror after an upgrade).
std::string mirror_dir(const std::string& root, const std::string& git_url);

enum class FetchFailure { kUseMirror, kFail };

struct MirrorCheckout {
  // Every git process that talks to the remote runs as `git <config> ...`
  // against remote.url (pinned by the server's outbound guard, or plain).
  net::PinnedGitRemote remote;
  std::string commit_sha;  // empty: the branch's head, or HEAD
  std::string branch;
  std::string dir;     // must not exist yet
  std::string mirror;  // empty: no mirror, clone from the remote
  FetchFailure on_fetch_failure = FetchFailure::kUseMirror;
};

std::string checkout_command(const MirrorCheckout& checkout);

}  // namespace opz::git
