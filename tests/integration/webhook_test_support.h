// Shared by the webhook, git polling and octokit integration tests: signing
// deliveries (libsodium's HMAC-SHA256, independent of the server's OpenSSL
// code), sending them, waiting for asynchronous outcomes, and a project whose
// repository is a real local bare git repository with an opzenix.yml.
#pragma once

#include <gtest/gtest.h>
#include <sodium.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "support/database_probe.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "trigger/git_repo_fixture.h"

namespace opz::testing::webhooks {

using nlohmann::json;

inline std::string hmac_sha256_header(const std::string& secret, const std::string& body) {
  if (sodium_init() < 0) return {};
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  crypto_auth_hmacsha256_final(&st, mac);
  static const char* hex = "0123456789abcdef";
  std::string out = "sha256=";
  for (unsigned char c : mac) {
    out.push_back(hex[c >> 4]);
    out.push_back(hex[c & 15]);
  }
  return out;
}

inline HttpResult send_delivery(const HttpClient& c, const std::string& path,
                                const std::string& event, const std::string& guid,
                                const std::string& body, const std::string& signature) {
  std::vector<std::string> headers = {"Content-Type: application/json",
                                      "User-Agent: GitHub-Hookshot/test", "X-GitHub-Hook-ID: 4242"};
  if (!event.empty()) headers.push_back("X-GitHub-Event: " + event);
  if (!guid.empty()) headers.push_back("X-GitHub-Delivery: " + guid);
  if (!signature.empty()) headers.push_back("X-Hub-Signature-256: " + signature);
  return c.request("POST", path, body, headers);
}

// Polls `check` until it answers true (bounded).
inline bool wait_for(const std::function<bool()>& check,
                     std::chrono::milliseconds max = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + max;
  while (std::chrono::steady_clock::now() < deadline) {
    if (check()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return check();
}

// Waits until webhook delivery `delivery_id` is no longer pending (bounded);
// answers its row as GET /api/v1/webhooks/deliveries/{id} shows it.
inline json processed_delivery(const HttpClient& reader, const std::string& delivery_id) {
  json row;
  wait_for([&] {
    auto r = reader.get("/api/v1/webhooks/deliveries/" + delivery_id);
    row = r.json();
    return r.status == 200 && row.value("outcome", "pending") != "pending";
  });
  return row;
}

// Waits (bounded) until execution `id` ended (success, warning, failed or
// cancelled); answers it as GET /api/v1/executions/{id} shows it then.
inline json finished_execution(const HttpClient& reader, const std::string& id,
                               std::chrono::milliseconds max = std::chrono::seconds(30)) {
  json e;
  wait_for(
      [&] {
        e = reader.get("/api/v1/executions/" + id).json();
        const std::string s = e.value("status", "");
        return s == "success" || s == "warning" || s == "failed" || s == "cancelled";
      },
      max);
  return e;
}

// COUNT(*) with a WHERE clause, read from the server's database (either backend).
using testing::count_rows;

inline std::string sq(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "''";
    else
      out += c;
  }
  return out + "'";
}

// A pipeline with CI nodes and a deploy node (dropped for CI-only runs).
inline const char* kPipelineYaml = R"(name: webhook-demo
nodes:
  build:
    type: build
    run: echo building
  test:
    type: test
    needs: build
    run: echo testing
  deploy:
    type: deploy
    needs: test
    run: echo deploying
)";

inline std::string push_body(const std::string& full_name, const std::string& ref,
                             const std::string& before, const std::string& after,
                             const std::string& sender = "mona") {
  const auto slash = full_name.find('/');
  json repo = {{"id", 1},
               {"name", full_name.substr(slash + 1)},
               {"full_name", full_name},
               {"owner", {{"login", full_name.substr(0, slash)}}},
               {"clone_url", "https://github.com/" + full_name + ".git"},
               {"html_url", "https://github.com/" + full_name},
               {"default_branch", "main"}};
  json body = {{"ref", ref},
               {"before", before},
               {"after", after},
               {"created", false},
               {"deleted", after == std::string(40, '0')},
               {"forced", false},
               {"commits", json::array({{{"id", after}, {"message", "change"}}})},
               {"head_commit", {{"id", after}, {"message", "change"}}},
               {"pusher", {{"name", sender}}},
               {"repository", repo},
               {"sender", {{"login", sender}}}};
  return body.dump();
}

}  // namespace opz::testing::webhooks
