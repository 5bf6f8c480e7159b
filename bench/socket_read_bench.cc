// What reading a request body in small pieces costs on this machine: one
// message of Arg(1) bytes over loopback TCP, read by a non-blocking socket the
// way asio reads (recvmsg until EAGAIN, then epoll_wait), Arg(0) bytes per
// recvmsg. 512 is what Beast asks for when its flat_buffer has no more free
// room than the head needed (read_size = max(512, free capacity)); 65536 is
// the anchor: the whole body in as few calls as it arrived in. The CPU column
// is the reading thread's CPU time per message; "reads" counts recvmsg calls
// per message. The webhook intake (docs/performance.md) reads a 7.7 KB push in
// ~16.6 recvmsg this way.
#include <benchmark/benchmark.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <thread>
#include <vector>

namespace {

// A connected loopback pair: `reader` non-blocking and registered with `epoll`.
struct LoopbackPair {
  int writer = -1, reader = -1, epoll = -1;

  bool open() {
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener, 1) != 0 ||
        ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
      return false;
    writer = ::socket(AF_INET, SOCK_STREAM, 0);
    if (::connect(writer, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return false;
    reader = ::accept(listener, nullptr, nullptr);
    ::close(listener);
    if (reader < 0 || ::fcntl(reader, F_SETFL, O_NONBLOCK) != 0) return false;
    epoll = ::epoll_create1(0);
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLET;
    ev.data.fd = reader;
    return ::epoll_ctl(epoll, EPOLL_CTL_ADD, reader, &ev) == 0;
  }
  ~LoopbackPair() {
    for (int fd : {writer, reader, epoll})
      if (fd >= 0) ::close(fd);
  }
};

void BM_ReadBody(benchmark::State& state) {
  const auto piece = static_cast<size_t>(state.range(0));
  const auto bytes = static_cast<size_t>(state.range(1));
  LoopbackPair pair;
  int go[2];
  if (!pair.open() || ::pipe(go) != 0) {
    state.SkipWithError("cannot open a loopback connection");
    return;
  }
  // The sender writes one whole message per byte on `go` (as a client sends
  // a request in one write), until the pipe closes.
  std::thread sender([&] {
    const std::string message(bytes, 'x');
    char c;
    while (::read(go[0], &c, 1) == 1) {
      if (::write(pair.writer, message.data(), message.size()) != static_cast<ssize_t>(bytes))
        return;
    }
  });
  std::vector<char> buffer(65536);
  uint64_t reads = 0;
  bool failed = false;
  for (auto _ : state) {
    const char c = 1;
    if (::write(go[1], &c, 1) != 1) failed = true;
    size_t got = 0;
    while (got < bytes && !failed) {
      iovec iov{buffer.data(), piece};
      msghdr msg{};
      msg.msg_iov = &iov;
      msg.msg_iovlen = 1;
      const ssize_t n = ::recvmsg(pair.reader, &msg, 0);
      ++reads;
      if (n > 0) {
        got += static_cast<size_t>(n);
      } else if (n < 0 && errno == EAGAIN) {
        epoll_event out;
        ::epoll_wait(pair.epoll, &out, 1, -1);
      } else {
        failed = true;
      }
    }
  }
  ::close(go[1]);
  sender.join();
  ::close(go[0]);
  if (failed) state.SkipWithError("the loopback connection failed");
  state.counters["reads"] =
      benchmark::Counter(static_cast<double>(reads), benchmark::Counter::kAvgIterations);
}

// Beast's 512-byte pieces vs one read (the anchor), for the octokit push
// (7,680 bytes) and the 20-commit push (26,249 bytes) of bench/webhook_bench.sh.
BENCHMARK(BM_ReadBody)
    ->ArgNames({"piece", "bytes"})
    ->Args({65536, 7680})
    ->Args({512, 7680})
    ->Args({65536, 26249})
    ->Args({512, 26249});

}  // namespace
