#include "pipeline/topology.h"

#include <algorithm>
#include <functional>
#include <queue>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace opz::pipeline {
namespace {

std::unordered_map<std::string_view, size_t> index_by_id(const std::vector<Node>& nodes) {
  std::unordered_map<std::string_view, size_t> index;
  index.reserve(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) index.emplace(nodes[i].id, i);
  return index;
}

// Every node left with unsatisfied needs after Kahn's algorithm has a need
// that is also left; walking those needs must revisit a node, closing a cycle.
std::vector<size_t> find_cycle(const std::vector<Node>& nodes,
                               const std::unordered_map<std::string_view, size_t>& index,
                               const std::vector<size_t>& remaining) {
  size_t start = 0;
  while (remaining[start] == 0) ++start;
  std::vector<size_t> walk;
  std::unordered_map<size_t, size_t> position;
  size_t current = start;
  while (!position.count(current)) {
    position.emplace(current, walk.size());
    walk.push_back(current);
    for (const std::string& need : nodes[current].needs) {
      auto next = index.find(need);
      if (next != index.end() && remaining[next->second] > 0) {
        current = next->second;
        break;
      }
    }
  }
  // walk[position[current]..] is the cycle in "needs" direction; reverse it
  // into run order and start at the earliest declared node.
  std::vector<size_t> cycle(walk.begin() + static_cast<std::ptrdiff_t>(position[current]),
                            walk.end());
  std::reverse(cycle.begin(), cycle.end());
  std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
  return cycle;
}

}  // namespace

void check_needs(std::vector<Node>& nodes, const std::vector<std::vector<std::string>>& need_paths,
                 Diagnostics& diag) {
  auto index = index_by_id(nodes);
  for (size_t i = 0; i < nodes.size(); ++i) {
    std::vector<std::string> kept;
    std::unordered_set<std::string_view> seen;
    for (size_t k = 0; k < nodes[i].needs.size(); ++k) {
      const std::string& need = nodes[i].needs[k];
      const std::string& path = need_paths[i][k];
      if (need == nodes[i].id) {
        diag.report(path, "node '" + need + "' cannot need itself");
      } else if (!index.count(need)) {
        diag.report(path, "unknown node '" + need + "'");
      } else if (seen.insert(need).second) {
        kept.push_back(need);
      }
    }
    nodes[i].needs = std::move(kept);
  }
}

bool order_topologically(std::vector<Node>& nodes, const std::vector<std::string>& node_paths,
                         Diagnostics& diag) {
  auto index = index_by_id(nodes);
  std::vector<size_t> remaining(nodes.size(), 0);
  std::vector<std::vector<size_t>> dependents(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (const std::string& need : nodes[i].needs) {
      auto it = index.find(need);
      if (it == index.end() || it->second == i) continue;  // check_needs reports these
      dependents[it->second].push_back(i);
      ++remaining[i];
    }
  }
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (size_t i = 0; i < nodes.size(); ++i)
    if (remaining[i] == 0) ready.push(i);
  std::vector<size_t> order;
  order.reserve(nodes.size());
  while (!ready.empty()) {
    size_t next = ready.top();
    ready.pop();
    order.push_back(next);
    for (size_t dependent : dependents[next])
      if (--remaining[dependent] == 0) ready.push(dependent);
  }
  if (order.size() < nodes.size()) {
    std::vector<size_t> cycle = find_cycle(nodes, index, remaining);
    std::string text;
    for (size_t i : cycle) text += nodes[i].id + " → ";
    text += nodes[cycle.front()].id;
    diag.report(node_paths[cycle.front()], "cycle in needs: " + text, true);
    return false;
  }
  std::vector<Node> sorted;
  sorted.reserve(nodes.size());
  for (size_t i : order) sorted.push_back(std::move(nodes[i]));
  nodes = std::move(sorted);
  return true;
}

}  // namespace opz::pipeline
