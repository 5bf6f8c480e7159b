#include "app/server_app.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

#include "api/api_context.h"
#include "api/ops_build_request.h"
#include "api/routes.h"
#include "api/scheduled_checks.h"
#include "app/background_checks.h"
#include "app/data_dir.h"
#include "app/logging.h"
#include "app/trace_exporter.h"
#include "app/version.h"
#include "audit/audit_log.h"
#include "auth/authenticator.h"
#include "core/memory_release.h"
#include "deploy/deploy_loop.h"
#include "deploy/http_prober.h"
#include "engine/deploy_node_handler.h"
#include "engine/engine.h"
#include "engine/event_bus.h"
#include "realtime/event_hub.h"
#include "store/event_log_store.h"
#include "engine/sql_execution_journal.h"
#include "engine/sql_execution_ownership.h"
#include "engine/step_variables.h"
#include "runner/local_runner.h"
#include "store/deployment_store.h"
#include "store/execution_history_store.h"
#include "store/execution_store.h"
#include "store/flow_template_store.h"
#include "agent/agent_service.h"
#include "agent/routing_runner.h"
#include "http/router.h"
#include "http/server.h"
#include "http/static_site.h"
#include "net/outbound_guard.h"
#include "store/agent_store.h"
#include "store/project_store.h"
#include "store/user_store.h"
#include "secrets/master_keys.h"
#include "secrets/secret_box.h"
#include "trigger/admission_service.h"
#include "trigger/deployment_notifications.h"
#include "trigger/execution_notifications.h"
#include "trigger/notifier.h"
#include "trigger/run_queue_runner.h"
#include "trigger/store_governance_facts.h"
#include "trigger/trigger_service.h"
#include "telemetry/build_info.h"
#include "telemetry/metrics.h"

namespace opz::app {

struct ServerApp::Impl {
  ServerConfig config;
  std::shared_ptr<spdlog::logger> log = component_logger("app");
  DataDir data;
  std::unique_ptr<store::UserStore> users;
  std::unique_ptr<store::ProjectStore> projects;
  std::unique_ptr<auth::Authenticator> authenticator;
  std::unique_ptr<audit::AuditLog> audit;
  std::unique_ptr<store::ExecutionStore> executions;
  std::unique_ptr<store::ExecutionHistoryStore> history;
  std::unique_ptr<store::FlowTemplateStore> flow_templates;
  telemetry::MetricsRegistry metrics;
  std::unique_ptr<runner::LocalRunner> runner;
  // Remote agents (issue 14): runs_on steps go through the routing runner to
  // the agent job queue; the rest to the LocalRunner. Stopped after the engine.
  std::unique_ptr<store::AgentStore> agent_store;
  std::unique_ptr<agent::AgentService> agents;
  std::unique_ptr<agent::RoutingRunner> routing_runner;
  std::unique_ptr<engine::EventBus> bus;
  std::unique_ptr<engine::SqlExecutionJournal> journal;
  // Several servers on one database (docs/postgres.md "Several servers"):
  // this server's lease, the executions it owns, takeover, forwarded
  // commands; also who leads the cluster-wide scheduled work.
  std::unique_ptr<engine::SqlExecutionOwnership> ownership;
  std::unique_ptr<LeaderGate> leader;
  // Secrets and environment configuration (issue 12): decrypted for each node
  // at its start by the engine's thread, so declared before the engine.
  std::unique_ptr<secrets::MasterKeys> master_keys;
  std::unique_ptr<store::SecretStore> secret_store;
  std::unique_ptr<store::EnvironmentConfigStore> environment_configs;
  std::unique_ptr<engine::StepVariableLoader> step_variables;
  std::unique_ptr<engine::Engine> engine;
  // Deploy nodes: strategies run on the deploy loop's thread; the handler is
  // also the API's DeploymentControl (canary continue / abort).
  std::unique_ptr<store::DeploymentStore> deployments;
  std::unique_ptr<deploy::DeployLoop> deploy_loop;
  std::unique_ptr<deploy::HttpProber> prober;
  // Every URL called on a user's behalf goes through it (docs/security.md).
  std::unique_ptr<net::OutboundGuard> outbound;
  std::shared_ptr<engine::DeployNodeHandler> deploy_handler;
  // Webhooks, git polling, commit statuses, github_workflow nodes. Declared
  // after the engine so that it stops (and is destroyed) first.
  std::optional<secrets::SecretBox> secret_box;
  // The one admission path (governance) over the engine, and notifications.
  std::unique_ptr<trigger::EngineExecutions> engine_executions;
  std::unique_ptr<trigger::StoreGovernanceFacts> governance_facts;
  std::unique_ptr<trigger::AdmissionService> admission;
  std::unique_ptr<trigger::Notifier> notifier;
  // Execution outcomes -> the starter and the project's webhooks; approval
  // expiry. Subscribed to the bus before the engine starts (recovered
  // executions that end are announced too), stopped before the engine.
  std::unique_ptr<trigger::ExecutionNotifications> execution_notifications;
  // Finished executions as OTLP traces (otlp-export-endpoint; null when
  // unset): subscribed before the engine starts, stopped after it.
  std::unique_ptr<TraceExporter> trace_exporter;
  std::unique_ptr<trigger::TriggerService> triggers;
  std::unique_ptr<api::ResponseCache> responses;
  // The realtime stream: the persisted event log tailed and fanned out.
  std::unique_ptr<store::EventLogStore> event_log;
  std::unique_ptr<realtime::EventHub> events;
  // Wakes the hub after every commit that wrote the event log: SQLite's own
  // writer, or on PostgreSQL any server's (opz_events).
  std::unique_ptr<store::Database::Listening> events_feed;
  std::unique_ptr<api::ApiContext> api;
  // Seed 003's build queue: each queued build becomes an execution through
  // the admission path (api::queued_build_request); stopped before it.
  std::unique_ptr<trigger::RunQueueRunner> build_runner;
  // The advisory scan and connection checks on their schedules; stopped
  // first (they use the API's context and the database).
  std::unique_ptr<BackgroundChecks> background;
  http::Router router;
  std::unique_ptr<http::StaticSite> web;  // the web UI: the router's fallback
  std::unique_ptr<http::HttpServer> server;
  std::thread signal_thread;
  sigset_t signals{};
  std::mutex mu;
  bool stopping = false;
};

namespace {

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0) return "";
  return name;
}

std::string executable_path() {
  std::error_code ec;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : path.string();
}

// GET / and the app's client routes: the built web UI (or a page saying how
// to build it), as the router's fallback.
std::unique_ptr<http::StaticSite> serve_web_app(http::Router& router, const ServerConfig& config,
                                                spdlog::logger& log) {
  auto site = std::make_unique<http::StaticSite>(find_web_dir(config.web_dir, executable_path()));
  if (site->has_app()) {
    log.info("serving the web UI from {}", site->root());
  } else {
    log.warn("the web UI is not built (no index.html in '{}'); run `make web`",
             config.web_dir.empty() ? std::string("web/dist") : config.web_dir);
  }
  // Paths the web app never answers: unmatched ones keep the API's JSON 404.
  router.set_fallback([site = site.get()](http::Request& req) { return site->serve(req); },
                      {"/api", "/functions", "/metrics", "/healthz", "/readyz"});
  return site;
}

// The outbound guard over the configured allow-list. Call-time refusals are
// audited as "outbound.refused" (host and reason, never the URL: it may carry
// credentials), at most once per field and host every 10 minutes, so a
// refused repository polled every few seconds does not flood the trail.
Result<std::unique_ptr<net::OutboundGuard>> outbound_guard(const ServerConfig& config,
                                                           audit::AuditLog& audit,
                                                           const Clock& clock) {
  OPZ_TRY(net::AddressPolicy policy, net::AddressPolicy::from_list(config.outbound_allow));
  auto guard = std::make_unique<net::OutboundGuard>(std::move(policy));
  struct Throttle {
    std::mutex mu;
    std::map<std::string, TimePoint> last;
  };
  auto throttle = std::make_shared<Throttle>();
  guard->set_refusal_listener([&audit, &clock, throttle](const net::OutboundRefusal& r) {
    const TimePoint now = clock.now();
    {
      std::lock_guard lock(throttle->mu);
      auto [it, fresh] = throttle->last.try_emplace(r.field + " " + r.host, now);
      if (!fresh && now - it->second < std::chrono::minutes(10)) return;
      it->second = now;
    }
    auto st = audit.record({"outbound.refused", "outbound", r.host, "",
                            Json{{"field", r.field}, {"host", r.host}, {"reason", r.reason}}, ""});
    if (!st.ok()) spdlog::warn("could not audit an outbound refusal: {}", st.error().message);
    spdlog::warn("outbound call refused: {}", r.reason);
  });
  return guard;
}

}  // namespace

ServerApp::ServerApp(ServerConfig config) : impl_(std::make_unique<Impl>()) {
  impl_->config = std::move(config);
}

ServerApp::~ServerApp() {
  stop();
  if (impl_->signal_thread.joinable()) {
    // Wake the signal thread if it still waits.
    pthread_kill(impl_->signal_thread.native_handle(), SIGTERM);
    impl_->signal_thread.join();
  }
}

Status ServerApp::start() {
  Impl& s = *impl_;
  const auto t0 = std::chrono::steady_clock::now();
  // SIGTERM/SIGINT are taken by a dedicated thread (sigwait), so every thread
  // started from here on inherits the blocked mask.
  sigemptyset(&s.signals);
  sigaddset(&s.signals, SIGTERM);
  sigaddset(&s.signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &s.signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  tune_allocator_for_server();

  OPZ_TRY(s.data, open_data_dir(s.config.data_dir, database_choice_of(s.config)));
  for (const auto& m : s.data.migrations_applied) s.log->info("applied migration {}", m);
  const Clock& clock = SystemClock::instance();
  s.users = std::make_unique<store::UserStore>(*s.data.db, clock);
  s.projects = std::make_unique<store::ProjectStore>(*s.data.db, clock);
  s.authenticator = std::make_unique<auth::Authenticator>(*s.users, clock, s.config.session_ttl);
  s.audit = std::make_unique<audit::AuditLog>(*s.data.db, clock);
  OPZ_TRY_STATUS(telemetry::register_build_info(s.metrics, kVersion));
  s.executions = std::make_unique<store::ExecutionStore>(*s.data.db);
  s.history = std::make_unique<store::ExecutionHistoryStore>(*s.data.db);
  s.flow_templates = std::make_unique<store::FlowTemplateStore>(*s.data.db, clock);

  // The engine resumes interrupted executions before the API accepts requests.
  engine::EngineOptions eo;
  eo.data_dir = s.config.data_dir;
  eo.max_parallel = s.config.max_parallel;
  eo.stuck_after = std::chrono::duration_cast<std::chrono::milliseconds>(s.config.stuck_after);
  eo.workspace_retention =
      std::chrono::duration_cast<std::chrono::milliseconds>(s.config.workspace_retention);
  // Secrets: the master key ring (OPZENIX_MASTER_KEY, else the key ring
  // file) and the stores steps' secrets and configuration come from. A ring
  // others may read, or one that does not parse, stops the start; a missing
  // one only means no secret can be stored until `opzenix secrets init`.
  std::optional<std::string> key_text;
  const auto env = process_environment();
  if (auto it = env.find(std::string(secrets::kMasterKeyEnv)); it != env.end())
    key_text = it->second;
  s.master_keys = std::make_unique<secrets::MasterKeys>(
      secrets::MasterKeySource{master_key_path(s.config), key_text});
  auto ring = s.master_keys->ring();
  if (ring) {
    s.log->info("secrets: master key ring with {} key(s), newest '{}'", (*ring)->keys().size(),
                (*ring)->newest().id);
  } else if (ring.error().code == ErrorCode::kUnavailable) {
    s.log->warn("secrets: {}", ring.error().message);
  } else {
    return ring.error();
  }
  s.secret_store = std::make_unique<store::SecretStore>(*s.data.db, clock);
  s.environment_configs = std::make_unique<store::EnvironmentConfigStore>(*s.data.db, clock);
  s.step_variables = std::make_unique<engine::StepVariableLoader>(
      *s.secret_store, *s.environment_configs, *s.master_keys);
  eo.step_variables = [loader = s.step_variables.get()](const engine::StepVariableRequest& r) {
    return loader->load(r);
  };
  s.runner = std::make_unique<runner::LocalRunner>(s.config.step_nice);
  s.bus = std::make_unique<engine::EventBus>();
  s.journal = std::make_unique<engine::SqlExecutionJournal>(*s.data.db);
  OPZ_TRY(std::string server_id, server_id_for(s.config.data_dir));
  s.ownership = std::make_unique<engine::SqlExecutionOwnership>(
      *s.data.db, clock,
      engine::ServerIdentity{server_id, host_name(), static_cast<int64_t>(::getpid()),
                             std::chrono::milliseconds(s.config.server_lease_timeout),
                             /*shared=*/s.data.db->dialect() == "postgres"});
  eo.ownership = s.ownership.get();
  s.log->info("server id {} (lease timeout {}s)", server_id, s.config.server_lease_timeout.count());
  // Every repository the engine clones is checked by the outbound guard first.
  OPZ_TRY(s.outbound, outbound_guard(s.config, *s.audit, clock));
  eo.outbound = s.outbound.get();
  s.agent_store = std::make_unique<store::AgentStore>(*s.data.db, clock);
  // Jobs whose lease ran out before this start are lost (their nodes run
  // again); jobs still leased are adopted by the engine's recovery.
  OPZ_TRY_STATUS(s.agent_store->abandon_unfinished());
  s.agents = std::make_unique<agent::AgentService>(
      *s.agent_store, clock,
      agent::AgentServiceOptions{std::chrono::milliseconds(s.config.agent_lease_timeout)});
  s.agents->start();
  s.routing_runner = std::make_unique<agent::RoutingRunner>(
      *s.runner, s.agents->runner(),
      [agents = s.agents.get()](const std::vector<std::string>& runs_on) {
        return agents->has_online_match(runs_on);
      },
      s.config.agents_local_fallback);
  s.engine =
      std::make_unique<engine::Engine>(*s.journal, *s.routing_runner, *s.bus, clock, eo, &s.metrics);
  // Secrets at rest (webhook secrets, GitHub tokens) are sealed with the key
  // in <data_dir>/secret.key, created on first start.
  OPZ_TRY(secrets::SecretBox box,
          secrets::SecretBox::open_or_create(s.config.data_dir + "/" +
                                             std::string(secrets::kKeyFileName)));
  s.secret_box.emplace(box);
  trigger::TriggerServiceOptions to;
  to.public_url = s.config.public_url;
  to.data_dir = s.config.data_dir;  // git mirrors for path filters (trigger/mirror_diff.h)
  // Once per cluster: on the server holding cluster_leader('scheduler') (the
  // git poller here, the background checks below).
  s.leader = std::make_unique<LeaderGate>(
      clock, std::chrono::milliseconds(s.config.server_lease_timeout) / 3,
      [ownership = s.ownership.get()] { return ownership->try_lead("scheduler"); });
  to.poll_gate = [leader = s.leader.get()] { return leader->leading(); };
  to.git.timeout = s.config.git_timeout;
  to.github_transport.total_timeout = s.config.github_timeout;
  to.github_transport.connect_timeout = std::min<std::chrono::milliseconds>(
      s.config.github_timeout, to.github_transport.connect_timeout);
  to.workflow.poll_interval = s.config.workflow_poll_interval;
  to.git.guard = s.outbound.get();
  to.github_transport.guard = s.outbound.get();
  to.github_transport.guarded_field = "api_base_url";
  s.engine_executions = std::make_unique<trigger::EngineExecutions>(*s.engine);
  s.governance_facts = std::make_unique<trigger::StoreGovernanceFacts>(*s.data.db, clock);
  s.admission = std::make_unique<trigger::AdmissionService>(trigger::AdmissionServiceDeps{
      *s.governance_facts, *s.executions, *s.engine_executions, clock});
  s.notifier = std::make_unique<trigger::Notifier>(*s.data.db, clock, &*s.secret_box,
                                                   trigger::http_webhook_sender(s.outbound.get()));
  s.triggers = std::make_unique<trigger::TriggerService>(
      trigger::TriggerServiceDeps{*s.data.db, *s.projects, *s.executions, *s.audit, *s.secret_box,
                                  clock, &s.metrics, s.bus.get(), s.admission.get(),
                                  s.engine.get(), s.master_keys.get()},
      to);
  s.execution_notifications =
      std::make_unique<trigger::ExecutionNotifications>(trigger::ExecutionNotificationsDeps{
          *s.data.db, clock, *s.notifier, *s.bus, s.admission.get()});
  OPZ_TRY(s.trace_exporter,
          start_trace_exporter(s.config, *s.outbound,
                               TraceExporterDeps{*s.data.db, *s.bus, clock, s.metrics,
                                                 http_trace_transport(s.outbound.get(),
                                                                      std::chrono::seconds(10))}));
  s.engine->register_external_handler("github_workflow", s.triggers->workflow_handler());
  s.deployments = std::make_unique<store::DeploymentStore>(*s.data.db, clock);
  s.deploy_loop = std::make_unique<deploy::DeployLoop>();
  s.prober = std::make_unique<deploy::HttpProber>(s.outbound.get());
  s.deploy_handler = std::make_shared<engine::DeployNodeHandler>(engine::DeployNodeHandlerDeps{
      *s.runner, *s.prober, *s.deploy_loop, *s.deployments, *s.history, clock,
      [this](const engine::DeploymentOutcome& outcome) {
        if (auto st = trigger::announce_deployment(*impl_->notifier, *impl_->audit, outcome); !st)
          impl_->log->warn("deployment {}: could not notify or audit: {}",
                           outcome.deployment.id, st.error().message);
      },
      s.data.db.get()});
  s.engine->register_external_handler("deploy", s.deploy_handler);
  OPZ_TRY(int interrupted, s.deploy_handler->close_interrupted());
  if (interrupted > 0) s.log->warn("{} deployment(s) were interrupted by the last stop", interrupted);
  s.engine->start();
  OPZ_TRY(engine::RecoveryReport recovered, s.engine->recover());
  if (recovered.executions > 0)
    s.log->info("recovered {} execution(s): {} node(s) retried, {} failed, {} leftover process(es) killed",
                recovered.executions, recovered.nodes_retried, recovered.nodes_failed,
                recovered.processes_killed);

  s.api = std::unique_ptr<api::ApiContext>(new api::ApiContext{
      *s.data.db, clock, *s.users, *s.projects, *s.authenticator, *s.audit, s.metrics, nullptr,
      kVersion, nullptr});
  const ServerConfig cfg = s.config;
  s.api->config_view = [cfg] { return config_to_json(cfg); };
  s.api->engine = s.engine.get();
  s.api->executions = s.executions.get();
  s.api->history = s.history.get();
  s.api->flow_templates = s.flow_templates.get();
  s.api->triggers = s.triggers.get();
  s.api->admission = s.admission.get();
  s.api->deployments = s.deploy_handler.get();
  s.api->outbound = s.outbound.get();
  s.api->data_dir = s.config.data_dir;
  s.api->ops_ingest_token = s.config.ops_ingest_token;
  s.api->ops_advisory_scan_token = s.config.ops_advisory_scan_token;
  s.api->ops_ingest_max_future = s.config.ops_ingest_max_future;
  s.api->ops_ingest_max_past = s.config.ops_ingest_max_past;
  s.api->otlp_max_body = s.config.otlp_max_body;
  s.api->db_max_rows = s.config.db_max_rows;
  s.api->ai_endpoint = s.config.ai_endpoint;
  s.api->ai_model = s.config.ai_model;
  s.api->ai_api_key = s.config.ai_api_key;
  s.api->ai_timeout = s.config.ai_timeout;
  s.api->master_keys = s.master_keys.get();
  // Cached list answers; another process's writes show within a second.
  s.responses = std::make_unique<api::ResponseCache>(clock, std::chrono::seconds(1));
  s.api->responses = s.responses.get();
  s.event_log = std::make_unique<store::EventLogStore>(*s.data.db);
  s.events = std::make_unique<realtime::EventHub>(*s.event_log, clock, realtime::EventHubOptions{},
                                                  &s.metrics);
  OPZ_TRY_STATUS(s.events->start());
  s.events_feed = s.data.db->listen("opz_events", [hub = s.events.get()] { hub->notify(); });
  s.api->events = s.events.get();
  // Held executions are re-evaluated (and released) from here on, and
  // deliveries left pending by a crash are processed.
  s.admission->start();
  s.notifier->start();
  s.execution_notifications->start();
  OPZ_TRY_STATUS(s.triggers->start());
  s.build_runner = std::make_unique<trigger::RunQueueRunner>(trigger::RunQueueRunnerDeps{
      *s.data.db, clock, *s.audit, *s.admission,
      [ctx = s.api.get()](const store::RunQueueRecord& row) {
        return api::queued_build_request(*ctx, row);
      }});
  s.api->build_runner = s.build_runner.get();
  s.api->agents = s.agents.get();
  s.build_runner->start();  // drains what was queued before this start
  OPZ_TRY_STATUS(api::register_all_routes(s.router, *s.api));
  s.web = serve_web_app(s.router, s.config, *s.log);
  {
    api::ApiContext* ctx = s.api.get();
    std::vector<ScheduledTask> tasks;
    tasks.push_back({"advisory scan", s.config.advisory_scan_interval, [ctx]() -> Status {
                       OPZ_TRY_STATUS(api::run_advisory_scan(*ctx));
                       return {};
                     }});
    tasks.push_back({"connection checks", s.config.connection_check_interval, [ctx]() -> Status {
                       OPZ_TRY_STATUS(api::check_all_connections(*ctx));
                       return {};
                     }});
    s.background = std::make_unique<BackgroundChecks>(clock, std::move(tasks));
    s.background->set_gate([leader = s.leader.get()] { return leader->leading(); });
    s.background->start();
  }

  http::ServerOptions opts;
  auto colon = cfg.listen.rfind(':');
  opts.host = cfg.listen.substr(0, colon);
  opts.port = static_cast<uint16_t>(std::stoi(cfg.listen.substr(colon + 1)));
  opts.threads = cfg.http_threads;
  opts.max_body = cfg.max_body;
  opts.metrics = &s.metrics;
  s.server = std::make_unique<http::HttpServer>(opts, s.router);
  OPZ_TRY_STATUS(s.server->listen());
  if (cfg.public_url.empty()) s.triggers->set_public_url("http://" + s.server->bound_address());

  s.signal_thread = std::thread([this] {
    int sig = 0;
    sigwait(&impl_->signals, &sig);
    impl_->log->info("received {}, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
    stop();
  });

  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - t0).count();
  s.log->info("opzenix {} listening on http://{} (data dir {}, ready in {} ms)", kVersion,
              s.server->bound_address(), s.config.data_dir, ms);
  if (!cfg.ready_file.empty()) {
    const std::string tmp = cfg.ready_file + ".tmp";
    {
      std::ofstream out(tmp);
      out << s.server->bound_address() << "\n";
    }
    std::rename(tmp.c_str(), cfg.ready_file.c_str());
  }
  return {};
}

int ServerApp::run() {
  impl_->server->run();
  impl_->log->info("HTTP server stopped; stopping the engine");
  if (impl_->background) impl_->background->stop();
  if (impl_->build_runner) impl_->build_runner->stop();
  if (impl_->triggers) impl_->triggers->stop();
  if (impl_->admission) impl_->admission->stop();
  if (impl_->execution_notifications) impl_->execution_notifications->stop();
  if (impl_->notifier) impl_->notifier->stop();
  if (impl_->engine) impl_->engine->stop();
  if (impl_->agents) impl_->agents->stop();
  if (impl_->trace_exporter) impl_->trace_exporter->stop();
  // Deployments still running end with the runner (their processes are
  // killed); their rows are closed as interrupted by the next start.
  if (impl_->deploy_loop) impl_->deploy_loop->stop();
  if (impl_->runner) impl_->runner->shutdown();
  impl_->events_feed.reset();
  if (impl_->events) impl_->events->stop();
  impl_->log->info("closing the database");
  if (impl_->data.db) impl_->data.db->close();
  impl_->log->info("shutdown complete");
  return 0;
}

void ServerApp::stop() {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopping) return;
    impl_->stopping = true;
  }
  // Open event streams end first, so the HTTP drain does not wait for them.
  if (impl_->events) impl_->events->stop();
  if (impl_->server) impl_->server->stop(std::chrono::seconds(10));
}

}  // namespace opz::app
