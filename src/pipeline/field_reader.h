// Typed reads from a decoded pipeline definition (Json from YAML or from a
// flow template). Each reader reports one precise problem to Diagnostics for
// a value it cannot use ("nodes.build.timeout: invalid duration 'banana' ...")
// and answers std::nullopt; the caller then keeps its default and goes on, so
// one validation collects every independent problem. Pure; thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/json.h"
#include "pipeline/diagnostics.h"

namespace opz::pipeline {

// "a list", "a map", "a number", "a boolean", "a string", "an empty value".
std::string_view json_kind(const Json& value);
// The member `key` of a JSON object, or nullptr when it has none.
inline const Json* member(const Json& object, std::string_view key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// A string of at most `max_bytes` bytes without NUL characters; empty strings
// are refused unless `allow_empty`.
std::optional<std::string> read_string(const Json& value, const std::string& path,
                                       Diagnostics& diag, size_t max_bytes,
                                       bool allow_empty = false);
std::optional<bool> read_bool(const Json& value, const std::string& path, Diagnostics& diag);
std::optional<int64_t> read_int(const Json& value, const std::string& path, Diagnostics& diag,
                                int64_t min, int64_t max);
// A duration string ("2s", "5m", "1h30m") or a whole number of seconds, within [min, max].
std::optional<Millis> read_duration(const Json& value, const std::string& path, Diagnostics& diag,
                                    Millis min, Millis max);
// A map of environment variable names to values; numbers and booleans keep
// the text they were written as, an empty value becomes "".
std::optional<std::map<std::string, std::string>> read_env(const Json& value,
                                                           const std::string& path,
                                                           Diagnostics& diag);
// True when `value` is a map; otherwise reports "<path>: must be a map, got ...".
bool expect_map(const Json& value, const std::string& path, Diagnostics& diag);
// Reports every key of `object` not in `allowed`, at the key, naming it,
// suggesting a close allowed key and listing all allowed keys.
void check_keys(const Json& object, const std::string& path,
                std::span<const std::string_view> allowed, Diagnostics& diag);

}  // namespace opz::pipeline
