// HttpServer: Opzenix's HTTP/1.1 transport (Boost.Beast, in beast_server.cc).
//
// Listens on ServerOptions.host:port (port 0 = ephemeral), serves the Router's
// routes with keep-alive and in-order pipelining, and does the cross-cutting
// work through a Dispatcher (request ids, 404/405/413, auth hook, metrics,
// access log; see http/dispatcher.h). Streaming responses (Response::stream)
// are sent chunked. Push responses (Response::push, server-sent events) are
// sent chunked from the connection's I/O thread, holding no pool thread; they
// end the connection, and are cancelled by the client going away, a failed or
// timed-out write, or stop(). This header is free of Boost.
//
// Threads: I/O runs on `threads` threads (the caller of run() is one of them).
// GET and HEAD handlers run on the I/O thread that read the request: they must
// only read (a reader-pool query, a cache) and never wait for the database
// writer, a lock held across I/O, or new data; a read that may take long is
// registered with RouteOptions::on_handler_pool and runs on the pool. Every other handler, and every
// BodyStream call, runs on a separate pool of `handler_threads`, because it may
// block (the single database writer, waiting for log lines); while every pool
// thread is busy, further such requests wait for one. A route registered with
// RouteOptions::on_io_thread runs on the I/O thread too and must not block:
// it queues its write (Database::write_async) and answers later
// (Response::deferred); the connection resumes when the answer comes, with
// no pool thread held meanwhile (the webhook receiver, at thousands a second).
// Limits: every read has a deadline (read_timeout for a request, idle_timeout
// between keep-alive requests), every write too (write_timeout); request heads
// over 16 KiB get 431, bodies over the route's max_body (else the server's)
// get 413, malformed HTTP gets 400; in each case the connection is closed.
// Lifecycle: listen() once, then run() once (it blocks); stop() may be called
// from any thread, at any time, any number of times. stop(grace) stops
// accepting, closes idle connections, lets in-flight requests finish (they get
// "Connection: close"; streams end after their current chunk) and makes run()
// return when they are done or `grace` has passed, whichever is first. run()
// then waits for handler calls still executing to return (handlers cannot be
// interrupted) before it returns.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"
#include "http/dispatcher.h"
#include "http/router.h"

namespace opz::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0 = ephemeral; see HttpServer::bound_address()
  int threads = 0;    // I/O threads; <= 0 = hardware cores
  int handler_threads = 16;
  uint64_t max_body = kDefaultMaxBody;
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds idle_timeout{60};
  std::chrono::seconds write_timeout{30};
  BeforeHandler before_handler;                   // optional auth hook
  telemetry::MetricsRegistry* metrics = nullptr;  // optional; must outlive the server
};

class HttpServer {
 public:
  // `router` must outlive the server.
  HttpServer(ServerOptions options, const Router& router);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens. kUnavailable when the address cannot be bound,
  // kValidation for a bad host.
  Status listen();
  // "127.0.0.1:8080" once listening (the real port when 0 was asked), else "".
  std::string bound_address() const;
  // Serves until stop(); returns at once if listen() did not succeed.
  void run();
  void stop(std::chrono::milliseconds grace = std::chrono::seconds{10});

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace opz::http
