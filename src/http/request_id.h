// X-Request-Id policy: keep the client's id when it is sane, else make one.
//
// Sane = 1..128 characters from [A-Za-z0-9._-] (so it is safe to log and to
// echo in a header). Anything else is replaced by a fresh UUID; the rejected
// value is never echoed. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace opz::http {

bool is_sane_request_id(std::string_view id);

// `given` when sane, otherwise opz::new_uuid().
std::string accept_request_id(std::string_view given);

}  // namespace opz::http
