#include "net/git_pinning.h"

namespace opz::net {

PinnedGitRemote pin_git_remote(const std::string& url, const CheckedUrl& checked) {
  PinnedGitRemote out{{}, url};
  if (checked.url.local || checked.addresses.empty()) return out;
  // Whatever the scheme: no redirects, no remote helpers, no proxy.
  out.config = {"-c", "http.followRedirects=false", "-c", "protocol.ext.allow=never",
                "-c", "http.proxy="};
  if (checked.url.scheme == "http" || checked.url.scheme == "https") {
    out.config.push_back("-c");
    out.config.push_back("http.curloptResolve=" + checked.curl_resolve());
  } else if (checked.url.scheme == "git") {
    // git://[user@]host[:port]/path: the checked address replaces the host.
    const IpAddress& a = checked.addresses.front();
    const size_t start = url.find("://") + 3;
    const size_t end = url.find_first_of("/?#", start);
    const size_t at = url.substr(0, end).rfind('@');
    const size_t host_at = at == std::string::npos || at < start ? start : at + 1;
    out.url = url.substr(0, host_at) + (a.v6 ? "[" + a.to_string() + "]" : a.to_string()) +
              url.substr(host_at + checked.url.raw_host.size());
  }
  return out;
}

}  // namespace opz::net
