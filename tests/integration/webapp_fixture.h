// The pieces of the deployment proof on a real service (deploy_webapp_test.cc,
// bench/deploy_bench.sh): examples/webapp as a real git repository, its nginx
// router started by the example's own scripts, and a client that sends
// requests through nginx at a steady rate and records every answer.
#pragma once

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/server_process.h"
#include "support/temp_dir.h"

namespace opz::testing::webapp {

namespace fs = std::filesystem;

inline const fs::path kExampleDir = fs::path(OPZENIX_SOURCE_DIR) / "examples" / "webapp";

inline std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline sockaddr_in loopback(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

// Whether a server could listen on 127.0.0.1:`port` (with SO_REUSEADDR, as
// nginx and Python's HTTPServer bind).
inline bool port_free(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in a = loopback(port);
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

// Whether something accepts connections on 127.0.0.1:`port`.
inline bool listening(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in a = loopback(port);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

// A base port B with B, B+1 and B+2 free: the router and the two slots.
inline int free_port_base() {
  std::mt19937 rng(std::random_device{}());
  std::uniform_int_distribution<int> pick(20000, 59000);
  for (int i = 0; i < 200; ++i) {
    int base = pick(rng);
    if (port_free(base) && port_free(base + 1) && port_free(base + 2)) return base;
  }
  return 0;
}

// Sets the value of `key` in the pipeline's top-level `env:` block.
inline std::string with_env_value(const std::string& yaml, const std::string& key,
                                  const std::string& value) {
  std::istringstream in(yaml);
  std::ostringstream out;
  std::string line;
  const std::string prefix = "  " + key + ":";
  while (std::getline(in, line)) {
    if (line.starts_with(prefix)) line = prefix + " \"" + value + "\"";
    out << line << '\n';
  }
  return out.str();
}

// The README's canary deploy node (the yaml block under "## Canary
// variant"): what the test deploys is what the example documents.
inline std::string readme_canary_node() {
  const std::string readme = read_text(kExampleDir / "README.md");
  const size_t section = readme.find("## Canary variant");
  const size_t open = readme.find("```yaml\n", section);
  if (section == std::string::npos || open == std::string::npos) return {};
  const size_t start = open + 8;
  const size_t close = readme.find("```", start);
  return readme.substr(start, close - start);
}

// `pipeline` with its deploy node (the last node, to the end of the file)
// replaced by `node`.
inline std::string with_deploy_node(const std::string& pipeline, const std::string& node) {
  const size_t at = pipeline.find("\n  deploy:\n");
  if (at == std::string::npos) return {};
  return pipeline.substr(0, at + 1) + node;
}

// examples/webapp as the root of a real repository: a bare remote and a
// working clone, committed to and pushed with the git binary.
class WebappRepo {
 public:
  // Copies the example, with `env` values set in its opzenix.yml.
  explicit WebappRepo(const std::map<std::string, std::string>& env) {
    bare_ = dir_.str() + "/remote.git";
    work_ = dir_.str() + "/work";
    git({"init", "--quiet", "--bare", "--initial-branch=main", bare_});
    git({"clone", "--quiet", bare_, work_});
    git({"-C", work_, "checkout", "--quiet", "-B", "main"});
    fs::copy(kExampleDir, work_,
             fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    std::string pipeline = read("opzenix.yml");
    for (const auto& [key, value] : env) pipeline = with_env_value(pipeline, key, value);
    write("opzenix.yml", pipeline);
  }
  const std::string& url() const { return bare_; }

  std::string read(const std::string& file) const { return read_text(work_ + "/" + file); }
  void write(const std::string& file, const std::string& content) const {
    std::ofstream(work_ + "/" + file, std::ios::binary | std::ios::trunc) << content;
  }
  // Commits everything on main, pushes, answers the commit's sha.
  std::string commit(const std::string& message) {
    git({"-C", work_, "add", "-A"});
    git({"-C", work_, "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit",
         "--quiet", "-m", message});
    git({"-C", work_, "push", "--quiet", "origin", "main"});
    std::string sha = git({"-C", work_, "rev-parse", "HEAD"}).out;
    while (!sha.empty() && (sha.back() == '\n' || sha.back() == '\r')) sha.pop_back();
    return sha;
  }

 private:
  CommandResult git(std::vector<std::string> args) {
    args.insert(args.begin(), "git");
    auto r = run_command(args, {}, {{"GIT_CONFIG_NOSYSTEM", "1"}}, 60);
    EXPECT_EQ(r.exit_code, 0) << args[1] << " " << args[2] << ": " << r.err;
    return r;
  }

  TempDir dir_;
  std::string bare_;
  std::string work_;
};

// The example's nginx router (deploy/start-router.sh), stopped with both
// slots' instances (deploy/stop-router.sh --all) on destruction.
class Router {
 public:
  Router(std::string home, int port_base) : home_(std::move(home)), port_base_(port_base) {}
  ~Router() { script("stop-router.sh", {"--all"}); }
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  CommandResult start() { return script("start-router.sh"); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_base_) + "/"; }
  int slot_port(const std::string& slot) const { return port_base_ + (slot == "blue" ? 1 : 2); }
  std::string upstream() const { return read_text(home_ + "/router/upstream.conf"); }
  std::string error_log() const { return read_text(home_ + "/router/error.log"); }
  // Requests nginx answered 200 after another server had failed them
  // (access.log's upstream statuses "500, 200"), once it flushed its log.
  int64_t retried_requests() const {
    std::istringstream in(read_text(home_ + "/router/access.log"));
    int64_t n = 0;
    for (std::string line; std::getline(in, line);) {
      std::istringstream fields(line);
      std::string msec, status;
      fields >> msec >> status;
      if (status == "200" && line.find(", 200") != std::string::npos) ++n;
    }
    return n;
  }

 private:
  CommandResult script(const std::string& name, std::vector<std::string> args = {}) {
    args.insert(args.begin(), {"sh", (kExampleDir / "deploy" / name).string()});
    return run_command(
        args, {}, {{"WEBAPP_HOME", home_}, {"WEBAPP_PORT_BASE", std::to_string(port_base_)}}, 60);
  }

  std::string home_;
  int port_base_;
};

// One GET through the router: when it was sent, what came back.
struct Answer {
  int64_t at_ms = 0;  // since the client started
  long status = 0;    // 0: no HTTP answer (error says why)
  std::string version;
  std::string error;
  bool failed() const { return status != 200; }
};

// What the client saw during one phase of the scenario.
struct PhaseReport {
  std::string name;
  int64_t requests = 0;
  int64_t failed = 0;
  std::map<std::string, int64_t> versions;  // answers per version
  std::vector<std::string> failures;        // the first few, described
};

// Sends GET `url` at `rps` requests per second from ceil(rps/100) threads,
// each on its own kept-alive connection (libcurl, which re-sends a request
// once when the server had closed the idle connection, as browsers do).
// Every answer is recorded; mark() starts a named phase of the report.
class TrafficClient {
 public:
  TrafficClient(std::string url, int rps) : url_(std::move(url)), rps_(std::max(1, rps)) {}
  ~TrafficClient() { stop(); }
  TrafficClient(const TrafficClient&) = delete;
  TrafficClient& operator=(const TrafficClient&) = delete;

  void start(const std::string& first_phase) {
    start_ = std::chrono::steady_clock::now();
    mark(first_phase);
    const int threads = (rps_ + 99) / 100;
    const auto interval = std::chrono::microseconds(1'000'000LL * threads / rps_);
    for (int i = 0; i < threads; ++i)
      threads_.emplace_back(
          [this, i, threads, interval] { send_loop(start_ + interval * i / threads, interval); });
  }
  void stop() {
    stopping_ = true;
    for (auto& t : threads_) t.join();
    threads_.clear();
  }
  void mark(const std::string& phase) {
    std::lock_guard lock(mu_);
    marks_.push_back({now_ms(), phase});
  }
  int64_t now_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start_)
        .count();
  }
  std::vector<Answer> answers() const {
    std::lock_guard lock(mu_);
    return answers_;
  }
  // Each answer counted in the phase that was current when it was sent.
  std::vector<PhaseReport> phases() const {
    std::lock_guard lock(mu_);
    std::vector<PhaseReport> out;
    for (const auto& m : marks_) out.push_back({m.second, 0, 0, {}, {}});
    for (const Answer& a : answers_) {
      size_t i = 0;
      while (i + 1 < marks_.size() && marks_[i + 1].first <= a.at_ms) ++i;
      PhaseReport& p = out[i];
      ++p.requests;
      if (a.failed()) {
        ++p.failed;
        if (p.failures.size() < 5)
          p.failures.push_back("t=" + std::to_string(a.at_ms) + "ms status " +
                               std::to_string(a.status) + " " + a.error);
      } else {
        ++p.versions[a.version];
      }
    }
    return out;
  }

 private:
  static size_t on_body(char* p, size_t s, size_t n, void* ud) {
    static_cast<std::string*>(ud)->append(p, s * n);
    return s * n;
  }

  void send_loop(std::chrono::steady_clock::time_point next, std::chrono::microseconds interval) {
    CURL* c = curl_easy_init();
    std::string body;
    curl_easy_setopt(c, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    while (!stopping_) {
      std::this_thread::sleep_until(next);
      const auto now = std::chrono::steady_clock::now();
      // Behind schedule (a slow answer): go on from now rather than burst.
      next = std::max(next + interval, now);
      Answer a;
      a.at_ms = now_ms();
      body.clear();
      CURLcode rc = curl_easy_perform(c);
      if (rc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.status);
        // "webapp v2\n" -> "v2"
        const size_t sp = body.find(' ');
        a.version = sp == std::string::npos ? body : body.substr(sp + 1);
        while (!a.version.empty() && a.version.back() == '\n') a.version.pop_back();
        if (a.status != 200) a.error = body.substr(0, 80);
      } else {
        a.error = curl_easy_strerror(rc);
      }
      std::lock_guard lock(mu_);
      answers_.push_back(std::move(a));
    }
    curl_easy_cleanup(c);
  }

  std::string url_;
  int rps_;
  std::chrono::steady_clock::time_point start_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
  mutable std::mutex mu_;
  std::vector<std::pair<int64_t, std::string>> marks_;
  std::vector<Answer> answers_;
};

}  // namespace opz::testing::webapp
