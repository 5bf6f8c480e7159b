// BranchMapper: decides which environment a pushed branch or tag maps to,
// from an ordered list of rules ("main -> Production", "release/* -> PreProd",
// tags "v*" -> prod). The first rule whose ref type and glob pattern match
// wins; the decision says which rule matched and why, in words an operator
// can read in the UI or an audit entry.
//
// Patterns use core/glob.h, i.e. GitHub's branch-filter semantics: '*' stays
// inside one path segment ("feature/*" does not match "feature/a/b"), '**'
// crosses segments ("feature/**" does), '?' and "[abc]" match one character.
//
// Pure and immutable: a BranchMapper is built once from the rules (store rows
// or a preset) and may be shared between threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/git_ref_name.h"
#include "core/glob.h"
#include "core/result.h"

namespace opz::governance {

// Git refs are a core concept (core/git_ref_name.h), shared with the GitHub
// adapter; governance rules name them as their own.
using opz::GitRef;
using opz::parse_git_ref;
using opz::parse_ref_type;
using opz::ref_type_name;
using opz::RefType;

struct BranchRule {
  std::string pattern;  // glob, e.g. "release/*"
  RefType ref_type = RefType::kBranch;
  std::string environment;  // environment name, e.g. "Production"
  bool deployable = true;   // false: the ref maps, but only CI runs (no deploy)
  // Placeholders: {sha} {sha7} {tag} {branch} {short_ref}; see render_image_tag.
  std::string image_tag_template;
  int replicas = 1;
  int position = 0;  // ordering key in the store; the mapper keeps the given order
  std::string id;    // store id (empty for presets)
};

// Checks one rule on its own: non-empty valid glob, ref type branch or tag,
// non-empty environment, replicas in [0, 1000], and (when set) an image tag
// template with only known placeholders. kValidation naming the field.
Status validate_rule(const BranchRule& rule);

// Expands `tmpl` for a ref and commit into a container image tag:
//   {sha}        the full commit sha        {sha7}  its first 7 characters
//   {tag}        `tag` if given, else the ref's short name when it is a tag
//   {branch}     the branch short name      {short_ref}  the short name
// Substituted values have every character outside [A-Za-z0-9_.-] replaced by
// '-' ("release/1.4" -> "release-1.4"). Fails (kValidation) on an unknown
// placeholder or unbalanced brace, {sha}/{sha7} without a sha, {tag} for a
// branch without `tag`, {branch} for a tag, or a result that is not a valid
// image tag (1-128 chars of [A-Za-z0-9_.-], not starting with '.' or '-').
Result<std::string> render_image_tag(std::string_view tmpl, const GitRef& ref, std::string_view sha,
                                     std::string_view tag = {});

struct MappingDecision {
  bool matched = false;
  GitRef ref;
  int rule_index = -1;  // 0-based position in the mapper's rules; -1 when unmatched
  BranchRule rule;      // copy of the matched rule (default when unmatched)
  // "refs/heads/release/1.4 matched rule #3 'release/*' (branch) -> PreProd" or
  // "no rule matches branch 'foo' (checked 6 rules: 'main', 'master', ...)".
  std::string explanation;

  bool deployable() const { return matched && rule.deployable; }
  // render_image_tag(rule.image_tag_template, ref, sha, tag); kValidation when
  // unmatched or when the rule has no template.
  Result<std::string> render_image_tag(std::string_view sha, std::string_view tag = {}) const;
};

class BranchMapper {
 public:
  // `ordered`: the rules in evaluation order (store order by position).
  // Rules with an invalid pattern or ref type never match; they appear as
  // such in explanations (validate_rule() rejects them earlier in the API).
  explicit BranchMapper(std::vector<BranchRule> ordered);

  // `full_ref`: "refs/heads/x", "refs/tags/v1" or a bare branch name.
  MappingDecision resolve(std::string_view full_ref) const;

  const std::vector<BranchRule>& rules() const { return rules_; }

 private:
  std::vector<BranchRule> rules_;
  std::vector<std::optional<Glob>> globs_;  // parallel to rules_; nullopt when invalid
};

// Seed 000 §2.2 step 4: main, master -> Production; release/* -> PreProd;
// staging -> Staging; develop -> Development; feature/* -> Development (not
// deployable). Image tags "{branch}-{sha7}", 1 replica.
std::vector<BranchRule> default_rules();
// Seed 001 GitOps: develop -> dev x1 "dev-{sha7}"; main -> staging x2
// "staging-{sha7}"; tags v* -> prod x3 "{tag}".
std::vector<BranchRule> gitops_rules();
// "default" or "gitops"; kNotFound naming the known presets otherwise.
Result<std::vector<BranchRule>> preset_rules(std::string_view name);
std::vector<std::string_view> preset_names();

}  // namespace opz::governance
