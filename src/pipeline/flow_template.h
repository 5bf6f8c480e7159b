// The flow-template front-end: the React Flow graph the visual builder saves
// (flow_templates.nodes / .edges) -> the same validated Pipeline as opzenix.yml.
//
//   nodes: [{"id": "build", "type": "build", "position": {...},
//            "data": {"label": "Build", "run": "make", "retry": true, ...}}]
//   edges: [{"id": "e1", "source": "build", "target": "test"}]   test needs build
//
// `type` is the node type (default "run"); `data` holds `label` (the display
// name) and the node fields of opzenix.yml except type/name/needs (see
// node_reader.h). Other React Flow properties of nodes and edges (position,
// width, selected, sourceHandle, animated, ...) are ignored; unknown keys in
// `data` are errors. Problems are kValidation errors whose field is the JSON
// path ("nodes[3].data.retry", "edges[2].target"), also at the start of the
// message. Pure functions; thread-safe.
#pragma once

#include <string>

#include "core/json.h"
#include "core/result.h"
#include "pipeline/model.h"
#include "pipeline/validation_report.h"

namespace opz::pipeline {

// The pipeline (named `name`), or the first problem.
Result<Pipeline> compile_flow_template(const Json& nodes, const Json& edges, std::string name);

// Every independent problem, plus the DAG summary.
ValidationReport validate_flow_template(const Json& nodes, const Json& edges);

}  // namespace opz::pipeline
