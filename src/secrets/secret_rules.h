// What a secret's name and value may be (issue 12 "Bad input"): a name is an
// environment variable name of [A-Z_][A-Z0-9_]*, at most 128 characters, not
// starting with OPZENIX_ (the server's own step variables); a value is at
// most 64 KiB and holds no NUL byte (a process environment cannot carry one).
// kValidation naming the field ("name" / "value"); messages never quote a
// value. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/result.h"

namespace opz::secrets {

inline constexpr size_t kMaxSecretNameLength = 128;
inline constexpr size_t kMaxSecretValueBytes = 64 * 1024;

Status check_secret_name(std::string_view name);
Status check_secret_value(std::string_view value);

}  // namespace opz::secrets
