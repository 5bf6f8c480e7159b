#include "git/mirror_checkout.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>

#include "core/redact_url.h"
#include "git/shell_quote.h"

namespace opz::git {

namespace fs = std::filesystem;

namespace {

// "git -c k=v ... " for a remote's configuration, ready for a subcommand.
std::string git_with(const net::PinnedGitRemote& remote) {
  std::string git = "git ";
  for (const std::string& arg : remote.config) git += shell_quote(arg) + " ";
  return git;
}

// The pieces of the mirror's update script, each shell text.
struct MirrorScript {
  const MirrorCheckout& c;
  std::string m = shell_quote(c.mirror);
  std::string url = shell_quote(c.remote.url);
  std::string err = shell_quote(c.mirror + ".err");
  std::string git_remote = git_with(c.remote);

  // git's own message (credentials in URLs hidden), then one line that names
  // the URL as a person may see it.
  std::string report(const std::string& line) const {
    return "sed -e " + shell_quote("s#://[^/@]*@#://***@#g") + " " + err + " >&2; echo " +
           shell_quote(line) + " >&2";
  }
  std::string on_fetch_failure() const {
    const std::string shown = redact_url(c.remote.url);
    if (c.on_fetch_failure == FetchFailure::kUseMirror)
      return "{ " +
             report("warning: could not fetch " + shown + "; checking out from the local mirror") +
             "; }";
    return "{ " + report("opzenix: could not fetch " + shown + " (git's message above)") +
           "; exit 1; }";
  }
  std::string has_commit() const {
    return "git -C " + m + " cat-file -e " + shell_quote(c.commit_sha + "^{commit}") +
           " 2>/dev/null";
  }
  // Fetches what is new; on success `git gc --auto` (in the foreground: the
  // lock covers it), on failure on_fetch_failure().
  std::string refresh() const {
    return "if " + git_remote + "-C " + m + " fetch --quiet --prune -- " + url +
           " '+refs/heads/*:refs/heads/*' '+refs/tags/*:refs/tags/*' 2> " + err +
           "; then git -c gc.autoDetach=false -C " + m + " gc --auto --quiet; else " +
           on_fetch_failure() + "; fi";
  }
  std::string clone_mirror() const {
    const std::string tmp = shell_quote(c.mirror + ".tmp");
    return "rm -rf " + tmp + " && if " + git_remote + "clone --quiet --mirror -- " + url + " " +
           tmp + " 2> " + err + "; then mv " + tmp + " " + m + "; else rm -rf " + tmp + "; " +
           report("opzenix: could not clone " + redact_url(c.remote.url) +
                  " (git's message above)") +
           "; exit 1; fi";
  }
  // Run under the exclusive lock.
  std::string update() const {
    std::string s = "export GIT_TERMINAL_PROMPT=0\nif [ ! -d " + m + " ]; then " + clone_mirror() +
                    "; elif " + (c.commit_sha.empty() ? std::string("true") : "! " + has_commit()) +
                    "; then " + refresh() + "; fi\n";
    if (!c.commit_sha.empty())  // a commit no branch reaches (a pull request head)
      s += has_commit() + " || { " + git_remote + "-C " + m + " fetch --quiet -- " + url + " " +
           shell_quote(c.commit_sha) + " 2> " + err + " || " + on_fetch_failure() + "; }\n";
    return s + "touch " + m;
  }
};

}  // namespace

std::string mirror_dir(const std::string& root, const std::string& git_url) {
  // FNV-1a 64: stable across builds and platforms (std::hash is not).
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : git_url) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return (fs::path(root) / "mirrors" / (std::string(hex) + ".git")).string();
}

std::string checkout_command(const MirrorCheckout& c) {
  const std::string d = shell_quote(c.dir);
  std::string cmd;
  if (c.mirror.empty()) {
    const std::string git_remote = git_with(c.remote);
    cmd = git_remote + "clone --quiet --no-checkout -- " + shell_quote(c.remote.url) + " " + d;
    if (!c.commit_sha.empty())  // a commit no branch reaches (a pull request head)
      cmd += " && { git -C " + d + " cat-file -e " + shell_quote(c.commit_sha + "^{commit}") +
             " 2>/dev/null || " + git_remote + "-C " + d + " fetch --quiet -- " +
             shell_quote(c.remote.url) + " " + shell_quote(c.commit_sha) + "; }";
  } else {
    const MirrorScript script{c};
    const std::string lock = shell_quote(c.mirror + ".lock");
    cmd = "mkdir -p " + shell_quote(fs::path(c.mirror).parent_path().string()) + " && flock " +
          lock + " sh -c " + shell_quote(script.update()) + " && flock -s " + lock +
          " git clone --quiet --no-checkout -- " + script.m + " " + d;
  }
  if (!c.commit_sha.empty()) {
    cmd += " && git -C " + d + " checkout --quiet --detach " + shell_quote(c.commit_sha);
  } else if (!c.branch.empty()) {
    cmd += " && git -C " + d + " checkout --quiet --detach " + shell_quote("origin/" + c.branch);
  } else {
    cmd += " && git -C " + d + " checkout --quiet --detach HEAD";
  }
  return cmd + " && git -C " + d + " rev-parse HEAD";
}

}  // namespace opz::git
