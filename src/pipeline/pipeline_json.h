// The canonical JSON form of a Pipeline, stored with every execution so that
// reruns and crash recovery use exactly the definition the execution started
// with (not whatever opzenix.yml or the template says later).
//
//   {"format": 1, "name": "web", "env": {}, "max_parallel": 0, "fail_fast": false,
//    "timeout_ms": null,
//    "nodes": [{"id": "build", "name": "build", "description": "", "type": "build",
//               "needs": [], "steps": [{"name": "run", "run": "make"}], "env": {},
//               "timeout_ms": null,
//               "retry": {"max_attempts": 1, "initial_ms": 2000, "max_ms": 60000},
//               "if": null, "environment": "", "checkpoint": true,
//               "continue_on_error": false, "with": {}, "line": 3}]}
//
// "if" holds the canonical condition text (Condition::to_string). Contract:
// pipeline_from_json(to_json(p)) == p for every valid Pipeline p. Reading is
// strict (unknown keys, wrong types and a broken graph are kValidation errors
// with the JSON path as field) and never throws. Pure; thread-safe.
#pragma once

#include "core/json.h"
#include "core/result.h"
#include "pipeline/model.h"

namespace opz::pipeline {

inline constexpr int kPipelineJsonFormat = 1;

Json to_json(const Pipeline& pipeline);
Result<Pipeline> pipeline_from_json(const Json& json);

}  // namespace opz::pipeline
