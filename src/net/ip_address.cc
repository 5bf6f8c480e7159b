#include "net/ip_address.h"

#include <arpa/inet.h>

#include <vector>

namespace opz::net {

namespace {

bool is_hex_digit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// One inet_aton part: decimal, 0-prefixed octal or 0x hex; nullopt on junk or
// a value over 2^32 - 1.
std::optional<uint64_t> parse_part(std::string_view part) {
  if (part.empty()) return std::nullopt;
  int base = 10;
  if (part.size() >= 2 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
    base = 16;
    part.remove_prefix(2);
    if (part.empty()) return uint64_t{0};  // "0x" is 0, as inet_aton and WHATWG read it
  } else if (part.size() >= 2 && part[0] == '0') {
    base = 8;
    part.remove_prefix(1);
  }
  uint64_t value = 0;
  for (char c : part) {
    int digit = 0;
    if (base == 16) {
      if (!is_hex_digit(c)) return std::nullopt;
      digit = hex_value(c);
    } else {
      if (c < '0' || c > '9') return std::nullopt;
      digit = c - '0';
      if (digit >= base) return std::nullopt;
    }
    value = value * static_cast<uint64_t>(base) + static_cast<uint64_t>(digit);
    if (value > 0xffffffffull) return std::nullopt;
  }
  return value;
}

std::vector<std::string_view> split_dots(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t dot = text.find('.', start);
    if (dot == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, dot - start));
    start = dot + 1;
  }
}

std::string_view without_trailing_dot(std::string_view text) {
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  return text;
}

}  // namespace

IpAddress IpAddress::v4_from(uint32_t v) {
  IpAddress a;
  a.bytes[0] = static_cast<uint8_t>(v >> 24);
  a.bytes[1] = static_cast<uint8_t>(v >> 16);
  a.bytes[2] = static_cast<uint8_t>(v >> 8);
  a.bytes[3] = static_cast<uint8_t>(v);
  return a;
}

uint32_t IpAddress::v4_value() const {
  return (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) | (uint32_t{bytes[2]} << 8) |
         uint32_t{bytes[3]};
}

std::optional<IpAddress> IpAddress::embedded_v4() const {
  if (!v6) return std::nullopt;
  auto tail = [this](size_t at) {
    IpAddress a;
    for (size_t i = 0; i < 4; ++i) a.bytes[i] = bytes[at + i];
    return a;
  };
  auto zero = [this](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i)
      if (bytes[i] != 0) return false;
    return true;
  };
  // ::ffff:a.b.c.d (mapped)
  if (zero(0, 10) && bytes[10] == 0xff && bytes[11] == 0xff) return tail(12);
  // ::a.b.c.d (compatible; :: and ::1 are IPv6's own and not embedded)
  if (zero(0, 12) && !(zero(12, 15) && bytes[15] <= 1)) return tail(12);
  // 64:ff9b::a.b.c.d (NAT64 well-known prefix)
  if (bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b &&
      zero(4, 12))
    return tail(12);
  // 2002:AABB:CCDD::/48 (6to4)
  if (bytes[0] == 0x20 && bytes[1] == 0x02) return tail(2);
  return std::nullopt;
}

std::string IpAddress::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (!v6) {
    inet_ntop(AF_INET, bytes.data(), buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
  }
  return buf;
}

std::optional<IpAddress> parse_ipv4_any_form(std::string_view text) {
  text = without_trailing_dot(text);
  if (text.empty() || text.size() > 64) return std::nullopt;
  std::vector<std::string_view> parts = split_dots(text);
  if (parts.size() > 4) return std::nullopt;
  std::vector<uint64_t> values;
  for (std::string_view p : parts) {
    auto v = parse_part(p);
    if (!v) return std::nullopt;
    values.push_back(*v);
  }
  // Every part but the last is one byte; the last fills what is left.
  for (size_t i = 0; i + 1 < values.size(); ++i)
    if (values[i] > 0xff) return std::nullopt;
  const size_t rest_bytes = 4 - (values.size() - 1);
  const uint64_t rest_max = rest_bytes == 4 ? 0xffffffffull : (1ull << (8 * rest_bytes)) - 1;
  if (values.back() > rest_max) return std::nullopt;
  uint32_t v = static_cast<uint32_t>(values.back());
  for (size_t i = 0; i + 1 < values.size(); ++i)
    v |= static_cast<uint32_t>(values[i]) << (8 * (3 - i));
  return IpAddress::v4_from(v);
}

std::optional<IpAddress> parse_ipv6(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
    text = text.substr(1, text.size() - 2);
  if (text.empty() || text.size() > 45 || text.find(':') == std::string_view::npos)
    return std::nullopt;
  std::string copy(text);
  IpAddress a;
  a.v6 = true;
  if (inet_pton(AF_INET6, copy.c_str(), a.bytes.data()) != 1) return std::nullopt;
  return a;
}

std::optional<IpAddress> parse_ip(std::string_view text) {
  if (auto v6 = parse_ipv6(text)) return v6;
  return parse_ipv4_any_form(text);
}

bool looks_numeric_host(std::string_view text) {
  text = without_trailing_dot(text);
  if (text.empty()) return false;
  std::string_view last = text.substr(text.rfind('.') == std::string_view::npos ? 0 : text.rfind('.') + 1);
  if (last.empty()) return true;  // "a.b.." ends in an empty label: refuse too
  bool digits = true;
  for (char c : last) digits = digits && c >= '0' && c <= '9';
  if (digits) return true;
  if (last.size() >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X')) {
    for (char c : last.substr(2))
      if (!is_hex_digit(c)) return false;
    return true;
  }
  return false;
}

}  // namespace opz::net
