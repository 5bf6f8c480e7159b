#include "secrets/secret_rules.h"

#include <string>

namespace opz::secrets {

Status check_secret_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxSecretNameLength)
    return Error::validation("a secret name is 1 to " + std::to_string(kMaxSecretNameLength) +
                                 " characters",
                             "name");
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
    if (!ok)
      return Error::validation(
          "a secret name is an environment variable name: [A-Z_][A-Z0-9_]* (upper case letters, "
          "digits and '_', not starting with a digit)",
          "name");
  }
  if (name.starts_with("OPZENIX_"))
    return Error::validation("names starting with OPZENIX_ are the server's own step variables",
                             "name");
  return {};
}

Status check_secret_value(std::string_view value) {
  if (value.size() > kMaxSecretValueBytes)
    return Error::validation("a secret value is at most 64 KiB (65536 bytes), got " +
                                 std::to_string(value.size()),
                             "value");
  if (value.find('\0') != std::string_view::npos)
    return Error::validation("a secret value cannot hold a NUL character (\\u0000)", "value");
  return {};
}

}  // namespace opz::secrets
