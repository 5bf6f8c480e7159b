// The pipeline domain in one include: the DAG model, its front-ends
// (opzenix.yml, flow templates, canonical JSON), conditions, and the pure
// scheduler. Each header states its own contract; all of it is pure (no I/O,
// no clock) and safe to use from any thread on separate objects.
#pragma once

#include "pipeline/condition.h"          // IWYU pragma: export
#include "pipeline/condition_parser.h"   // IWYU pragma: export
#include "pipeline/flow_template.h"      // IWYU pragma: export
#include "pipeline/limits.h"             // IWYU pragma: export
#include "pipeline/model.h"              // IWYU pragma: export
#include "pipeline/node_status.h"        // IWYU pragma: export
#include "pipeline/pipeline_json.h"      // IWYU pragma: export
#include "pipeline/pipeline_yaml.h"      // IWYU pragma: export
#include "pipeline/plan.h"               // IWYU pragma: export
#include "pipeline/validation_report.h"  // IWYU pragma: export
