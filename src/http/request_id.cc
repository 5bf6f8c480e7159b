#include "http/request_id.h"

#include <algorithm>

#include "core/ids.h"

namespace opz::http {

bool is_sane_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

std::string accept_request_id(std::string_view given) {
  return is_sane_request_id(given) ? std::string(given) : new_uuid();
}

}  // namespace opz::http
