// Roles of the seeds' RBAC model (004 "app_role"): admin > operator > viewer.
//
// Header-only (no store, no I/O) so that pure modules such as governance can
// name roles without linking opz_auth. Roles are ordered: a higher role may do
// everything a lower one may, so `role >= Role::kOperator` reads as "operator
// or admin".
#pragma once

#include <optional>
#include <string_view>

namespace opz::auth {

enum class Role { kViewer = 0, kOperator = 1, kAdmin = 2 };

inline std::string_view to_string(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kOperator:
      return "operator";
    case Role::kViewer:
      return "viewer";
  }
  return "viewer";
}

inline std::optional<Role> parse_role(std::string_view text) {
  if (text == "admin") return Role::kAdmin;
  if (text == "operator") return Role::kOperator;
  if (text == "viewer") return Role::kViewer;
  return std::nullopt;
}

}  // namespace opz::auth
