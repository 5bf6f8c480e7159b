// Address ranges: CIDR blocks, and the special-purpose ranges the outbound
// guard refuses (IANA's IPv4/IPv6 special-purpose registries, RFC 6890).
//
// reserved_range() answers the range an address falls in when that range is
// not the public internet: loopback, private (RFC 1918), link-local
// (including the cloud metadata address 169.254.169.254), unique-local,
// CGNAT (RFC 6598), "this network" 0.0.0.0/8 and ::, multicast, broadcast,
// documentation, benchmarking, IETF protocol assignments, reserved 240/4,
// Teredo, ORCHID, NAT64 local-use, discard-only. IPv6 outside 2000::/3
// (global unicast) is refused as "reserved". An IPv6 address embedding an
// IPv4 one (mapped, compatible, NAT64, 6to4) is judged by the IPv4 address.
// Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "net/ip_address.h"

namespace opz::net {

struct Cidr {
  IpAddress base;  // masked to `prefix` bits
  int prefix = 0;
  bool contains(const IpAddress& address) const;
  std::string to_string() const;  // "10.0.0.0/8"
};

// "10.0.0.0/8", "::1/128", or a single address ("::1" = /128, "127.0.0.1" =
// /32). IPv4 must be a plain dotted quad here (allow-lists are written by
// admins; no octal surprises). nullopt when malformed.
std::optional<Cidr> parse_cidr(std::string_view text);

struct ReservedRange {
  std::string_view kind;   // "loopback", "private", "link-local", "cloud metadata", ...
  std::string_view block;  // "127.0.0.0/8"
};

// The special range `address` is in; nullopt for a public address.
std::optional<ReservedRange> reserved_range(const IpAddress& address);

}  // namespace opz::net
