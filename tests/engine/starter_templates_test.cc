// The five starter templates of migration 014 run green: each compiles as a
// flow template and, on a real engine and LocalRunner, every node's commands
// succeed (approval gates are approved when they wait; deploy nodes run
// their command here, without the deploy handler).
#include <gtest/gtest.h>

#include "engine_fixture.h"
#include "pipeline/flow_template.h"
#include "store/pipeline_template_store.h"

namespace opz::engine {
namespace {

class StarterTemplatesTest : public EngineFixture {};

TEST_F(StarterTemplatesTest, EveryStarterTemplateRunsGreen) {
  start_engine();
  ManualClock clock;
  auto templates = store::PipelineTemplateStore(*db_, clock).list({});
  ASSERT_TRUE(templates.ok()) << templates.error().to_string();
  ASSERT_EQ(templates->size(), 5u);
  for (const auto& t : *templates) {
    SCOPED_TRACE(t.name);
    auto compiled = pipeline::compile_flow_template(t.nodes, t.edges, t.name);
    ASSERT_TRUE(compiled.ok()) << compiled.error().to_string();
    NewExecution r;
    r.pipeline = *compiled;
    r.environment = "Development";
    r.started_by = "tester";
    const std::string id = submit(std::move(r));
    for (const auto& n : compiled->nodes) {
      if (n.type != pipeline::NodeType::kApproval) continue;
      ASSERT_TRUE(wait_node(id, n.id, "waiting")) << describe(id);
      ASSERT_TRUE(engine_->resolve_approval(id, n.id, true, "carol", "ok").ok());
    }
    ASSERT_EQ(wait_finished(id), "success") << describe(id);
    for (const auto& n : detail(id).nodes) EXPECT_EQ(n.status, "success") << n.node_id;
  }
}

}  // namespace
}  // namespace opz::engine
