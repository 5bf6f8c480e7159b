// The field types of OTLP's protobuf-JSON encoding (opentelemetry-proto,
// "JSON Protobuf Encoding"), read with errors that name the item's path:
//   * trace and span ids: hex strings (OTLP's deviation from proto3 JSON,
//     which would use base64), 32 and 16 hex digits, case-insensitive;
//   * fixed64/int64 (times in Unix nanoseconds, intValue): a decimal string
//     (proto3 JSON's form for 64-bit integers) or a JSON number;
//   * AnyValue: {"stringValue"|"boolValue"|"intValue"|"doubleValue"|
//     "bytesValue"|"arrayValue"|"kvlistValue"} into plain JSON;
//   * enums: their number or their name.
// Pure functions, no I/O. Every error is kMalformed with `field` = the path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/json.h"
#include "core/result.h"

namespace opz::telemetry {

// The error of one item: kMalformed, "{path} {what}", with `field` = the path.
Error malformed_at(const std::string& path, const std::string& what);

// Nesting limit of arrayValue/kvlistValue inside one attribute.
inline constexpr int kMaxAnyValueDepth = 16;

// A hex id of `hex_digits` digits, lower-cased. `required`: absent, empty and
// all-zero ids are errors (OTLP calls those invalid); otherwise they read as "".
Result<std::string> read_hex_id(const Json& parent, std::string_view key, size_t hex_digits,
                                bool required, const std::string& path);

// An unsigned 64-bit integer (string or number); nullopt when absent.
Result<std::optional<uint64_t>> read_uint64(const Json& parent, std::string_view key,
                                            const std::string& path);

// An enum given as its number or as one of `names` (index = number);
// nullopt when absent.
Result<std::optional<int64_t>> read_enum(const Json& parent, std::string_view key,
                                         std::initializer_list<std::string_view> names,
                                         const std::string& path);

// An optional string field ("" when absent).
Result<std::string> read_string(const Json& parent, std::string_view key, const std::string& path);

// One AnyValue as plain JSON (an empty AnyValue is null).
Result<Json> read_any_value(const Json& value, const std::string& path, int depth = 0);

// A KeyValue list ([{key, value}]) as one JSON object (a repeated key: the
// last wins). An absent list is {}.
Result<Json> read_attributes(const Json& parent, std::string_view key, const std::string& path,
                             int depth = 0);

// Unix nanoseconds as the stored time text ("2024-01-15T10:30:00.123Z").
std::string unix_nanos_to_time(uint64_t nanos);

}  // namespace opz::telemetry
