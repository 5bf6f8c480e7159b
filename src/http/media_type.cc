#include "http/media_type.h"

#include <strings.h>

namespace opz::http {

namespace {

// RFC 9110 token characters.
bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

void skip_ows(std::string_view& s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
}

std::optional<std::string> take_token(std::string_view& s) {
  size_t n = 0;
  while (n < s.size() && is_tchar(s[n])) ++n;
  if (n == 0) return std::nullopt;
  std::string out(s.substr(0, n));
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  s.remove_prefix(n);
  return out;
}

std::optional<std::string> take_quoted(std::string_view& s) {
  std::string out;
  s.remove_prefix(1);  // the opening quote
  while (!s.empty()) {
    char c = s.front();
    s.remove_prefix(1);
    if (c == '"') return out;
    if (c == '\\') {
      if (s.empty()) return std::nullopt;
      c = s.front();
      s.remove_prefix(1);
    }
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) return std::nullopt;
    out += c;
  }
  return std::nullopt;  // unterminated
}

bool parameterless_or_utf8(const std::optional<MediaType>& m) {
  if (!m) return false;
  for (const auto& [name, value] : m->parameters) {
    if (name != "charset" || strcasecmp(value.c_str(), "utf-8") != 0) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string_view> MediaType::parameter(std::string_view name) const {
  for (const auto& [n, v] : parameters)
    if (n == name) return std::string_view(v);
  return std::nullopt;
}

std::optional<MediaType> parse_media_type(std::string_view s) {
  skip_ows(s);
  MediaType m;
  auto type = take_token(s);
  if (!type || s.empty() || s.front() != '/') return std::nullopt;
  s.remove_prefix(1);
  auto subtype = take_token(s);
  if (!subtype) return std::nullopt;
  m.type = std::move(*type);
  m.subtype = std::move(*subtype);
  while (true) {
    skip_ows(s);
    if (s.empty()) return m;
    if (s.front() != ';') return std::nullopt;
    s.remove_prefix(1);
    skip_ows(s);
    if (s.empty()) return m;  // a trailing ';' is tolerated, as browsers do
    auto name = take_token(s);
    if (!name || s.empty() || s.front() != '=') return std::nullopt;
    s.remove_prefix(1);
    std::optional<std::string> value;
    if (!s.empty() && s.front() == '"') {
      value = take_quoted(s);
    } else {
      size_t n = 0;
      while (n < s.size() && is_tchar(s[n])) ++n;
      if (n > 0) value = std::string(s.substr(0, n));
      s.remove_prefix(n);
    }
    if (!value) return std::nullopt;
    m.parameters.emplace_back(std::move(*name), std::move(*value));
  }
}

bool is_json_media_type(std::string_view header) {
  auto m = parse_media_type(header);
  return m && m->type == "application" && m->subtype == "json" && parameterless_or_utf8(m);
}

bool is_form_media_type(std::string_view header) {
  auto m = parse_media_type(header);
  return m && m->type == "application" && m->subtype == "x-www-form-urlencoded" &&
         parameterless_or_utf8(m);
}

}  // namespace opz::http
