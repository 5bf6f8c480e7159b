#include "store/rest_catalog.h"

#include <utility>

namespace opz::store {

namespace {

// "id,progress:i,metadata:j" -> columns; suffixes :i integer, :r real,
// :b boolean, :j json, :ts timestamp; none: text.
std::vector<RestColumn> columns(std::string_view spec) {
  std::vector<RestColumn> out;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t end = spec.find(',', start);
    if (end == std::string_view::npos) end = spec.size();
    std::string_view item = spec.substr(start, end - start);
    RestColumn c;
    const size_t colon = item.find(':');
    c.name = std::string(item.substr(0, colon));
    const std::string_view t = colon == std::string_view::npos ? "" : item.substr(colon + 1);
    if (t == "i") c.type = RestType::kInteger;
    else if (t == "r") c.type = RestType::kReal;
    else if (t == "b") c.type = RestType::kBoolean;
    else if (t == "j") c.type = RestType::kJson;
    else if (t == "ts") c.type = RestType::kTimestamp;
    out.push_back(std::move(c));
    start = end + 1;
  }
  return out;
}

RestRelation rel(std::string schema, std::string name, std::string relation,
                 std::string_view spec, RowPolicy policy = RowPolicy::kSignedIn,
                 std::string owner = {}) {
  return RestRelation{std::move(schema), std::move(name), std::move(relation), columns(spec),
                      policy,           std::move(owner)};
}

RestRelation pub(std::string name, std::string_view spec, RowPolicy policy = RowPolicy::kSignedIn,
                 std::string owner = {}) {
  std::string relation = name;
  return rel("public", std::move(name), std::move(relation), spec, policy, std::move(owner));
}

std::vector<RestRelation> standard_relations() {
  using P = RowPolicy;
  return {
      // --- public: the seeds' tables (004 "Database Schema")
      pub("executions",
          "id,name,project_id,flow_template_id,pipeline:j,status,environment,branch,commit_hash,"
          "progress:i,governance_status,blocked_reason,started_by,trigger_type,"
          "parent_execution_id,rerun_checkpoint_id,cancel_reason,metadata:j,started_at:ts,"
          "completed_at:ts,created_at:ts,updated_at:ts"),
      pub("execution_nodes",
          "id,execution_id,node_id,name,type,status,attempt:i,max_attempts:i,exit_code:i,"
          "signal:i,error,outputs:j,log_bytes:i,log_truncated:b,started_at:ts,completed_at:ts,"
          "duration_ms:i,next_attempt_at:ts,created_at:ts,updated_at:ts,position:i"),
      pub("execution_logs", "id:i,execution_id,node_id,attempt:i,stream,level,message,created_at:ts"),
      pub("execution_state_events",
          "id,execution_id,node_id,old_state,new_state,reason,created_at:ts"),
      pub("flow_templates",
          "id,project_id,name,description,type,nodes:j,edges:j,created_by,created_at:ts,"
          "updated_at:ts"),
      pub("pipeline_templates",
          "id,name,description,category,flow_type,nodes:j,edges:j,popularity:i,tags:j,"
          "created_at:ts,updated_at:ts"),
      pub("approval_requests",
          "id,execution_id,node_id,environment,status,required_approvals:i,requested_by,title,"
          "description,wait_until:ts,resolved_at:ts,commit_sha,expires_at:ts,decided_at:ts,"
          "decided_by,prevent_self_approval:b,reviewers:j,pusher_user_id,notified_at:ts,"
          "created_at:ts,updated_at:ts"),
      pub("approval_votes", "id,approval_request_id,user_id,vote:b,comment,commit_sha,created_at:ts"),
      pub("environment_locks",
          "id,project_id,environment,is_locked:b,lock_reason,required_role,requires_approval:b,"
          "locked_by,locked_at:ts,unlocked_by,unlocked_at:ts,created_at:ts,updated_at:ts"),
      pub("deployments",
          "id,execution_id,node_id,project_id,environment,version,commit_sha,image_tag,"
          "artifact_id,status,strategy,phase,slot,canary_weight:i,deployed_by,deployed_at:ts,"
          "started_at:ts,completed_at:ts,rollback_of,reason,created_at:ts,updated_at:ts"),
      pub("deployment_versions",
          "id,project_id,deployment_id,environment,version_tag,commit_sha,image_tag,artifact_id,"
          "is_current:b,marked_bad:b,marked_bad_reason,created_at:ts"),
      pub("checkpoints", "id,execution_id,node_id,name,state:j,created_at:ts"),
      pub("artifacts",
          "id,name,execution_id,node_id,image_digest,image_tag,registry_url,type,size_bytes:i,"
          "metadata:j,created_at:ts"),
      // secret_sealed (the connection's sealed credential) is never listed.
      pub("connections",
          "id,type,name,status,config:j,validated:b,last_validated_at:ts,created_by,created_at:ts,"
          "updated_at:ts"),
      pub("connection_health_events",
          "id,connection_id,status,response_time_ms:i,message,created_at:ts"),
      pub("branch_mappings",
          "id,project_id,position:i,branch_pattern,ref_type,environment,is_deployable:b,"
          "image_tag_template,replicas:i,created_at:ts,updated_at:ts"),
      pub("telemetry_signals",
          "id,signal_type,execution_id,node_id,otel_trace_id,otel_span_id,duration_ms:i,"
          "status_code,severity,environment,payload:j,created_at:ts"),
      // 000 §7.3: admins read every audit log, everyone else their own.
      pub("audit_logs",
          "id,seq:i,action,resource_type,resource_id,user_id,details:j,ip_address,user_agent,"
          "prev_hash,hash,created_at:ts",
          P::kAdminOrOwner, "user_id"),
      pub("notification_events",
          "id,type,target,target_user_id,project_id,payload:j,read_at:ts,created_at:ts",
          P::kAdminOrOwner, "target_user_id"),
      pub("projects",
          "id,organization_id,name,slug,description,github_repo_url,git_url,"
          "poll_interval_seconds:i,default_branch,runtime_version,created_by,created_at:ts,"
          "updated_at:ts"),
      pub("organizations", "id,name,slug,owner_id,created_at:ts,updated_at:ts"),
      pub("organization_members", "id,organization_id,user_id,role,created_at:ts"),
      pub("environments",
          "id,name,position:i,requires_approval:b,required_approvals:i,lock_default:b,"
          "allowed_roles:j,auto_deploy:b,wait_timer_seconds:i,deployment_branches:j,"
          "created_at:ts,updated_at:ts"),
      pub("project_environments",
          "id,project_id,name,position:i,requires_approval:b,required_approvals:i,required_role,"
          "reviewers:j,prevent_self_approval:b,wait_timer_seconds:i,restrict_refs:b,"
          "allowed_branches:j,allowed_tags:j,auto_deploy:b,approval_expiry_seconds:i,queue_mode,"
          "created_at:ts,updated_at:ts"),
      pub("freeze_windows",
          "id,project_id,environment,kind,start_local,end_local,weekdays:j,start_time,end_time,"
          "cron,duration_seconds:i,timezone,reason,created_by,created_at:ts"),
      pub("emergency_stops",
          "id,reason,mode,activated_by,activated_at:ts,lifted_by,lifted_at:ts"),
      // password_hash is never listed; people read their own profile and role,
      // admins everyone's (Opzenix's users.read is admin-only).
      pub("profiles", "id,email,full_name,avatar_url,created_at:ts,updated_at:ts",
          P::kAdminOrOwner, "id"),
      pub("user_roles", "id,user_id,role,created_at:ts", P::kAdminOrOwner, "user_id"),
      pub("dashboard_layouts", "id,user_id,name,layout:j,is_default:b,created_at:ts,updated_at:ts",
          P::kAdminOrOwner, "user_id"),
      // --- registry / ops: seed 003's schemas (migrations 017, 018)
      rel("registry", "orgs", "registry_orgs", "id,name,slug,created_at:ts"),
      rel("ops", "projects", "ops_projects",
          "id,org_id,name,slug,repo_url,runtime_version,created_at:ts,updated_at:ts"),
      rel("ops", "branches", "ops_branches", "id,project_id,name,stage,is_production:b,created_at:ts"),
      rel("ops", "builds", "ops_builds",
          "id,project_id,branch_id,status,trigger,commit_sha,execution_id,created_at:ts,"
          "started_at:ts,finished_at:ts"),
      rel("ops", "run_queue", "ops_run_queue",
          "id,project_id,branch,commit_sha,trigger,status,execution_id,error,requested_by,"
          "created_at:ts,dispatched_at:ts"),
      rel("ops", "metrics", "ops_metrics", "id:i,project_id,metric,value:r,ts:ts,created_at:ts"),
      rel("ops", "advisories", "ops_advisories",
          "id,project_id,rule,severity,title,message,observed:r,threshold:r,status,created_at:ts,"
          "updated_at:ts,resolved_at:ts"),
  };
}

}  // namespace

const RestColumn* RestRelation::find_column(std::string_view column) const {
  for (const RestColumn& c : columns)
    if (c.name == column) return &c;
  return nullptr;
}

RowScope RowScope::for_caller(const RestRelation& relation, std::string_view user_id,
                              bool is_admin) {
  RowScope s;
  if (is_admin || relation.policy == RowPolicy::kSignedIn) {
    s.kind = Kind::kAll;
  } else if (relation.policy == RowPolicy::kAdminOrOwner && !user_id.empty()) {
    s.kind = Kind::kOwned;
    s.owner_column = relation.owner_column;
    s.user_id = std::string(user_id);
  }
  return s;
}

const RestCatalog& RestCatalog::standard() {
  static const RestCatalog kCatalog(standard_relations());
  return kCatalog;
}

RestCatalog::RestCatalog(std::vector<RestRelation> relations) : relations_(std::move(relations)) {}

const RestRelation* RestCatalog::find(std::string_view schema, std::string_view name) const {
  for (const RestRelation& r : relations_)
    if (r.schema == schema && r.name == name) return &r;
  return nullptr;
}

bool RestCatalog::has_schema(std::string_view schema) const {
  for (const RestRelation& r : relations_)
    if (r.schema == schema) return true;
  return false;
}

}  // namespace opz::store
