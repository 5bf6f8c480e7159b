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

}  // namespace opz
