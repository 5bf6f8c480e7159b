// Request and Response: Opzenix's own HTTP message types.
//
// Handlers (api/) see only these, never Boost.Beast types, so that handler
// files compile fast and are testable without sockets. The transport
// (http/server.cc) converts at the edge.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opz::http {

// Case-insensitive header lookup; keeps insertion order for output.
class Headers {
 public:
  void add(std::string name, std::string value) {
    items_.emplace_back(std::move(name), std::move(value));
  }
  void set(std::string name, std::string value);
  // Empty string_view when absent (first match wins).
  std::string_view get(std::string_view name) const;
  bool has(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

struct Request {
  std::string method;  // "GET", "POST", ... upper case
  std::string target;  // raw request target, "/api/v1/x?y=1"
  std::string path;    // percent-decoded path without query
  std::map<std::string, std::string> query;        // decoded; last value wins
  std::map<std::string, std::string> path_params;  // filled by the Router
  Headers headers;
  std::string body;
  std::string request_id;   // X-Request-Id (given or generated)
  std::string remote_addr;  // "127.0.0.1:53211"

  std::string_view header(std::string_view name) const { return headers.get(name); }
  // Query parameter or `fallback` when absent.
  std::string query_or(const std::string& key, std::string fallback = {}) const {
    auto it = query.find(key);
    return it == query.end() ? std::move(fallback) : it->second;
  }
  const std::string& param(const std::string& key) const {
    static const std::string kEmpty;
    auto it = path_params.find(key);
    return it == path_params.end() ? kEmpty : it->second;
  }
};

// A streaming body (server-sent events, log follow). The transport calls
// `next` repeatedly from its I/O thread until it returns false; each call may
// block up to ~1 s waiting for data and appends what it has to `out`.
// Returning false ends the response. `next` must be thread-compatible.
using BodyStream = std::function<bool(std::string& out)>;

class PendingAnswer;
class PushStream;

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  std::shared_ptr<BodyStream> stream;  // when set, `body` is ignored and sent chunked
  // When set, `body` and `stream` are ignored: the response is sent chunked
  // from what producers write into it (server-sent events); see PushStream.
  std::shared_ptr<PushStream> push;
  // When set, the handler answers later (see PendingAnswer); the rest of this
  // Response is ignored.
  std::shared_ptr<PendingAnswer> later;

  static Response deferred(std::shared_ptr<PendingAnswer> pending) {
    Response r;
    r.later = std::move(pending);
    return r;
  }

  static Response json(int status, std::string body) {
    Response r;
    r.status = status;
    r.headers.set("Content-Type", "application/json");
    r.body = std::move(body);
    return r;
  }
  static Response text(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8") {
    Response r;
    r.status = status;
    r.headers.set("Content-Type", std::move(content_type));
    r.body = std::move(body);
    return r;
  }
};

using Handler = std::function<Response(Request&)>;

// An answer given after the handler has returned (Response::deferred): for a
// handler that must not block its thread while, say, a database write it
// queued commits. Whoever holds it calls answer() exactly once, from any
// thread; the transport then sends the response from the connection's own
// I/O thread. Dropped without an answer, it answers 500, so a connection
// never hangs on a lost answer. Thread-safe.
class PendingAnswer {
 public:
  PendingAnswer() = default;
  ~PendingAnswer();
  PendingAnswer(const PendingAnswer&) = delete;
  PendingAnswer& operator=(const PendingAnswer&) = delete;

  void answer(Response response);
  // The transport's side: `then` gets the answer once, at once when it is
  // already given, else on the answering thread.
  void on_answer(std::function<void(Response)> then);

 private:
  std::mutex mu_;
  std::optional<Response> response_;
  std::function<void(Response)> then_;
  bool answered_ = false;
};

// Bytes shared between many pushes: one event frame written to 1,000 event
// stream clients is one allocation, queued by reference in each stream.
using SharedBytes = std::shared_ptr<const std::string>;

// A server-push body (server-sent events): the handler returns at once with
// Response::push set; producers write into it from any thread; the transport
// sends what was written, in order, as chunks, from the connection's own I/O
// thread. No handler-pool thread is held while the stream is open, so
// thousands of streams cost only memory.
//
// What is written is queued as pieces, never concatenated: write(SharedBytes)
// and write(span) queue the producer's shared bytes by reference (the fan-out
// of one frame to N streams copies no bytes: the transport hands the pieces
// to the socket as one gathered write); write(string_view) copies its bytes
// into a new piece.
//
// Flow control: at most `max_buffered` bytes (the sum of the queued pieces'
// sizes, shared or not) wait unsent. A write refuses (answers false, queues
// nothing) what would exceed it; the producer then decides what to do (the
// event stream sends `reset` with finish() and forgets the client), so a slow
// client never makes a producer wait. The memory a full stream holds is
// `max_buffered` only for bytes nobody else shares; for shared frames it is
// one pointer per piece.
// Wake-ups: the transport's waker runs once per write (or batch) that finds
// the queue empty, so a producer that writes a tick's frames in one
// write(span) costs one wake-up per tick, not one per frame.
// Ending: finish() (producer) sends what is queued plus `last`, then ends
// the response; cancel() (transport: the client went away, a write failed or
// timed out, the server stops) drops the queue and makes every later write
// answer false. on_cancel callbacks run once, on the cancelling thread,
// outside the stream's lock.
// Thread-safe.
class PushStream {
 public:
  explicit PushStream(size_t max_buffered = 1 << 20) : max_buffered_(max_buffered) {}
  PushStream(const PushStream&) = delete;
  PushStream& operator=(const PushStream&) = delete;

  // --- producer side
  // Queues a copy of `bytes`; false when finished/cancelled or when the bytes
  // would exceed max_buffered (then nothing is queued). Empty bytes: true,
  // nothing queued.
  bool write(std::string_view bytes);
  // Queues `piece` itself (no copy; it must not change afterwards). Same
  // refusals as above; a null piece counts as empty.
  bool write(SharedBytes piece);
  // Queues the longest prefix of `pieces` that fits under max_buffered, in
  // order, under one lock and with at most one wake-up. Answers how many were
  // queued (pieces.size() when all were; 0 when finished/cancelled).
  size_t write(std::span<const SharedBytes> pieces);
  // Queues `last` whatever the limit, then ends the response once sent.
  // Later calls and writes are ignored.
  void finish(std::string_view last = {});
  // True once finish() or cancel() was called.
  bool closed() const;
  // Bytes written and not yet taken by the transport.
  size_t buffered() const;
  // `f` runs once when the transport cancels (at once if it already did).
  void on_cancel(std::function<void()> f);

  // --- transport side
  // `wake` is called (from the writing thread, outside the lock) whenever
  // data or the end becomes available while the transport waits; it must
  // only post to the transport's executor. Replaces any earlier waker.
  void set_waker(std::function<void()> wake);
  // Moves the queued pieces, in order, to the end of `out` (the transport
  // gathers them into one socket write). Answers false when nothing more
  // will come after what it moved: finished (send `out`, then end the
  // response) or cancelled (`out` untouched).
  bool take(std::vector<SharedBytes>& out);
  // The same, concatenated into `out` (appending): for tests and consumers
  // that want one string.
  bool take(std::string& out);
  void cancel();
  bool cancelled() const;

 private:
  // Queues `pieces` while they fit; the caller holds mu_. Answers how many.
  size_t queue_locked(std::span<const SharedBytes> pieces);

  const size_t max_buffered_;
  mutable std::mutex mu_;
  std::vector<SharedBytes> queue_;
  size_t buffered_ = 0;  // the sum of queue_'s sizes
  bool finished_ = false;
  bool cancelled_ = false;
  std::function<void()> wake_;
  std::vector<std::function<void()>> on_cancel_;
};

}  // namespace opz::http
