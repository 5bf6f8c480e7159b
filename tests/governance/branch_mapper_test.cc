#include "governance/branch_mapper.h"

#include <gtest/gtest.h>

#include <string>

namespace opz::governance {
namespace {

constexpr std::string_view kSha = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";

TEST(ParseGitRef, SplitsHeadsTagsAndBareNames) {
  GitRef b = parse_git_ref("refs/heads/release/1.4");
  EXPECT_EQ(b.type, RefType::kBranch);
  EXPECT_EQ(b.short_name, "release/1.4");
  EXPECT_EQ(b.full, "refs/heads/release/1.4");

  GitRef t = parse_git_ref("refs/tags/v1.2.3");
  EXPECT_EQ(t.type, RefType::kTag);
  EXPECT_EQ(t.short_name, "v1.2.3");

  GitRef bare = parse_git_ref("develop");
  EXPECT_EQ(bare.type, RefType::kBranch);
  EXPECT_EQ(bare.short_name, "develop");
  EXPECT_EQ(bare.full, "refs/heads/develop");
}

TEST(ParseGitRef, OtherNamespacesAndEmptyNamesAreOther) {
  EXPECT_EQ(parse_git_ref("refs/pull/12/head").type, RefType::kOther);
  EXPECT_EQ(parse_git_ref("refs/notes/commits").type, RefType::kOther);
  EXPECT_EQ(parse_git_ref("refs/heads/").type, RefType::kOther);
  EXPECT_EQ(parse_git_ref("").type, RefType::kOther);
}

TEST(RefTypeNames, RoundTripBranchAndTag) {
  EXPECT_EQ(ref_type_name(RefType::kBranch), "branch");
  EXPECT_EQ(ref_type_name(RefType::kTag), "tag");
  EXPECT_EQ(*parse_ref_type("tag"), RefType::kTag);
  EXPECT_EQ(*parse_ref_type("branch"), RefType::kBranch);
  auto bad = parse_ref_type("Branch");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "ref_type");
}

TEST(BranchMapperDefaults, MapsSeedBranchesToEnvironments) {
  BranchMapper mapper(default_rules());
  struct Case {
    const char* ref;
    const char* env;
    int index;
    bool deployable;
  } cases[] = {
      {"refs/heads/main", "Production", 0, true},
      {"refs/heads/master", "Production", 1, true},
      {"refs/heads/release/1.4", "PreProd", 2, true},
      {"refs/heads/staging", "Staging", 3, true},
      {"develop", "Development", 4, true},
      {"refs/heads/feature/login", "Development", 5, false},
  };
  for (const auto& c : cases) {
    MappingDecision d = mapper.resolve(c.ref);
    ASSERT_TRUE(d.matched) << c.ref << ": " << d.explanation;
    EXPECT_EQ(d.rule.environment, c.env) << c.ref;
    EXPECT_EQ(d.rule_index, c.index) << c.ref;
    EXPECT_EQ(d.deployable(), c.deployable) << c.ref;
  }
}

TEST(BranchMapperDefaults, ExplainsAMatch) {
  BranchMapper mapper(default_rules());
  MappingDecision d = mapper.resolve("refs/heads/release/1.4");
  EXPECT_EQ(d.explanation,
            "refs/heads/release/1.4 matched rule #3 'release/*' (branch) -> PreProd");
  EXPECT_EQ(d.ref.short_name, "release/1.4");
  EXPECT_EQ(d.ref.type, RefType::kBranch);
  EXPECT_EQ(d.rule.pattern, "release/*");
  EXPECT_EQ(d.rule.replicas, 1);

  MappingDecision f = mapper.resolve("feature/x");
  EXPECT_EQ(f.explanation,
            "refs/heads/feature/x matched rule #6 'feature/*' (branch) -> Development "
            "(not deployable: CI only)");
}

TEST(BranchMapperDefaults, ExplainsANonMatchListingEveryCheckedRule) {
  BranchMapper mapper(default_rules());
  MappingDecision d = mapper.resolve("refs/heads/foo");
  EXPECT_FALSE(d.matched);
  EXPECT_FALSE(d.deployable());
  EXPECT_EQ(d.rule_index, -1);
  EXPECT_EQ(d.explanation,
            "no rule matches branch 'foo' (checked 6 rules: 'main', 'master', 'release/*', "
            "'staging', 'develop', 'feature/*')");
}

TEST(BranchMapperDefaults, SingleStarDoesNotCrossSlashes) {
  BranchMapper mapper(default_rules());
  EXPECT_FALSE(mapper.resolve("refs/heads/feature/a/b").matched);
  EXPECT_FALSE(mapper.resolve("refs/heads/release/1.4/hotfix").matched);
  EXPECT_FALSE(mapper.resolve("refs/heads/mainline").matched);
}

TEST(BranchMapperDefaults, TagsNeverMatchBranchRules) {
  BranchMapper mapper(default_rules());
  MappingDecision d = mapper.resolve("refs/tags/main");
  EXPECT_FALSE(d.matched);
  EXPECT_EQ(d.ref.type, RefType::kTag);
  EXPECT_EQ(d.explanation,
            "no rule matches tag 'main' (no tag rules configured; 6 rules for branches skipped)");
}

TEST(BranchMapper, FirstMatchingRuleWins) {
  std::vector<BranchRule> rules = default_rules();
  BranchRule hotfix;
  hotfix.pattern = "release/**";
  hotfix.environment = "Hotfix";
  rules.insert(rules.begin(), hotfix);
  BranchMapper mapper(rules);
  MappingDecision d = mapper.resolve("refs/heads/release/1.4");
  EXPECT_EQ(d.rule.environment, "Hotfix");
  EXPECT_EQ(d.rule_index, 0);
  EXPECT_EQ(d.explanation,
            "refs/heads/release/1.4 matched rule #1 'release/**' (branch) -> Hotfix");
  EXPECT_EQ(mapper.resolve("refs/heads/release/1.4/x").rule.environment, "Hotfix");
}

TEST(BranchMapper, RefsOutsideHeadsAndTagsNeverMatch) {
  BranchRule any;
  any.pattern = "**";
  any.environment = "Everything";
  BranchMapper mapper({any});
  MappingDecision d = mapper.resolve("refs/pull/7/head");
  EXPECT_FALSE(d.matched);
  EXPECT_EQ(d.ref.type, RefType::kOther);
  EXPECT_EQ(d.explanation,
            "ref 'refs/pull/7/head' is neither a branch (refs/heads/...) nor a tag "
            "(refs/tags/...); no rule applies");
  EXPECT_TRUE(mapper.resolve("refs/heads/x/y").matched);
}

TEST(BranchMapper, InvalidPatternsNeverMatchAndAreFlagged) {
  BranchRule broken;
  broken.pattern = "release/[0-9";
  broken.environment = "PreProd";
  BranchRule one;
  one.pattern = "one";
  one.environment = "One";
  BranchMapper mapper({broken, one});
  MappingDecision d = mapper.resolve("release/[0-9");
  EXPECT_FALSE(d.matched);
  EXPECT_EQ(d.explanation,
            "no rule matches branch 'release/[0-9' (checked 2 rules: 'release/[0-9' (invalid "
            "pattern), 'one')");
  EXPECT_TRUE(mapper.resolve("one").matched);
}

TEST(BranchMapper, EmptyRuleListExplainsItself) {
  BranchMapper mapper({});
  EXPECT_EQ(mapper.resolve("main").explanation,
            "no rule matches branch 'main' (no branch rules configured)");
}

TEST(GitopsPreset, MapsSeed001BranchesAndTags) {
  BranchMapper mapper(gitops_rules());
  MappingDecision dev = mapper.resolve("refs/heads/develop");
  ASSERT_TRUE(dev.matched);
  EXPECT_EQ(dev.rule.environment, "dev");
  EXPECT_EQ(dev.rule.replicas, 1);
  EXPECT_EQ(*dev.render_image_tag(kSha), "dev-a1b2c3d");

  MappingDecision staging = mapper.resolve("refs/heads/main");
  EXPECT_EQ(staging.rule.environment, "staging");
  EXPECT_EQ(staging.rule.replicas, 2);
  EXPECT_EQ(*staging.render_image_tag(kSha), "staging-a1b2c3d");

  MappingDecision prod = mapper.resolve("refs/tags/v1.2.3");
  ASSERT_TRUE(prod.matched);
  EXPECT_EQ(prod.rule.environment, "prod");
  EXPECT_EQ(prod.rule.replicas, 3);
  EXPECT_EQ(*prod.render_image_tag(kSha), "v1.2.3");
  EXPECT_EQ(prod.explanation, "refs/tags/v1.2.3 matched rule #3 'v*' (tag) -> prod");

  EXPECT_FALSE(mapper.resolve("refs/tags/release-1").matched);
  EXPECT_FALSE(mapper.resolve("refs/heads/v2").matched);  // a branch named v2 is not a tag
  EXPECT_FALSE(mapper.resolve("refs/heads/feature/x").matched);
}

TEST(Presets, LookUpByName) {
  EXPECT_EQ(preset_rules("default")->size(), 6u);
  EXPECT_EQ(preset_rules("gitops")->size(), 3u);
  auto missing = preset_rules("nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("'gitops'"), std::string::npos);
  EXPECT_EQ(preset_names().size(), 2u);
  for (auto name : preset_names()) {
    auto rules = preset_rules(name);
    ASSERT_TRUE(rules.ok()) << name;
    for (const auto& rule : *rules) {
      EXPECT_TRUE(validate_rule(rule).ok()) << name << " " << rule.pattern;
    }
  }
}

TEST(RenderImageTag, ExpandsEveryPlaceholder) {
  GitRef branch = parse_git_ref("refs/heads/release/1.4");
  EXPECT_EQ(*render_image_tag("{branch}-{sha7}", branch, kSha), "release-1.4-a1b2c3d");
  EXPECT_EQ(*render_image_tag("{sha}", branch, kSha), std::string(kSha));
  EXPECT_EQ(*render_image_tag("{short_ref}_{sha7}", branch, kSha), "release-1.4_a1b2c3d");
  EXPECT_EQ(*render_image_tag("build-{tag}", branch, kSha, "v9"), "build-v9");
  GitRef tag = parse_git_ref("refs/tags/v1.0.0");
  EXPECT_EQ(*render_image_tag("{tag}", tag, ""), "v1.0.0");
  EXPECT_EQ(*render_image_tag("static", tag, ""), "static");
  EXPECT_EQ(*render_image_tag("{sha7}", branch, "abc"), "abc");  // shorter sha kept whole
}

TEST(RenderImageTag, ReplacesCharactersDockerRejects) {
  GitRef odd = parse_git_ref("refs/heads/user@x/fix+1");
  EXPECT_EQ(*render_image_tag("{branch}", odd, kSha), "user-x-fix-1");
}

TEST(RenderImageTag, RejectsBadTemplatesAndMissingInputs) {
  GitRef branch = parse_git_ref("main");
  GitRef tag = parse_git_ref("refs/tags/v1");
  auto expect_error = [](const Result<std::string>& r, std::string_view part) {
    ASSERT_FALSE(r.ok()) << "expected error containing " << part;
    EXPECT_EQ(r.error().code, ErrorCode::kValidation);
    EXPECT_EQ(r.error().field, "image_tag_template");
    EXPECT_NE(r.error().message.find(part), std::string::npos) << r.error().message;
  };
  expect_error(render_image_tag("{nope}", branch, kSha), "unknown placeholder {nope}");
  expect_error(render_image_tag("x-{sha7", branch, kSha), "unbalanced '{' at position 3");
  expect_error(render_image_tag("x}", branch, kSha), "unbalanced '}' at position 2");
  expect_error(render_image_tag("{sha7}", branch, ""), "{sha7} needs a commit sha");
  expect_error(render_image_tag("{tag}", branch, kSha), "{tag} used for branch 'main'");
  expect_error(render_image_tag("{branch}", tag, kSha), "{branch} used for tag 'v1'");
  expect_error(render_image_tag("", branch, kSha), "must be 1-128 characters");
  expect_error(render_image_tag(std::string(129, 'a'), branch, kSha), "1-128 characters");
  expect_error(render_image_tag("a b", branch, kSha), "outside [A-Za-z0-9_.-]");
  expect_error(render_image_tag("-{sha7}", branch, kSha), "cannot start with '.' or '-'");
}

TEST(MappingDecisionImageTag, FailsWhenUnmatchedOrNoTemplate) {
  BranchMapper mapper(default_rules());
  auto unmatched = mapper.resolve("foo").render_image_tag(kSha);
  ASSERT_FALSE(unmatched.ok());
  EXPECT_NE(unmatched.error().message.find("no rule matches branch 'foo'"), std::string::npos);

  BranchRule bare;
  bare.pattern = "main";
  bare.environment = "Production";
  auto no_template = BranchMapper({bare}).resolve("main").render_image_tag(kSha);
  ASSERT_FALSE(no_template.ok());
  EXPECT_EQ(no_template.error().message, "rule 'main' has no image tag template");

  EXPECT_EQ(*BranchMapper(default_rules()).resolve("release/2.0").render_image_tag(kSha),
            "release-2.0-a1b2c3d");
}

TEST(ValidateRule, NamesTheOffendingField) {
  BranchRule ok_rule;
  ok_rule.pattern = "release/*";
  ok_rule.environment = "PreProd";
  ok_rule.image_tag_template = "{branch}-{sha7}";
  EXPECT_TRUE(validate_rule(ok_rule).ok());

  auto field_of = [](BranchRule r) {
    Status s = validate_rule(r);
    return s.ok() ? std::string("ok") : s.error().field;
  };
  BranchRule r = ok_rule;
  r.pattern = "";
  EXPECT_EQ(field_of(r), "pattern");
  r = ok_rule;
  r.pattern = "[x";
  EXPECT_EQ(field_of(r), "pattern");
  r = ok_rule;
  r.environment = "";
  EXPECT_EQ(field_of(r), "environment");
  r = ok_rule;
  r.replicas = -1;
  EXPECT_EQ(field_of(r), "replicas");
  r = ok_rule;
  r.ref_type = RefType::kOther;
  EXPECT_EQ(field_of(r), "ref_type");
  r = ok_rule;
  r.image_tag_template = "{bogus}";
  EXPECT_EQ(field_of(r), "image_tag_template");
  r = ok_rule;
  r.image_tag_template = "{tag}";  // a branch rule can never render {tag}
  EXPECT_EQ(field_of(r), "image_tag_template");
  r = ok_rule;
  r.ref_type = RefType::kTag;
  r.image_tag_template = "{tag}";
  EXPECT_EQ(field_of(r), "ok");
}

}  // namespace
}  // namespace opz::governance
