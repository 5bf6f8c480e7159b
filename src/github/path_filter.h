// PathFilter: which files of a push a project cares about (a monorepo's
// project follows only its own folders). A project's GitHub integration
// declares `path_filters`, an ordered list of globs over repository paths:
//
//   services/api/**     a folder and everything under it
//   *.md                a Markdown file at the top level (`*` stays inside one
//                       path segment, as in GitHub Actions' `paths` filter;
//                       "**.md" or "**/*.md" for every level)
//   !docs/**            negation: a file matched by it is excluded again
//
// Syntax of one glob: core/glob.h (`*`, `**`, `?`, `[abc]`, `\c`), plus a
// leading '!' (negation) and a leading '/' (anchoring is implicit: it is
// dropped, "/ci/x.yml" equals "ci/x.yml"). Paths are matched as git prints
// them (relative, '/'-separated, case-sensitive).
//
// Evaluation, per changed file, as GitHub Actions does: the patterns are
// tried in order and the LAST one that matches decides (a positive pattern
// includes the file, a negation excludes it); a file no pattern matches is
// excluded, except when the list starts with a negation (then everything not
// negated is included: ["!docs/**"] means "anything but docs"). A push passes
// the filter when at least one changed file is included. An empty list
// passes every push (no filter).
//
// Pure; a compiled PathFilter is immutable and safe to share between threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/glob.h"
#include "core/result.h"

namespace opz::github {

// Most patterns one project may declare, and the longest pattern.
inline constexpr size_t kMaxPathFilters = 100;
inline constexpr size_t kMaxPathFilterLength = 1024;

class PathFilter {
 public:
  // kValidation naming "path_filters[i]" for the first bad pattern (empty,
  // "!" alone, too long, or not a valid glob), or "path_filters" for too many.
  static Result<PathFilter> compile(const std::vector<std::string>& patterns);

  bool empty() const { return rules_.empty(); }
  // Whether this one path is included (see "Evaluation" above).
  bool includes(std::string_view path) const;
  // The first included path of `changed`, or nullptr when none is.
  const std::string* first_match(const std::vector<std::string>& changed) const;

 private:
  struct Rule {
    bool negated;
    Glob glob;
  };
  std::vector<Rule> rules_;
};

}  // namespace opz::github
