// Header lists as the OpenTelemetry exporters spell them in
// OTEL_EXPORTER_OTLP_HEADERS: "key1=value1,key2=value2" (the W3C Baggage
// list format without properties), values percent-encoded. Used by the OTLP
// trace export's `otlp-export-headers` option.
//
// Contract: entries are separated by ','; surrounding spaces and tabs of keys
// and values are trimmed; empty entries (",,", a trailing ',') are skipped.
// A key must be an HTTP header name (RFC 9110 token characters); a value is
// percent-decoded ('+' stays '+') and must not contain CR, LF or NUL (a
// header line must not be split). An entry without '=' or with an empty key
// is refused. Keys keep their order and their case; a repeated key is sent
// twice. Errors are kValidation naming `field`, quoting the entry's position,
// never the value (it may be a credential). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace opz {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

Result<HeaderList> parse_header_list(std::string_view text, std::string_view field);

}  // namespace opz
