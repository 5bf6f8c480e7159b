// The Boost.Beast side of HttpServer: accept loop, per-connection coroutine,
// reading with deadlines and body limits, writing (plain or chunked), and the
// stop sequence. Everything that is not I/O lives in Dispatcher.
#include <spdlog/spdlog.h>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>

#include "http/error_body.h"
#include "http/server.h"

namespace opz::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr uint32_t kHeaderLimit = 16 * 1024;
// Lingering close (see close_gracefully): how much and how long a closing
// connection still reads and discards.
constexpr size_t kDrainLimit = 64 * 1024 * 1024;
constexpr auto kLingerTime = std::chrono::seconds(5);
constexpr auto kLingerQuiet = std::chrono::seconds(1);

std::string endpoint_text(const tcp::endpoint& ep) {
  const auto addr = ep.address();
  return addr.is_v6() ? "[" + addr.to_string() + "]:" + std::to_string(ep.port())
                      : addr.to_string() + ":" + std::to_string(ep.port());
}

bool is_parse_error(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

// GET and HEAD handlers only read (see the contract in server.h), so they may
// run on an I/O thread; everything else may wait for the database writer.
bool reads_only(const std::string& method) { return method == "GET" || method == "HEAD"; }

// What a connection sending a push stream (Response::push) waits on: new
// data or the end (the stream's waker posts wake() to the session's
// executor), the client going away (a read that completes), or a server stop.
// Waiting is a timer set to expire never and cancelled by wake(): no thread
// is held and nothing polls. Only touched on the session's I/O thread; the
// waker holds it weakly, so it dies with the response on that thread.
struct PushWatch {
  explicit PushWatch(const asio::any_io_executor& executor)
      : timer(executor, asio::steady_timer::time_point::max()) {}
  // Returns after the next wake(), or at once if one came since the last wait.
  awaitable<void> wait() {
    if (!woken) {
      timer.expires_at(asio::steady_timer::time_point::max());
      co_await timer.async_wait(kTuple);
    }
    woken = false;
  }
  void wake() {
    woken = true;
    timer.cancel();
  }

  asio::steady_timer timer;
  bool woken = false;
  bool reading = false;      // the client watch's read is pending
  bool client_gone = false;  // it ended with EOF or an error
  std::array<char, 512> sink{};
};

// Reads (and drops) what the client sends while a push stream is open: an
// event-stream client sends nothing, so EOF or an error means it went away.
void watch_client(const std::shared_ptr<PushWatch>& watch, tcp::socket& socket) {
  watch->reading = true;
  socket.async_read_some(asio::buffer(watch->sink),
                         [watch, &socket](beast::error_code ec, std::size_t) {
                           if (!ec) {
                             watch_client(watch, socket);
                             return;
                           }
                           watch->reading = false;
                           watch->client_gone = true;
                           watch->wake();
                         });
}

struct Session {
  explicit Session(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool idle = false;  // waiting for a request head; only touched on the session's I/O thread
  std::shared_ptr<PushWatch> push;  // while a push stream is being sent; I/O thread only
};

}  // namespace

class HttpServer::Impl {
 public:
  Impl(ServerOptions options, const Router& router)
      : options_(std::move(options)),
        dispatcher_(router,
                    DispatchOptions{options_.max_body, options_.before_handler, options_.metrics}),
        log_(http_logger()),
        ios_(make_contexts(options_.threads)),
        control_(asio::make_strand(*ios_[0])),
        acceptor_(control_),
        grace_timer_(control_),
        handlers_(static_cast<size_t>(std::max(1, options_.handler_threads))) {}

  Status listen();
  void run();
  void stop(std::chrono::milliseconds grace);
  std::string bound;

 private:
  awaitable<void> accept_loop();
  awaitable<void> serve(Session& s, uint64_t id);
  awaitable<void> serve_requests(Session& s, const std::string& remote);
  // Writes `res`; returns whether it was fully sent and the bytes written.
  awaitable<std::pair<bool, uint64_t>> write_response(Session& s, Response& res, unsigned version,
                                                      bool head_only, bool keep_alive);
  awaitable<std::pair<bool, uint64_t>> write_stream(Session& s,
                                                    bhttp::response<bhttp::empty_body>& head,
                                                    BodyStream& body);
  // The pieces of a streamed response (Response::stream or ::push), each
  // with write_timeout: the head, one part of the body (a chunk, or raw bytes
  // for HTTP/1.0) gathered from `parts` in one write, the last chunk.
  awaitable<std::tuple<beast::error_code, std::size_t>> write_head(
      Session& s, bhttp::response<bhttp::empty_body>& head);
  awaitable<std::tuple<beast::error_code, std::size_t>> write_body_part(
      Session& s, const std::vector<asio::const_buffer>& parts, bool chunked);
  awaitable<std::tuple<beast::error_code, std::size_t>> write_last_chunk(Session& s);
  awaitable<std::pair<bool, uint64_t>> write_push(Session& s,
                                                  bhttp::response<bhttp::empty_body>& head,
                                                  PushStream& push);
  awaitable<void> close_gracefully(Session& s);
  // Runs `f` on the handler pool and resumes on the session's strand.
  template <typename F>
  awaitable<std::invoke_result_t<F&>> on_handler_pool(F& f);
  // Waits for a deferred answer; resumes on the session's I/O thread.
  static awaitable<Response> answer_of(std::shared_ptr<PendingAnswer>& later);
  void session_ended(uint64_t id);
  void cancel_grace_if_drained();

  ServerOptions options_;
  Dispatcher dispatcher_;
  std::shared_ptr<spdlog::logger> log_;
  // One io_context per I/O thread, each run by that thread alone: a
  // connection stays on one thread, so its operations need no strand and no
  // cross-thread wake-ups (a shared io_context costs a futex wake per
  // completion). Connections are dealt round robin by the acceptor.
  static std::vector<std::unique_ptr<asio::io_context>> make_contexts(int threads);
  asio::io_context& next_context();
  void release_contexts();  // on the control strand: run() may return once drained
  std::vector<std::unique_ptr<asio::io_context>> ios_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running_;
  size_t next_context_ = 0;  // only touched on the control strand
  asio::strand<asio::io_context::executor_type> control_;  // acceptor and grace timer
  tcp::acceptor acceptor_;
  asio::steady_timer grace_timer_;
  asio::thread_pool handlers_;  // destroyed (joined) before ios_
  std::atomic<bool> stopping_{false};
  bool listening_ = false;
  std::mutex mu_;
  uint64_t next_id_ = 0;
  // Owned here; a session's coroutine removes its own entry as its last act.
  std::map<uint64_t, std::shared_ptr<Session>> sessions_;
};

Status HttpServer::Impl::listen() {
  if (listening_) return Error::conflict("the server is already listening on " + bound);
  beast::error_code ec;
  const std::string host = options_.host == "localhost" ? "127.0.0.1" : options_.host;
  const auto address = asio::ip::make_address(host, ec);
  if (ec)
    return Error::validation("listen host '" + options_.host + "' is not an IP address", "host");
  const tcp::endpoint endpoint{address, options_.port};
  const std::string where = endpoint_text(endpoint);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    acceptor_.close(ignored);
    return Error::unavailable("cannot listen on " + where + ": " + ec.message());
  }
  bound = endpoint_text(acceptor_.local_endpoint(ec));
  listening_ = true;
  return ok_status();
}

std::vector<std::unique_ptr<asio::io_context>> HttpServer::Impl::make_contexts(int threads) {
  const int n = threads > 0 ? threads
                            : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::unique_ptr<asio::io_context>> out;
  for (int i = 0; i < n; ++i) out.push_back(std::make_unique<asio::io_context>(1));
  return out;
}

asio::io_context& HttpServer::Impl::next_context() {
  asio::io_context& io = *ios_[next_context_];
  next_context_ = (next_context_ + 1) % ios_.size();
  return io;
}

void HttpServer::Impl::release_contexts() {
  for (auto& guard : keep_running_) guard.reset();
}

void HttpServer::Impl::run() {
  if (!listening_) return;
  // Contexts without connections must not return from run() before stop().
  for (auto& io : ios_) keep_running_.push_back(asio::make_work_guard(*io));
  asio::co_spawn(control_, accept_loop(), asio::detached);
  auto run_io = [this](asio::io_context& io) {
    for (;;) {
      try {
        io.run();
        return;
      } catch (const std::exception& e) {
        log_->error("I/O thread caught: {}", e.what());
      }
    }
  };
  std::vector<std::thread> extra;
  for (size_t i = 1; i < ios_.size(); ++i) extra.emplace_back(run_io, std::ref(*ios_[i]));
  run_io(*ios_[0]);
  for (auto& t : extra) t.join();
  handlers_.join();  // handler calls still executing (after a forced stop)
}

void HttpServer::Impl::stop(std::chrono::milliseconds grace) {
  if (stopping_.exchange(true)) return;
  asio::post(control_, [this, grace] {
    beast::error_code ignored;
    acceptor_.close(ignored);
    grace_timer_.expires_after(grace);
    grace_timer_.async_wait([this](beast::error_code ec) {
      release_contexts();
      if (ec) return;  // cancelled: everything drained in time
      log_->warn("stop: grace period over, closing remaining connections");
      handlers_.stop();
      for (auto& io : ios_) io->stop();
    });
    std::lock_guard lock(mu_);
    for (auto& [id, s] : sessions_) {
      asio::post(s->stream.get_executor(), [s = s] {
        if (s->idle) s->stream.cancel();
        if (s->push) s->push->wake();  // it sees stopping_ and ends its stream
      });
    }
    if (sessions_.empty()) grace_timer_.cancel();
  });
}

void HttpServer::Impl::session_ended(uint64_t id) {
  std::lock_guard lock(mu_);
  sessions_.erase(id);
  if (stopping_ && sessions_.empty()) {
    asio::post(control_, [this] { grace_timer_.cancel(); });
  }
}

awaitable<void> HttpServer::Impl::accept_loop() {
  while (!stopping_) {
    auto [ec, socket] = co_await acceptor_.async_accept(next_context(), kTuple);
    if (ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor || stopping_) {
      break;
    }
    if (ec) {
      // Typically EMFILE: back off instead of spinning.
      log_->warn("accept failed: {}", ec.message());
      asio::steady_timer pause(control_, std::chrono::milliseconds(100));
      co_await pause.async_wait(kTuple);
      continue;
    }
    auto session = std::make_shared<Session>(std::move(socket));
    uint64_t id = 0;
    {
      std::lock_guard lock(mu_);
      id = next_id_++;
      sessions_.emplace(id, session);
    }
    asio::co_spawn(session->stream.get_executor(), serve(*session, id), asio::detached);
  }
}

// Coroutines here take only references and trivially copyable values: with
// g++ 12.2, a capturing lambda passed by value into on_handler_pool() lost its
// captures before it ran (a crash in the streaming test), so callers keep such
// objects in their own frame and pass references.
awaitable<void> HttpServer::Impl::serve(Session& s, uint64_t id) {
  beast::error_code ec;
  const auto peer = s.stream.socket().remote_endpoint(ec);
  const std::string remote = ec ? std::string("-") : endpoint_text(peer);
  try {
    co_await serve_requests(s, remote);
    co_await close_gracefully(s);
  } catch (const std::exception& e) {
    log_->error("connection from {} failed: {}", remote, e.what());
  }
  s.stream.socket().close(ec);
  session_ended(id);  // destroys `s`
}

awaitable<void> HttpServer::Impl::serve_requests(Session& s, const std::string& remote) {
  beast::flat_buffer buffer;
  bool first = true;
  while (!stopping_) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(kHeaderLimit);
    // Beast checks Content-Length against the body limit while reading the
    // head (default 1 MiB) and reports it as a parse error; the route's own
    // limit is applied once the route is known, below.
    parser.body_limit(boost::none);
    s.stream.expires_after(first ? options_.read_timeout : options_.idle_timeout);
    s.idle = true;
    auto [ec, n] = co_await bhttp::async_read_header(s.stream, buffer, parser, kTuple);
    s.idle = false;
    const auto started = std::chrono::steady_clock::now();
    Exchange ex;
    bool keep_alive = false;
    unsigned version = 11;
    Response res;
    if (ec == bhttp::error::header_limit) {
      ex = dispatcher_.reject(Error::too_large("request head exceeds 16 KiB"), remote, 431);
      res = *ex.early;
    } else if (is_parse_error(ec)) {
      ex = dispatcher_.reject(Error::malformed("malformed HTTP request: " + ec.message()), remote);
      res = *ex.early;
    } else if (ec) {
      co_return;  // closed, reset, timed out or stopped while idle
    } else {
      first = false;
      auto& head = parser.get();
      version = head.version() == 10 ? 10 : 11;
      RequestHead rh{std::string(head.method_string()), std::string(head.target()), {}, remote};
      for (const auto& field : head) {
        rh.headers.add(std::string(field.name_string()), std::string(field.value()));
      }
      ex = dispatcher_.begin(std::move(rh));
      keep_alive = head.keep_alive();
      const auto length = parser.content_length();
      const bool has_body = parser.chunked() || (length && *length > 0);
      if (ex.early) {
        res = *ex.early;
        keep_alive = keep_alive && !has_body;  // its body is not read
      } else if (length && *length > ex.body_limit) {
        res = dispatcher_.body_too_large(ex);
        keep_alive = false;
      } else {
        if (has_body && beast::iequals(head[bhttp::field::expect], "100-continue")) {
          bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, version};
          s.stream.expires_after(options_.write_timeout);
          auto [wec, wn] = co_await bhttp::async_write(s.stream, cont, kTuple);
          if (wec) co_return;
        }
        parser.body_limit(ex.body_limit);
        // Beast reads max(512, free capacity) bytes per recvmsg and the buffer
        // only grew to what the head needed: room for the body (up to 64 KiB)
        // reads it in as few calls as it arrived in (a 7.7 KB webhook took 16
        // reads; bench/socket_read_bench.cc: 2.8x the CPU of one read).
        if (length)
          buffer.reserve(buffer.size() + static_cast<size_t>(std::min<uint64_t>(*length, 64 * 1024)));
        s.stream.expires_after(options_.read_timeout);
        auto [bec, bn] = co_await bhttp::async_read(s.stream, buffer, parser, kTuple);
        if (bec == bhttp::error::body_limit) {
          res = dispatcher_.body_too_large(ex);
          keep_alive = false;
        } else if (is_parse_error(bec)) {
          res =
              dispatcher_.reject(Error::malformed("malformed HTTP body: " + bec.message()), remote)
                  .early.value();
          res.headers.set("X-Request-Id", ex.request.request_id);
          keep_alive = false;
        } else if (bec) {
          co_return;  // client gone or too slow
        } else {
          std::string body = std::move(parser.get().body());
          auto call = [this, &ex, &body] { return dispatcher_.handle(ex, std::move(body)); };
          // Reads answer on this I/O thread: a hop to the pool and back costs
          // two thread wake-ups, more than a cached-token, reader-pool query.
          // Unless the route asks for the pool (RouteOptions::on_handler_pool).
          const RouteOptions* route = ex.route.options;
          const bool to_pool = route != nullptr && route->on_handler_pool;
          if (!to_pool && (reads_only(ex.request.method) ||
                           (route != nullptr && route->on_io_thread))) {
            res = call();
          } else {
            res = co_await on_handler_pool(call);
          }
          if (res.later) res = dispatcher_.complete(ex, co_await answer_of(res.later));
        }
      }
    }
    // After a push stream the connection closes (it may have been cut).
    keep_alive = keep_alive && !stopping_ && !res.push;
    const bool head_only = ex.request.method == "HEAD";
    auto [sent, bytes] = co_await write_response(s, res, version, head_only, keep_alive);
    dispatcher_.finish(ex, res.status, bytes, std::chrono::steady_clock::now() - started);
    if (!sent || !keep_alive) co_return;
    // An idle keep-alive connection keeps no large buffer.
    if (buffer.size() == 0 && buffer.capacity() > 16 * 1024) buffer.shrink_to_fit();
  }
}

awaitable<std::pair<bool, uint64_t>> HttpServer::Impl::write_response(Session& s, Response& res,
                                                                      unsigned version,
                                                                      bool head_only,
                                                                      bool keep_alive) {
  if (res.push && head_only) res.push->cancel();  // nothing will be sent: producers forget it
  if ((res.stream || res.push) && !head_only) {
    bhttp::response<bhttp::empty_body> head{static_cast<bhttp::status>(res.status), version};
    for (const auto& [name, value] : res.headers.items()) head.insert(name, value);
    head.keep_alive(keep_alive && version == 11);
    head.chunked(version == 11);
    if (res.push) co_return co_await write_push(s, head, *res.push);
    co_return co_await write_stream(s, head, *res.stream);
  }
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), version};
  for (const auto& [name, value] : res.headers.items()) out.insert(name, value);
  out.keep_alive(keep_alive);
  const bool bodiless = res.status == 204 || res.status == 304;
  if (head_only) {
    if (!bodiless && !res.stream && !res.push) out.content_length(res.body.size());
  } else if (!bodiless) {
    out.body() = std::move(res.body);
    out.prepare_payload();
  }
  s.stream.expires_after(options_.write_timeout);
  auto [ec, n] = co_await bhttp::async_write(s.stream, out, kTuple);
  co_return std::pair<bool, uint64_t>{!ec, n};
}

awaitable<std::tuple<beast::error_code, std::size_t>> HttpServer::Impl::write_head(
    Session& s, bhttp::response<bhttp::empty_body>& head) {
  bhttp::response_serializer<bhttp::empty_body> serializer{head};
  s.stream.expires_after(options_.write_timeout);
  co_return co_await bhttp::async_write_header(s.stream, serializer, kTuple);
}

awaitable<std::tuple<beast::error_code, std::size_t>> HttpServer::Impl::write_body_part(
    Session& s, const std::vector<asio::const_buffer>& parts, bool chunked) {
  s.stream.expires_after(options_.write_timeout);
  if (chunked) co_return co_await asio::async_write(s.stream, bhttp::make_chunk(parts), kTuple);
  co_return co_await asio::async_write(s.stream, parts, kTuple);
}

awaitable<std::tuple<beast::error_code, std::size_t>> HttpServer::Impl::write_last_chunk(
    Session& s) {
  s.stream.expires_after(options_.write_timeout);
  co_return co_await asio::async_write(s.stream, bhttp::make_chunk_last(), kTuple);
}

awaitable<std::pair<bool, uint64_t>> HttpServer::Impl::write_stream(
    Session& s, bhttp::response<bhttp::empty_body>& head, BodyStream& body) {
  const bool chunked = head.chunked();
  auto [ec, total] = co_await write_head(s, head);
  if (ec) co_return std::pair<bool, uint64_t>{false, total};
  auto pull = [this, &body] {
    std::pair<bool, std::string> next{false, {}};
    try {
      next.first = body(next.second);
    } catch (const std::exception& e) {
      log_->error("response stream threw: {}", e.what());
      next.first = false;
    } catch (...) {
      log_->error("response stream threw a non-standard exception");
      next.first = false;
    }
    return next;
  };
  std::vector<asio::const_buffer> parts(1);
  for (;;) {
    auto [more, chunk] = co_await on_handler_pool(pull);
    if (!chunk.empty()) {
      std::size_t n = 0;
      parts[0] = asio::buffer(chunk);
      std::tie(ec, n) = co_await write_body_part(s, parts, chunked);
      total += n;
      if (ec) co_return std::pair<bool, uint64_t>{false, total};
    }
    if (!more || stopping_) break;
  }
  if (!chunked) co_return std::pair<bool, uint64_t>{false, total};  // HTTP/1.0: close ends it
  auto [lec, ln] = co_await write_last_chunk(s);
  co_return std::pair<bool, uint64_t>{!lec, total + ln};
}

// Sends a push stream from this I/O thread: each wake-up takes the queued
// pieces and sends them as one chunk (raw for HTTP/1.0, where the close ends
// the body), gathered from the (shared) pieces themselves, never copied. It
// ends when the producer finishes (the last chunk follows), when the client
// goes away or a write fails or times out (no last chunk), or when the
// server stops (after the chunk in flight; the last chunk
// follows). In every case but the producer's finish, the stream is cancelled
// so producers forget it. Answers whether the response ended cleanly.
awaitable<std::pair<bool, uint64_t>> HttpServer::Impl::write_push(
    Session& s, bhttp::response<bhttp::empty_body>& head, PushStream& push) {
  const bool chunked = head.chunked();
  auto [ec, total] = co_await write_head(s, head);
  if (ec) {
    push.cancel();
    co_return std::pair<bool, uint64_t>{false, total};
  }
  auto watch = std::make_shared<PushWatch>(s.stream.get_executor());
  s.push = watch;
  push.set_waker([weak = std::weak_ptr<PushWatch>(watch), executor = s.stream.get_executor()] {
    asio::post(executor, [weak] {
      if (auto w = weak.lock()) w->wake();
    });
  });
  watch_client(watch, s.stream.socket());
  bool write_failed = false;
  bool finished = false;
  std::vector<SharedBytes> pieces;  // held until their bytes are sent
  std::vector<asio::const_buffer> parts;
  while (!watch->client_gone && !stopping_) {
    pieces.clear();
    const bool more = push.take(pieces);
    if (!pieces.empty()) {
      parts.clear();
      for (const SharedBytes& piece : pieces) parts.push_back(asio::buffer(*piece));
      std::size_t n = 0;
      std::tie(ec, n) = co_await write_body_part(s, parts, chunked);
      total += n;
      if (ec) {
        write_failed = true;
        break;
      }
    }
    if (!more) {
      finished = !push.cancelled();
      break;
    }
    if (pieces.empty()) co_await watch->wait();
  }
  pieces.clear();
  push.set_waker({});
  if (!finished) push.cancel();
  bool clean = !write_failed && !watch->client_gone;
  if (clean && chunked) {
    auto [lec, ln] = co_await write_last_chunk(s);
    total += ln;
    clean = !lec;
  }
  // The client watch must be over before the connection's next read.
  if (watch->reading) {
    beast::error_code ignored;
    s.stream.socket().cancel(ignored);
    while (watch->reading) co_await watch->wait();
  }
  s.push.reset();
  co_return std::pair<bool, uint64_t>{clean && chunked, total};
}

awaitable<void> HttpServer::Impl::close_gracefully(Session& s) {
  // Half-close, then read and discard what the client still sends, as nginx's
  // lingering close does: closing with unread bytes sends a reset, and a reset
  // destroys an answer the client has not read yet (a 413 sent while a 9 MiB
  // body is still arriving). The client reads the answer and stops sending;
  // the drain ends at its close, after kLingerQuiet of silence, kLingerTime in
  // all or kDrainLimit bytes. Draining counts as idle, so stop() ends it.
  beast::error_code ec;
  s.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) co_return;
  const auto until = std::chrono::steady_clock::now() + kLingerTime;
  std::array<char, 16 * 1024> sink;
  size_t drained = 0;
  s.idle = true;
  while (drained < kDrainLimit && !stopping_) {
    const auto left = until - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) break;
    s.stream.expires_after(std::min<std::chrono::steady_clock::duration>(left, kLingerQuiet));
    auto [rec, n] = co_await s.stream.async_read_some(asio::buffer(sink), kTuple);
    if (rec) break;
    drained += n;
  }
  s.idle = false;
}

awaitable<Response> HttpServer::Impl::answer_of(std::shared_ptr<PendingAnswer>& later) {
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(Response)>(
      [&later](auto handler) {
        auto resume = std::make_shared<decltype(handler)>(std::move(handler));
        auto executor = asio::get_associated_executor(*resume);
        later->on_answer([resume, executor](Response r) {
          asio::post(executor, [resume, r = std::move(r)]() mutable { (*resume)(std::move(r)); });
        });
        // Only the answering side holds it now: dropping it unanswered answers 500.
        later.reset();
      },
      asio::use_awaitable);
}

template <typename F>
awaitable<std::invoke_result_t<F&>> HttpServer::Impl::on_handler_pool(F& f) {
  using R = std::invoke_result_t<F&>;
  co_return co_await asio::co_spawn(
      handlers_.get_executor(), [&f]() -> awaitable<R> { co_return f(); }, asio::use_awaitable);
}

// --- HttpServer -------------------------------------------------------------

HttpServer::HttpServer(ServerOptions options, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}
HttpServer::~HttpServer() = default;
Status HttpServer::listen() { return impl_->listen(); }
std::string HttpServer::bound_address() const { return impl_->bound; }
void HttpServer::run() { impl_->run(); }
void HttpServer::stop(std::chrono::milliseconds grace) { impl_->stop(grace); }

}  // namespace opz::http
