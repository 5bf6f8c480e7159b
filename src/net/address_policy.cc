#include "net/address_policy.h"
#include "core/ascii.h"

#include <algorithm>

namespace opz::net {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
  });
}

}  // namespace

Result<AddressPolicy> AddressPolicy::from_list(std::string_view list) {
  AddressPolicy p;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    std::string_view entry = trim(list.substr(start, comma - start));
    start = comma + 1;
    if (entry.empty()) continue;
    std::string name = ascii_lower(entry);
    if (name == "file") {
      p.local_repositories_ = true;
    } else if (auto cidr = parse_cidr(name)) {
      p.ranges_.push_back(*cidr);
    } else if (name.starts_with("*.") && valid_name(name.substr(2))) {
      p.suffixes_.push_back(name.substr(1));
    } else if (!name.empty() && name.back() == '.' && valid_name(name.substr(0, name.size() - 1))) {
      p.hosts_.push_back(name.substr(0, name.size() - 1));
    } else if (valid_name(name) && name.find('/') == std::string::npos &&
               !looks_numeric_host(name)) {
      p.hosts_.push_back(name);
    } else {
      return Error::validation("outbound-allow: '" + std::string(entry) +
                                   "' is neither a CIDR range (10.0.0.0/8, ::1), a host name "
                                   "(git.internal, *.internal) nor 'file'",
                               "outbound-allow");
    }
  }
  return p;
}

bool AddressPolicy::allows_host(std::string_view host) const {
  if (std::find(hosts_.begin(), hosts_.end(), host) != hosts_.end()) return true;
  return std::any_of(suffixes_.begin(), suffixes_.end(),
                     [&](const std::string& s) { return host.ends_with(s); });
}

bool AddressPolicy::allows_address(const IpAddress& address) const {
  auto in = [&](const IpAddress& a) {
    return std::any_of(ranges_.begin(), ranges_.end(),
                       [&](const Cidr& c) { return c.contains(a); });
  };
  if (in(address)) return true;
  // ::ffff:127.0.0.1 is allowed when 127.0.0.0/8 is.
  auto v4 = address.embedded_v4();
  return v4 && in(*v4);
}

std::optional<std::string> AddressPolicy::refusal(std::string_view field, std::string_view host,
                                                  const IpAddress& address) const {
  auto range = reserved_range(address);
  if (!range) return std::nullopt;
  if (allows_host(host) || allows_address(address)) return std::nullopt;
  const std::string kind(range->kind);
  const bool vowel =
      !kind.empty() && std::string_view("aeiouAEIOU").find(kind[0]) != std::string_view::npos;
  return std::string(field) + " resolves to " + address.to_string() + ", " +
         (vowel ? "an " : "a ") + kind + " address (" + std::string(range->block) +
         "); outbound calls to it are refused unless the outbound-allow list names it";
}

std::string AddressPolicy::describe() const {
  std::string out;
  auto add = [&](const std::string& s) { out += (out.empty() ? "" : ",") + s; };
  for (const Cidr& c : ranges_) add(c.to_string());
  for (const std::string& h : hosts_) add(h);
  for (const std::string& s : suffixes_) add("*" + s);
  if (local_repositories_) add("file");
  return out;
}

std::string local_repository_refusal(std::string_view field) {
  return std::string(field) +
         " is a local repository (a path or file:// URL); the server reads local repositories "
         "only when the outbound-allow list names 'file'";
}

}  // namespace opz::net
