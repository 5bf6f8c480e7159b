// Log signatures (issue 13 insights): what makes two failures "the same".
//
// A failed node's log tail is reduced to one line — the last line that looks
// like an error — and that line is normalised so that the parts which differ
// from run to run (numbers, hex, UUIDs, IP addresses, paths, timestamps)
// become placeholders:
//
//   "connection refused to 10.0.0.3:5432 after 3012ms"
//   "connection refused to 10.0.0.7:5432 after 2990ms"
//     -> "connection refused to <ip>:<n> after <n>ms"
//
// Pure functions over text; no allocation beyond the answer; linear in the
// input (a hand-written scanner, no regular expressions, so hostile log
// text cannot make it slow). Fuzzed by fuzz/log_signature_fuzz.cc.
#pragma once

#include <string>
#include <string_view>

namespace opz::telemetry {

// The longest signature kept (longer ones are cut at a character boundary).
inline constexpr size_t kMaxSignatureBytes = 200;

// The last non-blank line of `log_tail` that looks like an error (it names
// error, fail, fatal, exception, panic, refused, denied, timeout / timed
// out, cannot, unable, not found, traceback; any case); else its last
// non-blank line; else "". Trailing '\r' and surrounding blanks removed.
std::string last_error_line(std::string_view log_tail);

// `line` with the variable parts replaced, in this order of precedence at
// each position: <uuid>, <ts> (ISO-8601 dates and date-times), <ip> (IPv4),
// <hex> (0x… and runs of 8+ hex digits mixing digits and letters), <path>
// (a token starting with '/', "./", "../" or "~/"), <n> (decimal numbers).
// Runs of blanks collapse to one space; the result is trimmed and cut to
// kMaxSignatureBytes.
std::string normalise_log_line(std::string_view line);

// normalise_log_line(last_error_line(log_tail)), or, when the tail has no
// line, normalise_log_line(fallback) (the engine's failure description).
std::string log_signature(std::string_view log_tail, std::string_view fallback);

}  // namespace opz::telemetry
