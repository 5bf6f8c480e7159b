#include "github/path_filter.h"

namespace opz::github {

Result<PathFilter> PathFilter::compile(const std::vector<std::string>& patterns) {
  if (patterns.size() > kMaxPathFilters)
    return Error::validation(
        "at most " + std::to_string(kMaxPathFilters) + " path filters per project",
        "path_filters");
  PathFilter filter;
  for (size_t i = 0; i < patterns.size(); ++i) {
    const std::string field = "path_filters[" + std::to_string(i) + "]";
    std::string_view p = patterns[i];
    if (p.size() > kMaxPathFilterLength)
      return Error::validation(
          "a path filter is at most " + std::to_string(kMaxPathFilterLength) + " characters",
          field);
    const bool negated = p.starts_with('!');
    if (negated) p.remove_prefix(1);
    if (p.starts_with('/')) p.remove_prefix(1);
    if (p.empty())
      return Error::validation("a path filter must name a path or glob (got '" +
                                   patterns[i] + "')",
                               field);
    auto glob = Glob::compile(p);
    if (!glob)
      return Error::validation("path filter '" + patterns[i] + "' is not a valid glob: " +
                                   glob.error().message,
                               field);
    filter.rules_.push_back(Rule{negated, std::move(glob).value()});
  }
  return filter;
}

bool PathFilter::includes(std::string_view path) const {
  if (rules_.empty()) return true;
  if (path.starts_with('/')) path.remove_prefix(1);
  bool included = rules_.front().negated;
  for (const Rule& rule : rules_) {
    if (rule.glob.matches(path)) included = !rule.negated;
  }
  return included;
}

const std::string* PathFilter::first_match(const std::vector<std::string>& changed) const {
  for (const std::string& path : changed)
    if (includes(path)) return &path;
  return nullptr;
}

}  // namespace opz::github
