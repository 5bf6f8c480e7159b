// Fuzz target for the outbound guard's URL and host parser (net/outbound_url,
// net/ip_address, net/outbound_guard): any bytes, read as an http or a git
// URL, must give a URL or a kValidation error naming the field — never a
// crash, hang or exception — and what is accepted must be self-consistent:
// a host of safe characters, a port in 1..65535, an address literal whose
// canonical text reads back as the same address. Through a guard whose
// resolver answers loopback for every name and an empty allow-list, no
// accepted URL may reach a special-purpose address.
// Without libFuzzer it replays fuzz/corpus/outbound_url_fuzz/ as a test.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "net/outbound_guard.h"

namespace {

using namespace opz::net;

void check(bool condition) {
  if (!condition) std::abort();
}

bool safe_host(const std::string& host) {
  for (unsigned char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                    c == '_' || c == ':';
    if (!ok) return false;
  }
  return !host.empty();
}

void parse_one(std::string_view text, UrlKind kind) {
  auto url = parse_outbound_url(text, "url", kind);
  if (!url) {
    check(url.error().code == opz::ErrorCode::kValidation);
    check(url.error().field == "url");
    return;
  }
  if (url->local) {
    check(kind == UrlKind::kGit);
    return;
  }
  check(safe_host(url->host));
  check(url->port >= 1 && url->port <= 65535);
  if (url->literal) {
    check(url->host == url->literal->to_string());
    auto again = parse_ip(url->host);
    check(again.has_value() && *again == *url->literal);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  parse_one(text, UrlKind::kHttp);
  parse_one(text, UrlKind::kGit);

  static const OutboundGuard guard(AddressPolicy{}, [](const std::string&) {
    return opz::Result<std::vector<IpAddress>>(std::vector<IpAddress>{IpAddress::v4_from(0x7f000001u)});
  });
  for (UrlKind kind : {UrlKind::kHttp, UrlKind::kGit}) {
    auto checked = guard.check(text, "url", kind);
    if (!checked) continue;
    check(!checked->url.local);  // the empty allow-list does not allow local repositories
    check(!checked->addresses.empty());
    for (const IpAddress& a : checked->addresses) check(!reserved_range(a).has_value());
  }

  // Any host text on its own: an IPv4 parse reads back as itself.
  if (auto v4 = parse_ipv4_any_form(text)) {
    auto again = parse_ipv4_any_form(v4->to_string());
    check(again.has_value() && *again == *v4);
  }
  return 0;
}
