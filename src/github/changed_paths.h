// ChangedPaths: the files a push changed, as its payload lists them — the
// union of every commit's `added`, `modified` and `removed` — and whether
// that list can be trusted to be whole.
//
// GitHub's push payload is not always whole (docs.github.com, "push"):
// `commits` holds at most 20 commits on timeline events and at most 2,048 on
// webhook deliveries, and a commit's file arrays are capped (3,000 entries
// here: anything at or over it counts as cut). So the list is `complete`
// only when none of these holds, with `incomplete_reason` saying which did:
//   - `commits` has 2,048 or more entries, or fewer than `size` /
//     `distinct_size` say were pushed (when the payload carries them);
//   - a commit lists 3,000 or more files in one of its arrays;
//   - a commit has no file arrays at all (GitHub Actions' copy of the event);
//   - `commits` is empty on a push that is not a delete (a new branch at an
//     existing commit, a force push back: the payload names no files).
// Odd shapes (a non-array, a non-string path) make the list incomplete, never
// the delivery invalid: deciding on paths must not reject a signed push.
// Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/json.h"

namespace opz::github {

inline constexpr size_t kMaxPayloadCommits = 2048;
inline constexpr size_t kMaxPayloadFilesPerList = 3000;

struct ChangedPaths {
  std::vector<std::string> paths;  // sorted, unique
  bool complete = true;
  std::string incomplete_reason;  // why not complete; "" when complete
};

// From a push payload's root object. `deleted`: the push deletes its ref.
ChangedPaths read_changed_paths(const Json& push_payload, bool deleted);

}  // namespace opz::github
