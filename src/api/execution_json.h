// JSON views of executions, nodes, log lines, events, checkpoints, artifacts
// and flow templates as the API shows them (seed column names).
#pragma once

#include "core/json.h"
#include "store/execution_store.h"
#include "store/flow_template_store.h"

namespace opz::api {

Json to_json(const store::ExecutionRecord& e);
Json to_json(const store::ExecutionNodeRecord& n);
Json to_json(const store::ExecutionDetail& d);
Json to_json(const store::LogLineRecord& l);
Json to_json(const store::StateEventRecord& e);
Json to_json(const store::CheckpointRecord& c);
Json to_json(const store::ArtifactRecord& a);
Json to_json(const store::ApprovalRequestRecord& a);
Json to_json(const store::FlowTemplateRecord& t);

}  // namespace opz::api
