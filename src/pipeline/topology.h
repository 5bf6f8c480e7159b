// Topology: the graph checks shared by every front-end once all nodes are
// read: needs naming unknown nodes or the node itself, cycles, and the stable
// topological order the model promises (every node after all its needs; ties
// keep declaration order). O((nodes + edges) log nodes). Pure; thread-compatible.
#pragma once

#include <string>
#include <vector>

#include "pipeline/diagnostics.h"
#include "pipeline/model.h"

namespace opz::pipeline {

// `need_paths[i][k]` is where `nodes[i].needs[k]` was written. Reports
// "<path>: unknown node 'x'" and "<path>: node 'a' cannot need itself", then
// drops those entries and duplicate needs. Node ids must be unique.
void check_needs(std::vector<Node>& nodes, const std::vector<std::vector<std::string>>& need_paths,
                 Diagnostics& diag);

// Sorts `nodes` topologically. Needs must name existing other nodes (see
// check_needs). On a cycle reports "<path>: cycle in needs: a → b → c → a" at
// the key of the cycle's first declared node (the arrows follow the run order:
// b needs a), leaves `nodes` unchanged and returns false. Only one cycle is
// reported.
bool order_topologically(std::vector<Node>& nodes, const std::vector<std::string>& node_paths,
                         Diagnostics& diag);

}  // namespace opz::pipeline
