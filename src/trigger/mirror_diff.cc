#include "trigger/mirror_diff.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "engine/workspace.h"
#include "net/git_pinning.h"
#include "trigger/bounded_process.h"

namespace opz::trigger {

namespace {

bool is_full_sha(const std::string& s) {
  if (s.size() != 40) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Fetches (or clones) the mirror under its lock, as the engine's checkout
// does. $1 = git, $2 = mirror, $3 = url, $4... = pinning configuration.
constexpr const char* kUpdateScript =
    "git_bin=$1; mirror=$2; url=$3; shift 3; "
    "if [ -d \"$mirror\" ]; then \"$git_bin\" \"$@\" -C \"$mirror\" fetch --quiet --prune -- "
    "\"$url\" '+refs/heads/*:refs/heads/*' '+refs/tags/*:refs/tags/*'; "
    "else \"$git_bin\" \"$@\" clone --quiet --mirror -- \"$url\" \"$mirror\"; fi";

Error git_failed(const std::string& what, const ProcessOutput& r,
                 std::chrono::milliseconds timeout) {
  if (r.timed_out)
    return Error::unavailable(what + " timed out after " + std::to_string(timeout.count()) + " ms");
  return Error::unavailable(what + " " + describe_exit(r) + ": " + trimmed(r.err, 300));
}

}  // namespace

Result<std::vector<std::string>> mirror_changed_paths(const std::string& data_dir,
                                                      const std::string& git_url,
                                                      const std::string& before,
                                                      const std::string& after,
                                                      const GitRemoteOptions& o) {
  if (data_dir.empty()) return Error::unavailable("the server keeps no git mirrors (no data dir)");
  if (git_url.empty()) return Error::validation("the project has no git URL", "git_url");
  if (git_url.front() == '-')
    return Error::validation("a git URL cannot start with '-'", "git_url");
  if (!is_full_sha(before) || !is_full_sha(after))
    return Error::validation("the push names no before..after commits to compare", "before");
  net::PinnedGitRemote pinned{{}, git_url};
  if (o.guard) {
    OPZ_TRY(net::CheckedUrl checked, o.guard->check(git_url, "git_url", net::UrlKind::kGit));
    pinned = net::pin_git_remote(git_url, checked);
  }
  const std::string mirror = engine::mirror_dir(data_dir, git_url);
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(mirror).parent_path(), ec);
  if (ec) return Error::unavailable("cannot create the mirrors directory: " + ec.message());

  std::vector<std::string> update = {
      "flock", mirror + ".lock", "sh", "-c", kUpdateScript, "sh", o.git, mirror, pinned.url};
  update.insert(update.end(), pinned.config.begin(), pinned.config.end());
  OPZ_TRY(ProcessOutput fetched, run_bounded(update, o.timeout, o.max_output_bytes));
  // A failed fetch still leaves the mirror's commits usable (remote down).
  const bool fetch_failed = !exited_ok(fetched);

  OPZ_TRY(ProcessOutput diff,
          run_bounded({o.git, "-c", "core.quotePath=false", "-C", mirror, "diff", "--name-only",
                       "--no-renames", before, after, "--"},
                      o.timeout, o.max_output_bytes));
  if (!exited_ok(diff)) {
    Error e =
        git_failed("git diff " + before.substr(0, 7) + ".." + after.substr(0, 7), diff, o.timeout);
    if (fetch_failed)
      e.message += " (fetching the mirror failed: " + trimmed(fetched.err, 200) + ")";
    return e;
  }
  std::vector<std::string> paths;
  size_t pos = 0;
  const std::string& out = diff.out;
  while (pos < out.size()) {
    size_t end = out.find('\n', pos);
    if (end == std::string::npos) end = out.size();
    if (end > pos) paths.push_back(out.substr(pos, end - pos));
    pos = end + 1;
  }
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  return paths;
}

}  // namespace opz::trigger
