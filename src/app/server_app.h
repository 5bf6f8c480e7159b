// ServerApp: `opzenix serve` — owns every long-lived service and wires them:
// database (opened + migrated), stores, authenticator, audit log, metrics,
// engine (recovers interrupted executions at start), router + HTTP server.
//
// Lifecycle: start() returns once the server listens (the ready file is
// written then); run() blocks until stop() or SIGTERM/SIGINT; shutdown order
// is HTTP (drain in-flight requests, bounded) -> engine -> database.
#pragma once

#include <memory>

#include "app/config.h"
#include "core/result.h"

namespace opz::app {

class ServerApp {
 public:
  explicit ServerApp(ServerConfig config);
  ~ServerApp();
  ServerApp(const ServerApp&) = delete;
  ServerApp& operator=(const ServerApp&) = delete;

  Status start();
  // Blocks until a stop; answers the process exit code (0 after a clean stop).
  int run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace opz::app
