// Request-target parsing: splits an origin-form target ("/a/b%20c?x=1&y")
// into its raw path, its percent-decoded path and a decoded query map.
//
// Contract: only origin-form targets are accepted (they start with '/');
// absolute-form, authority-form and "*" are kMalformed. A '%' not followed by
// two hex digits is kMalformed, and so is a decoded NUL byte anywhere. In the
// query, '+' means a space; a key without '=' has the empty value; empty keys
// are skipped; when a key repeats, the last value wins. The fragment ('#...'),
// which clients should never send, is dropped.
// Pure functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/form_encoding.h"
#include "core/result.h"

namespace opz::http {

struct Target {
  std::string raw_path;  // as sent, still percent-encoded (what the Router matches)
  std::string path;      // percent-decoded
  std::map<std::string, std::string> query;
};

// Percent decoding and query pairs are core/form_encoding.h's.
using opz::percent_decode;
inline Result<std::map<std::string, std::string>> parse_query(std::string_view query) {
  return parse_form(query);
}

Result<Target> parse_target(std::string_view target);

}  // namespace opz::http
