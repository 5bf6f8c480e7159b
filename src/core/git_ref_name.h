// Git refs: their kinds (branch, tag), and their names by the rules of
// git-check-ref-format(1), in pure C++, so that a
// ref taken from a webhook payload or an API request is refused at the edge
// instead of failing later in `git`, in a step's environment or in a log path.
//
// check_ref_format("refs/heads/main") accepts a fully qualified ref when:
//   - it has at least two components ("refs/x"), none empty (no leading,
//     trailing or doubled '/');
//   - no component starts with '.' or ends with ".lock";
//   - it contains no "..", no "@{", no '\\', and is not "@";
//   - it contains no control character (< 0x20, 0x7f), space, '~', '^', ':',
//     '?', '*' or '[';
//   - it does not end with '.';
//   - it is at most kMaxRefNameBytes long (ours: refs are files and URL parts).
// check_branch_name / check_tag_name take the short name ("main", "v1.2.3"),
// check "refs/heads/<name>" / "refs/tags/<name>" as above and also refuse a
// name starting with '-' (git would read it as an option) and the branch
// "HEAD" (git-check-ref-format --branch refuses it).
//
// Errors are kValidation with `field` set to the argument given and a message
// that quotes the name (control characters escaped) and says which rule it
// breaks. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace opz {

inline constexpr size_t kMaxRefNameBytes = 255;
inline constexpr std::string_view kBranchRefPrefix = "refs/heads/";
inline constexpr std::string_view kTagRefPrefix = "refs/tags/";

enum class RefType { kBranch, kTag, kOther };

std::string_view ref_type_name(RefType type);  // "branch", "tag", "other"
// Accepts "branch" and "tag" (the two kinds a mapping rule may name).
Result<RefType> parse_ref_type(std::string_view text);

// A git ref split into its kind and short name.
struct GitRef {
  RefType type = RefType::kBranch;
  std::string short_name;  // "release/1.4", "v1.2.3"
  std::string full;        // "refs/heads/release/1.4", "refs/tags/v1.2.3"
};

// "refs/heads/x" -> branch x, "refs/tags/v1" -> tag v1, a bare "x" -> branch
// x. Any other "refs/..." (refs/pull/1/head, refs/notes/...) and an empty
// short name give type kOther; the text is kept as given. It splits, it does
// not validate: check_ref_format() says whether git would accept the name.
GitRef parse_git_ref(std::string_view ref);

Status check_ref_format(std::string_view full_ref, const std::string& field = "ref");
Status check_branch_name(std::string_view branch, const std::string& field = "branch");
Status check_tag_name(std::string_view tag, const std::string& field = "tag");

// `text` with control characters, bytes >= 0x80, '\\' and '\'' written as
// escapes, at most `max` bytes of input: for quoting untrusted names in
// messages and logs.
std::string printable(std::string_view text, size_t max = 120);

}  // namespace opz
