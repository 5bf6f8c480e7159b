#include "trigger/trigger_plan.h"

namespace opz::trigger {

namespace {

constexpr const char* kPullRequestEnvironment = "Development";

std::string key_for(const TriggerFacts& f, const governance::GitRef& ref, const TriggerContext& c) {
  if (!c.replay_of.empty()) return "replay:" + c.delivery_id;
  if (c.source == "git_poll") return "poll:" + c.project_id + ":" + f.ref + ":" + f.sha;
  if (f.pull_request == 0 && ref.type == governance::RefType::kTag)
    return "tag:" + c.project_id + ":" + ref.short_name;
  return "delivery:" + c.delivery_id;
}

// Only configured URLs: a payload's clone_url is never fetched.
Json mapping_json(const governance::MappingDecision& m) {
  Json j = {{"matched", m.matched}, {"explanation", m.explanation}};
  if (m.matched) {
    j["rule_index"] = m.rule_index;
    j["pattern"] = m.rule.pattern;
    j["ref_type"] = std::string(governance::ref_type_name(m.rule.ref_type));
    j["environment"] = m.rule.environment;
  }
  return j;
}

}  // namespace

bool looks_like_sha(std::string_view text) {
  if (text.size() != 40) return false;
  for (char c : text) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

std::optional<std::string> refused_by_rules(const TriggerFacts& f,
                                            const governance::MappingDecision& mapping) {
  if (!looks_like_sha(f.sha))
    return "no commit to build for " + f.ref + " (got '" + f.sha.substr(0, 64) + "')";
  if (f.pull_request == 0 && !mapping.matched) return mapping.explanation;
  return std::nullopt;
}

TriggerPlan plan_trigger(const TriggerFacts& f, const governance::BranchMapper& mapper,
                         const TriggerContext& c) {
  TriggerPlan plan;
  plan.mapping = mapper.resolve(f.ref);
  const governance::GitRef& ref = plan.mapping.ref;
  const bool pull_request = f.pull_request > 0;
  if (auto refused = refused_by_rules(f, plan.mapping)) {
    plan.reason = std::move(*refused);
    return plan;
  }
  std::string environment;
  if (pull_request) {
    plan.ci_only = true;
    environment = plan.mapping.matched ? plan.mapping.rule.environment : kPullRequestEnvironment;
    plan.reason = "pull request #" + std::to_string(f.pull_request) +
                  ": CI only, pull requests never deploy (" + plan.mapping.explanation + ")";
  } else {
    plan.ci_only = !plan.mapping.rule.deployable;
    environment = plan.mapping.rule.environment;
    plan.reason = plan.mapping.explanation;
  }
  const std::string url = c.checkout_url();
  if (url.empty()) {
    plan.reason = "project has neither a git_url nor a GitHub repository to check out";
    return plan;
  }

  plan.kind = PlanKind::kStart;
  plan.trigger_key = key_for(f, ref, c);
  const std::string sha7 = f.sha.substr(0, 7);
  engine::NewExecution& e = plan.execution;
  e.name = pull_request ? "CI " + sha7 + " (PR #" + std::to_string(f.pull_request) + ")"
                        : "Deploy " + sha7;
  e.project_id = c.project_id;
  e.pipeline_from_repository = true;
  e.environment = environment;
  if (ref.type == governance::RefType::kBranch) e.branch = ref.short_name;
  if (ref.type == governance::RefType::kTag) e.tag = ref.short_name;
  e.commit_sha = f.sha;
  e.started_by = !f.actor.empty()               ? f.actor
                 : !c.integration_actor.empty() ? c.integration_actor
                                                : "github";
  e.trigger_type = c.replay_of.empty() ? f.trigger_type : "replay";
  e.workspace.kind = engine::WorkspaceSource::Kind::kGit;
  e.workspace.git_url = url;

  governance::ExecutionRequest& g = plan.request;
  g.project_id = c.project_id;
  g.environment = environment;
  g.ref_kind = ref.type == governance::RefType::kTag      ? governance::RefKind::kTag
               : ref.type == governance::RefType::kBranch ? governance::RefKind::kBranch
                                                          : governance::RefKind::kNone;
  g.ref_name = g.ref_kind == governance::RefKind::kNone ? std::string() : ref.short_name;
  g.commit_sha = f.sha;
  g.trigger =
      c.source == "git_poll" ? governance::TriggerKind::kPoll : governance::TriggerKind::kWebhook;
  g.requested_by = e.started_by;
  g.delivery_id = c.delivery_id;
  g.trigger_key = plan.trigger_key;
  g.ci_only = plan.ci_only;

  Json& m = e.metadata;
  m = f.details.is_object() ? f.details : Json::object();
  m["source"] = c.source;
  m["event"] = f.event;
  m["ref"] = f.ref;
  m["trigger_key"] = plan.trigger_key;
  m["ci_only"] = plan.ci_only;
  m["deployable"] = plan.mapping.deployable() && !pull_request;
  m["mapping"] = mapping_json(plan.mapping);
  if (plan.mapping.matched) {
    m["replicas"] = plan.mapping.rule.replicas;
    m["image_tag_template"] = plan.mapping.rule.image_tag_template;
    auto tag = plan.mapping.render_image_tag(f.sha);
    if (tag) {
      m["image_tag"] = *tag;
    } else {
      m["image_tag"] = nullptr;
      m["image_tag_error"] = tag.error().message;
    }
  } else {
    m["replicas"] = 0;
    m["image_tag"] = nullptr;
  }
  if (!c.delivery_id.empty()) {
    m["delivery_id"] = c.delivery_id;
    m["delivery_guid"] = c.delivery_guid;
  }
  if (!c.replay_of.empty()) m["replay_of"] = c.replay_of;
  if (!c.repository_owner.empty()) {
    m["github"] = {{"owner", c.repository_owner},
                   {"repo", c.repository_name},
                   {"full_name", c.repository_owner + "/" + c.repository_name}};
  }
  return plan;
}

Result<TriggerFacts> facts_from_event(const github::WebhookEvent& event,
                                      const github::TriggerDecision& decision,
                                      const std::string& tag_sha) {
  TriggerFacts f;
  f.event = event.event_name;
  if (!event.sender_login.empty()) f.actor = "github:" + event.sender_login;
  f.ref = decision.ref;
  f.sha = decision.sha;
  f.details["sender"] = event.sender_login;
  if (const auto* push = event.push()) {
    f.trigger_type = push->ref_type == governance::RefType::kTag ? "tag" : "push";
    f.details["push"] = {{"before", push->before},
                         {"forced", push->forced},
                         {"commits", push->commit_count},
                         {"compare", push->compare_url}};
    if (push->head_commit) f.details["commit_message"] = push->head_commit->message.substr(0, 500);
    // When the change was made: DORA's lead time runs from here to production.
    if (push->head_commit && !push->head_commit->timestamp.empty())
      f.details["commit_timestamp"] = push->head_commit->timestamp;
  } else if (const auto* pr = event.pull_request()) {
    f.trigger_type = "pull_request";
    f.pull_request = pr->number;
    f.ref = "refs/heads/" + pr->head_ref;
    f.sha = pr->head_sha;
    f.details["pull_request"] = {
        {"number", pr->number},     {"action", pr->action},     {"title", pr->title.substr(0, 500)},
        {"head_ref", pr->head_ref}, {"base_ref", pr->base_ref}, {"html_url", pr->html_url}};
  } else if (const auto* create = event.create()) {
    f.trigger_type = "tag";
    f.sha = tag_sha;
    f.details["create"] = {{"ref", create->ref}};
  } else if (const auto* release = event.release()) {
    f.trigger_type = "release";
    f.sha = tag_sha;
    f.details["release"] = {{"tag_name", release->tag_name},
                            {"name", release->name.substr(0, 500)},
                            {"prerelease", release->prerelease},
                            {"html_url", release->html_url}};
  } else {
    return Error::validation("event '" + event.event_name + "' does not start executions", "event");
  }
  if (!looks_like_sha(f.sha)) return Error::validation("no commit sha known for " + f.ref, "sha");
  return f;
}

}  // namespace opz::trigger
