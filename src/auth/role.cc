#include "auth/role.h"

namespace opz::auth {

std::string_view to_string(Role role) {
  switch (role) {
    case Role::kAdmin: return "admin";
    case Role::kOperator: return "operator";
    case Role::kViewer: return "viewer";
  }
  return "viewer";
}

std::optional<Role> parse_role(std::string_view text) {
  if (text == "admin") return Role::kAdmin;
  if (text == "operator") return Role::kOperator;
  if (text == "viewer") return Role::kViewer;
  return std::nullopt;
}

}  // namespace opz::auth
