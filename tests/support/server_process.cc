#include "support/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/http_client.h"

extern char** environ;

namespace opz::testing {

std::string opzenix_binary() {
  if (const char* e = getenv("OPZENIX_BIN"); e && *e) return e;
#ifdef OPZENIX_BIN
  return OPZENIX_BIN;
#else
  return "opzenix";
#endif
}

namespace {

std::vector<char*> make_env(const std::map<std::string, std::string>& extra,
                            std::vector<std::string>& storage) {
  for (char** e = environ; *e; ++e) {
    std::string kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string::npos && extra.count(kv.substr(0, eq))) continue;
    storage.push_back(kv);
  }
  for (const auto& [k, v] : extra) storage.push_back(k + "=" + v);
  std::vector<char*> out;
  for (auto& s : storage) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

std::string read_file(const std::string& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, const std::string& stdin_text,
                          const std::map<std::string, std::string>& env, int timeout_s,
                          const std::string& cwd) {
  CommandResult r;
  int in_p[2], out_p[2], err_p[2];
  if (pipe2(in_p, O_CLOEXEC) || pipe2(out_p, O_CLOEXEC) || pipe2(err_p, O_CLOEXEC))
    throw std::runtime_error("pipe failed");
  std::vector<std::string> env_storage;
  auto envp = make_env(env, env_storage);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in_p[0], 0);
    dup2(out_p[1], 1);
    dup2(err_p[1], 2);
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(126);
    execve(args[0], args.data(), envp.data());
    execvpe(args[0], args.data(), envp.data());
    _exit(127);
  }
  close(in_p[0]);
  close(out_p[1]);
  close(err_p[1]);
  signal(SIGPIPE, SIG_IGN);
  if (!stdin_text.empty()) {
    ssize_t off = 0;
    while (off < static_cast<ssize_t>(stdin_text.size())) {
      ssize_t n = write(in_p[1], stdin_text.data() + off, stdin_text.size() - off);
      if (n <= 0) break;
      off += n;
    }
  }
  close(in_p[1]);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  pollfd fds[2] = {{out_p[0], POLLIN, 0}, {err_p[0], POLLIN, 0}};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      kill(pid, SIGKILL);
      break;
    }
    if (poll(fds, 2, static_cast<int>(std::min<long long>(left, 1000))) < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP | POLLERR))) {
        ssize_t n = read(fds[i].fd, buf, sizeof buf);
        if (n <= 0) {
          close(fds[i].fd);
          fds[i].fd = -1;
          --open_fds;
        } else {
          (i == 0 ? r.out : r.err).append(buf, n);
        }
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) close(f.fd);
  int st = 0;
  waitpid(pid, &st, 0);
  if (WIFEXITED(st)) r.exit_code = WEXITSTATUS(st);
  if (WIFSIGNALED(st)) r.signal = WTERMSIG(st);
  return r;
}

ServerProcess::ServerProcess() : ServerProcess(Options{}) {}

ServerProcess::ServerProcess(Options options) : options_(std::move(options)) {
  data_dir_ = options_.data_dir.empty() ? owned_dir_.str() : options_.data_dir;
  log_path_ = owned_dir_.str() + "/server.log";
  if (auto it = options_.env.find("OPZENIX_DATABASE_URL"); it != options_.env.end())
    database_url_ = it->second;
  const char* backend = std::getenv("OPZ_TEST_BACKEND");
  if (database_url_.empty() && backend && std::string_view(backend) == "postgres") {
    std::optional<std::string> server = postgres_test_url();
    if (!server) throw std::runtime_error("OPZ_TEST_BACKEND=postgres needs OPZ_TEST_POSTGRES_URL or _DIR");
    auto db = PostgresTestDatabase::create(*server);
    if (!db.ok()) throw std::runtime_error("PostgreSQL test database: " + db.error().to_string());
    owned_database_.emplace(std::move(db).value());
    database_url_ = owned_database_->url();
  }
  start();
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) stop();
}

void ServerProcess::start() {
  const std::string ready = owned_dir_.str() + "/ready";
  unlink(ready.c_str());
  std::vector<std::string> argv = {opzenix_binary(), "serve",  "--listen", "127.0.0.1:0",
                                   "--data-dir",     data_dir_, "--ready-file", ready};
  for (const auto& a : options_.extra_args) argv.push_back(a);
  std::map<std::string, std::string> env = options_.env;
  env.try_emplace("OPZENIX_OUTBOUND_ALLOW", options_.outbound_allow);
  if (!database_url_.empty()) env["OPZENIX_DATABASE_URL"] = database_url_;
  std::vector<std::string> env_storage;
  auto envp = make_env(env, env_storage);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_ = fork();
  if (pid_ == 0) {
    int fd = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    std::string content = read_file(ready);
    if (!content.empty() && content.back() == '\n') {
      auto colon = content.rfind(':');
      port_ = std::stoi(content.substr(colon + 1));
      base_url_ = "http://127.0.0.1:" + std::to_string(port_);
      return;
    }
    int st;
    if (waitpid(pid_, &st, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("opzenix serve exited during start-up:\n" + log());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
  throw std::runtime_error("opzenix serve did not become ready in 20 s:\n" + log());
}

std::string ServerProcess::log() const { return read_file(log_path_); }

int ServerProcess::stop(int sig) {
  if (pid_ <= 0) return -1;
  kill(pid_, sig);
  int st = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (true) {
    pid_t w = waitpid(pid_, &st, WNOHANG);
    if (w == pid_) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &st, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  pid_ = -1;
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  return 128 + WTERMSIG(st);
}

void ServerProcess::restart() {
  if (pid_ > 0) stop();
  start();
}

std::string ServerProcess::create_user_and_login(const std::string& email, const std::string& role,
                                                 const std::string& password) {
  auto r = run_command({opzenix_binary(), "user", "create", "--data-dir", data_dir_, "--email",
                        email, "--role", role},
                       password + "\n",
                       database_url_.empty() ? std::map<std::string, std::string>{}
                                             : std::map<std::string, std::string>{
                                                   {"OPZENIX_DATABASE_URL", database_url_}});
  if (r.exit_code != 0)
    throw std::runtime_error("user create failed: " + r.out + r.err);
  HttpClient c(base_url_);
  auto res = c.post("/api/v1/auth/login", nlohmann::json{{"email", email}, {"password", password}});
  if (res.status != 200) throw std::runtime_error("login failed: " + res.body);
  return res.json().at("token").get<std::string>();
}

}  // namespace opz::testing
