// Server configuration, declared in ONE table (config_options()): each
// option's name, environment variable, default, help and validator. The same
// table drives `opzenix serve` flags and --help, OPZENIX_* environment
// variables, the YAML config file, and GET /api/v1/config.
//
// Precedence: command-line flag > environment variable > config file > default.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "store/database.h"

namespace opz::app {

struct ServerConfig {
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "./var";
  // "" = SQLite at <data_dir>/opzenix.db; "postgres://..." = PostgreSQL
  // (several servers share it; data_dir still holds workspaces and logs).
  std::string database;
  std::string log_format = "text";  // text | json
  std::string log_level = "info";
  uint64_t max_body = 10ull << 20;
  int http_threads = 0;             // 0: one per core
  int max_parallel = 0;             // engine-wide concurrent nodes; 0: one per core
  // Added to the niceness of every step process this server starts (its
  // LocalRunner; agents run their own). 10 is nice(1)'s default: under CPU
  // contention the server's own threads (HTTP, event stream, engine) come
  // first; when nothing else wants the CPU steps run as fast as before
  // (docs/performance.md, "Realtime stream").
  int step_nice = 10;
  std::chrono::seconds session_ttl{24 * 3600};
  std::chrono::seconds stuck_after{30 * 60};
  std::chrono::seconds workspace_retention{24 * 3600};
  std::chrono::seconds git_timeout{30};             // each git ls-remote of the triggers
  std::chrono::seconds github_timeout{15};          // each GitHub API call, connect included
  std::chrono::seconds workflow_poll_interval{30};  // github_workflow runs without a webhook
  std::chrono::seconds agent_lease_timeout{30};     // a silent agent is lost after it (<= 45 s)
  // Several servers on one database (docs/postgres.md "Several servers"): a
  // server whose lease is not renewed for this long (3 s .. 120 s) is dead to
  // the others, which take its executions over; renewed every third of it.
  std::chrono::seconds server_lease_timeout{30};
  bool agents_local_fallback = false;               // runs_on nodes run here when no agent matches
  bool sync_full = false;           // SQLite synchronous=FULL (durable to power loss)
  int sqlite_checkpoint_pages = store::DatabaseOptions{}.checkpoint_pages;  // 0: SQLite's auto-checkpoint
  int sqlite_reader_cache_mb =
      static_cast<int>(store::DatabaseOptions{}.reader_cache_bytes >> 20);  // 0: SQLite's default
  int sqlite_commit_window_us =
      static_cast<int>(store::DatabaseOptions{}.commit_window.count());  // 0: commit at once
  std::string public_url;           // links in commit statuses; default http://<listen>
  std::string ready_file;           // written with "host:port\n" once listening
  std::string web_dir;              // the built web UI; "" = found by find_web_dir
  std::string config_file;
  // Hosts and CIDR ranges exempt from the outbound guard (net/address_policy.h),
  // comma-separated; "file" allows local git repositories. Empty: none.
  std::string outbound_allow;
  // The master key ring of stored secrets (issue 12); "" = <data_dir>/master.key.
  // OPZENIX_MASTER_KEY (the ring's text itself) takes precedence over the file.
  std::string master_key_file;
  // OTLP trace export (app/trace_exporter.h, docs/telemetry.md "Export"): the
  // OTLP/HTTP base URL finished executions are POSTed to (+ /v1/traces) and
  // the headers sent with them ("k=v,k2=v2", percent-encoded values).
  // Empty endpoint: no export.
  std::string otlp_export_endpoint;
  std::string otlp_export_headers;
  // Metrics ingest and advisory scan (issue 13; docs/api.md "Telemetry,
  // advisories and DORA"): the shared tokens callers present in
  // x-ops-ingest-token / x-ops-advisory-token. Empty: the route answers 503.
  std::string ops_ingest_token;
  std::string ops_advisory_scan_token;
  // How far a sample's `ts` may lie ahead of / behind the server's clock.
  std::chrono::seconds ops_ingest_max_future{3600};
  std::chrono::seconds ops_ingest_max_past{7 * 24 * 3600};
  uint64_t otlp_max_body = 8ull << 20;
  // The most rows one /rest/v1 read or RPC answers (PostgREST's db-max-rows;
  // docs/rest.md): a larger limit or Range is cut to it.
  int db_max_rows = 1000;
  // Scheduled work (app/background_checks.h): the advisory scan of every
  // project and a check of every connection; 0 = never.
  std::chrono::seconds advisory_scan_interval{300};
  std::chrono::seconds connection_check_interval{300};
  // The optional OpenAI-compatible endpoint that phrases insights and config
  // explanations (issue 13; api/ai_chat.h): base URL ("" = none: the
  // deterministic insights stand alone), model, key (env AI_API_KEY), and the
  // bound on one call.
  std::string ai_endpoint;
  std::string ai_model = "gpt-4o-mini";
  std::string ai_api_key;
  std::chrono::seconds ai_timeout{30};
};

struct ConfigOption {
  std::string name;  // flag and YAML key: "max-body"
  std::string env;   // "OPZENIX_MAX_BODY"
  std::string default_text;
  std::string help;
  std::function<Status(ServerConfig&, const std::string&)> set;  // parses + validates
  std::function<std::string(const ServerConfig&)> get;           // for display
};

const std::vector<ConfigOption>& config_options();

// Resolves the configuration. `flags` holds only options given on the command
// line (name -> text); `env` is the process environment (tests pass their own).
Result<ServerConfig> resolve_config(const std::map<std::string, std::string>& flags,
                                    const std::map<std::string, std::string>& env);

// The process environment as a map (for resolve_config).
std::map<std::string, std::string> process_environment();

// The web UI directory to serve: `configured` when set (even if it does not
// exist: the server then serves the "not built" page), else the first
// directory holding an index.html of <exe dir>/../web/dist, <exe dir>/web,
// ./web/dist; "" when none does. `executable` is the server binary's path.
std::string find_web_dir(const std::string& configured, const std::string& executable);

// The key ring file: master_key_file, or <data_dir>/master.key.
std::string master_key_path(const ServerConfig& config);

// Every option and its effective value, for GET /api/v1/config.
Json config_to_json(const ServerConfig& config);

}  // namespace opz::app
