#include "trigger/git_remote.h"

#include <map>

#include "net/git_pinning.h"
#include "trigger/bounded_process.h"

namespace opz::trigger {

std::vector<RemoteRef> parse_ls_remote(std::string_view output) {
  std::map<std::string, std::string> refs;
  std::map<std::string, std::string> peeled;
  size_t pos = 0;
  while (pos < output.size()) {
    size_t end = output.find('\n', pos);
    if (end == std::string_view::npos) end = output.size();
    std::string_view line = output.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const size_t tab = line.find('\t');
    if (tab != 40) continue;
    std::string sha(line.substr(0, 40));
    std::string ref(line.substr(41));
    bool hex = true;
    for (char c : sha) hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    if (!hex) continue;
    if (!ref.starts_with("refs/heads/") && !ref.starts_with("refs/tags/")) continue;
    if (ref.ends_with("^{}")) {
      peeled[ref.substr(0, ref.size() - 3)] = sha;
    } else {
      refs[ref] = sha;
    }
  }
  std::vector<RemoteRef> out;
  out.reserve(refs.size());
  for (auto& [ref, sha] : refs) {
    auto p = peeled.find(ref);
    out.push_back({ref, p != peeled.end() ? p->second : sha});
  }
  return out;
}

namespace {

Result<std::string> run_ls_remote(const std::string& url, const std::vector<std::string>& patterns,
                                  const GitRemoteOptions& o) {
  if (url.empty()) return Error::validation("no git URL", "git_url");
  if (url.front() == '-') return Error::validation("a git URL cannot start with '-'", "git_url");
  net::PinnedGitRemote pinned{{}, url};
  if (o.guard) {
    OPZ_TRY(net::CheckedUrl checked, o.guard->check(url, "git_url", net::UrlKind::kGit));
    pinned = net::pin_git_remote(url, checked);
  }
  std::vector<std::string> argv = {o.git};
  argv.insert(argv.end(), pinned.config.begin(), pinned.config.end());
  for (const char* a : {"ls-remote", "--heads", "--tags", "--"}) argv.emplace_back(a);
  argv.push_back(pinned.url);
  argv.insert(argv.end(), patterns.begin(), patterns.end());
  OPZ_TRY(ProcessOutput r, run_bounded(argv, o.timeout, o.max_output_bytes));
  if (r.timed_out)
    return Error::unavailable("git ls-remote " + url + " timed out after " +
                              std::to_string(o.timeout.count()) + " ms");
  if (!exited_ok(r))
    return Error::unavailable("git ls-remote " + url + " " + describe_exit(r) + ": " +
                              trimmed(r.err));
  return r.out;
}

}  // namespace

Result<std::vector<RemoteRef>> ls_remote(const std::string& url, const GitRemoteOptions& o) {
  OPZ_TRY(std::string out, run_ls_remote(url, {}, o));
  return parse_ls_remote(out);
}

Result<std::string> resolve_tag(const std::string& url, const std::string& tag,
                                const GitRemoteOptions& o) {
  if (tag.empty() || tag.front() == '-')
    return Error::validation("bad tag name '" + tag + "'", "tag");
  const std::string full = "refs/tags/" + tag;
  // The peeled "^{}" line (an annotated tag's commit) only comes when asked for.
  OPZ_TRY(std::string out, run_ls_remote(url, {full, full + "^{}"}, o));
  for (const RemoteRef& r : parse_ls_remote(out))
    if (r.ref == full) return r.sha;
  return Error::not_found("tag '" + tag + "' does not exist in " + url);
}

}  // namespace opz::trigger
