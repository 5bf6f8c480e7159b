// The guard in front of a real connection: a listener on 127.0.0.1 counts
// accepts; a refused URL (any spelling of loopback) is never connected to,
// an allow-listed one is, and a name is connected to at the address the
// guard checked (the system resolver is never asked again).
#include <gtest/gtest.h>

#include "github/http_transport.h"
#include "net/accept_counter.h"
#include "net/outbound_guard.h"

namespace opz::net {
namespace {

Resolver pinned_dns() {
  return [](const std::string& host) -> Result<std::vector<IpAddress>> {
    if (host == "pinned.test") return std::vector<IpAddress>{*parse_ip("127.0.0.1")};
    return Error::unavailable("cannot resolve " + host);
  };
}

github::HttpTransport transport_with(const OutboundGuard& guard) {
  github::HttpTransportOptions o;
  o.guard = &guard;
  o.guarded_field = "api_base_url";
  o.connect_timeout = std::chrono::milliseconds(5000);
  return github::HttpTransport(o);
}

Result<github::HttpResponse> get(const github::HttpTransport& t, const std::string& url) {
  github::HttpRequest r;
  r.method = "GET";
  r.url = url;
  r.headers = {{"Authorization", "Bearer not-for-you"}};
  return t.send(r);
}

TEST(GuardedTransport, RefusedSpellingsOfLoopbackAreNeverConnectedTo) {
  testing::AcceptCounter listener;
  const std::string port = std::to_string(listener.port());
  const OutboundGuard guard(AddressPolicy{}, pinned_dns());
  const auto transport = transport_with(guard);
  for (const char* host : {"127.0.0.1", "localhost", "2130706433", "0x7f.1", "0177.0.0.1",
                                  "127.1", "[::ffff:127.0.0.1]", "[::1]", "pinned.test",
                                  "user@127.0.0.1"}) {
    auto r = get(transport, std::string("http://") + host + ":" + port + "/user");
    ASSERT_FALSE(r) << host;
    EXPECT_EQ(r.error().code, ErrorCode::kValidation) << host;
    EXPECT_EQ(r.error().field, "api_base_url");
  }
  EXPECT_EQ(listener.accepted(), 0);
}

TEST(GuardedTransport, AnAllowListedAddressIsConnectedTo) {
  testing::AcceptCounter listener;
  const OutboundGuard guard(*AddressPolicy::from_list("127.0.0.0/8"), pinned_dns());
  auto r = get(transport_with(guard), "http://127.0.0.1:" + std::to_string(listener.port()) + "/");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "ok");
  EXPECT_EQ(listener.accepted(), 1);
}

TEST(GuardedTransport, ANameIsConnectedToAtTheCheckedAddressWithoutASecondLookup) {
  // The system resolver does not know pinned.test: the only way to reach the
  // listener is the address the guard resolved and checked.
  testing::AcceptCounter listener;
  const OutboundGuard guard(*AddressPolicy::from_list("127.0.0.0/8"), pinned_dns());
  const std::string port = std::to_string(listener.port());
  auto r = get(transport_with(guard), "http://pinned.test:" + port + "/");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(listener.accepted(), 1);
  EXPECT_EQ(listener.last_host_header(), "pinned.test:" + port);
}

TEST(GuardedTransport, RefusalsAreReportedToTheListener) {
  testing::AcceptCounter listener;
  OutboundGuard guard(AddressPolicy{}, pinned_dns());
  std::vector<OutboundRefusal> refusals;
  guard.set_refusal_listener([&](const OutboundRefusal& r) { refusals.push_back(r); });
  (void)get(transport_with(guard), "http://127.0.0.1:" + std::to_string(listener.port()) + "/");
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_EQ(refusals[0].host, "127.0.0.1");
  EXPECT_EQ(refusals[0].field, "api_base_url");
  EXPECT_EQ(listener.accepted(), 0);
}

}  // namespace
}  // namespace opz::net
