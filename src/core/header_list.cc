#include "core/header_list.h"

#include "core/form_encoding.h"

namespace opz {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 9110 token characters.
bool is_token_char(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

}  // namespace

Result<HeaderList> parse_header_list(std::string_view text, std::string_view field) {
  HeaderList out;
  const std::string name(field);
  int position = 0;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    std::string_view entry = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (entry.empty()) continue;
    ++position;
    const std::string where = name + ": entry " + std::to_string(position);
    const size_t eq = entry.find('=');
    if (eq == std::string_view::npos)
      return Error::validation(where + " must be key=value", name);
    const std::string_view key = trim(entry.substr(0, eq));
    if (key.empty()) return Error::validation(where + " has an empty header name", name);
    for (unsigned char c : key) {
      if (!is_token_char(c))
        return Error::validation(where + " has a header name with a character not allowed in "
                                         "HTTP header names",
                                 name);
    }
    auto value = percent_decode(trim(entry.substr(eq + 1)));
    if (!value) return Error::validation(where + " has a malformed %-escape in its value", name);
    for (char c : *value) {
      if (c == '\r' || c == '\n' || c == '\0')
        return Error::validation(where + " has a line break in its value", name);
    }
    out.emplace_back(std::string(key), std::move(*value));
  }
  return out;
}

}  // namespace opz
