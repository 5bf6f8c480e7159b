// Fuzz target for the insights' log signatures (telemetry/log_signature.h):
// any bytes as a log tail must give a signature without a crash, hang or
// exception, at most kMaxSignatureBytes long, with no newline, no leading or
// trailing blank and no two blanks in a row; normalising a signature again
// changes nothing that the placeholders did not already cover (idempotent).
// Without libFuzzer it replays fuzz/corpus/log_signature_fuzz/ as a test.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "telemetry/log_signature.h"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

void check_shape(const std::string& s) {
  check(s.size() <= opz::telemetry::kMaxSignatureBytes);
  check(s.find('\n') == std::string::npos);
  check(s.find("  ") == std::string::npos);
  if (!s.empty()) check(s.front() != ' ' && s.back() != ' ');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string line = opz::telemetry::last_error_line(text);
  check(line.find('\n') == std::string::npos);
  check(line.size() <= size);
  const std::string signature = opz::telemetry::log_signature(text, text.substr(0, size / 2));
  check_shape(signature);
  const std::string again = opz::telemetry::normalise_log_line(signature);
  check_shape(again);
  check(opz::telemetry::normalise_log_line(again) == again);
  return 0;
}
