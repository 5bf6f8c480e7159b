// ApiClient: what the CLI's client commands (`opzenix projects list`, ...)
// use to call a running server. --server / --token, or OPZENIX_SERVER /
// OPZENIX_TOKEN. Errors come back as opz::Error built from the server's JSON
// error body, so the CLI prints the server's own message.
#pragma once

#include <string>

#include "core/json.h"
#include "core/result.h"

namespace opz::cli {

class ApiClient {
 public:
  ApiClient(std::string server, std::string token);

  Result<Json> get(const std::string& path) const;
  Result<Json> post(const std::string& path, const Json& body) const;
  Result<Json> put(const std::string& path, const Json& body) const;
  Result<Json> del(const std::string& path) const;

 private:
  Result<Json> call(const std::string& method, const std::string& path, const std::string* body) const;
  std::string server_;
  std::string token_;
};

// Percent-encodes a query value.
std::string url_encode(const std::string& value);

}  // namespace opz::cli
