// Fuzz target for the pipeline front-ends: any bytes given to
// parse_pipeline_yaml / validate_pipeline_yaml (and, when they are JSON with
// nodes/edges, to the flow-template compiler) must produce a Pipeline or
// errors, never a crash, hang or exception. Valid pipelines must also survive
// the canonical JSON round trip unchanged and run to completion in a Plan.
// Without libFuzzer it replays fuzz/corpus/pipeline_yaml_fuzz/ as a test.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/json.h"
#include "pipeline/flow_template.h"
#include "pipeline/pipeline_json.h"
#include "pipeline/pipeline_yaml.h"
#include "pipeline/plan.h"

namespace {

using namespace opz::pipeline;

void check(bool condition) {
  if (!condition) std::abort();
}

// Runs the whole execution; every third node fails. Bounded by the node count.
void simulate(const Pipeline& pipeline) {
  Plan plan(pipeline, {.max_parallel = 3, .fail_fast = false}, {"main", "", "Production"});
  plan.start();
  size_t completions = 0;
  std::vector<size_t> running;
  while (!plan.finished()) {
    for (size_t node : plan.take_ready()) running.push_back(node);
    check(!running.empty());
    size_t node = running.back();
    running.pop_back();
    NodeResult result = completions % 3 == 2 ? NodeResult::kFailed : NodeResult::kSuccess;
    check(plan.complete(node, result).ok());
    check(++completions <= pipeline.nodes.size());
  }
  check(plan.progress() == 100);
}

void check_pipeline(const Pipeline& pipeline) {
  opz::Json canonical = to_json(pipeline);
  auto back = pipeline_from_json(opz::Json::parse(opz::dump_json(canonical), nullptr, false));
  check(back.ok() && *back == pipeline);
  simulate(pipeline);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  ValidationReport report = validate_pipeline_yaml(text);
  auto parsed = parse_pipeline_yaml(text);
  check(parsed.ok() == report.valid);
  check(report.valid || !report.errors.empty());
  (void)opz::dump_json(report.to_json());
  if (parsed.ok()) check_pipeline(*parsed);

  // JSON inputs with nodes/edges also exercise the flow-template front-end.
  auto json = opz::parse_json(text);
  if (json.ok() && json->is_object() && json->contains("nodes")) {
    const opz::Json& nodes = (*json)["nodes"];
    const opz::Json edges = json->contains("edges") ? (*json)["edges"] : opz::Json();
    auto flow = compile_flow_template(nodes, edges, "fuzz");
    check(flow.ok() == validate_flow_template(nodes, edges).valid);
    if (flow.ok()) check_pipeline(*flow);
  }
  return 0;
}
