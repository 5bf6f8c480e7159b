// Roles of the seeds' RBAC model (004 "app_role"): admin > operator > viewer.
#pragma once

#include <optional>
#include <string_view>

namespace opz::auth {

enum class Role { kViewer = 0, kOperator = 1, kAdmin = 2 };

std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);

}  // namespace opz::auth
