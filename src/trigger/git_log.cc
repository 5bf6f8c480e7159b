#include "trigger/git_log.h"

#include <algorithm>

#include "trigger/bounded_process.h"

namespace opz::trigger {

namespace {

// Fields split by US (0x1f), records ended by RS (0x1e): subjects may hold
// anything else.
constexpr std::string_view kLogFormat = "--format=%H%x1f%s%x1f%an%x1f%aI%x1e";

bool is_sha(std::string_view s) {
  return s.size() >= 4 && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (true) {
    const size_t end = text.find(sep, pos);
    out.push_back(text.substr(pos, end == std::string_view::npos ? end : end - pos));
    if (end == std::string_view::npos) return out;
    pos = end + 1;
  }
}

}  // namespace

std::vector<CommitSummary> parse_git_log(std::string_view output) {
  std::vector<CommitSummary> out;
  for (std::string_view record : split(output, '\x1e')) {
    while (!record.empty() && (record.front() == '\n' || record.front() == '\r'))
      record.remove_prefix(1);
    const auto fields = split(record, '\x1f');
    if (fields.size() != 4 || !is_sha(fields[0])) continue;
    out.push_back({std::string(fields[0]), std::string(fields[1]), std::string(fields[2]),
                   std::string(fields[3])});
  }
  return out;
}

Result<CommitLog> commits_between(const std::string& repo_dir, const std::string& from_sha,
                                  const std::string& to_sha, int max,
                                  const GitRemoteOptions& o) {
  if (!is_sha(from_sha)) return Error::validation("not a commit sha: '" + from_sha + "'", "from");
  if (!is_sha(to_sha)) return Error::validation("not a commit sha: '" + to_sha + "'", "to");
  CommitLog log;
  if (from_sha == to_sha) return log;
  const std::vector<std::string> argv = {o.git,
                                         "-C",
                                         repo_dir,
                                         "log",
                                         std::string(kLogFormat),
                                         "--max-count=" + std::to_string(max + 1),
                                         from_sha + ".." + to_sha,
                                         "--"};
  OPZ_TRY(ProcessOutput r, run_bounded(argv, o.timeout, o.max_output_bytes));
  if (r.timed_out)
    return Error::unavailable("git log timed out after " + std::to_string(o.timeout.count()) +
                              " ms");
  if (!exited_ok(r)) return Error::unavailable("git log " + describe_exit(r) + ": " + trimmed(r.err));
  log.commits = parse_git_log(r.out);
  if (static_cast<int>(log.commits.size()) > max) {
    log.commits.resize(static_cast<size_t>(max));
    log.truncated = true;
  }
  return log;
}

}  // namespace opz::trigger
