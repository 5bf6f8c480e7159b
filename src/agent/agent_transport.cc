#include "agent/agent_transport.h"

#include "agent/http_client.h"

namespace opz::agent {

HttpTransport::HttpTransport(const std::string& server, std::string token,
                             HttpTransportOptions options)
    : token_(std::move(token)) {
  auto url = ServerUrl::parse(server);
  if (!url) {
    bad_url_ = url.error();
    return;
  }
  HttpClientOptions client_options;
  client_options.ca_file = std::move(options.ca_file);
  client_ = std::make_unique<HttpClient>(std::move(*url), std::move(client_options));
}

HttpTransport::~HttpTransport() = default;

Result<HttpAnswer> HttpTransport::post(const std::string& path, const Json& body,
                                       std::chrono::milliseconds timeout) {
  if (bad_url_) return *bad_url_;
  OPZ_TRY(HttpResponse response, client_->post(path, body.dump(), token_, timeout));
  HttpAnswer out;
  out.status = response.status;
  if (!response.body.empty()) out.body = Json::parse(response.body, nullptr, false);
  if (out.body.is_discarded()) out.body = nullptr;
  return out;
}

}  // namespace opz::agent
