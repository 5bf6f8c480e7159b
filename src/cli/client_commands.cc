// Client commands against a running server (--server/--token or
// OPZENIX_SERVER/OPZENIX_TOKEN). Tables for people, --json for scripts.
//   opzenix login --email E            (password on stdin; prints the token)
//   opzenix token create NAME | list | revoke ID
//   opzenix projects list | create NAME [--repo URL] | show ID
//   opzenix executions list [--status S] | show ID | logs ID NODE [--follow] | cancel ID | rerun ID
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/api_client.h"
#include "cli/commands.h"
#include "cli/table.h"

namespace opz::cli {

namespace {

struct ClientOptions {
  std::string server;
  std::string token;
  bool json = false;
};

void add_common(CLI::App* cmd, ClientOptions& o) {
  cmd->add_option("--server", o.server, "server URL [env OPZENIX_SERVER, default http://127.0.0.1:8080]");
  cmd->add_option("--token", o.token, "API token [env OPZENIX_TOKEN]");
  cmd->add_flag("--json", o.json, "print JSON instead of a table");
}

ApiClient make_client(const ClientOptions& o) {
  std::string server = o.server;
  if (server.empty()) {
    const char* e = std::getenv("OPZENIX_SERVER");
    server = e && *e ? e : "http://127.0.0.1:8080";
  }
  std::string token = o.token;
  if (token.empty()) {
    const char* e = std::getenv("OPZENIX_TOKEN");
    token = e ? e : "";
  }
  return ApiClient(server, token);
}

std::string text(const Json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) return "";
  return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
}

// Prints `r` (JSON or via `table`), sets the exit code on error.
template <typename TableFn>
void finish(const Result<Json>& r, const ClientOptions& o, CommandState& state, TableFn table) {
  if (!r) {
    std::cerr << "error: " << r.error().message;
    if (!r.error().field.empty()) std::cerr << " (" << r.error().field << ")";
    std::cerr << "\n";
    state.exit_code = 1;
    return;
  }
  if (o.json) {
    std::cout << dump_json(*r, 2) << "\n";
    return;
  }
  table(*r);
}

void print_list(const Json& j, std::vector<std::string> headers, std::vector<const char*> keys) {
  TablePrinter t(std::move(headers));
  for (const auto& item : j.value("items", Json::array())) {
    std::vector<std::string> row;
    for (const char* k : keys) row.push_back(text(item, k));
    t.add_row(row);
  }
  t.print(std::cout);
}

void print_object(const Json& j) {
  TablePrinter t({"FIELD", "VALUE"}, 100);
  for (auto it = j.begin(); it != j.end(); ++it)
    if (!it.value().is_array()) t.add_row({it.key(), text(j, it.key().c_str())});
  t.print(std::cout);
}

}  // namespace

void add_client_commands(CLI::App& app, CommandState& state) {
  auto o = std::make_shared<ClientOptions>();
  auto args = std::make_shared<std::map<std::string, std::string>>();
  auto follow = std::make_shared<bool>(false);
  auto failed_only = std::make_shared<bool>(false);

  auto* login = app.add_subcommand("login", "Log in; prints a session token (password on stdin)");
  add_common(login, *o);
  login->add_option("--email", (*args)["email"])->required();
  login->callback([o, args, &state] {
    std::string password;
    if (isatty(STDIN_FILENO)) std::cerr << "Password: " << std::flush;
    std::getline(std::cin, password);
    auto r = make_client(*o).post("/api/v1/auth/login",
                                  Json{{"email", (*args)["email"]}, {"password", password}});
    finish(r, *o, state, [](const Json& j) { std::cout << text(j, "token") << "\n"; });
  });

  auto* token = app.add_subcommand("token", "Personal API tokens");
  token->require_subcommand(1);
  auto* tcreate = token->add_subcommand("create", "Create a token (shown once)");
  add_common(tcreate, *o);
  tcreate->add_option("name", (*args)["name"])->required();
  tcreate->add_option("--expires-in", (*args)["expires_in"], "e.g. 30d");
  tcreate->callback([o, args, &state] {
    Json body{{"name", (*args)["name"]}};
    if (!(*args)["expires_in"].empty()) body["expires_in"] = (*args)["expires_in"];
    finish(make_client(*o).post("/api/v1/tokens", body), *o, state,
           [](const Json& j) { std::cout << text(j, "token") << "\n"; });
  });
  auto* tlist = token->add_subcommand("list", "List your tokens");
  add_common(tlist, *o);
  tlist->callback([o, &state] {
    finish(make_client(*o).get("/api/v1/tokens"), *o, state, [](const Json& j) {
      print_list(j, {"ID", "NAME", "PREFIX", "CREATED", "REVOKED"},
                 {"id", "name", "token_prefix", "created_at", "revoked_at"});
    });
  });
  auto* trevoke = token->add_subcommand("revoke", "Revoke a token");
  add_common(trevoke, *o);
  trevoke->add_option("id", (*args)["id"])->required();
  trevoke->callback([o, args, &state] {
    finish(make_client(*o).del("/api/v1/tokens/" + url_encode((*args)["id"])), *o, state,
           [](const Json&) { std::cout << "revoked\n"; });
  });

  auto* projects = app.add_subcommand("projects", "Projects");
  projects->require_subcommand(1);
  auto* plist = projects->add_subcommand("list", "List projects");
  add_common(plist, *o);
  plist->callback([o, &state] {
    finish(make_client(*o).get("/api/v1/projects?limit=500"), *o, state, [](const Json& j) {
      print_list(j, {"ID", "NAME", "SLUG", "REPOSITORY"}, {"id", "name", "slug", "github_repo_url"});
    });
  });
  auto* pcreate = projects->add_subcommand("create", "Create a project");
  add_common(pcreate, *o);
  pcreate->add_option("name", (*args)["pname"])->required();
  pcreate->add_option("--repo", (*args)["repo"], "GitHub repository URL");
  pcreate->add_option("--git-url", (*args)["git_url"], "any git URL to poll");
  pcreate->callback([o, args, &state] {
    Json body{{"name", (*args)["pname"]}};
    if (!(*args)["repo"].empty()) body["github_repo_url"] = (*args)["repo"];
    if (!(*args)["git_url"].empty()) body["git_url"] = (*args)["git_url"];
    finish(make_client(*o).post("/api/v1/projects", body), *o, state, print_object);
  });
  auto* pshow = projects->add_subcommand("show", "Show a project");
  add_common(pshow, *o);
  pshow->add_option("id", (*args)["id"])->required();
  pshow->callback([o, args, &state] {
    finish(make_client(*o).get("/api/v1/projects/" + url_encode((*args)["id"])), *o, state,
           print_object);
  });

  auto* ex = app.add_subcommand("executions", "Pipeline executions on a server");
  ex->require_subcommand(1);
  auto* elist = ex->add_subcommand("list", "List executions");
  add_common(elist, *o);
  elist->add_option("--status", (*args)["status"]);
  elist->add_option("--environment", (*args)["environment"]);
  elist->add_option("--project", (*args)["project_id"]);
  elist->callback([o, args, &state] {
    std::string q = "?limit=100";
    for (const char* k : {"status", "environment", "project_id"})
      if (!(*args)[k].empty()) q += std::string("&") + k + "=" + url_encode((*args)[k]);
    finish(make_client(*o).get("/api/v1/executions" + q), *o, state, [](const Json& j) {
      print_list(j, {"ID", "NAME", "STATUS", "ENVIRONMENT", "BRANCH", "STARTED"},
                 {"id", "name", "status", "environment", "branch", "started_at"});
    });
  });
  auto* eshow = ex->add_subcommand("show", "Show an execution and its nodes");
  add_common(eshow, *o);
  eshow->add_option("id", (*args)["id"])->required();
  eshow->callback([o, args, &state] {
    finish(make_client(*o).get("/api/v1/executions/" + url_encode((*args)["id"])), *o, state,
           [](const Json& j) {
             print_object(j);
             std::cout << "\n";
             TablePrinter t({"NODE", "STATUS", "ATTEMPT", "DURATION_MS", "EXIT"});
             for (const auto& n : j.value("nodes", Json::array()))
               t.add_row({text(n, "node_id"), text(n, "status"), text(n, "attempt"),
                          text(n, "duration_ms"), text(n, "exit_code")});
             t.print(std::cout);
           });
  });
  auto* elogs = ex->add_subcommand("logs", "Print a node's log lines");
  add_common(elogs, *o);
  elogs->add_option("id", (*args)["id"])->required();
  elogs->add_option("node", (*args)["node"])->required();
  elogs->add_flag("--follow,-f", *follow, "keep printing new lines until the node finishes");
  elogs->callback([o, args, follow, &state] {
    ApiClient c = make_client(*o);
    int64_t after = 0;
    // Bounded: at most 24 h of following.
    for (int round = 0; round < 24 * 3600 * 2; ++round) {
      auto r = c.get("/api/v1/executions/" + url_encode((*args)["id"]) + "/nodes/" +
                     url_encode((*args)["node"]) + "/logs?after=" + std::to_string(after));
      if (!r) {
        std::cerr << "error: " << r.error().message << "\n";
        state.exit_code = 1;
        return;
      }
      for (const auto& line : r->value("items", Json::array())) {
        after = std::max<int64_t>(after, line.value("seq", int64_t{0}));
        if (o->json) std::cout << line.dump() << "\n";
        else std::cout << text(line, "message") << "\n";
      }
      std::cout << std::flush;
      const std::string st = r->value("node_status", "");
      const bool done = st != "running" && st != "queued" && st != "pending" && st != "waiting";
      if (!*follow || (done && r->value("items", Json::array()).empty())) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  });
  auto* ecancel = ex->add_subcommand("cancel", "Cancel a running execution");
  add_common(ecancel, *o);
  ecancel->add_option("id", (*args)["id"])->required();
  ecancel->add_option("--reason", (*args)["reason"]);
  ecancel->callback([o, args, &state] {
    Json body{{"reason", (*args)["reason"].empty() ? "cancelled from the CLI" : (*args)["reason"]}};
    finish(make_client(*o).post("/api/v1/executions/" + url_encode((*args)["id"]) + "/cancel", body),
           *o, state, print_object);
  });
  auto*ererun = ex->add_subcommand("rerun", "Rerun an execution (from a checkpoint, or failed nodes only)");
  add_common(ererun, *o);
  ererun->add_option("id", (*args)["id"])->required();
  ererun->add_option("--checkpoint", (*args)["checkpoint_id"]);
  ererun->add_flag("--failed-only", *failed_only);
  ererun->callback([o, args, failed_only, &state] {
    Json body = Json::object();
    if (!(*args)["checkpoint_id"].empty()) body["checkpoint_id"] = (*args)["checkpoint_id"];
    if (*failed_only) body["failed_only"] = true;
    finish(make_client(*o).post("/api/v1/executions/" + url_encode((*args)["id"]) + "/rerun", body),
           *o, state, print_object);
  });
}

}  // namespace opz::cli
