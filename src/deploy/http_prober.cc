#include "deploy/http_prober.h"

#include <curl/curl.h>

#include <algorithm>
#include <utility>
#include <vector>

namespace opz::deploy {
namespace {

constexpr int kPollMs = 1000;  // upper bound; curl_multi_wakeup() ends a poll early

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  const size_t n = size * count;
  if (body->size() < kMaxProbeBodyBytes) {
    body->append(data, std::min(n, kMaxProbeBodyBytes - body->size()));
  }
  return n;
}

CURLM* as_multi(void* multi) { return static_cast<CURLM*>(multi); }

}  // namespace

struct HttpProber::Request {
  std::string url;
  Millis timeout{0};
  std::function<void(ProbeResponse)> done;
  CURL* easy = nullptr;
  std::string body;
  char error[CURL_ERROR_SIZE] = {0};
  curl_slist* connect_to = nullptr;  // the checked address, when guarded

  ~Request() {
    if (easy) curl_easy_cleanup(easy);
    if (connect_to) curl_slist_free_all(connect_to);
  }
};

HttpProber::HttpProber(const net::OutboundGuard* guard) : guard_(guard) {
  global_init_once();
  multi_ = curl_multi_init();
  worker_ = std::thread([this] { work(); });
}

HttpProber::~HttpProber() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  if (multi_) curl_multi_wakeup(as_multi(multi_));
  worker_.join();
  if (multi_) curl_multi_cleanup(as_multi(multi_));
}

void HttpProber::get(const std::string& url, Millis timeout,
                     std::function<void(ProbeResponse)> done) {
  auto request = std::make_unique<Request>();
  request->url = url;
  request->timeout = timeout;
  request->done = std::move(done);
  {
    std::lock_guard lock(mu_);
    if (!stopping_ && multi_) {
      pending_.push_back(std::move(request));
    }
  }
  if (request) {  // refused: the prober is stopping (or curl could not start)
    request->done(ProbeResponse{false, std::nullopt, "", "the prober is stopped", Millis{0}});
    return;
  }
  curl_multi_wakeup(as_multi(multi_));
}

void HttpProber::work() {
  if (!multi_) return;
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) break;
    }
    add_pending();
    int running = 0;
    curl_multi_perform(as_multi(multi_), &running);
    collect_finished();
    curl_multi_poll(as_multi(multi_), nullptr, 0, kPollMs, nullptr);
  }
  fail_all("the prober was stopped");
}

void HttpProber::add_pending() {
  std::deque<std::unique_ptr<Request>> fresh;
  {
    std::lock_guard lock(mu_);
    fresh.swap(pending_);
  }
  for (auto& request : fresh) {
    if (guard_) {
      auto checked = guard_->check(request->url, "health_check.url", net::UrlKind::kHttp);
      if (!checked) {
        request->done(ProbeResponse{false, std::nullopt, "", checked.error().message, Millis{0}});
        continue;
      }
      request->connect_to = curl_slist_append(nullptr, checked->connect_to().c_str());
    }
    CURL* c = curl_easy_init();
    if (!c) {
      request->done(ProbeResponse{false, std::nullopt, "", "curl_easy_init failed", Millis{0}});
      continue;
    }
    request->easy = c;
    const long timeout_ms = std::max<long>(1, static_cast<long>(request->timeout.count()));
    curl_easy_setopt(c, CURLOPT_URL, request->url.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &request->body);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, request->error);
    curl_easy_setopt(c, CURLOPT_PRIVATE, request.get());
    if (request->connect_to) {
      curl_easy_setopt(c, CURLOPT_CONNECT_TO, request->connect_to);
      curl_easy_setopt(c, CURLOPT_PROXY, "");
    }
    curl_multi_add_handle(as_multi(multi_), c);
    in_flight_.push_back(std::move(request));
  }
}

void HttpProber::collect_finished() {
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(as_multi(multi_), &left)) {
    if (message->msg != CURLMSG_DONE) continue;
    Request* raw = nullptr;
    curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &raw);
    const CURLcode rc = message->data.result;
    curl_multi_remove_handle(as_multi(multi_), raw->easy);
    auto it = std::find_if(in_flight_.begin(), in_flight_.end(),
                           [raw](const auto& r) { return r.get() == raw; });
    std::unique_ptr<Request> request = std::move(*it);
    in_flight_.erase(it);

    ProbeResponse response;
    curl_off_t total_us = 0;
    curl_easy_getinfo(request->easy, CURLINFO_TOTAL_TIME_T, &total_us);
    response.latency = Millis{total_us / 1000};
    if (rc == CURLE_OK) {
      long status = 0;
      curl_easy_getinfo(request->easy, CURLINFO_RESPONSE_CODE, &status);
      response.ok = true;
      response.status = static_cast<int>(status);
      response.body = std::move(request->body);
    } else {
      response.error = "GET " + request->url + " failed: " +
                       (request->error[0] != '\0' ? request->error : curl_easy_strerror(rc));
    }
    request->done(std::move(response));
  }
}

void HttpProber::fail_all(const std::string& error) {
  std::vector<std::unique_ptr<Request>> abandoned;
  {
    std::lock_guard lock(mu_);
    for (auto& r : pending_) abandoned.push_back(std::move(r));
    pending_.clear();
  }
  for (auto& r : in_flight_) {
    curl_multi_remove_handle(as_multi(multi_), r->easy);
    abandoned.push_back(std::move(r));
  }
  in_flight_.clear();
  for (auto& r : abandoned) r->done(ProbeResponse{false, std::nullopt, "", error, Millis{0}});
}

}  // namespace opz::deploy
