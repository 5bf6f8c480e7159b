// Git remotes: `git ls-remote` run as a real git process, for the git poller
// (which refs moved) and for tag events that name no commit.
//
// The process is started with posix_spawnp and an argv — never through a
// shell — as `git ls-remote --heads --tags -- <url> [patterns]`, with stdin
// from /dev/null, its own process group, and an environment that forbids
// interactive prompts (GIT_TERMINAL_PROMPT=0, ssh BatchMode). It is bounded
// in time (SIGKILL to the group at the timeout) and in output size. A URL
// starting with '-' is refused (it could be read as an option).
//
// With an OutboundGuard (options.guard) the URL is checked first (field
// "git_url"; local repositories only when the allow-list names "file") and
// git is made to connect to the checked address (net/git_pinning.h: http(s)
// through http.curloptResolve, git:// with the address in the URL; no
// redirects, no proxy; ssh remotes are checked but not pinned).
// A refusal is kValidation and no git process is started.
//
// Errors: kUnavailable when git ran and failed (unreachable, not a
// repository; the message carries git's stderr, trimmed), or timed out;
// kInternal when git could not be started; kValidation for a bad URL.
// Thread-safe (no shared state).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "net/outbound_guard.h"

namespace opz::trigger {

struct RemoteRef {
  std::string ref;  // "refs/heads/main", "refs/tags/v1.0"
  std::string sha;  // for annotated tags: the commit it points at (peeled)
  bool operator==(const RemoteRef&) const = default;
};

struct GitRemoteOptions {
  std::string git = "git";  // looked up on PATH
  std::chrono::milliseconds timeout{30000};
  size_t max_output_bytes = 16u << 20;
  // The outbound guard (SSRF); null: URLs are not checked. Not owned.
  const net::OutboundGuard* guard = nullptr;
};

// Parses `git ls-remote` output ("<sha>\t<ref>" lines): keeps refs/heads/*
// and refs/tags/*, replaces an annotated tag's sha by its peeled "^{}" line,
// skips malformed lines. Sorted by ref. Pure.
std::vector<RemoteRef> parse_ls_remote(std::string_view output);

// The branches and tags of the repository at `url`.
Result<std::vector<RemoteRef>> ls_remote(const std::string& url,
                                         const GitRemoteOptions& options = {});

// The commit tag `tag` (short name) points at; kNotFound when no such tag.
Result<std::string> resolve_tag(const std::string& url, const std::string& tag,
                                const GitRemoteOptions& options = {});

}  // namespace opz::trigger
