// The engine's checkout behind the outbound guard: the clone reaches the
// address the guard checked (git's http.curloptResolve), even for a name no
// DNS server knows; a refused URL is never connected to; a name that does not
// resolve lets git connect nowhere while a mirror still serves; local
// repositories need "file" in the allow-list.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "engine/workspace.h"
#include "net/accept_counter.h"
#include "support/temp_dir.h"

namespace opz::engine {
namespace {

// "pinned.test" resolves to 127.0.0.1, once; every other name does not resolve.
net::Resolver pinned_dns() {
  return [](const std::string& host) -> Result<std::vector<net::IpAddress>> {
    if (host == "pinned.test") return std::vector<net::IpAddress>{*net::parse_ip("127.0.0.1")};
    return Error::unavailable("cannot resolve " + host);
  };
}

int run_quietly(const std::string& command) {
  return std::system(("(" + command + ") > /dev/null 2>&1").c_str());
}

bool has_arg(const net::PinnedGitRemote& remote, const std::string& arg) {
  return std::find(remote.config.begin(), remote.config.end(), arg) != remote.config.end();
}

TEST(WorkspacePinning, TheCloneReachesTheCheckedAddressOfANameDnsDoesNotKnow) {
  net::testing::AcceptCounter listener;  // answers "200 ok": not a git server
  const std::string port = std::to_string(listener.port());
  const net::OutboundGuard guard(*net::AddressPolicy::from_list("127.0.0.0/8"), pinned_dns());
  const std::string url = "http://pinned.test:" + port + "/r.git";
  testing::TempDir dir;

  // Unpinned, git asks DNS itself, which knows no "pinned.test": no connection.
  EXPECT_NE(run_quietly(checkout_command(url, "", "", dir.str() + "/plain")), 0);
  EXPECT_EQ(listener.accepted(), 0);

  auto remote = pin_workspace_remote(&guard, url);
  ASSERT_TRUE(remote) << remote.error().message;
  EXPECT_EQ(remote->url, url);
  EXPECT_TRUE(has_arg(*remote, "http.curloptResolve=pinned.test:" + port + ":127.0.0.1"));
  EXPECT_TRUE(has_arg(*remote, "http.followRedirects=false"));
  const std::string cmd = checkout_command(*remote, "", "", dir.str() + "/ws");
  EXPECT_NE(cmd.find("'-c' 'http.curloptResolve=pinned.test:" + port +
                     ":127.0.0.1' clone "),
            std::string::npos)
      << cmd;
  // Not a git server, so the clone fails; but it connected, to the pinned address.
  EXPECT_NE(run_quietly(cmd), 0);
  EXPECT_GE(listener.accepted(), 1);
}

TEST(WorkspacePinning, ARefusedUrlIsNeverConnectedTo) {
  net::testing::AcceptCounter listener;
  const std::string port = std::to_string(listener.port());
  const net::OutboundGuard guard(net::AddressPolicy{}, pinned_dns());
  for (const std::string& url : std::vector<std::string>{
           "http://127.0.0.1:" + port + "/r.git", "http://pinned.test:" + port + "/r.git",
        "https://0x7f000001:" + port + "/r.git", "/srv/git/r.git", "file:///srv/git/r.git"}) {
    auto remote = pin_workspace_remote(&guard, url);
    ASSERT_FALSE(remote) << url;
    EXPECT_EQ(remote.error().code, ErrorCode::kValidation) << url;
    EXPECT_EQ(remote.error().field, "workspace.url") << url;
  }
  EXPECT_EQ(listener.accepted(), 0);
}

TEST(WorkspacePinning, AnUnresolvableNameConnectsNowhereButTheMirrorServes) {
  net::testing::AcceptCounter listener;
  const net::OutboundGuard guard(*net::AddressPolicy::from_list("127.0.0.0/8"), pinned_dns());
  testing::TempDir dir;
  const std::string repo = dir.str() + "/repo";
  ASSERT_EQ(run_quietly("git init -q " + repo + " && git -C " + repo +
                        " -c user.email=t@t -c user.name=t commit -q --allow-empty -m one"),
            0);
  const std::string url = "http://gone.test:" + std::to_string(listener.port()) + "/r.git";
  const std::string mirror = mirror_dir(dir.str() + "/data", url);
  ASSERT_EQ(run_quietly("mkdir -p " + dir.str() + "/data/mirrors && git clone -q --mirror " +
                        repo + " " + mirror),
            0);
  const std::string sha_file = dir.str() + "/sha";
  ASSERT_EQ(std::system(("git -C " + repo + " rev-parse HEAD > " + sha_file).c_str()), 0);
  std::ifstream in(sha_file);
  std::string sha;
  in >> sha;

  auto remote = pin_workspace_remote(&guard, url);
  ASSERT_TRUE(remote) << remote.error().message;
  EXPECT_TRUE(has_arg(*remote, "protocol.allow=never"));
  const std::string err = dir.str() + "/stderr";
  ASSERT_EQ(std::system(("(" + checkout_command(*remote, sha, "", dir.str() + "/ws", mirror) +
                         ") > /dev/null 2> " + err)
                            .c_str()),
            0);
  // The branch's head needs a fetch, which connects nowhere; the mirror serves.
  ASSERT_EQ(std::system(("(" + checkout_command(*remote, "", "", dir.str() + "/ws2", mirror) +
                         ") > /dev/null 2> " + err)
                            .c_str()),
            0);
  std::ifstream e(err);
  std::string warning((std::istreambuf_iterator<char>(e)), std::istreambuf_iterator<char>());
  EXPECT_NE(warning.find("checking out from the local mirror"), std::string::npos) << warning;
  EXPECT_EQ(listener.accepted(), 0);
}

TEST(WorkspacePinning, LocalRepositoriesNeedFileAndStayUnchanged) {
  const net::OutboundGuard with_file(*net::AddressPolicy::from_list("file"), pinned_dns());
  auto local = pin_workspace_remote(&with_file, "/srv/git/r.git");
  ASSERT_TRUE(local) << local.error().message;
  EXPECT_EQ(local->url, "/srv/git/r.git");
  EXPECT_TRUE(local->config.empty());
  auto unguarded = pin_workspace_remote(nullptr, "https://example.com/r.git");
  ASSERT_TRUE(unguarded);
  EXPECT_EQ(unguarded->url, "https://example.com/r.git");
  EXPECT_TRUE(unguarded->config.empty());
  EXPECT_EQ(checkout_command(*unguarded, "", "main", "/w"),
            checkout_command("https://example.com/r.git", "", "main", "/w"));
}

}  // namespace
}  // namespace opz::engine
