// ServerUrl::parse (agent/http_server_url.h): the forms of a server URL the
// agent takes, and the ones it refuses.
#include "agent/http_server_url.h"

#include <gtest/gtest.h>

namespace opz::agent {
namespace {

TEST(ServerUrl, ParsesHostsPortsAndBasePaths) {
  struct Case {
    const char* url;
    bool tls;
    const char* host;
    int port;
    const char* base;
    const char* host_header;
    bool address;
  };
  const Case cases[] = {
      {"http://127.0.0.1:8080", false, "127.0.0.1", 8080, "", "127.0.0.1:8080", true},
      {"http://127.0.0.1:8080/", false, "127.0.0.1", 8080, "", "127.0.0.1:8080", true},
      {"HTTPS://ci.example.com", true, "ci.example.com", 443, "", "ci.example.com", false},
      {"http://ci.example.com/opz/", false, "ci.example.com", 80, "/opz", "ci.example.com", false},
      {"https://[::1]:8443/base", true, "::1", 8443, "/base", "[::1]:8443", true},
      {"http://[fe80::1]", false, "fe80::1", 80, "", "[fe80::1]", true},
      // The host as the resolver wants it; the Host header as written.
      {"http://CI.Example.com:8080", false, "ci.example.com", 8080, "", "CI.Example.com:8080",
       false},
      {"http://0x7f.1:8080", false, "127.0.0.1", 8080, "", "0x7f.1:8080", true},
  };
  for (const Case& c : cases) {
    auto url = ServerUrl::parse(c.url);
    ASSERT_TRUE(url.ok()) << c.url << ": " << url.error().message;
    EXPECT_EQ(url->tls, c.tls) << c.url;
    EXPECT_EQ(url->host, c.host) << c.url;
    EXPECT_EQ(url->port, c.port) << c.url;
    EXPECT_EQ(url->base_path, c.base) << c.url;
    EXPECT_EQ(url->host_header, c.host_header) << c.url;
    EXPECT_EQ(url->host_is_address, c.address) << c.url;
  }
}

TEST(ServerUrl, RefusesWhatItCannotUseSayingWhy) {
  const std::pair<const char*, const char*> cases[] = {
      {"ftp://host", "http:// or https://"},
      {"127.0.0.1:8080", "http:// or https://"},
      {"http://", "no host"},
      {"http://:80", "no host"},
      {"http://host:", "port that is not a number from 1 to 65535"},
      {"http://host:0", "port that is not a number from 1 to 65535"},
      {"http://host:65536", "port that is not a number from 1 to 65535"},
      {"http://host:8x", "port that is not a number from 1 to 65535"},
      {"http://[::1", "unclosed '['"},
      {"http://[nonsense]:80", "not an IPv6 address"},
      {"http://user:pw@host", "user info"},
      {"http://host/path?x=1", "query or fragment"},
      {"http://ho st", "space or a control character"},
      // Read alike by the server's guard and the agent (net/outbound_url.h):
      {"http://1.2.3.4.5:8080", "numeric host that is not a valid IPv4 address"},
      {"http://evil.example\\@127.0.0.1/", "backslash"},
      {"http://::1:8080", "IPv6 host without brackets"},
  };
  for (const auto& [text, why] : cases) {
    auto url = ServerUrl::parse(text);
    ASSERT_FALSE(url.ok()) << text;
    EXPECT_EQ(url.error().code, ErrorCode::kValidation) << text;
    EXPECT_EQ(url.error().field, "server") << text;
    EXPECT_NE(url.error().message.find(why), std::string::npos) << text << ": " << url.error().message;
  }
}

}  // namespace
}  // namespace opz::agent
