// Gzip bodies for the OTLP receiver (`Content-Encoding: gzip`, which the
// OpenTelemetry exporters send when compression is on): RFC 1952 members
// decompressed with a hard limit on the decompressed size, so a small body
// that inflates to gigabytes (a zip bomb) costs at most `max_output` bytes of
// memory and is refused the moment it passes the limit.
//
// Errors: kTooLarge when the output would exceed `max_output`; kMalformed for
// anything that is not gzip (bad magic, an unknown method, a truncated
// stream, a CRC-32 or length that does not match). Concatenated members are
// decoded one after another (RFC 1952 allows it). Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace opz::telemetry {

Result<std::string> gunzip(std::string_view compressed, size_t max_output);

}  // namespace opz::telemetry
