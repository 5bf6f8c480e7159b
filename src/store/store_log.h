// The store's logger: "store" when the application registered one, else the
// default (tests, tools).
#pragma once

#include <spdlog/spdlog.h>

#include <memory>

#include "core/result.h"

namespace opz::store {

inline std::shared_ptr<spdlog::logger> store_log() {
  auto log = spdlog::get("store");
  return log ? log : spdlog::default_logger();
}

// The result of a ROLLBACK after a failed or throwing body. A failed ROLLBACK
// leaves the connection in an unknown state, which is worth an error line: it
// cannot be reported to the caller, who is already getting the body's error.
inline void log_failed_rollback(const Status& rolled_back) {
  if (!rolled_back.ok()) store_log()->error("rollback failed: {}", rolled_back.error().to_string());
}

}  // namespace opz::store
