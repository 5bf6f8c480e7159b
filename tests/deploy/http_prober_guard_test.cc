// The HTTP prober behind the outbound guard: a refused health-check URL
// answers ok = false with the guard's reason and is never connected to; an
// allowed one is probed at the checked address.
#include <gtest/gtest.h>

#include <future>

#include "deploy/http_prober.h"
#include "net/accept_counter.h"

namespace opz::deploy {
namespace {

net::Resolver pinned_dns() {
  return [](const std::string& host) -> Result<std::vector<net::IpAddress>> {
    if (host == "app.test") return std::vector<net::IpAddress>{*net::parse_ip("127.0.0.1")};
    return Error::unavailable("cannot resolve " + host);
  };
}

ProbeResponse probe(HttpProber& prober, const std::string& url) {
  std::promise<ProbeResponse> answer;
  auto got = answer.get_future();
  prober.get(url, Millis{10000}, [&answer](ProbeResponse r) { answer.set_value(std::move(r)); });
  return got.get();
}

TEST(HttpProberGuard, ARefusedUrlIsNeverConnectedTo) {
  net::testing::AcceptCounter listener;
  const net::OutboundGuard guard(net::AddressPolicy{}, pinned_dns());
  HttpProber prober(&guard);
  ProbeResponse r = probe(prober, "http://app.test:" + std::to_string(listener.port()) + "/health");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("health_check.url resolves to 127.0.0.1, a loopback address"),
            std::string::npos)
      << r.error;
  EXPECT_EQ(listener.accepted(), 0);
}

TEST(HttpProberGuard, AnAllowedUrlIsProbedAtTheCheckedAddress) {
  net::testing::AcceptCounter listener;
  const net::OutboundGuard guard(*net::AddressPolicy::from_list("127.0.0.0/8"), pinned_dns());
  HttpProber prober(&guard);
  ProbeResponse r = probe(prober, "http://app.test:" + std::to_string(listener.port()) + "/health");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok");
  EXPECT_EQ(listener.accepted(), 1);
}

}  // namespace
}  // namespace opz::deploy
