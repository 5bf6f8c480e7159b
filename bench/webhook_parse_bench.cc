// The CPU of one webhook delivery's body on the HTTP thread: verifying its
// signature and parsing it (github::parse_webhook_event: the skim that builds
// only the members Opzenix reads, then the typed event), against the anchor,
// nlohmann's full parse of the same body. The body is GitHub's own push
// example (@octokit/webhooks-examples, push #4, 7.7 KB compact), as the
// server benchmark sends it (bench/webhook_bench.sh ... octokit); set
// OPZ_OCTOKIT_EXAMPLES to its api.github.com/index.json (installed by
// tests/integration/octokit/setup.sh). Figures: docs/performance.md.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "core/json.h"
#include "github/signature.h"
#include "github/webhook_event.h"

namespace {

const std::string& push_body() {
  static const std::string body = [] {
    const char* path = std::getenv("OPZ_OCTOKIT_EXAMPLES");
    if (!path) return std::string();
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    const opz::Json index = opz::Json::parse(text.str(), nullptr, false);
    if (!index.is_array()) return std::string();
    for (const opz::Json& e : index)
      if (e.value("name", "") == "push" && e["examples"].size() > 4) return e["examples"][4].dump();
    return std::string();
  }();
  return body;
}

bool skip_without_body(benchmark::State& state) {
  if (!push_body().empty()) return false;
  state.SkipWithError("set OPZ_OCTOKIT_EXAMPLES to @octokit/webhooks-examples' index.json");
  return true;
}

void BM_ParseWebhookEvent(benchmark::State& state) {
  if (skip_without_body(state)) return;
  for (auto _ : state) {
    auto event = opz::github::parse_webhook_event("push", push_body());
    if (!event) state.SkipWithError(event.error().message.c_str());
    benchmark::DoNotOptimize(event);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * push_body().size()));
}
BENCHMARK(BM_ParseWebhookEvent);

// The anchor: every member built.
void BM_NlohmannFullParse(benchmark::State& state) {
  if (skip_without_body(state)) return;
  for (auto _ : state) benchmark::DoNotOptimize(opz::Json::parse(push_body()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * push_body().size()));
}
BENCHMARK(BM_NlohmannFullParse);

void BM_VerifySignature(benchmark::State& state) {
  if (skip_without_body(state)) return;
  const std::string secret = "bench-webhook-secret";
  const std::string header = opz::github::sign(secret, push_body());
  for (auto _ : state)
    benchmark::DoNotOptimize(opz::github::verify_signature(secret, push_body(), header));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * push_body().size()));
}
BENCHMARK(BM_VerifySignature);

}  // namespace
