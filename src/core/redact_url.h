// Hides the credentials a URL may carry before it is shown or logged.
#pragma once

#include <string>

namespace opz {

// "https://user:token@host/x.git" -> "https://***@host/x.git"; a URL without
// user info is answered unchanged.
inline std::string redact_url(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  const size_t at = url.find('@', start);
  const size_t slash = url.find('/', start);
  if (at == std::string::npos || (slash != std::string::npos && at > slash)) return url;
  return url.substr(0, start) + "***" + url.substr(at);
}

}  // namespace opz
