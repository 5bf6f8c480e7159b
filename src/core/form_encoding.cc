#include "core/form_encoding.h"

namespace opz {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      const int hi = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
      const int lo = hi >= 0 ? hex_value(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return Error::malformed("malformed percent-escape at offset " + std::to_string(i));
      }
      const char decoded = static_cast<char>(hi * 16 + lo);
      if (decoded == '\0') return Error::malformed("percent-escape decodes to a NUL byte");
      out.push_back(decoded);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else if (c == '\0') {
      return Error::malformed("NUL byte in percent-encoded text");
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Result<std::map<std::string, std::string>> parse_form(std::string_view query) {
  std::map<std::string, std::string> out;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view pair = query.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    const std::string_view raw_key = pair.substr(0, eq);
    const std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    OPZ_TRY(std::string key, percent_decode(raw_key, /*plus_is_space=*/true));
    if (key.empty()) continue;
    OPZ_TRY(std::string value, percent_decode(raw_value, /*plus_is_space=*/true));
    out.insert_or_assign(std::move(key), std::move(value));
  }
  return out;
}

}  // namespace opz
