#include "engine/step_variables.h"

#include "engine/ci_only.h"
#include "secrets/secret_cipher.h"

namespace opz::engine {

namespace {

int scope_rank(const std::string& scope) {
  if (scope == "environment") return 2;
  if (scope == "project") return 1;
  return 0;
}

}  // namespace

bool environment_secrets_allowed(const store::ExecutionRecord& e, const std::string& tag,
                                 const std::string& node_environment) {
  if (e.project_id.empty() || node_environment.empty() || node_environment != e.environment)
    return false;
  if (e.governance_status != "allowed" || is_ci_only(e.metadata)) return false;
  if (!e.metadata.is_object() || !e.metadata.contains("governance_request")) return false;
  const Json& r = e.metadata["governance_request"];
  if (!r.is_object()) return false;
  auto text = [&](const char* key) {
    return r.contains(key) && r[key].is_string() ? r[key].get<std::string>() : std::string();
  };
  if (text("project_id") != e.project_id || text("environment") != e.environment) return false;
  if (r.contains("ci_only") && r["ci_only"].is_boolean() && r["ci_only"].get<bool>()) return false;
  const std::string kind = text("ref_kind");
  if (!tag.empty()) return kind == "tag" && text("ref_name") == tag;
  if (kind == "branch") return text("ref_name") == e.branch;
  return kind == "none";
}

Result<StepVariables> StepVariableLoader::load(const StepVariableRequest& request) {
  StepVariables out;
  if (request.project_id.empty()) return out;
  // Configuration is not secret: every node of the environment gets it.
  if (!request.environment.empty()) {
    auto config = configs_.get(request.project_id, request.environment);
    if (config) {
      out.config = std::move(config->variables);
    } else if (!config.error().is_not_found()) {
      return config.error();
    }
  }
  const std::string environment = request.environment_scoped ? request.environment : "";
  OPZ_TRY(std::vector<store::SecretRecord> rows,
          secrets_.for_injection(request.project_id, environment));
  if (rows.empty()) return out;
  auto ring = keys_.ring();
  if (!ring)
    return Error::unavailable("the project's secrets cannot be decrypted: " +
                              ring.error().message);
  std::map<std::string, int> rank;
  for (const store::SecretRecord& row : rows) {
    const int r = scope_rank(row.scope);
    auto it = rank.find(row.name);
    if (it != rank.end() && it->second >= r) continue;
    const secrets::SecretAddress address{row.id, row.project_id, row.environment_id, row.name};
    const secrets::SealedSecret sealed{row.sealed.key_id, row.sealed.nonce, row.sealed.ciphertext};
    auto value = secrets::open_secret(**ring, address, sealed);
    if (!value)
      return Error{value.error().code, row.scope + " " + value.error().message, {}};
    rank[row.name] = r;
    out.secrets[row.name] = std::move(*value);
  }
  return out;
}

}  // namespace opz::engine
