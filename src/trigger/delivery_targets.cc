#include "trigger/delivery_targets.h"

namespace opz::trigger {

namespace {

std::vector<std::string> strings_of(const Json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const Json& s : *it)
    if (s.is_string()) out.push_back(s.get<std::string>());
  return out;
}

}  // namespace

Json DeliveryTargets::to_json() const {
  return Json{{"projects", project_ids}, {"skipped", skipped}};
}

std::optional<DeliveryTargets> DeliveryTargets::from_headers(const Json& headers) {
  if (!headers.is_object()) return std::nullopt;
  auto it = headers.find(std::string(kTargetsKey));
  if (it == headers.end() || !it->is_object()) return std::nullopt;
  DeliveryTargets t;
  t.project_ids = strings_of(*it, "projects");
  t.skipped = strings_of(*it, "skipped");
  if (t.project_ids.empty()) return std::nullopt;
  return t;
}

}  // namespace opz::trigger
