#include "engine/workspace.h"

#include <sys/stat.h>

#include <filesystem>
#include <system_error>

namespace opz::engine {

namespace fs = std::filesystem;

Json WorkspaceSource::to_json() const {
  switch (kind) {
    case Kind::kNone:
      return {{"kind", "none"}};
    case Kind::kDirectory:
      return {{"kind", "directory"}, {"path", path}};
    case Kind::kGit:
      return {{"kind", "git"}, {"url", git_url}};
  }
  return {{"kind", "none"}};
}

Result<WorkspaceSource> WorkspaceSource::from_json(const Json& json) {
  WorkspaceSource s;
  if (json.is_null()) return s;
  if (!json.is_object() || !json.contains("kind") || !json["kind"].is_string())
    return Error::validation("workspace must be an object with a kind", "workspace");
  const std::string kind = json["kind"].get<std::string>();
  auto text = [&](const char* key) {
    return json.contains(key) && json[key].is_string() ? json[key].get<std::string>() : "";
  };
  if (kind == "none") return s;
  if (kind == "directory") {
    s.kind = Kind::kDirectory;
    s.path = text("path");
    if (s.path.empty()) return Error::validation("workspace.path is required", "workspace.path");
    return s;
  }
  if (kind == "git") {
    s.kind = Kind::kGit;
    s.git_url = text("url");
    if (s.git_url.empty()) return Error::validation("workspace.url is required", "workspace.url");
    return s;
  }
  return Error::validation("unknown workspace kind '" + kind + "'", "workspace.kind");
}

std::string workspace_dir(const std::string& data_dir, const std::string& execution_id) {
  return (fs::path(data_dir) / "workspaces" / execution_id).string();
}

std::string outputs_dir(const std::string& data_dir, const std::string& execution_id) {
  return (fs::path(data_dir) / "outputs" / execution_id).string();
}

std::string checkout_command(const net::PinnedGitRemote& remote, const std::string& commit_sha,
                             const std::string& branch, const std::string& dir,
                             const std::string& mirror) {
  return git::checkout_command({.remote = remote,
                                .commit_sha = commit_sha,
                                .branch = branch,
                                .dir = dir,
                                .mirror = mirror,
                                .on_fetch_failure = git::FetchFailure::kUseMirror});
}

std::string checkout_command(const std::string& git_url, const std::string& commit_sha,
                             const std::string& branch, const std::string& dir,
                             const std::string& mirror) {
  return checkout_command(net::PinnedGitRemote{{}, git_url}, commit_sha, branch, dir, mirror);
}

Result<net::PinnedGitRemote> pin_workspace_remote(const net::OutboundGuard* guard,
                                                  const std::string& git_url) {
  if (!guard) return net::PinnedGitRemote{{}, git_url};
  auto checked = guard->check(git_url, "workspace.url", net::UrlKind::kGit);
  if (checked) return net::pin_git_remote(git_url, *checked);
  if (checked.error().code != ErrorCode::kUnavailable) return checked.error();
  // The name does not resolve now: git must not look it up itself (it could
  // get another answer), but a mirror may still serve a known commit, so
  // every transport is refused and the checkout falls back to the mirror.
  return net::PinnedGitRemote{{"-c", "protocol.allow=never"}, git_url};
}

std::string remove_command(const std::string& dir) { return "rm -rf -- " + shell_quote(dir); }

std::vector<std::string> list_expired_dirs(const std::string& root, TimePoint now,
                                           std::chrono::milliseconds retention,
                                           const std::set<std::string>& active) {
  std::vector<std::string> out;
  std::error_code ec;
  fs::directory_iterator it(root, ec);
  if (ec) return out;
  for (const fs::directory_entry& entry : it) {
    if (!entry.is_directory(ec)) continue;
    const std::string name = entry.path().filename().string();
    if (active.count(name)) continue;
    struct stat st {};
    if (::stat(entry.path().c_str(), &st) != 0) continue;
    TimePoint when{std::chrono::seconds(st.st_mtim.tv_sec) +
                   std::chrono::nanoseconds(st.st_mtim.tv_nsec)};
    if (when + retention < now) out.push_back(entry.path().string());
  }
  return out;
}

}  // namespace opz::engine
