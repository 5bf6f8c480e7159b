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
      {"http://host:", "empty port"},
      {"http://host:0", "bad port"},
      {"http://host:65536", "bad port"},
      {"http://host:8x", "bad port"},
      {"http://[::1", "no ']'"},
      {"http://[nonsense]:80", "bad IPv6"},
      {"http://user:pw@host", "user info"},
      {"http://host/path?x=1", "query or fragment"},
      {"http://ho st", "bad character"},
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
