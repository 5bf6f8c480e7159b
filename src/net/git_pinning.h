// Git pinning: the git arguments and URL that make a git process (ls-remote,
// clone, fetch) reach exactly the address the outbound guard checked, so that
// git never looks the name up again (DNS rebinding) nor follows a redirect:
//   - always: -c http.followRedirects=false -c protocol.ext.allow=never
//     -c http.proxy=   (no redirects, no remote helpers, no proxy);
//   - http(s): -c http.curloptResolve=HOST:PORT:ADDR[,ADDR] (git >= 2.37);
//   - git://: the checked address replaces the host in the URL;
//   - ssh and the scp form: checked only — ssh looks the name up itself (it
//     verifies the host key under the name);
//   - local repositories: unchanged, no arguments.
// Pure. Used by trigger/git_remote (polling); the engine's clones may use it.
#pragma once

#include <string>
#include <vector>

#include "net/outbound_guard.h"

namespace opz::net {

struct PinnedGitRemote {
  std::vector<std::string> config;  // "-c", "k=v", ... (before the git subcommand)
  std::string url;
};

PinnedGitRemote pin_git_remote(const std::string& url, const CheckedUrl& checked);

}  // namespace opz::net
