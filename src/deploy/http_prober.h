// HttpProber: the production Prober — HTTP(S) GETs over libcurl's multi
// interface on one worker thread, so the probes of concurrent deployments
// overlap and none blocks the deploy loop.
//
// Contract per get(): the whole request (connect included) is bounded by
// `timeout`; redirects are not followed; loopback hosts bypass any proxy;
// only http and https. ok = an HTTP answer arrived (any status); the body is
// kept up to kMaxProbeBodyBytes (the rest is read and dropped); latency is
// curl's total time. `done` runs exactly once, on the worker thread (probes
// still in flight when the prober is destroyed get ok = false), and must not
// block; a get() refused during destruction answers at once on the caller's.
//
// With an OutboundGuard, each URL is checked on the worker thread before
// anything is connected (a refusal answers ok = false with the guard's
// reason, field "health_check.url") and the connection goes to the checked
// address (CURLOPT_CONNECT_TO), without a proxy.
//
// Thread-safe: get() from any thread. The destructor stops the worker.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "deploy/deployment_run.h"
#include "net/outbound_guard.h"

namespace opz::deploy {

inline constexpr size_t kMaxProbeBodyBytes = 64 * 1024;

class HttpProber final : public Prober {
 public:
  // `guard` (null: URLs are not checked) is not owned and outlives the prober.
  explicit HttpProber(const net::OutboundGuard* guard = nullptr);
  ~HttpProber() override;
  HttpProber(const HttpProber&) = delete;
  HttpProber& operator=(const HttpProber&) = delete;

  void get(const std::string& url, Millis timeout,
           std::function<void(ProbeResponse)> done) override;

 private:
  struct Request;
  void work();
  void add_pending();
  void collect_finished();
  void fail_all(const std::string& error);

  const net::OutboundGuard* guard_;
  void* multi_ = nullptr;  // CURLM*; void keeps curl out of this header
  std::mutex mu_;
  std::deque<std::unique_ptr<Request>> pending_;    // under mu_
  bool stopping_ = false;                           // under mu_
  std::deque<std::unique_ptr<Request>> in_flight_;  // worker thread only
  std::thread worker_;
};

}  // namespace opz::deploy
