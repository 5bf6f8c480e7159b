#include "governance/branch_mapper.h"

#include <utility>

#include "core/ascii.h"

namespace opz::governance {
namespace {

constexpr int kMaxReplicas = 1000;
constexpr size_t kMaxImageTagLength = 128;

bool image_tag_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

std::string sanitize_for_image_tag(std::string_view value) {
  std::string out(value);
  for (char& c : out) {
    if (!image_tag_char(c)) c = '-';
  }
  return out;
}

std::string in_quotes(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string rule_label(size_t index, const BranchRule& rule) {
  return "rule #" + std::to_string(index + 1) + " " + in_quotes(rule.pattern) + " (" +
         std::string(ref_type_name(rule.ref_type)) + ")";
}

BranchRule make_rule(std::string pattern, RefType type, std::string environment, bool deployable,
                     std::string image_tag_template, int replicas, int position) {
  BranchRule r;
  r.pattern = std::move(pattern);
  r.ref_type = type;
  r.environment = std::move(environment);
  r.deployable = deployable;
  r.image_tag_template = std::move(image_tag_template);
  r.replicas = replicas;
  r.position = position;
  return r;
}

}  // namespace

Result<std::string> render_image_tag(std::string_view tmpl, const GitRef& ref, std::string_view sha,
                                     std::string_view tag) {
  auto fail = [&](const std::string& why) {
    return Error::validation("image tag template " + in_quotes(tmpl) + ": " + why,
                             "image_tag_template");
  };
  std::string out;
  size_t i = 0;
  while (i < tmpl.size()) {
    char c = tmpl[i];
    if (c == '}') return fail("unbalanced '}' at position " + std::to_string(i + 1));
    if (c != '{') {
      out += c;
      ++i;
      continue;
    }
    size_t close = tmpl.find('}', i + 1);
    if (close == std::string_view::npos) {
      return fail("unbalanced '{' at position " + std::to_string(i + 1));
    }
    std::string_view name = tmpl.substr(i + 1, close - i - 1);
    i = close + 1;
    if (name == "sha" || name == "sha7") {
      if (sha.empty()) return fail("{" + std::string(name) + "} needs a commit sha, none known");
      out += sanitize_for_image_tag(name == "sha7" ? sha.substr(0, 7) : sha);
    } else if (name == "tag") {
      if (!tag.empty()) {
        out += sanitize_for_image_tag(tag);
      } else if (ref.type == RefType::kTag) {
        out += sanitize_for_image_tag(ref.short_name);
      } else {
        return fail("{tag} used for " + std::string(ref_type_name(ref.type)) + " " +
                    in_quotes(ref.short_name) + ", which is not a tag");
      }
    } else if (name == "branch") {
      if (ref.type != RefType::kBranch) {
        return fail("{branch} used for " + std::string(ref_type_name(ref.type)) + " " +
                    in_quotes(ref.short_name) + ", which is not a branch");
      }
      out += sanitize_for_image_tag(ref.short_name);
    } else if (name == "short_ref") {
      out += sanitize_for_image_tag(ref.short_name);
    } else {
      return fail("unknown placeholder {" + std::string(name) +
                  "} (known: {sha} {sha7} {tag} {branch} {short_ref})");
    }
  }
  if (out.empty() || out.size() > kMaxImageTagLength) {
    return fail("renders to " + in_quotes(out) + ", an image tag must be 1-128 characters");
  }
  for (char ch : out) {
    if (!image_tag_char(ch)) {
      return fail("renders to " + in_quotes(out) +
                  ", which has a character outside [A-Za-z0-9_.-]");
    }
  }
  if (out.front() == '.' || out.front() == '-') {
    return fail("renders to " + in_quotes(out) + ", an image tag cannot start with '.' or '-'");
  }
  return out;
}

Status validate_rule(const BranchRule& rule) {
  if (rule.pattern.empty()) return Error::validation("pattern must not be empty", "pattern");
  OPZ_TRY_STATUS(Glob::compile(rule.pattern));
  if (rule.ref_type == RefType::kOther) {
    return Error::validation("ref type must be 'branch' or 'tag'", "ref_type");
  }
  if (rule.environment.empty()) {
    return Error::validation("environment must not be empty", "environment");
  }
  // A step sees it as OPZENIX_ENVIRONMENT: no control characters.
  if (find_ascii_control(rule.environment) != std::string::npos)
    return Error::validation("environment must not contain control characters", "environment");
  if (rule.replicas < 0 || rule.replicas > kMaxReplicas) {
    return Error::validation(
        "replicas must be between 0 and 1000, got " + std::to_string(rule.replicas), "replicas");
  }
  if (!rule.image_tag_template.empty()) {
    // Render against a sample ref of the rule's own kind to catch unknown
    // placeholders and characters that can never form a valid tag.
    GitRef sample =
        parse_git_ref(rule.ref_type == RefType::kTag ? "refs/tags/v1.0.0" : "refs/heads/main");
    OPZ_TRY_STATUS(render_image_tag(rule.image_tag_template, sample,
                                    "0123456789abcdef0123456789abcdef01234567"));
  }
  return ok_status();
}

Result<std::string> MappingDecision::render_image_tag(std::string_view sha,
                                                      std::string_view tag) const {
  if (!matched) {
    return Error::validation("no image tag: " + explanation, "image_tag_template");
  }
  if (rule.image_tag_template.empty()) {
    return Error::validation("rule " + in_quotes(rule.pattern) + " has no image tag template",
                             "image_tag_template");
  }
  return governance::render_image_tag(rule.image_tag_template, ref, sha, tag);
}

BranchMapper::BranchMapper(std::vector<BranchRule> ordered) : rules_(std::move(ordered)) {
  globs_.reserve(rules_.size());
  for (const auto& rule : rules_) {
    auto glob = Glob::compile(rule.pattern);
    if (glob.ok() && !rule.pattern.empty()) {
      globs_.emplace_back(std::move(glob).value());
    } else {
      globs_.emplace_back(std::nullopt);
    }
  }
}

MappingDecision BranchMapper::resolve(std::string_view full_ref) const {
  MappingDecision d;
  d.ref = parse_git_ref(full_ref);
  if (d.ref.type == RefType::kOther) {
    d.explanation = "ref " + in_quotes(full_ref) +
                    " is neither a branch (refs/heads/...) nor a tag (refs/tags/...); no rule "
                    "applies";
    return d;
  }
  std::string checked;
  size_t same_type = 0;
  size_t other_type = 0;
  for (size_t i = 0; i < rules_.size(); ++i) {
    const BranchRule& rule = rules_[i];
    if (rule.ref_type != d.ref.type) {
      ++other_type;
      continue;
    }
    ++same_type;
    if (!checked.empty()) checked += ", ";
    checked += in_quotes(rule.pattern);
    if (!globs_[i]) {
      checked += " (invalid pattern)";
      continue;
    }
    if (globs_[i]->matches(d.ref.short_name)) {
      d.matched = true;
      d.rule_index = static_cast<int>(i);
      d.rule = rule;
      d.explanation = d.ref.full + " matched " + rule_label(i, rule) + " -> " + rule.environment;
      if (!rule.deployable) d.explanation += " (not deployable: CI only)";
      return d;
    }
  }
  const std::string kind(ref_type_name(d.ref.type));
  d.explanation = "no rule matches " + kind + " " + in_quotes(d.ref.short_name);
  if (same_type == 0) {
    d.explanation += " (no " + kind + " rules configured";
  } else {
    d.explanation += " (checked " + std::to_string(same_type) +
                     (same_type == 1 ? " rule: " : " rules: ") + checked;
  }
  if (other_type > 0) {
    d.explanation += "; " + std::to_string(other_type) +
                     (other_type == 1 ? " rule for " : " rules for ") +
                     (d.ref.type == RefType::kBranch ? "tags" : "branches") + " skipped";
  }
  d.explanation += ")";
  return d;
}

std::vector<BranchRule> default_rules() {
  const std::string tmpl = "{branch}-{sha7}";
  return {
      make_rule("main", RefType::kBranch, "Production", true, tmpl, 1, 1),
      make_rule("master", RefType::kBranch, "Production", true, tmpl, 1, 2),
      make_rule("release/*", RefType::kBranch, "PreProd", true, tmpl, 1, 3),
      make_rule("staging", RefType::kBranch, "Staging", true, tmpl, 1, 4),
      make_rule("develop", RefType::kBranch, "Development", true, tmpl, 1, 5),
      make_rule("feature/*", RefType::kBranch, "Development", false, tmpl, 1, 6),
  };
}

std::vector<BranchRule> gitops_rules() {
  return {
      make_rule("develop", RefType::kBranch, "dev", true, "dev-{sha7}", 1, 1),
      make_rule("main", RefType::kBranch, "staging", true, "staging-{sha7}", 2, 2),
      make_rule("v*", RefType::kTag, "prod", true, "{tag}", 3, 3),
  };
}

std::vector<std::string_view> preset_names() { return {"default", "gitops"}; }

Result<std::vector<BranchRule>> preset_rules(std::string_view name) {
  if (name == "default") return default_rules();
  if (name == "gitops") return gitops_rules();
  return Error::not_found("unknown branch mapping preset " + in_quotes(name) +
                          " (known: 'default', 'gitops')");
}

}  // namespace opz::governance
