// A small blocking HTTP/1.1 client for tests (libcurl), loopback only.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace opz::testing {

struct HttpResult {
  long status = 0;  // 0 when the connection failed
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  nlohmann::json json() const;                 // parsed body (null when not JSON)
  std::string header(const std::string& lower_name) const;
};

class HttpClient {
 public:
  explicit HttpClient(std::string base_url) : base_(std::move(base_url)) {}
  void set_token(std::string token) { token_ = std::move(token); }

  HttpResult get(const std::string& path) const { return request("GET", path, ""); }
  HttpResult del(const std::string& path) const { return request("DELETE", path, ""); }
  HttpResult post(const std::string& path, const std::string& body) const {
    return request("POST", path, body);
  }
  HttpResult post(const std::string& path, const nlohmann::json& body) const {
    return request("POST", path, body.dump());
  }
  HttpResult put(const std::string& path, const nlohmann::json& body) const {
    return request("PUT", path, body.dump());
  }
  HttpResult patch(const std::string& path, const nlohmann::json& body) const {
    return request("PATCH", path, body.dump());
  }
  // Full control: extra headers as "Name: value"; Content-Type defaults to JSON
  // when a body is given and no Content-Type header is passed.
  HttpResult request(const std::string& method, const std::string& path, const std::string& body,
                     const std::vector<std::string>& headers = {}) const;

 private:
  std::string base_;
  std::string token_;
};

}  // namespace opz::testing
