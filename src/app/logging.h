// Process-wide logging set-up: one spdlog logger per component ("http",
// "engine", "store", "github", "app", ...), all writing to stderr in the
// chosen format. Components fetch theirs with component_logger(name).
#pragma once

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

namespace opz::app {

// format: "text" or "json"; level: spdlog level name.
void configure_logging(const std::string& format, const std::string& level);
std::shared_ptr<spdlog::logger> component_logger(const std::string& name);

}  // namespace opz::app
