#include "net/address_ranges.h"

#include <arpa/inet.h>

#include <charconv>
#include <vector>

namespace opz::net {

namespace {

IpAddress masked(IpAddress a, int prefix) {
  const int total = a.v6 ? 128 : 32;
  for (int bit = prefix; bit < total; ++bit)
    a.bytes[static_cast<size_t>(bit / 8)] &= static_cast<uint8_t>(~(0x80u >> (bit % 8)));
  return a;
}

struct Block {
  Cidr cidr;
  std::string_view kind;
  std::string_view text;
};

std::vector<Block> build(std::initializer_list<std::pair<std::string_view, std::string_view>> rows) {
  std::vector<Block> out;
  for (const auto& [text, kind] : rows) out.push_back({*parse_cidr(text), kind, text});
  return out;
}

// Most specific first where blocks nest (metadata inside link-local).
const std::vector<Block>& v4_blocks() {
  static const std::vector<Block> kBlocks = build({
      {"169.254.169.254/32", "cloud metadata"},
      {"0.0.0.0/8", "\"this network\""},
      {"10.0.0.0/8", "private"},
      {"100.64.0.0/10", "carrier-grade NAT (shared)"},
      {"127.0.0.0/8", "loopback"},
      {"169.254.0.0/16", "link-local"},
      {"172.16.0.0/12", "private"},
      {"192.0.0.0/24", "IETF protocol assignment"},
      {"192.0.2.0/24", "documentation"},
      {"192.88.99.0/24", "6to4 relay anycast"},
      {"192.168.0.0/16", "private"},
      {"198.18.0.0/15", "benchmarking"},
      {"198.51.100.0/24", "documentation"},
      {"203.0.113.0/24", "documentation"},
      {"224.0.0.0/4", "multicast"},
      {"255.255.255.255/32", "broadcast"},
      {"240.0.0.0/4", "reserved"},
  });
  return kBlocks;
}

const std::vector<Block>& v6_blocks() {
  static const std::vector<Block> kBlocks = build({
      {"::/128", "unspecified"},
      {"::1/128", "loopback"},
      {"64:ff9b:1::/48", "NAT64 local-use"},
      {"100::/64", "discard-only"},
      {"2001::/32", "Teredo"},
      {"2001:2::/48", "benchmarking"},
      {"2001:10::/28", "ORCHID"},
      {"2001:20::/28", "ORCHID"},
      {"2001:db8::/32", "documentation"},
      {"3fff::/20", "documentation"},
      {"fc00::/7", "unique-local"},
      {"fe80::/10", "link-local"},
      {"fec0::/10", "site-local"},
      {"ff00::/8", "multicast"},
  });
  return kBlocks;
}

const Cidr& global_unicast() {
  static const Cidr kGlobal = *parse_cidr("2000::/3");
  return kGlobal;
}

bool plain_dotted_quad(std::string_view text) {
  std::string copy(text);
  unsigned char buf[4];
  return inet_pton(AF_INET, copy.c_str(), buf) == 1;
}

}  // namespace

bool Cidr::contains(const IpAddress& address) const {
  if (address.v6 != base.v6) return false;
  return masked(address, prefix) == base;
}

std::string Cidr::to_string() const { return base.to_string() + "/" + std::to_string(prefix); }

std::optional<Cidr> parse_cidr(std::string_view text) {
  std::string_view address_text = text;
  int prefix = -1;
  if (size_t slash = text.find('/'); slash != std::string_view::npos) {
    address_text = text.substr(0, slash);
    std::string_view p = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
    if (ec != std::errc() || end != p.data() + p.size() || p.empty()) return std::nullopt;
  }
  std::optional<IpAddress> address;
  if (address_text.find(':') != std::string_view::npos) {
    address = parse_ipv6(address_text);
  } else if (plain_dotted_quad(address_text)) {
    address = parse_ipv4_any_form(address_text);
  }
  if (!address) return std::nullopt;
  const int total = address->v6 ? 128 : 32;
  if (prefix < 0) prefix = total;
  if (prefix > total) return std::nullopt;
  return Cidr{masked(*address, prefix), prefix};
}

std::optional<ReservedRange> reserved_range(const IpAddress& address) {
  if (auto v4 = address.embedded_v4()) return reserved_range(*v4);
  for (const Block& b : address.v6 ? v6_blocks() : v4_blocks())
    if (b.cidr.contains(address)) return ReservedRange{b.kind, b.text};
  if (address.v6 && !global_unicast().contains(address))
    return ReservedRange{"reserved", "outside 2000::/3"};
  return std::nullopt;
}

}  // namespace opz::net
