#include "cli/api_client.h"

#include <curl/curl.h>

namespace opz::cli {

namespace {
size_t on_body(char* p, size_t s, size_t n, void* ud) {
  static_cast<std::string*>(ud)->append(p, s * n);
  return s * n;
}

Error error_from(long status, const std::string& body) {
  auto j = Json::parse(body, nullptr, false);
  std::string message = "HTTP " + std::to_string(status);
  std::string field;
  if (j.is_object() && j.contains("error") && j["error"].is_object()) {
    message = j["error"].value("message", message);
    field = j["error"].value("field", "");
  }
  ErrorCode code = ErrorCode::kInternal;
  switch (status) {
    case 400: code = ErrorCode::kMalformed; break;
    case 401: code = ErrorCode::kUnauthenticated; break;
    case 403: code = ErrorCode::kForbidden; break;
    case 404: code = ErrorCode::kNotFound; break;
    case 409: code = ErrorCode::kConflict; break;
    case 413: code = ErrorCode::kTooLarge; break;
    case 415: code = ErrorCode::kUnsupportedMedia; break;
    case 422: code = ErrorCode::kValidation; break;
    case 503: code = ErrorCode::kUnavailable; break;
    default: break;
  }
  return Error{code, message, field};
}
}  // namespace

ApiClient::ApiClient(std::string server, std::string token)
    : server_(std::move(server)), token_(std::move(token)) {
  while (!server_.empty() && server_.back() == '/') server_.pop_back();
  if (server_.find("://") == std::string::npos) server_ = "http://" + server_;
}

std::string url_encode(const std::string& value) {
  std::string out;
  static const char* kHex = "0123456789ABCDEF";
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

Result<Json> ApiClient::get(const std::string& path) const { return call("GET", path, nullptr); }
Result<Json> ApiClient::del(const std::string& path) const { return call("DELETE", path, nullptr); }
Result<Json> ApiClient::post(const std::string& path, const Json& body) const {
  std::string b = dump_json(body);
  return call("POST", path, &b);
}
Result<Json> ApiClient::put(const std::string& path, const Json& body) const {
  std::string b = dump_json(body);
  return call("PUT", path, &b);
}

Result<Json> ApiClient::call(const std::string& method, const std::string& path,
                             const std::string* body) const {
  CURL* c = curl_easy_init();
  if (!c) return Error::internal("libcurl failed to initialise");
  std::string url = server_ + path;
  std::string response;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
  struct curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Accept: application/json");
  if (!token_.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + token_).c_str());
  if (body) {
    headers = curl_slist_append(headers, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  CURLcode rc = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(c);
  if (rc != CURLE_OK)
    return Error::unavailable("cannot reach " + server_ + ": " + curl_easy_strerror(rc));
  if (status >= 400) return error_from(status, response);
  if (response.empty()) return Json(nullptr);
  auto j = Json::parse(response, nullptr, false);
  if (j.is_discarded()) return Error::internal("server answered non-JSON: " + response.substr(0, 200));
  return j;
}

}  // namespace opz::cli
