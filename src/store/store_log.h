// The store's logger: "store" when the application registered one, else the
// default (tests, tools).
#pragma once

#include <spdlog/spdlog.h>

#include <memory>

namespace opz::store {

inline std::shared_ptr<spdlog::logger> store_log() {
  auto log = spdlog::get("store");
  return log ? log : spdlog::default_logger();
}

}  // namespace opz::store
