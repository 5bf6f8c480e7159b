// ValidationReport: the answer of a "validate this pipeline" request (API and
// CLI): valid or not, every independent problem found (not only the first),
// and a summary of the DAG. Plain value; thread-compatible.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/json.h"

namespace opz::pipeline {

struct ValidationReport {
  bool valid = false;
  std::vector<Error> errors;       // in document order for opzenix.yml
  size_t node_count = 0;           // nodes declared, also when invalid
  size_t edge_count = 0;           // needs relations that name existing nodes
  std::vector<std::string> order;  // node ids in topological order; empty when invalid

  // {"valid": false,
  //  "errors": [{"code": "validation_failed", "message": "...", "field": "7:5",
  //              "line": 7, "column": 5}],          line/column when field is "line:col"
  //  "summary": {"nodes": 6, "edges": 6, "order": ["build", ...]}}
  Json to_json() const;
};

// (line, column) when `error.field` has the "line:col" form of YAML errors.
std::optional<std::pair<int, int>> line_and_column(const Error& error);

}  // namespace opz::pipeline
