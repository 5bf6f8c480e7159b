// git ls-remote behind the outbound guard: refused remotes start no git
// process and connect nowhere; local repositories need "file" in the
// allow-list; an http remote is reached at the address the guard checked
// (git's http.curloptResolve), even for a name no DNS server knows.
#include <gtest/gtest.h>

#include "net/accept_counter.h"
#include "net/git_pinning.h"
#include "trigger/git_remote.h"

namespace opz::trigger {
namespace {

net::Resolver pinned_dns() {
  return [](const std::string& host) -> Result<std::vector<net::IpAddress>> {
    if (host == "pinned.test") return std::vector<net::IpAddress>{*net::parse_ip("127.0.0.1")};
    return Error::unavailable("cannot resolve " + host);
  };
}

GitRemoteOptions guarded(const net::OutboundGuard& guard) {
  GitRemoteOptions o;
  o.guard = &guard;
  o.timeout = std::chrono::milliseconds(20000);
  return o;
}

TEST(GitRemoteGuard, RefusedRemotesAreNeverConnectedTo) {
  net::testing::AcceptCounter listener;
  const std::string port = std::to_string(listener.port());
  const net::OutboundGuard guard(net::AddressPolicy{}, pinned_dns());
  for (const std::string& url : std::vector<std::string>{"http://127.0.0.1:" + port + "/r.git",
                                 "http://pinned.test:" + port + "/r.git",
                                 "git://0x7f000001:" + port + "/r.git", "/srv/git/r.git",
                                 "file:///srv/git/r.git"}) {
    auto refs = ls_remote(url, guarded(guard));
    ASSERT_FALSE(refs) << url;
    EXPECT_EQ(refs.error().code, ErrorCode::kValidation) << url;
    EXPECT_EQ(refs.error().field, "git_url") << url;
  }
  EXPECT_EQ(listener.accepted(), 0);
}

TEST(GitRemoteGuard, AnHttpRemoteIsReachedAtTheCheckedAddress) {
  net::testing::AcceptCounter listener;  // answers "200 ok": not a git server
  const net::OutboundGuard guard(*net::AddressPolicy::from_list("127.0.0.0/8"), pinned_dns());
  auto refs = ls_remote("http://pinned.test:" + std::to_string(listener.port()) + "/r.git",
                        guarded(guard));
  // git reads "ok" as a dumb-protocol answer without refs, or fails on it:
  // either way it connected, and only to the address the guard checked.
  if (refs) {
    EXPECT_TRUE(refs->empty());
  } else {
    EXPECT_EQ(refs.error().code, ErrorCode::kUnavailable) << refs.error().message;
  }
  EXPECT_GE(listener.accepted(), 1);
}

TEST(GitRemoteGuard, PinningTurnsOffRedirectsAndPinsEachScheme) {
  const net::OutboundGuard guard(*net::AddressPolicy::from_list("127.0.0.0/8,::1,file"),
                                 pinned_dns());
  auto https = guard.check("https://tok@pinned.test/org/r.git", "git_url", net::UrlKind::kGit);
  ASSERT_TRUE(https);
  net::PinnedGitRemote p = net::pin_git_remote("https://tok@pinned.test/org/r.git", *https);
  EXPECT_EQ(p.url, "https://tok@pinned.test/org/r.git");
  const std::vector<std::string> want = {"-c", "http.followRedirects=false",
                                         "-c", "protocol.ext.allow=never",
                                         "-c", "http.proxy=",
                                         "-c", "http.curloptResolve=pinned.test:443:127.0.0.1"};
  EXPECT_EQ(p.config, want);

  auto git = guard.check("git://u@pinned.test:9419/r.git", "git_url", net::UrlKind::kGit);
  ASSERT_TRUE(git);
  EXPECT_EQ(net::pin_git_remote("git://u@pinned.test:9419/r.git", *git).url, "git://u@127.0.0.1:9419/r.git");
  auto v6 = guard.check("git://[::1]/r.git", "git_url", net::UrlKind::kGit);
  ASSERT_TRUE(v6);
  EXPECT_EQ(net::pin_git_remote("git://[::1]/r.git", *v6).url, "git://[::1]/r.git");

  auto local = guard.check("/srv/git/r.git", "git_url", net::UrlKind::kGit);
  ASSERT_TRUE(local);
  net::PinnedGitRemote l = net::pin_git_remote("/srv/git/r.git", *local);
  EXPECT_EQ(l.url, "/srv/git/r.git");
  EXPECT_TRUE(l.config.empty());
}

}  // namespace
}  // namespace opz::trigger
