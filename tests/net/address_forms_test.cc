// The outbound guard over a corpus of address spellings (address_forms.txt):
// each case is checked with no allow-list and with the test allow-list, and
// must get its expected verdict; refusals must name the address they found.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "net/outbound_guard.h"

namespace opz::net {
namespace {

struct Case {
  int line = 0;
  std::string verdict_default;
  std::string verdict_listed;
  UrlKind kind = UrlKind::kHttp;
  std::string url;
  std::string address;
};

std::vector<Case> load_cases() {
  const auto path = std::filesystem::path(OPZENIX_SOURCE_DIR) / "tests/net/address_forms.txt";
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::vector<Case> cases;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    Case c;
    std::string kind;
    fields >> c.verdict_default >> c.verdict_listed >> kind >> c.url >> c.address;
    EXPECT_FALSE(c.address.empty()) << "line " << number << " has too few fields";
    c.line = number;
    c.kind = kind == "git" ? UrlKind::kGit : UrlKind::kHttp;
    cases.push_back(c);
  }
  return cases;
}

Resolver fake_dns() {
  static const std::map<std::string, std::vector<std::string>> kZone = {
      {"public.example", {"93.184.216.34"}},
      {"internal.example", {"10.0.0.5"}},
      {"rebind.example", {"93.184.216.34", "127.0.0.1"}},
      {"v6.example", {"2606:2800:220:1::1"}},
      {"metadata.example", {"169.254.169.254"}},
      {"git.internal", {"10.9.9.9"}},
      {"build.corp.example", {"192.168.7.7"}},
      {"ula.example", {"fd00::5"}},
  };
  return [](const std::string& host) -> Result<std::vector<IpAddress>> {
    auto it = kZone.find(host);
    if (it == kZone.end()) return Error::unavailable("cannot resolve " + host);
    std::vector<IpAddress> out;
    for (const auto& a : it->second) out.push_back(*parse_ip(a));
    return out;
  };
}

std::string verdict_of(const Result<CheckedUrl>& r, const std::string& address, std::string& why) {
  if (r) return "ok";
  why = r.error().message;
  if (r.error().code == ErrorCode::kUnavailable) return "unresolved";
  if (r.error().code != ErrorCode::kValidation) return "error";
  if (why.find(" resolves to ") != std::string::npos) {
    if (why.find(" resolves to " + address + ", ") == std::string::npos) return "wrong address";
    return "refused";
  }
  return "invalid";
}

TEST(AddressForms, TheCorpusHasAHundredCasesOrMore) { EXPECT_GE(load_cases().size(), 100u); }

TEST(AddressForms, EveryCaseGetsItsVerdictWithoutAndWithTheAllowList) {
  const OutboundGuard closed(AddressPolicy{}, fake_dns());
  const OutboundGuard listed(
      *AddressPolicy::from_list("127.0.0.0/8, ::1,file,git.internal,*.corp.example"), fake_dns());
  int checked = 0;
  for (const Case& c : load_cases()) {
    std::string why;
    EXPECT_EQ(verdict_of(closed.check(c.url, "url", c.kind), c.address, why), c.verdict_default)
        << "line " << c.line << ": " << c.url << " (no allow-list): " << why;
    why.clear();
    EXPECT_EQ(verdict_of(listed.check(c.url, "url", c.kind), c.address, why), c.verdict_listed)
        << "line " << c.line << ": " << c.url << " (allow-list): " << why;
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

TEST(AddressForms, RefusalsNameTheFieldAndTheRange) {
  const OutboundGuard guard(AddressPolicy{}, fake_dns());
  auto r = guard.check("http://2130706433/x", "api_base_url", UrlKind::kHttp);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "api_base_url");
  EXPECT_EQ(r.error().message,
            "api_base_url resolves to 127.0.0.1, a loopback address (127.0.0.0/8); outbound calls "
            "to it are refused unless the outbound-allow list names it");
  auto m = guard.check("http://169.254.169.254/", "url", UrlKind::kHttp);
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().message.find("cloud metadata"), std::string::npos) << m.error().message;
}

TEST(AddressForms, ValidateAcceptsANameThatDoesNotResolveYetButCheckRefusesIt) {
  const OutboundGuard guard(AddressPolicy{}, fake_dns());
  EXPECT_TRUE(guard.validate("https://nowhere.example/", "url", UrlKind::kHttp).ok());
  EXPECT_FALSE(guard.validate("https://internal.example/", "url", UrlKind::kHttp).ok());
  EXPECT_FALSE(guard.check("https://nowhere.example/", "url", UrlKind::kHttp));
}

TEST(AddressForms, CheckReportsEachRefusalToTheListenerWithTheHostOnly) {
  OutboundGuard guard(AddressPolicy{}, fake_dns());
  std::vector<OutboundRefusal> seen;
  guard.set_refusal_listener([&](const OutboundRefusal& r) { seen.push_back(r); });
  (void)guard.check("https://user:secret@internal.example/path?token=x", "git_url", UrlKind::kGit);
  (void)guard.check("https://public.example/", "git_url", UrlKind::kGit);
  (void)guard.validate("http://127.0.0.1/", "url", UrlKind::kHttp);  // configuration time: not reported
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].field, "git_url");
  EXPECT_EQ(seen[0].host, "internal.example");
  EXPECT_EQ(seen[0].reason.find("secret"), std::string::npos);
}

TEST(AddressForms, CheckedUrlPinsTheCheckedAddress) {
  const OutboundGuard guard(*AddressPolicy::from_list("127.0.0.0/8,::1"), fake_dns());
  auto v4 = guard.check("https://Public.Example:8443/x", "url", UrlKind::kHttp);
  ASSERT_TRUE(v4) << v4.error().message;
  EXPECT_EQ(v4->connect_to(), "::93.184.216.34:8443");
  EXPECT_EQ(v4->curl_resolve(), "Public.Example:8443:93.184.216.34");
  auto v6 = guard.check("http://[::1]/", "url", UrlKind::kHttp);
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->connect_to(), "::[::1]:80");
  auto both = guard.check("https://rebind.example/", "url", UrlKind::kHttp);
  ASSERT_TRUE(both);
  EXPECT_EQ(both->curl_resolve(), "rebind.example:443:93.184.216.34,127.0.0.1");
}

TEST(AddressPolicyList, RefusesMalformedEntriesNamingTheOption) {
  for (const char* bad : {"10.0.0.0/33", "::1/129", "0177.0.0.1", "exa mple", "http://x", "1.2.3"}) {
    auto p = AddressPolicy::from_list(bad);
    ASSERT_FALSE(p) << bad;
    EXPECT_EQ(p.error().field, "outbound-allow");
  }
  auto ok = AddressPolicy::from_list(" 10.0.0.0/8 ,, ::1, Git.Internal., *.corp.example, file ");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->describe(), "10.0.0.0/8,::1/128,git.internal,*.corp.example,file");
  EXPECT_TRUE(ok->allows_host("a.corp.example"));
  EXPECT_FALSE(ok->allows_host("corp.example"));
  EXPECT_TRUE(ok->allows_address(*parse_ip("10.200.0.1")));
  EXPECT_TRUE(ok->allows_address(*parse_ip("::ffff:10.0.0.1")));
  EXPECT_FALSE(ok->allows_address(*parse_ip("11.0.0.1")));
}

}  // namespace
}  // namespace opz::net
