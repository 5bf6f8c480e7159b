// Fuzz target for the agent protocol's parsers (agent/job_spec.h): any JSON
// an agent or a server sends, read as a job, a job result or a batch of log
// lines, must parse or give a kValidation error naming a field; never a
// crash or an exception. What parses must round-trip through to_json().
// Without libFuzzer it replays fuzz/corpus/agent_job_fuzz/ as a test.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "agent/job_spec.h"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

template <typename R>
void check_error(const R& r) {
  if (!r) {
    check(r.error().code == opz::ErrorCode::kValidation);
    check(!r.error().field.empty());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  opz::Json j = opz::Json::parse(text, nullptr, false);
  if (j.is_discarded()) return 0;
  auto spec = opz::agent::JobSpec::from_json(j);
  check_error(spec);
  if (spec) {
    auto again = opz::agent::JobSpec::from_json(spec->to_json());
    check(again.ok() && again->to_json() == spec->to_json());
  }
  auto result = opz::agent::JobResult::from_json(j);
  check_error(result);
  if (result) {
    auto again = opz::agent::JobResult::from_json(result->to_json());
    check(again.ok() && again->to_json() == result->to_json());
  }
  auto lines = opz::agent::log_lines_from_json(j.is_object() && j.contains("lines") ? j["lines"] : j);
  check_error(lines);
  if (lines) {
    auto again = opz::agent::log_lines_from_json(opz::agent::log_lines_to_json(*lines));
    check(again.ok() && again->size() == lines->size());
  }
  return 0;
}
