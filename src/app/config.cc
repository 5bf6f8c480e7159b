#include "app/config.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/header_list.h"
#include "core/quantity.h"
#include "core/redact_url.h"
#include "net/address_policy.h"
#include "net/outbound_url.h"

extern char** environ;

namespace opz::app {

namespace {

Status parse_int(const std::string& text, int min, int max, int* out, const std::string& name) {
  int v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < min || v > max)
    return Error::validation(name + " must be an integer from " + std::to_string(min) + " to " +
                                 std::to_string(max) + ", got '" + text + "'",
                             name);
  *out = v;
  return {};
}

Status parse_seconds(const std::string& text, std::chrono::seconds* out, const std::string& name) {
  auto d = parse_duration(text);
  if (!d) return Error::validation(name + ": " + d.error().message, name);
  if (d->count() < 1000) return Error::validation(name + " must be at least 1s", name);
  *out = std::chrono::duration_cast<std::chrono::seconds>(*d);
  return {};
}

// A schedule's interval: a duration of at least 1 s, or "off" / "0" for never.
Status parse_interval(const std::string& text, std::chrono::seconds* out, const std::string& name) {
  if (text == "off" || text == "0") {
    *out = std::chrono::seconds(0);
    return {};
  }
  return parse_seconds(text, out, name);
}

Status parse_bool(const std::string& text, bool* out, const std::string& name) {
  if (text == "true" || text == "1" || text == "yes" || text == "on") { *out = true; return {}; }
  if (text == "false" || text == "0" || text == "no" || text == "off") { *out = false; return {}; }
  return Error::validation(name + " must be true or false, got '" + text + "'", name);
}

std::string seconds_text(std::chrono::seconds s) {
  return format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(s));
}

std::string interval_text(std::chrono::seconds s) { return s.count() == 0 ? "off" : seconds_text(s); }

}  // namespace

const std::vector<ConfigOption>& config_options() {
  static const std::vector<ConfigOption> kOptions = {
      {"listen", "OPZENIX_LISTEN", "127.0.0.1:8080", "address to serve HTTP on (HOST:PORT; port 0 = any free port)",
       [](ServerConfig& c, const std::string& v) -> Status {
         auto colon = v.rfind(':');
         int port = 0;
         if (colon == std::string::npos || colon == 0 ||
             !parse_int(v.substr(colon + 1), 0, 65535, &port, "listen").ok())
           return Error::validation("listen must be HOST:PORT, got '" + v + "'", "listen");
         c.listen = v;
         return {};
       },
       [](const ServerConfig& c) { return c.listen; }},
      {"data-dir", "OPZENIX_DATA_DIR", "./var", "directory holding opzenix.db, workspaces and logs",
       [](ServerConfig& c, const std::string& v) -> Status {
         if (v.empty()) return Error::validation("data-dir must not be empty", "data-dir");
         c.data_dir = v;
         return {};
       },
       [](const ServerConfig& c) { return c.data_dir; }},
      {"database", "OPZENIX_DATABASE_URL", "",
       "the database: empty for SQLite in the data directory (the default), or a PostgreSQL URL "
       "postgresql://user[:password]@host[:port]/db[?sslmode=...] for several servers (docs/postgres.md)",
       [](ServerConfig& c, const std::string& v) -> Status {
         if (!v.empty() && v.rfind("postgres://", 0) != 0 && v.rfind("postgresql://", 0) != 0)
           return Error::validation(
               "database must be empty (SQLite in the data directory) or a postgres:// URL", "database");
         c.database = v;
         return {};
       },
       [](const ServerConfig& c) { return redact_url(c.database); }},
      {"log-format", "OPZENIX_LOG_FORMAT", "text", "log line format: text or json",
       [](ServerConfig& c, const std::string& v) -> Status {
         if (v != "text" && v != "json")
           return Error::validation("log-format must be text or json, got '" + v + "'", "log-format");
         c.log_format = v;
         return {};
       },
       [](const ServerConfig& c) { return c.log_format; }},
      {"log-level", "OPZENIX_LOG_LEVEL", "info", "trace, debug, info, warn, error or off",
       [](ServerConfig& c, const std::string& v) -> Status {
         if (v != "trace" && v != "debug" && v != "info" && v != "warn" && v != "error" && v != "off")
           return Error::validation("log-level must be trace, debug, info, warn, error or off", "log-level");
         c.log_level = v;
         return {};
       },
       [](const ServerConfig& c) { return c.log_level; }},
      {"max-body", "OPZENIX_MAX_BODY", "10MiB", "default request body limit (routes may set their own, e.g. webhooks 25MB)",
       [](ServerConfig& c, const std::string& v) -> Status {
         auto n = parse_size(v);
         if (!n) return Error::validation("max-body: " + n.error().message, "max-body");
         if (*n < 1024) return Error::validation("max-body must be at least 1KiB", "max-body");
         c.max_body = *n;
         return {};
       },
       [](const ServerConfig& c) { return std::to_string(c.max_body); }},
      {"http-threads", "OPZENIX_HTTP_THREADS", "0", "HTTP worker threads (0 = one per core)",
       [](ServerConfig& c, const std::string& v) { return parse_int(v, 0, 256, &c.http_threads, "http-threads"); },
       [](const ServerConfig& c) { return std::to_string(c.http_threads); }},
      {"max-parallel", "OPZENIX_MAX_PARALLEL", "0", "pipeline nodes running at once across all executions (0 = one per core)",
       [](ServerConfig& c, const std::string& v) { return parse_int(v, 0, 4096, &c.max_parallel, "max-parallel"); },
       [](const ServerConfig& c) { return std::to_string(c.max_parallel); }},
      {"step-nice", "OPZENIX_STEP_NICE", "10", "niceness of the step processes this server runs, 0-19 (0 = the server's own; the API, UI and event stream stay responsive while steps load the CPU)",
       [](ServerConfig& c, const std::string& v) { return parse_int(v, 0, 19, &c.step_nice, "step-nice"); },
       [](const ServerConfig& c) { return std::to_string(c.step_nice); }},
      {"session-ttl", "OPZENIX_SESSION_TTL", "24h", "lifetime of a login session token",
       [](ServerConfig& c, const std::string& v) { return parse_seconds(v, &c.session_ttl, "session-ttl"); },
       [](const ServerConfig& c) { return seconds_text(c.session_ttl); }},
      {"stuck-after", "OPZENIX_STUCK_AFTER", "30m", "an execution running longer than this raises a stuck event",
       [](ServerConfig& c, const std::string& v) { return parse_seconds(v, &c.stuck_after, "stuck-after"); },
       [](const ServerConfig& c) { return seconds_text(c.stuck_after); }},
      {"workspace-retention", "OPZENIX_WORKSPACE_RETENTION", "24h", "how long finished executions keep their checkout",
       [](ServerConfig& c, const std::string& v) { return parse_seconds(v, &c.workspace_retention, "workspace-retention"); },
       [](const ServerConfig& c) { return seconds_text(c.workspace_retention); }},
      {"git-timeout", "OPZENIX_GIT_TIMEOUT", "30s", "deadline of each git ls-remote of triggers (polling repositories, resolving tags)",
       [](ServerConfig& c, const std::string& v) { return parse_seconds(v, &c.git_timeout, "git-timeout"); },
       [](const ServerConfig& c) { return seconds_text(c.git_timeout); }},
      {"github-timeout", "OPZENIX_GITHUB_TIMEOUT", "15s", "deadline of each GitHub API call (commit statuses, workflow dispatch)",
       [](ServerConfig& c, const std::string& v) { return parse_seconds(v, &c.github_timeout, "github-timeout"); },
       [](const ServerConfig& c) { return seconds_text(c.github_timeout); }},
      {"workflow-poll-interval", "OPZENIX_WORKFLOW_POLL_INTERVAL", "30s", "how often a github_workflow node asks GitHub for its run when no workflow_run webhook arrives",
       [](ServerConfig& c, const std::string& v) { return parse_seconds(v, &c.workflow_poll_interval, "workflow-poll-interval"); },
       [](const ServerConfig& c) { return seconds_text(c.workflow_poll_interval); }},
      {"agent-lease-timeout", "OPZENIX_AGENT_LEASE_TIMEOUT", "30s", "a remote agent that has not been heard from for this long is lost, its running nodes retried or failed (at most 45s)",
       [](ServerConfig& c, const std::string& v) -> Status {
         OPZ_TRY_STATUS(parse_seconds(v, &c.agent_lease_timeout, "agent-lease-timeout"));
         if (c.agent_lease_timeout > std::chrono::seconds(45))
           return Error::validation("agent-lease-timeout must be at most 45s", "agent-lease-timeout");
         return {};
       },
       [](const ServerConfig& c) { return seconds_text(c.agent_lease_timeout); }},
      {"server-lease-timeout", "OPZENIX_SERVER_LEASE_TIMEOUT", "30s", "several servers on one database: a server that has not renewed its lease for this long is dead to the others, which take its executions over (3s to 120s; renewed every third of it)",
       [](ServerConfig& c, const std::string& v) -> Status {
         OPZ_TRY_STATUS(parse_seconds(v, &c.server_lease_timeout, "server-lease-timeout"));
         if (c.server_lease_timeout < std::chrono::seconds(3) ||
             c.server_lease_timeout > std::chrono::seconds(120))
           return Error::validation("server-lease-timeout must be between 3s and 120s",
                                    "server-lease-timeout");
         return {};
       },
       [](const ServerConfig& c) { return seconds_text(c.server_lease_timeout); }},
      {"agents-local-fallback", "OPZENIX_AGENTS_LOCAL_FALLBACK", "false", "run a runs_on node on this server when no online agent has its labels, instead of waiting for one",
       [](ServerConfig& c, const std::string& v) { return parse_bool(v, &c.agents_local_fallback, "agents-local-fallback"); },
       [](const ServerConfig& c) { return std::string(c.agents_local_fallback ? "true" : "false"); }},
      {"sync-full", "OPZENIX_SYNC_FULL", "false", "fsync every commit (SQLite synchronous=FULL): durable to power loss, slower",
       [](ServerConfig& c, const std::string& v) { return parse_bool(v, &c.sync_full, "sync-full"); },
       [](const ServerConfig& c) { return std::string(c.sync_full ? "true" : "false"); }},
      {"sqlite-checkpoint-pages", "OPZENIX_SQLITE_CHECKPOINT_PAGES", "250", "SQLite: write-ahead-log pages after which a background thread checkpoints, so no commit waits for one; 0 leaves it to SQLite's auto-checkpoint inside the commit",
       [](ServerConfig& c, const std::string& v) { return parse_int(v, 0, 1000000, &c.sqlite_checkpoint_pages, "sqlite-checkpoint-pages"); },
       [](const ServerConfig& c) { return std::to_string(c.sqlite_checkpoint_pages); }},
      {"sqlite-reader-cache-mb", "OPZENIX_SQLITE_READER_CACHE_MB", "16", "SQLite: MiB of page cache for each of the 4 reader connections, filled only as reads need it; 0 keeps SQLite's default (2 MiB)",
       [](ServerConfig& c, const std::string& v) { return parse_int(v, 0, 4096, &c.sqlite_reader_cache_mb, "sqlite-reader-cache-mb"); },
       [](const ServerConfig& c) { return std::to_string(c.sqlite_reader_cache_mb); }},
      {"sqlite-commit-window-us", "OPZENIX_SQLITE_COMMIT_WINDOW_US", "1000", "SQLite: microseconds the webhook intake's committer waits for more deliveries to share a commit with, while they keep arriving back to back (a lone delivery commits at once); 0 commits each batch at once",
       [](ServerConfig& c, const std::string& v) { return parse_int(v, 0, 100000, &c.sqlite_commit_window_us, "sqlite-commit-window-us"); },
       [](const ServerConfig& c) { return std::to_string(c.sqlite_commit_window_us); }},
      {"public-url", "OPZENIX_PUBLIC_URL", "", "base URL users reach this server at (links in commit statuses)",
       [](ServerConfig& c, const std::string& v) -> Status {
         if (!v.empty() && v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0)
           return Error::validation("public-url must start with http:// or https://", "public-url");
         c.public_url = v;
         return {};
       },
       [](const ServerConfig& c) { return c.public_url; }},
      {"ready-file", "OPZENIX_READY_FILE", "", "write HOST:PORT to this file once listening (tests, supervisors)",
       [](ServerConfig& c, const std::string& v) -> Status { c.ready_file = v; return {}; },
       [](const ServerConfig& c) { return c.ready_file; }},
      {"web-dir", "OPZENIX_WEB_DIR", "", "directory of the built web UI (web/dist); default: the first of <exe dir>/../web/dist, <exe dir>/web, ./web/dist holding an index.html",
       [](ServerConfig& c, const std::string& v) -> Status { c.web_dir = v; return {}; },
       [](const ServerConfig& c) { return c.web_dir; }},
      {"outbound-allow", "OPZENIX_OUTBOUND_ALLOW", "", "hosts and CIDR ranges the server may call although they are loopback, private or link-local (comma-separated, e.g. 127.0.0.0/8,::1,git.internal); 'file' allows local git repositories (docs/security.md)",
       [](ServerConfig& c, const std::string& v) -> Status {
         OPZ_TRY_STATUS(net::AddressPolicy::from_list(v));
         c.outbound_allow = v;
         return {};
       },
       [](const ServerConfig& c) { return c.outbound_allow; }},
      {"master-key-file", "OPZENIX_MASTER_KEY_FILE", "", "the master key ring that encrypts stored secrets, created by `opzenix secrets init` (default <data-dir>/master.key; OPZENIX_MASTER_KEY, holding the ring itself, takes precedence; docs/secrets.md)",
       [](ServerConfig& c, const std::string& v) -> Status { c.master_key_file = v; return {}; },
       [](const ServerConfig& c) { return c.master_key_file; }},
      {"otlp-export-endpoint", "OTEL_EXPORTER_OTLP_ENDPOINT", "", "OTLP/HTTP base URL every finished execution is sent to as a trace (POST <url>/v1/traces, JSON); checked by the outbound guard at start-up; empty: no export (docs/telemetry.md)",
       [](ServerConfig& c, const std::string& v) -> Status {
         if (!v.empty()) OPZ_TRY_STATUS(net::parse_outbound_url(v, "otlp-export-endpoint", net::UrlKind::kHttp));
         c.otlp_export_endpoint = v;
         return {};
       },
       [](const ServerConfig& c) { return c.otlp_export_endpoint; }},
      {"otlp-export-headers", "OTEL_EXPORTER_OTLP_HEADERS", "", "headers sent with every trace export: key=value pairs separated by commas, values percent-encoded (e.g. Authorization=Bearer%20x,x-tenant=ops)",
       [](ServerConfig& c, const std::string& v) -> Status {
         OPZ_TRY_STATUS(parse_header_list(v, "otlp-export-headers"));
         c.otlp_export_headers = v;
         return {};
       },
       [](const ServerConfig& c) { return std::string(c.otlp_export_headers.empty() ? "" : "(set)"); }},
      {"ops-ingest-token", "OPS_INGEST_TOKEN", "", "shared token of POST /functions/v1/ops-metrics-ingest (header x-ops-ingest-token); empty: the route answers 503 (e.g. openssl rand -hex 32)",
       [](ServerConfig& c, const std::string& v) -> Status { c.ops_ingest_token = v; return {}; },
       [](const ServerConfig& c) { return std::string(c.ops_ingest_token.empty() ? "" : "(set)"); }},
      {"ops-advisory-scan-token", "OPS_ADVISORY_SCAN_TOKEN", "", "shared token of POST /functions/v1/ops-advisory-scan (header x-ops-advisory-token); empty: the route answers 503",
       [](ServerConfig& c, const std::string& v) -> Status { c.ops_advisory_scan_token = v; return {}; },
       [](const ServerConfig& c) { return std::string(c.ops_advisory_scan_token.empty() ? "" : "(set)"); }},
      {"ops-ingest-max-future", "OPZENIX_OPS_INGEST_MAX_FUTURE", "1h", "how far ahead of the server's clock an ingested sample's ts may be",
       [](ServerConfig& c, const std::string& v) { return parse_seconds(v, &c.ops_ingest_max_future, "ops-ingest-max-future"); },
       [](const ServerConfig& c) { return seconds_text(c.ops_ingest_max_future); }},
      {"otlp-max-body", "OTLP_MAX_BODY", "8MiB", "the OTLP receiver's body limit (POST /v1/traces, /v1/metrics, /v1/logs), as sent and once a gzip body is inflated",
       [](ServerConfig& c, const std::string& v) -> Status {
         auto n = parse_size(v);
         if (!n) return Error::validation("otlp-max-body: " + n.error().message, "otlp-max-body");
         if (*n < 1024) return Error::validation("otlp-max-body must be at least 1KiB", "otlp-max-body");
         c.otlp_max_body = *n;
         return {};
       },
       [](const ServerConfig& c) { return std::to_string(c.otlp_max_body); }},
      {"db-max-rows", "OPZENIX_DB_MAX_ROWS", "1000", "the most rows one /rest/v1 read or RPC answers (PostgREST's db-max-rows): a larger limit or Range is cut to it, and Content-Range shows the rows returned (docs/rest.md)",
       [](ServerConfig& c, const std::string& v) { return parse_int(v, 1, 10000000, &c.db_max_rows, "db-max-rows"); },
       [](const ServerConfig& c) { return std::to_string(c.db_max_rows); }},
      {"ops-ingest-max-past", "OPZENIX_OPS_INGEST_MAX_PAST", "7d", "how far behind the server's clock an ingested sample's ts may be",
       [](ServerConfig& c, const std::string& v) { return parse_seconds(v, &c.ops_ingest_max_past, "ops-ingest-max-past"); },
       [](const ServerConfig& c) { return seconds_text(c.ops_ingest_max_past); }},
      {"advisory-scan-interval", "OPZENIX_ADVISORY_SCAN_INTERVAL", "5m", "how often the server runs the advisory scan of every project by itself ('off' or 0: only when POST /functions/v1/ops-advisory-scan is called)",
       [](ServerConfig& c, const std::string& v) { return parse_interval(v, &c.advisory_scan_interval, "advisory-scan-interval"); },
       [](const ServerConfig& c) { return interval_text(c.advisory_scan_interval); }},
      {"connection-check-interval", "OPZENIX_CONNECTION_CHECK_INTERVAL", "5m", "how often the server checks every connection by itself ('off' or 0: only when asked)",
       [](ServerConfig& c, const std::string& v) { return parse_interval(v, &c.connection_check_interval, "connection-check-interval"); },
       [](const ServerConfig& c) { return interval_text(c.connection_check_interval); }},
      {"ai-endpoint", "OPZENIX_AI_ENDPOINT", "", "base URL of an OpenAI-compatible API (POST <url>/chat/completions) that phrases /functions/v1/ai-insights and explain-config, e.g. https://api.openai.com/v1; called through the outbound guard; empty: the deterministic insights alone",
       [](ServerConfig& c, const std::string& v) -> Status {
         if (!v.empty() && v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0)
           return Error::validation("ai-endpoint must start with http:// or https://", "ai-endpoint");
         c.ai_endpoint = v;
         return {};
       },
       [](const ServerConfig& c) { return c.ai_endpoint; }},
      {"ai-model", "OPZENIX_AI_MODEL", "gpt-4o-mini", "the model named in ai-endpoint requests",
       [](ServerConfig& c, const std::string& v) -> Status {
         if (v.empty()) return Error::validation("ai-model must not be empty", "ai-model");
         c.ai_model = v;
         return {};
       },
       [](const ServerConfig& c) { return c.ai_model; }},
      {"ai-api-key", "AI_API_KEY", "", "the key sent to ai-endpoint as Authorization: Bearer",
       [](ServerConfig& c, const std::string& v) -> Status { c.ai_api_key = v; return {}; },
       [](const ServerConfig& c) { return std::string(c.ai_api_key.empty() ? "" : "(set)"); }},
      {"ai-timeout", "OPZENIX_AI_TIMEOUT", "30s", "the longest one ai-endpoint call may take (then 502)",
       [](ServerConfig& c, const std::string& v) { return parse_seconds(v, &c.ai_timeout, "ai-timeout"); },
       [](const ServerConfig& c) { return seconds_text(c.ai_timeout); }},
  };
  return kOptions;
}

std::string master_key_path(const ServerConfig& config) {
  return config.master_key_file.empty() ? config.data_dir + "/master.key" : config.master_key_file;
}

std::map<std::string, std::string> process_environment() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e && *e; ++e) {
    std::string kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string::npos) out[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return out;
}

Result<ServerConfig> resolve_config(const std::map<std::string, std::string>& flags,
                                    const std::map<std::string, std::string>& env) {
  ServerConfig c;
  std::string file;
  if (auto it = flags.find("config"); it != flags.end()) file = it->second;
  else if (auto e = env.find("OPZENIX_CONFIG"); e != env.end()) file = e->second;

  std::map<std::string, std::string> from_file;
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) return Error::validation("cannot read config file '" + file + "'", "config");
    std::stringstream ss;
    ss << in.rdbuf();
    try {
      YAML::Node root = YAML::Load(ss.str());
      if (root && !root.IsNull()) {
        if (!root.IsMap()) return Error::validation("config file must be a YAML map of option: value", "config");
        for (auto kv : root) {
          const std::string key = kv.first.as<std::string>();
          bool known = false;
          for (const auto& o : config_options()) known = known || o.name == key;
          if (!known)
            return Error::validation(file + ":" + std::to_string(kv.first.Mark().line + 1) +
                                         ": unknown option '" + key + "'",
                                     key);
          if (!kv.second.IsScalar())
            return Error::validation(file + ":" + std::to_string(kv.second.Mark().line + 1) +
                                         ": option '" + key + "' must be a single value",
                                     key);
          from_file[key] = kv.second.as<std::string>();
        }
      }
    } catch (const YAML::Exception& e) {
      return Error::malformed("config file " + file + ": " + e.what(), "config");
    }
    c.config_file = file;
  }

  for (const auto& o : config_options()) {
    std::string value;
    bool have = false;
    if (auto it = flags.find(o.name); it != flags.end()) { value = it->second; have = true; }
    else if (auto e = env.find(o.env); e != env.end()) { value = e->second; have = true; }
    else if (auto f = from_file.find(o.name); f != from_file.end()) { value = f->second; have = true; }
    if (have) OPZ_TRY_STATUS(o.set(c, value));
  }
  return c;
}

std::string find_web_dir(const std::string& configured, const std::string& executable) {
  if (!configured.empty()) return configured;
  namespace fs = std::filesystem;
  const fs::path exe_dir = fs::path(executable).parent_path();
  std::vector<fs::path> candidates;
  if (!exe_dir.empty()) {
    candidates.push_back(exe_dir / ".." / "web" / "dist");
    candidates.push_back(exe_dir / "web");
  }
  candidates.push_back(fs::path("web") / "dist");
  for (const fs::path& dir : candidates) {
    std::error_code ec;
    if (!fs::is_regular_file(dir / "index.html", ec)) continue;
    const fs::path real = fs::weakly_canonical(dir, ec);
    return ec ? dir.string() : real.string();
  }
  return {};
}

Json config_to_json(const ServerConfig& config) {
  Json out = Json::object();
  for (const auto& o : config_options()) out[o.name] = o.get(config);
  return out;
}

}  // namespace opz::app
