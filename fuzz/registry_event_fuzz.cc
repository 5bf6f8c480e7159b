// Fuzz target for github::parse_docker_notification and
// parse_ghcr_package_event: any bytes must give a notification or an error
// (kMalformed for text that is not JSON, kValidation naming a field
// otherwise), never a crash, hang or exception. What is parsed must hold what
// the registration relies on: a valid digest, a non-empty repository, a
// revision of 7..40 hex digits or none, and every event either a push or an
// ignored reason.
// Without libFuzzer it replays fuzz/corpus/registry_event_fuzz/ as a test.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "github/registry_event.h"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

void check_error(const opz::Error& e) {
  check(e.code == opz::ErrorCode::kMalformed || e.code == opz::ErrorCode::kValidation);
  if (e.code == opz::ErrorCode::kValidation) check(!e.field.empty());
}

void check_pushes(const opz::github::RegistryNotification& n) {
  for (const auto& p : n.pushes) {
    check(!p.repository.empty() && p.repository.size() <= 255);
    check(p.digest.find(':') != std::string::npos);
    check(p.revision.empty() || (p.revision.size() >= 7 && p.revision.size() <= 40));
    check(!p.size_bytes || *p.size_bytes >= 0);
    check(p.metadata.is_object());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto docker = opz::github::parse_docker_notification(body);
  if (docker) {
    check_pushes(*docker);
  } else {
    check_error(docker.error());
  }
  auto package = opz::github::parse_ghcr_package_event(body);
  if (package) {
    check(!package->repository_full_name.empty());
    check(package->notification.pushes.size() + package->notification.ignored.size() == 1);
    check_pushes(package->notification);
  } else {
    check_error(package.error());
  }
  return 0;
}
