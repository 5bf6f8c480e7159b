// The opzenix.yml front-end: YAML text -> validated Pipeline.
//
//   name: web                    # optional display name
//   env: {GO_VERSION: "1.22"}    # for every node
//   max_parallel: 4              # 0 or absent = unlimited
//   fail_fast: true
//   timeout: 1h                  # whole execution
//   nodes:                       # a map: node id -> node, like GitHub's jobs:
//     build: {type: build, run: make}
//     test:  {needs: build, steps: [{name: unit, run: make test}], retry: true}
//
// The full format is in docs/pipeline-format.md. Every problem is an
// opz::Error: kMalformed for YAML syntax (field "line:col", 1-based),
// kTooLarge over 1 MiB, kValidation otherwise, with a message starting with
// the path of the value ("nodes.build.retry.max_attempts: ...") and the field
// "line:col" of that value. Pure functions (no I/O, no clock); thread-safe.
#pragma once

#include <string_view>

#include "core/result.h"
#include "pipeline/model.h"
#include "pipeline/validation_report.h"

namespace opz::pipeline {

// The pipeline, or the first problem in document order.
Result<Pipeline> parse_pipeline_yaml(std::string_view text);

// Every independent problem (all unknown keys, all unknown needs, wrong
// types, a cycle, ...) in document order, at most kMaxErrors, plus the DAG
// summary.
ValidationReport validate_pipeline_yaml(std::string_view text);

}  // namespace opz::pipeline
