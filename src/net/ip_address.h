// IpAddress: an IPv4 or IPv6 address as bytes, and the parsers that read a
// URL host in every form a resolver or URL library might accept, so that
// "what address does this host mean" is answered once, here, the strict way.
//
// IPv4 is read like inet_aton and the WHATWG URL standard: one to four
// dot-separated parts, each decimal, octal (leading 0) or hexadecimal (0x);
// the last part fills the remaining bytes ("127.1" = 127.0.0.1,
// "2130706433" = 127.0.0.1, "0x7f.1" = 127.0.0.1, "0177.0.0.1" =
// 127.0.0.1). One trailing dot is accepted ("127.0.0.1."). IPv6 is read by
// inet_pton, with or without brackets; a zone id ("fe80::1%eth0") is not an
// address we accept. Pure: no I/O.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace opz::net {

struct IpAddress {
  bool v6 = false;
  // IPv4 in bytes[0..3]; IPv6 in all 16.
  std::array<uint8_t, 16> bytes{};

  static IpAddress v4_from(uint32_t host_order);
  uint32_t v4_value() const;  // host order; IPv4 only
  // The embedded IPv4 address of an IPv4-mapped (::ffff:a.b.c.d),
  // IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) or 6to4 (2002::/16)
  // IPv6 address; nullopt otherwise (and for IPv4).
  std::optional<IpAddress> embedded_v4() const;
  // "127.0.0.1", "::1" (canonical, RFC 5952).
  std::string to_string() const;
  bool operator==(const IpAddress&) const = default;
};

// Strict dotted-quad or any inet_aton form (see above); nullopt when `text`
// is not an IPv4 address in any form.
std::optional<IpAddress> parse_ipv4_any_form(std::string_view text);

// An IPv6 literal, brackets optional; nullopt otherwise (zone ids too).
std::optional<IpAddress> parse_ipv6(std::string_view text);

// Either of the above.
std::optional<IpAddress> parse_ip(std::string_view text);

// True when `text` looks like an attempt at a numeric IPv4 host (every label
// made of digits, or 0x-hex) — such a host that parse_ipv4_any_form refuses
// ("1.2.3.4.5", "08.1") is ambiguous between resolvers and must be refused,
// never looked up as a name.
bool looks_numeric_host(std::string_view text);

}  // namespace opz::net
