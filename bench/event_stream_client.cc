// A native stream client for bench/event_stream_bench.sh (CLIENT=native):
// COUNT clients on GET /api/v1/events in ONE thread with epoll, so that the
// benchmark measures the server and not the client's runtime (the clients
// share the machine's cores with the server, the engine and its steps; wrk
// plays the same part for the webhook benchmark).
//
//   event_stream_client HOST PORT TOKEN COUNT PATH_AND_QUERY [--timeline=1]
//
// It speaks to bench/event_stream_bench.mjs (the parent) as that script's
// node workers do, one JSON document per line: {"type":"open"} on stdout once
// every client has its 200, then reads {"type":"until","S","E","burst",
// "expected":[ids]} on stdin, and prints {"type":"result",...} (the fields
// the node workers send) once every client has received id E, or 120 s later.
//
// Parsing is the lean node client's, in C++: HTTP/1.0 (the body is the raw
// stream, no chunks); a frame is "id: N\nevent: T\ndata: {...}\n\n"; the
// `at` (commit time) of a single event is its data's last member; a `batch`
// frame starts with {"from":F,"to":T,"at":"…"|["…",…] (realtime/
// batch_frame.h) and counts as each of its ids; `event: reset` counts a
// reset. After a reset or a close it reconnects with Last-Event-ID after 2 s,
// like EventSource. The clock is read once per recv().
//
// The hot path records runs, not events: a batch frame with one `at` is ONE
// run of ids with one latency, whatever its size, and the report expands the
// runs back into one sample per event. (Recorded event by event, a submit's
// 1,000-event batch cost each client 2,000 appends and 1,000 clock parses,
// paid in turn by the 500 clients of one process: the last ones' latency
// counted their neighbours' bookkeeping, the client's cost, not the server's.)
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

constexpr int64_t kRetryMs = 2000;         // the server's preamble: retry: 2000
constexpr int64_t kHistogramMs = 600'000;  // latencies above 10 min land in the last bucket
constexpr int64_t kGiveUpMs = 120'000;     // after `until`, a client that never gets to E

int64_t now_ms() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t{ts.tv_sec} * 1000 + ts.tv_nsec / 1'000'000;
}

// "2026-12-05T10:00:00.000Z" at p -> epoch ms (the day's start cached).
int64_t at_millis(const char* p) {
  static int cached_day = -1;
  static int64_t cached_start = 0;
  auto d = [p](int k) { return p[k] - '0'; };
  const int year = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3);
  const int month = d(5) * 10 + d(6);
  const int mday = d(8) * 10 + d(9);
  const int day = year * 10000 + month * 100 + mday;
  if (day != cached_day) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = mday;
    cached_start = int64_t{timegm(&tm)} * 1000;
    cached_day = day;
  }
  return cached_start + (d(11) * 10 + d(12)) * 3'600'000LL + (d(14) * 10 + d(15)) * 60'000LL +
         (d(17) * 10 + d(18)) * 1000LL + d(20) * 100 + d(21) * 10 + d(22);
}

struct Client {
  int fd = -1;
  bool headers_done = false;
  bool opened = false;
  bool done = false;
  int64_t retry_at = 0;  // > 0: reconnect at this time
  std::string rest;      // an incomplete frame (or head) carried to the next read
  std::vector<std::pair<int32_t, int32_t>> runs;  // ids received: [from, to] each, in order
  int64_t last_id = -1;
  int resets = 0, reconnects = 0;
  int64_t chunks = 0;
};

struct Sample {  // one latency for the ids [from, to]
  int32_t from;
  int32_t to;
  uint32_t ms;
};

class Bench {
 public:
  Bench(std::string host, int port, std::string token, int count, std::string target, bool timeline)
      : host_(std::move(host)),
        port_(port),
        token_(std::move(token)),
        target_(std::move(target)),
        timeline_(timeline),
        clients_(count) {
    samples_.reserve(size_t(count) * 512);
  }

  int run() {
    epoll_ = epoll_create1(0);
    for (auto& c : clients_) connect_client(c);
    std::thread stdin_reader([this] { read_until(); });
    stdin_reader.detach();
    epoll_event events[256];
    for (;;) {
      const int n = epoll_wait(epoll_, events, 256, 50);
      for (int i = 0; i < n; ++i) on_readable(clients_[events[i].data.u32]);
      const int64_t now = now_ms();
      // Scans of every client only while one waits to reconnect (rare).
      for (size_t i = 0; retrying_ > 0 && i < clients_.size(); ++i) {
        Client& c = clients_[i];
        if (c.retry_at == 0 || now < c.retry_at) continue;
        c.retry_at = 0;
        --retrying_;
        if (c.done) continue;
        ++c.reconnects;
        connect_client(c);
      }
      if (!open_sent_ && opened_ == clients_.size()) {
        open_sent_ = true;
        std::cout << R"({"type":"open"})" << std::endl;
      }
      if (until_ready_.load()) {
        if (!until_seen_) {
          until_seen_ = true;
          give_up_at_ = now + kGiveUpMs;
          for (auto& c : clients_)
            if (c.last_id >= E_) finish(c);
        }
        if (done_ == clients_.size() || now >= give_up_at_) {
          report();
          return 0;
        }
      }
    }
  }

 private:
  void connect_client(Client& c) {
    c.fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(uint16_t(port_));
    inet_pton(AF_INET, host_.c_str(), &addr.sin_addr);
    if (connect(c.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      std::perror("connect");
      std::exit(4);
    }
    std::string req = "GET " + target_ + " HTTP/1.0\r\nHost: " + host_ +
                      "\r\nAuthorization: Bearer " + token_ + "\r\nAccept: text/event-stream\r\n";
    if (c.last_id >= 0) req += "Last-Event-ID: " + std::to_string(c.last_id) + "\r\n";
    req += "\r\n";
    if (write(c.fd, req.data(), req.size()) != ssize_t(req.size())) {
      std::perror("write");
      std::exit(4);
    }
    fcntl(c.fd, F_SETFL, fcntl(c.fd, F_GETFL) | O_NONBLOCK);
    c.headers_done = false;
    c.rest.clear();
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = uint32_t(&c - clients_.data());
    epoll_ctl(epoll_, EPOLL_CTL_ADD, c.fd, &ev);
  }

  void close_client(Client& c) {
    if (c.fd < 0) return;
    epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
    close(c.fd);
    c.fd = -1;
  }

  void finish(Client& c) {
    if (c.done) return;
    c.done = true;
    ++done_;
    close_client(c);
  }

  void again(Client& c) {
    close_client(c);
    if (c.done || c.retry_at > 0) return;
    c.retry_at = now_ms() + kRetryMs;
    ++retrying_;
  }

  void on_readable(Client& c) {
    static char buf[1 << 18];
    for (;;) {
      if (c.fd < 0) return;
      const ssize_t n = recv(c.fd, buf, sizeof buf, 0);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      if (n <= 0) {
        again(c);
        return;
      }
      ++c.chunks;
      const int64_t now = now_ms();
      if (c.rest.empty()) {
        const size_t used = parse(c, buf, size_t(n), now);
        c.rest.assign(buf + used, size_t(n) - used);
      } else {
        c.rest.append(buf, size_t(n));
        const size_t used = parse(c, c.rest.data(), c.rest.size(), now);
        c.rest.erase(0, used);
      }
      // A short read took all there was: the epoll is level-triggered and
      // reports the socket again when more comes: no second recv() just to
      // hear EAGAIN.
      if (size_t(n) < sizeof buf) return;
    }
  }

  // Ids [from, to] arrived at `now`, committed at `at`.
  void record(Client& c, int64_t from, int64_t to, int64_t at, int64_t now) {
    c.runs.emplace_back(int32_t(from), int32_t(to));
    c.last_id = to;
    samples_.push_back(
        {int32_t(from), int32_t(to), uint32_t(std::clamp<int64_t>(now - at, 0, kHistogramMs))});
    if (until_seen_ && to >= E_) finish(c);
  }

  // Parses the frames in [p, p+len); returns the bytes used (whole frames).
  size_t parse(Client& c, const char* p, size_t len, int64_t now) {
    size_t pos = 0;
    if (!c.headers_done) {
      const std::string_view all(p, len);
      const size_t end = all.find("\r\n\r\n");
      if (end == std::string_view::npos) return 0;
      if (all.substr(0, 12).find(" 200") == std::string_view::npos) {
        std::cerr << "stream answered " << all.substr(0, all.find('\r')) << "\n";
        std::exit(4);
      }
      c.headers_done = true;
      if (!c.opened) ++opened_;
      c.opened = true;
      pos = end + 4;
    }
    while (pos < len && !c.done) {
      size_t q = pos;
      int64_t id = -1;
      bool reset = false, batch = false;
      if (len - q > 3 && std::memcmp(p + q, "id:", 3) == 0) {
        id = 0;
        for (q += 4; q < len && p[q] != '\n'; ++q) id = id * 10 + (p[q] - '0');
        ++q;  // "event: T\n"
        reset = q + 9 < len && std::memcmp(p + q + 7, "res", 3) == 0;
        batch = q + 7 < len && p[q + 7] == 'b';
        const void* nl = q < len ? std::memchr(p + q, '\n', len - q) : nullptr;
        if (!nl) return pos;
        q = size_t(static_cast<const char*>(nl) - p) + 1;
      }
      const size_t data = q;
      size_t end = std::string_view::npos;
      for (;;) {
        const void* nl = q < len ? std::memchr(p + q, '\n', len - q) : nullptr;
        if (!nl) break;
        const size_t at = size_t(static_cast<const char*>(nl) - p);
        if (at + 1 >= len) break;
        if (p[at + 1] == '\n') {
          end = at;
          break;
        }
        q = at + 1;
      }
      if (end == std::string_view::npos) return pos;  // incomplete
      if (reset) {
        ++c.resets;
      } else if (batch) {
        record_batch(c, p + data, id, now);
      } else if (id >= 0) {
        // `at` is the data's last member: "...,"at":"2026-12-05T10:00:00.000Z"}
        record(c, id, id, at_millis(p + end - 26), now);
      }
      pos = end + 2;
    }
    if (c.done) return len;
    return pos;
  }

  // 'data: {"from":F,"to":T,"at":"…"' or '"at":["…","…",…]'.
  void record_batch(Client& c, const char* p, int64_t to, int64_t now) {
    p += 14;  // 'data: {"from":'
    int64_t from = 0;
    for (; *p != ','; ++p) from = from * 10 + (*p - '0');
    for (p += 6; *p != ','; ++p) {
    }
    p += 6;  // ',"at":'
    if (*p != '[') {  // one `at` for the whole run
      record(c, from, to, at_millis(p + 1), now);
      return;
    }
    const char* at = p + 2;
    for (int64_t id = from; id <= to; ++id, at += 27) record(c, id, id, at_millis(at), now);
  }

  void read_until() {
    std::string line;
    while (std::getline(std::cin, line)) {
      auto m = nlohmann::json::parse(line, nullptr, false);
      if (m.is_discarded() || m.value("type", "") != "until") continue;
      S_ = m["S"].get<int64_t>();
      burst_ = m["burst"].get<int64_t>();
      expected_ = m["expected"].get<std::vector<int64_t>>();
      E_ = m["E"].get<int64_t>();
      until_ready_ = true;
      return;
    }
  }

  static nlohmann::json nonzero(const std::vector<uint32_t>& h) {
    auto out = nlohmann::json::array();
    for (size_t ms = 0; ms < h.size(); ++ms)
      if (h[ms]) out.push_back({ms, h[ms]});
    return out;
  }

  void report() {
    int exact = 0;
    auto mismatches = nlohmann::json::array();
    int64_t min_events = INT64_MAX, max_events = 0;
    int resets = 0, reconnects = 0;
    int64_t chunks = 0;
    for (size_t i = 0; i < clients_.size(); ++i) {
      const Client& c = clients_[i];
      std::vector<int64_t> got;
      int64_t received = 0;
      for (auto [from, to] : c.runs) {
        received += to - from + 1;
        for (int64_t id = from; id <= to; ++id)
          if (id > S_ && id <= E_) got.push_back(id);
      }
      if (got == expected_) {
        ++exact;
      } else if (mismatches.size() < 5) {
        const auto diff = std::mismatch(got.begin(), got.end(), expected_.begin(), expected_.end());
        mismatches.push_back({{"client", i},
                              {"got", got.size()},
                              {"expected", expected_.size()},
                              {"first_difference", diff.first - got.begin()}});
      }
      min_events = std::min<int64_t>(min_events, received);
      max_events = std::max<int64_t>(max_events, received);
      resets += c.resets;
      reconnects += c.reconnects;
      chunks += c.chunks;
    }
    std::vector<uint32_t> hist(kHistogramMs + 1), after(kHistogramMs + 1), late(kHistogramMs + 1);
    const double midpoint = double(burst_ + E_) / 2;
    for (const Sample& s : samples_) {
      for (int64_t id = s.from; id <= s.to; ++id) {
        ++hist[s.ms];
        if (id > burst_) ++after[s.ms];
        if (double(id) > midpoint) ++late[s.ms];
      }
    }
    auto timeline = nlohmann::json::array();
    if (timeline_) {
      std::map<int64_t, std::vector<uint32_t>> buckets;
      for (const Sample& s : samples_)
        for (int64_t id = std::max<int64_t>(s.from, S_ + 1); id <= s.to; ++id)
          buckets[(id - S_ - 1) / 100].push_back(s.ms);
      for (auto& [b, v] : buckets) {
        std::sort(v.begin(), v.end());
        auto at = [&v](double q) { return v[size_t(double(v.size()) * q)]; };
        timeline.push_back({b * 100, v.front(), at(0.1), at(0.5), v.back()});
      }
    }
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    const double cpu = double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                       double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    nlohmann::json result = {{"type", "result"},
                             {"exact", exact},
                             {"mismatches", mismatches},
                             {"expected", expected_.size()},
                             {"timeline", timeline},
                             {"min", min_events},
                             {"max_events", max_events},
                             {"resets", resets},
                             {"reconnects", reconnects},
                             {"chunks", chunks},
                             {"cpu_s", cpu},
                             {"hist", nonzero(hist)},
                             {"hist_after", nonzero(after)},
                             {"hist_late", nonzero(late)}};
    std::cout << result.dump() << std::endl;
  }

  std::string host_;
  int port_;
  std::string token_;
  std::string target_;
  bool timeline_;
  std::vector<Client> clients_;
  std::vector<Sample> samples_;
  int epoll_ = -1;
  bool open_sent_ = false;
  size_t opened_ = 0;    // clients that had their 200 once
  size_t done_ = 0;      // clients finished (got E, or gave up)
  size_t retrying_ = 0;  // clients waiting to reconnect
  // Written by the stdin thread before until_ready_ is set; read after.
  std::atomic<bool> until_ready_{false};
  bool until_seen_ = false;
  int64_t give_up_at_ = 0;
  int64_t S_ = 0, E_ = INT64_MAX, burst_ = 0;
  std::vector<int64_t> expected_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 6) {
    std::cerr << "usage: event_stream_client HOST PORT TOKEN COUNT PATH_AND_QUERY [--timeline=1]\n";
    return 2;
  }
  const bool timeline = argc > 6 && std::string_view(argv[6]) == "--timeline=1";
  Bench bench(argv[1], std::atoi(argv[2]), argv[3], std::atoi(argv[4]), argv[5], timeline);
  return bench.run();
}
