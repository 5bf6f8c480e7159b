// ApiContext: the services API handlers use, passed down as a plain struct
// (no singletons). Owned by app::ServerApp, which outlives the HTTP server.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "api/response_cache.h"
#include "auth/authenticator.h"
#include "core/clock.h"
#include "core/json.h"
#include "store/database.h"
#include "store/execution_history_store.h"
#include "store/execution_store.h"
#include "store/flow_template_store.h"
#include "store/project_store.h"
#include "store/user_store.h"

namespace opz::telemetry {
class MetricsRegistry;
}
namespace opz::engine {
class Engine;
class DeploymentControl;
}
namespace opz::audit {
class AuditLog;
}
namespace opz::trigger {
class TriggerService;
class Admission;
class RunQueueRunner;
}
namespace opz::realtime {
class EventHub;
}
namespace opz::secrets {
class MasterKeys;
}
namespace opz::net {
class OutboundGuard;
}
namespace opz::agent {
class AgentService;
}

namespace opz::api {

struct ApiContext {
  store::Database& db;
  const Clock& clock;
  store::UserStore& users;
  store::ProjectStore& projects;
  auth::Authenticator& authenticator;
  audit::AuditLog& audit;
  telemetry::MetricsRegistry& metrics;
  engine::Engine* engine = nullptr;  // null in tests of the non-engine routes
  std::string version;
  // Public settings for GET /api/v1/config (secrets already masked).
  std::function<Json()> config_view;
  // Execution history and templates (null in tests of the non-engine routes).
  store::ExecutionStore* executions = nullptr;
  store::ExecutionHistoryStore* history = nullptr;
  store::FlowTemplateStore* flow_templates = nullptr;
  // Webhooks, GitHub integrations, branch mappings (null: those routes answer 503).
  trigger::TriggerService* triggers = nullptr;
  // The one admission path: told when governance state changes (null in
  // tests of routes that need none; then nothing is re-evaluated).
  trigger::Admission* admission = nullptr;
  // Answers of routes registered with EndpointOptions::cached (null: no caching).
  ResponseCache* responses = nullptr;
  // Running deployments (canary continue / abort); null: those routes answer 503.
  engine::DeploymentControl* deployments = nullptr;
  // The realtime event stream (GET /api/v1/events); null: that route answers 503.
  realtime::EventHub* events = nullptr;
  // The master key ring of stored secrets (issue 12); null: storing a secret
  // answers 503 saying how to create a key.
  secrets::MasterKeys* master_keys = nullptr;
  // The outbound guard (SSRF): URLs the server will call are checked when they
  // are saved (422 naming the field). Null: not checked (tests of other routes).
  const net::OutboundGuard* outbound = nullptr;
  // The server's data directory: the engine's git mirrors live under it
  // (engine::mirror_dir). Empty: no mirrors (the approval changes list says so).
  std::string data_dir = {};
  // The seeds' ops functions (issue 13, ops_functions_api.cc): the shared
  // tokens of POST /functions/v1/ops-metrics-ingest and ops-advisory-scan
  // (empty: 503 saying how to set one) and how far a sample's ts may lie
  // ahead of / behind the clock.
  std::string ops_ingest_token = {};
  std::string ops_advisory_scan_token = {};
  std::chrono::seconds ops_ingest_max_future{3600};
  std::chrono::seconds ops_ingest_max_past{7 * 24 * 3600};
  // The OTLP receiver's body limit, as sent and once inflated (otlp-max-body).
  uint64_t otlp_max_body = 8ull << 20;
  // The most rows one /rest/v1 read or RPC answers (db-max-rows, docs/rest.md).
  int64_t db_max_rows = 1000;
  // The build queue's runner (seed 003's ops.run_queue; ops_backend_api.cc),
  // woken after POST /functions/v1/ops-trigger-build queues a build. Null:
  // builds stay queued until a runner drains them (tests of the routes).
  trigger::RunQueueRunner* build_runner = nullptr;
  // The optional OpenAI-compatible endpoint of /functions/v1/ai-insights and
  // explain-config (insights_api.cc, api/ai_chat.h); "" = not configured.
  std::string ai_endpoint = {};
  std::string ai_model = {};
  std::string ai_api_key = {};
  std::chrono::seconds ai_timeout{30};
  // Remote agents (issue 14, agent_api.cc); null: the agent routes answer 503.
  agent::AgentService* agents = nullptr;
};

}  // namespace opz::api
