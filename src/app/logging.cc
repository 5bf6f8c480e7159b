#include "app/logging.h"

#include <spdlog/sinks/stdout_sinks.h>

#include <mutex>

namespace opz::app {

namespace {
std::mutex g_mu;
std::string g_pattern = "%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ [%n] %v";
spdlog::level::level_enum g_level = spdlog::level::info;
}  // namespace

void configure_logging(const std::string& format, const std::string& level) {
  std::lock_guard lock(g_mu);
  if (format == "json") {
    // Messages are escaped by the components that log user data; the envelope is fixed.
    g_pattern = R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","component":"%n","message":"%v"})";
  }
  g_level = spdlog::level::from_str(level);
  spdlog::set_pattern(g_pattern, spdlog::pattern_time_type::utc);
  spdlog::set_level(g_level);
  spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) {
    l->set_pattern(g_pattern, spdlog::pattern_time_type::utc);
    l->set_level(g_level);
  });
}

std::shared_ptr<spdlog::logger> component_logger(const std::string& name) {
  std::lock_guard lock(g_mu);
  if (auto existing = spdlog::get(name)) return existing;
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>(name, sink);
  logger->set_pattern(g_pattern, spdlog::pattern_time_type::utc);
  logger->set_level(g_level);
  spdlog::register_logger(logger);
  return logger;
}

}  // namespace opz::app
