// Push streams: the queue itself (shared pieces by reference, the limit,
// batches, wake-ups, cancel), then (Response::push) over real sockets: bytes
// written from any thread arrive in order, shared frames reach many clients
// whole, finish() ends the response, a client that goes away cancels the
// stream, open streams hold no handler-pool thread, and stop() ends them.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "http/raw_socket.h"
#include "http/server.h"
#include "support/http_client.h"

namespace opz::http {
namespace {

using opz::testing::HttpClient;
using testing::RawSocket;
using namespace std::chrono_literals;

// Polls `done` until it holds or `deadline` passes; answers its last value.
template <typename Pred>
bool eventually(Pred done, std::chrono::milliseconds deadline = 5s) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

SharedBytes bytes(std::string text) { return std::make_shared<const std::string>(std::move(text)); }

TEST(PushStreamTest, SharedPiecesAreQueuedByReferenceInOrderWithCopiedOnes) {
  PushStream stream;
  const SharedBytes a = bytes("id: 1\n\n");
  const SharedBytes b = bytes("id: 2\n\n");
  EXPECT_TRUE(stream.write(a));
  EXPECT_TRUE(stream.write(": heartbeat\n\n"));
  const std::vector<SharedBytes> batch{b};
  EXPECT_EQ(stream.write(std::span<const SharedBytes>(batch)), 1u);
  EXPECT_EQ(stream.buffered(), a->size() + 13 + b->size());
  std::vector<SharedBytes> out;
  EXPECT_TRUE(stream.take(out));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].get(), a.get());  // the producer's bytes, not a copy
  EXPECT_EQ(*out[1], ": heartbeat\n\n");
  EXPECT_EQ(out[2].get(), b.get());
  EXPECT_EQ(stream.buffered(), 0u);
}

TEST(PushStreamTest, ABatchQueuesTheLongestPrefixThatFitsAndSharedBytesCount) {
  PushStream stream(/*max_buffered=*/10);
  const std::vector<SharedBytes> batch{bytes("1234"), bytes("5678901"), bytes("b")};
  // "b" would fit after "1234", but a piece never overtakes a refused one.
  EXPECT_EQ(stream.write(std::span<const SharedBytes>(batch)), 1u);
  EXPECT_EQ(stream.buffered(), 4u);
  EXPECT_FALSE(stream.write(bytes("abcdefg")));
  EXPECT_TRUE(stream.write(bytes("abcdef")));
  EXPECT_EQ(stream.buffered(), 10u);
  std::string out;
  EXPECT_TRUE(stream.take(out));
  EXPECT_EQ(out, "1234abcdef");
  PushStream small(4);
  EXPECT_FALSE(small.write(bytes("12345")));  // a shared piece counts its whole size
  EXPECT_EQ(small.buffered(), 0u);
}

TEST(PushStreamTest, OneWakeUpPerWriteThatFindsTheQueueEmpty) {
  PushStream stream;
  int wakes = 0;
  stream.set_waker([&] { ++wakes; });
  const std::vector<SharedBytes> batch{bytes("a"), bytes("b"), bytes("c")};
  EXPECT_EQ(stream.write(std::span<const SharedBytes>(batch)), 3u);
  EXPECT_EQ(wakes, 1);  // one for the whole batch
  EXPECT_TRUE(stream.write("d"));
  EXPECT_EQ(wakes, 1);  // the transport has not taken the rest yet
  std::vector<SharedBytes> out;
  stream.take(out);
  EXPECT_EQ(out.size(), 4u);
  EXPECT_TRUE(stream.write(bytes("e")));
  EXPECT_EQ(wakes, 2);
}

TEST(PushStreamTest, CancelReleasesTheQueuedPiecesAndRefusesLaterWrites) {
  PushStream stream;
  const SharedBytes frame = bytes("id: 1\n\n");
  const std::vector<SharedBytes> batch{frame, frame};
  EXPECT_EQ(stream.write(std::span<const SharedBytes>(batch)), 2u);
  EXPECT_EQ(frame.use_count(), 5);  // ours, the batch's two, two queued
  stream.cancel();
  EXPECT_EQ(frame.use_count(), 3);
  EXPECT_EQ(stream.buffered(), 0u);
  EXPECT_EQ(stream.write(std::span<const SharedBytes>(batch)), 0u);
  EXPECT_FALSE(stream.write(frame));
  std::vector<SharedBytes> out{bytes("kept")};
  EXPECT_FALSE(stream.take(out));
  ASSERT_EQ(out.size(), 1u);  // untouched
  EXPECT_EQ(*out[0], "kept");
}

TEST(PushStreamTest, FinishQueuesTheLastBytesAfterTheSharedOnesWhateverTheLimit) {
  PushStream stream(4);
  EXPECT_TRUE(stream.write(bytes("1234")));
  stream.finish("end");
  EXPECT_FALSE(stream.write(bytes("x")));
  std::string out;
  EXPECT_FALSE(stream.take(out));  // nothing more will come
  EXPECT_EQ(out, "1234end");
}

class PushStreamServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // GET runs on the I/O thread, POST on the handler pool: both only open
    // the stream and return.
    add("GET", "/events");
    add("POST", "/events");
    ASSERT_TRUE(
        router.add("POST", "/echo", [](Request& r) { return Response::text(200, r.body); }).ok());
  }

  void add(const char* method, const char* pattern) {
    ASSERT_TRUE(router.add(method, pattern, [this](Request&) { return open_stream(); }).ok());
  }

  Response open_stream() {
    auto stream = std::make_shared<PushStream>();
    stream->on_cancel([this] { ++cancelled; });
    {
      std::lock_guard lock(mu);
      streams.push_back(stream);
    }
    Response r;
    r.headers.set("Content-Type", "text/event-stream");
    r.push = std::move(stream);
    return r;
  }

  size_t open_streams() {
    std::lock_guard lock(mu);
    return streams.size();
  }
  std::shared_ptr<PushStream> stream(size_t i) {
    std::lock_guard lock(mu);
    return streams.at(i);
  }

  void start(int handler_threads = 4) {
    ServerOptions o;
    o.host = "127.0.0.1";
    o.port = 0;
    o.threads = 2;
    o.handler_threads = handler_threads;
    server = std::make_unique<HttpServer>(std::move(o), router);
    ASSERT_TRUE(server->listen().ok());
    address = server->bound_address();
    runner = std::thread([this] { server->run(); });
  }

  void TearDown() override {
    if (runner.joinable()) {
      server->stop(2s);
      runner.join();
    }
  }

  // A client whose GET /events is open (its stream registered as number `index`).
  std::unique_ptr<RawSocket> open_client(size_t index, const char* request =
                                                           "GET /events HTTP/1.1\r\nHost: t\r\n\r\n") {
    auto sock = std::make_unique<RawSocket>(address);
    EXPECT_TRUE(sock->send(request));
    EXPECT_TRUE(eventually([&] { return open_streams() > index; }));
    return sock;
  }

  Router router;
  std::unique_ptr<HttpServer> server;
  std::thread runner;
  std::string address;
  std::mutex mu;
  std::vector<std::shared_ptr<PushStream>> streams;
  std::atomic<int> cancelled{0};
};

TEST_F(PushStreamServerTest, BytesWrittenFromAnotherThreadArriveInOrder) {
  start();
  auto client = open_client(0);
  std::string expected;
  for (int i = 0; i < 2000; ++i) expected += "data: " + std::to_string(i) + "\n\n";
  std::thread producer([s = stream(0)] {
    for (int i = 0; i < 2000; ++i) {
      const std::string event = "data: " + std::to_string(i) + "\n\n";
      while (!s->write(event)) std::this_thread::yield();  // buffer full: the transport drains it
    }
    s->finish("event: end\n\n");
  });
  const auto response = client->read_response();
  producer.join();
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.has_header("Content-Type: text/event-stream"));
  EXPECT_TRUE(response.has_header("Transfer-Encoding: chunked"));
  EXPECT_EQ(response.body, expected + "event: end\n\n");
  EXPECT_EQ(cancelled, 0);
}

TEST_F(PushStreamServerTest, SharedFramesReachEveryClientWholeAndInOrder) {
  start();
  constexpr size_t kClients = 3;
  std::vector<std::unique_ptr<RawSocket>> clients;
  for (size_t i = 0; i < kClients; ++i) clients.push_back(open_client(i));
  std::vector<SharedBytes> frames;
  std::string expected;
  for (int i = 0; i < 300; ++i) {
    frames.push_back(
        bytes("id: " + std::to_string(i) + "\ndata: " + std::string(100, 'x') + "\n\n"));
    expected += *frames.back();
  }
  for (size_t i = 0; i < kClients; ++i) {
    auto s = stream(i);
    // In three batches, one of them written piece by piece.
    EXPECT_EQ(s->write(std::span<const SharedBytes>(frames).subspan(0, 100)), 100u);
    for (size_t k = 100; k < 200; ++k) EXPECT_TRUE(s->write(frames[k]));
    EXPECT_EQ(s->write(std::span<const SharedBytes>(frames).subspan(200)), 100u);
    s->finish("event: end\n\n");
  }
  for (auto& client : clients) {
    const auto response = client->read_response();
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, expected + "event: end\n\n");
  }
  // Sent and released: the transport holds no piece once a response ends.
  EXPECT_TRUE(eventually([&] { return frames[0].use_count() == 1; })) << frames[0].use_count();
  EXPECT_EQ(cancelled, 0);
}

TEST_F(PushStreamServerTest, FinishEndsTheResponseAndTheConnection) {
  start();
  auto client = open_client(0);
  ASSERT_TRUE(client->read_until("\r\n\r\n"));  // the head comes before any data
  stream(0)->write("data: one\n\n");
  ASSERT_TRUE(client->read_until("data: one"));
  stream(0)->finish("data: two\n\n");
  const auto response = client->read_response();
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.has_header("Connection: close"));
  EXPECT_EQ(response.body, "data: one\n\ndata: two\n\n");
  EXPECT_TRUE(client->closed_by_peer());
  EXPECT_FALSE(stream(0)->write("late"));
  EXPECT_EQ(cancelled, 0);
}

TEST_F(PushStreamServerTest, Http10GetsTheRawBodyEndedByTheClose) {
  start();
  auto client = open_client(0, "GET /events HTTP/1.0\r\n\r\n");
  stream(0)->write("a");
  stream(0)->finish("b");
  const auto response = client->read_response();
  EXPECT_EQ(response.status, 200);
  EXPECT_FALSE(response.has_header("Transfer-Encoding"));
  EXPECT_EQ(response.body, "ab");
}

TEST_F(PushStreamServerTest, HeadOfAPushRouteCancelsTheStream) {
  start();
  auto client = open_client(0, "HEAD /events HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(client->read_response(/*head_request=*/true).status, 200);
  EXPECT_TRUE(eventually([&] { return cancelled == 1; }));
}

TEST_F(PushStreamServerTest, AClientThatGoesAwayCancelsItsStream) {
  start();
  auto client = open_client(0);
  ASSERT_TRUE(client->read_until("\r\n\r\n"));
  client.reset();  // closes the socket while nothing is being written
  EXPECT_TRUE(eventually([&] { return cancelled == 1; }));
  EXPECT_TRUE(stream(0)->cancelled());
  EXPECT_FALSE(stream(0)->write("data: nobody listens\n\n"));
}

TEST_F(PushStreamServerTest, OpenStreamsHoldNoHandlerThread) {
  start(/*handler_threads=*/1);
  constexpr size_t kStreams = 200;
  std::vector<std::unique_ptr<RawSocket>> clients;
  for (size_t i = 0; i < kStreams; ++i) {
    clients.push_back(std::make_unique<RawSocket>(address));
    ASSERT_TRUE(clients.back()->send("POST /events HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n"));
  }
  ASSERT_TRUE(eventually([&] { return open_streams() == kStreams; }, 20s)) << open_streams();
  // The only pool thread is free: a POST is answered while all stay open.
  const auto echo = HttpClient("http://" + address).post("/echo", std::string("ping"));
  EXPECT_EQ(echo.status, 200);
  EXPECT_EQ(echo.body, "ping");
  for (size_t i = 0; i < kStreams; ++i) EXPECT_FALSE(stream(i)->closed()) << i;
  // Streams register in the order the handler ran, not the clients': end them all.
  for (size_t i = 0; i < kStreams; ++i) stream(i)->finish("data: bye\n\n");
  for (auto& client : clients) EXPECT_EQ(client->read_response().body, "data: bye\n\n");
}

TEST_F(PushStreamServerTest, StopEndsOpenStreamsAndCancelsThem) {
  start();
  std::vector<std::unique_ptr<RawSocket>> clients;
  for (size_t i = 0; i < 3; ++i) {
    clients.push_back(open_client(i));
    stream(i)->write("data: x\n\n");
    ASSERT_TRUE(clients[i]->read_until("data: x"));
  }
  server->stop(30s);
  auto stopped = std::async(std::launch::async, [this] { runner.join(); });
  // Well before the grace period: the streams do not hold the stop up.
  ASSERT_EQ(stopped.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(cancelled, 3);
  for (auto& client : clients) {
    const auto response = client->read_response();
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "data: x\n\n");  // ended with the last chunk
  }
}

}  // namespace
}  // namespace opz::http
