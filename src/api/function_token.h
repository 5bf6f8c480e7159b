// Shared-token checks of the routes machines call with a configured secret in
// a header instead of a user's token (the seeds' ops functions and the OTLP
// receiver: x-ops-ingest-token, x-ops-advisory-token). The two sides are
// hashed before a constant-time compare, so neither the content nor the
// length of the configured token leaks through timing.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "http/message.h"

namespace opz::api {

// True when `given` equals `expected` (constant time over their hashes).
bool same_secret(std::string_view given, std::string_view expected);

// kUnavailable (503) naming `option` and `env` when no token is configured;
// kUnauthenticated (401) when `header` is missing or does not match.
Status check_function_token(const http::Request& req, const std::string& configured,
                            std::string_view header, std::string_view option, std::string_view env);

}  // namespace opz::api
