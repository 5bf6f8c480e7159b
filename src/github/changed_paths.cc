#include "github/changed_paths.h"

#include <algorithm>
#include <cstdint>

namespace opz::github {

namespace {

constexpr const char* kFileLists[] = {"added", "modified", "removed"};

// A count the payload states (`size`, `distinct_size`); 0 when absent.
uint64_t stated_count(const Json& root, const char* key) {
  auto it = root.find(key);
  if (it == root.end() || !it->is_number_integer() || it->get<int64_t>() < 0) return 0;
  return static_cast<uint64_t>(it->get<int64_t>());
}

void mark_incomplete(ChangedPaths& out, std::string reason) {
  if (!out.complete) return;  // the first reason is the one reported
  out.complete = false;
  out.incomplete_reason = std::move(reason);
}

}  // namespace

ChangedPaths read_changed_paths(const Json& root, bool deleted) {
  ChangedPaths out;
  auto commits = root.find("commits");
  if (commits == root.end() || commits->is_null() || (commits->is_array() && commits->empty())) {
    if (!deleted) mark_incomplete(out, "the payload lists no commits");
    return out;
  }
  if (!commits->is_array()) {
    mark_incomplete(out, "the payload's commits is not an array");
    return out;
  }
  const uint64_t listed = commits->size();
  const uint64_t pushed =
      std::max(stated_count(root, "size"), stated_count(root, "distinct_size"));
  if (listed >= kMaxPayloadCommits)
    mark_incomplete(out, "the payload lists " + std::to_string(listed) +
                             " commits, GitHub's most (it may have left some out)");
  else if (pushed > listed)
    mark_incomplete(out, "the payload lists " + std::to_string(listed) + " of " +
                             std::to_string(pushed) + " pushed commits");
  for (const Json& commit : *commits) {
    if (!commit.is_object()) {
      mark_incomplete(out, "a commit of the payload is not an object");
      continue;
    }
    bool any_list = false;
    for (const char* list : kFileLists) {
      auto files = commit.find(list);
      if (files == commit.end() || files->is_null()) continue;
      any_list = true;
      if (!files->is_array()) {
        mark_incomplete(out, std::string("a commit's ") + list + " is not an array");
        continue;
      }
      if (files->size() >= kMaxPayloadFilesPerList)
        mark_incomplete(out, "a commit lists " + std::to_string(files->size()) + " " + list +
                                 " files, GitHub's most (it may have left some out)");
      for (const Json& path : *files) {
        if (path.is_string())
          out.paths.push_back(path.get<std::string>());
        else
          mark_incomplete(out, std::string("a commit's ") + list + " holds a non-string");
      }
    }
    if (!any_list) mark_incomplete(out, "a commit of the payload lists no files");
  }
  std::sort(out.paths.begin(), out.paths.end());
  out.paths.erase(std::unique(out.paths.begin(), out.paths.end()), out.paths.end());
  return out;
}

}  // namespace opz::github
