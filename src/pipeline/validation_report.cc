#include "pipeline/validation_report.h"

#include <charconv>

namespace opz::pipeline {

std::optional<std::pair<int, int>> line_and_column(const Error& error) {
  const std::string& f = error.field;
  size_t colon = f.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == f.size()) return std::nullopt;
  int line = 0;
  int column = 0;
  auto [line_end, line_ec] = std::from_chars(f.data(), f.data() + colon, line);
  auto [col_end, col_ec] = std::from_chars(f.data() + colon + 1, f.data() + f.size(), column);
  if (line_ec != std::errc() || col_ec != std::errc() || line_end != f.data() + colon ||
      col_end != f.data() + f.size())
    return std::nullopt;
  return std::make_pair(line, column);
}

Json ValidationReport::to_json() const {
  Json errors_json = Json::array();
  for (const Error& e : errors) {
    Json item = {{"code", std::string(error_code_name(e.code))}, {"message", e.message}};
    if (!e.field.empty()) item["field"] = e.field;
    if (auto position = line_and_column(e)) {
      item["line"] = position->first;
      item["column"] = position->second;
    }
    errors_json.push_back(std::move(item));
  }
  return {{"valid", valid},
          {"errors", std::move(errors_json)},
          {"summary", {{"nodes", node_count}, {"edges", edge_count}, {"order", order}}}};
}

}  // namespace opz::pipeline
