#include "net/outbound_guard.h"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace opz::net {

namespace {

struct AddrInfoDeleter {
  void operator()(addrinfo* a) const { freeaddrinfo(a); }
};

std::string bracketed(const IpAddress& a) {
  return a.v6 ? "[" + a.to_string() + "]" : a.to_string();
}

}  // namespace

Resolver system_resolver() {
  return [](const std::string& host) -> Result<std::vector<IpAddress>> {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* raw = nullptr;
    const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &raw);
    std::unique_ptr<addrinfo, AddrInfoDeleter> list(raw);
    if (rc != 0) return Error::unavailable("cannot resolve " + host + ": " + gai_strerror(rc));
    std::vector<IpAddress> out;
    for (addrinfo* a = list.get(); a; a = a->ai_next) {
      IpAddress ip;
      if (a->ai_family == AF_INET) {
        const auto* sin = reinterpret_cast<const sockaddr_in*>(a->ai_addr);
        std::memcpy(ip.bytes.data(), &sin->sin_addr, 4);
      } else if (a->ai_family == AF_INET6) {
        const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(a->ai_addr);
        ip.v6 = true;
        std::memcpy(ip.bytes.data(), &sin6->sin6_addr, 16);
      } else {
        continue;
      }
      if (std::find(out.begin(), out.end(), ip) == out.end()) out.push_back(ip);
    }
    if (out.empty()) return Error::unavailable("cannot resolve " + host + ": no addresses");
    return out;
  };
}

bool is_localhost_name(std::string_view host) {
  return host == "localhost" || host.ends_with(".localhost") || host == "localhost.localdomain";
}

std::string CheckedUrl::connect_to() const {
  if (addresses.empty()) return {};
  return "::" + bracketed(addresses.front()) + ":" + std::to_string(url.port);
}

std::string CheckedUrl::curl_resolve() const {
  std::string out = url.raw_host + ":" + std::to_string(url.port) + ":";
  for (size_t i = 0; i < addresses.size(); ++i)
    out += (i ? "," : "") + bracketed(addresses[i]);
  return out;
}

OutboundGuard::OutboundGuard(AddressPolicy policy, Resolver resolver)
    : policy_(std::move(policy)), resolver_(std::move(resolver)) {}

void OutboundGuard::set_refusal_listener(std::function<void(const OutboundRefusal&)> listener) {
  on_refused_ = std::move(listener);
}

Result<CheckedUrl> OutboundGuard::check(std::string_view url, std::string_view field,
                                        UrlKind kind) const {
  auto checked = judge(url, field, kind, Unresolved::kRefuse);
  if (!checked && checked.error().code == ErrorCode::kValidation && on_refused_) {
    auto parsed = parse_outbound_url(url, field, kind);
    on_refused_({std::string(field), parsed ? parsed->host : std::string(),
                 checked.error().message});
  }
  return checked;
}

Status OutboundGuard::validate(std::string_view url, std::string_view field, UrlKind kind) const {
  OPZ_TRY_STATUS(judge(url, field, kind, Unresolved::kAccept));
  return {};
}

Result<CheckedUrl> OutboundGuard::judge(std::string_view url, std::string_view field,
                                        UrlKind kind, Unresolved unresolved) const {
  CheckedUrl out;
  OPZ_TRY(out.url, parse_outbound_url(url, field, kind));
  if (out.url.local) {
    if (!policy_.allows_local_repositories())
      return Error::validation(local_repository_refusal(field), std::string(field));
    return out;
  }
  if (out.url.literal) {
    out.addresses = {*out.url.literal};
  } else if (is_localhost_name(out.url.host)) {
    out.addresses = {IpAddress::v4_from(0x7f000001u), *parse_ipv6("::1")};
  } else {
    auto resolved = resolver_ ? resolver_(out.url.host)
                              : Result<std::vector<IpAddress>>(Error::unavailable("no resolver"));
    if (!resolved) {
      if (unresolved == Unresolved::kAccept) return out;
      return Error::unavailable(std::string(field) + ": " + resolved.error().message);
    }
    out.addresses = std::move(*resolved);
  }
  for (const IpAddress& a : out.addresses) {
    if (auto why = policy_.refusal(field, out.url.host, a))
      return Error::validation(*why, std::string(field));
  }
  return out;
}

}  // namespace opz::net
