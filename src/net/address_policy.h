// AddressPolicy: which addresses outbound calls may reach — every public
// address, plus what the admin's allow-list (config option outbound-allow)
// names. Pure: the guard (outbound_guard.h) resolves, this judges.
//
// The allow-list is comma-separated; each entry is
//   - a CIDR range or single address: "127.0.0.0/8", "::1", "10.1.2.3";
//   - a host name: "git.internal" (exact), "*.internal" (any subdomain);
//   - "file": local git repositories (file:// URLs and paths) may be polled.
// A host allowed by name may resolve anywhere; an address allowed by range is
// allowed whatever name led to it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "net/address_ranges.h"
#include "net/ip_address.h"

namespace opz::net {

class AddressPolicy {
 public:
  AddressPolicy() = default;  // refuses every special-purpose address
  // kValidation naming "outbound-allow" for a malformed entry.
  static Result<AddressPolicy> from_list(std::string_view comma_separated);

  bool allows_host(std::string_view normalized_host) const;
  bool allows_address(const IpAddress& address) const;
  bool allows_local_repositories() const { return local_repositories_; }

  // Why a call to `address` (reached through `host`) for `field` is refused,
  // or nullopt when it is allowed. The text names the field, the address and
  // its range, e.g. "api_base_url resolves to 127.0.0.1, a loopback address
  // (127.0.0.0/8); outbound calls to it are refused unless the outbound-allow
  // list names it".
  std::optional<std::string> refusal(std::string_view field, std::string_view host,
                                     const IpAddress& address) const;

  // The allow-list as given, normalised ("127.0.0.0/8,::1/128,file").
  std::string describe() const;

 private:
  std::vector<Cidr> ranges_;
  std::vector<std::string> hosts_;     // exact names, lower case
  std::vector<std::string> suffixes_;  // ".internal" for "*.internal"
  bool local_repositories_ = false;
};

// The refusal text for local repositories (file:// and paths).
std::string local_repository_refusal(std::string_view field);

}  // namespace opz::net
