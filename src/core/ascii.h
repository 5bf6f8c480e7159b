#pragma once
// ASCII case folding, independent of the C locale: what protocol names (HTTP header names, URL
// schemes and hosts, GitHub repository names, environment names, PostgREST keywords) need.
// Bytes outside A-Z, UTF-8 sequences included, are left as they are.

#include <string>
#include <string_view>

namespace opz {

constexpr char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

// A C0 control character or DEL: what names, reasons and environment values may not hold
// (a step sees some of them as environment variables; a log line or header would break).
constexpr bool is_ascii_control(char c) {
  return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
}

// Where the first control character of `text` is; npos when it has none.
inline size_t find_ascii_control(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i)
    if (is_ascii_control(text[i])) return i;
  return std::string_view::npos;
}

}  // namespace opz
