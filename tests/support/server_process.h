// ServerProcess: the real `opzenix serve` started for an integration test on
// an ephemeral loopback port with its own data directory.
//
// The server is started with `--listen 127.0.0.1:0 --ready-file F`; it writes
// "127.0.0.1:PORT\n" to F once it accepts connections. Construction waits for
// that file (bounded) and throws on failure. Destruction sends SIGTERM and
// reaps the process (SIGKILL after 10 s).
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/postgres_test_database.h"
#include "support/temp_dir.h"

namespace opz::testing {

// Path to the opzenix binary under test (compile definition OPZENIX_BIN or
// $OPZENIX_BIN).
std::string opzenix_binary();

struct CommandResult {
  int exit_code = -1;  // -1: did not exit normally (signal number in `signal`)
  int signal = 0;
  std::string out;
  std::string err;
};

// Runs argv[0] with arguments, feeding `stdin_text`, capturing output. Bounded
// by `timeout_s` (then SIGKILL). `env` entries are added to the environment.
CommandResult run_command(const std::vector<std::string>& argv, const std::string& stdin_text = {},
                          const std::map<std::string, std::string>& env = {}, int timeout_s = 120,
                          const std::string& cwd = {});

class ServerProcess {
 public:
  struct Options {
    std::string data_dir;  // empty: a fresh TempDir owned by this object
    std::vector<std::string> extra_args;
    std::map<std::string, std::string> env;
    // The outbound guard's allow-list (OPZENIX_OUTBOUND_ALLOW unless `env`
    // or a flag in extra_args sets it): the tests' peers — fake GitHub APIs,
    // webhook receivers, deployed apps, git repositories in temp dirs — are
    // on loopback or local paths, which the guard refuses by default.
    std::string outbound_allow = "127.0.0.0/8,::1,file";
  };
  // The database: SQLite in the data dir; or the one env["OPZENIX_DATABASE_URL"]
  // names (several servers share one database by passing the first one's
  // database_url()); or, when the test runs with OPZ_TEST_BACKEND=postgres, a
  // fresh PostgreSQL database of the test server, owned by this object.
  ServerProcess();
  explicit ServerProcess(Options options);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::string& base_url() const { return base_url_; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& data_dir() const { return data_dir_; }
  // "" for SQLite in data_dir(), else the PostgreSQL URL the server uses.
  const std::string& database_url() const { return database_url_; }
  std::string log() const;  // everything the server wrote to stdout/stderr so far

  // Creates a user directly in the data dir (`opzenix user create`) and logs in;
  // answers the session token. Works while the server runs (WAL).
  std::string create_user_and_login(const std::string& email, const std::string& role,
                                    const std::string& password = "correct horse battery");

  // Sends `sig` and waits (bounded) for exit; answers the exit code, or
  // 128+signal when killed by a signal.
  int stop(int sig = 15);
  // Starts again with the same data dir and options (after stop()).
  void restart();

 private:
  void start();
  Options options_;
  std::optional<PostgresTestDatabase> owned_database_;
  std::string database_url_;
  TempDir owned_dir_;
  std::string data_dir_;
  std::string base_url_;
  std::string log_path_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace opz::testing
