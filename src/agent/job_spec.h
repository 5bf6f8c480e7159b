// What travels between the server and an agent (docs/agents.md): the job an
// agent is handed (JobSpec, built from a runner::ProcessSpec) and what it
// reports when the job ends (JobResult), as JSON.
//
// Parsing is strict (an agent's report is untrusted input): wrong types,
// out-of-range numbers and unknown stream names are kValidation errors
// naming the field. Pure functions; fuzzed by fuzz/agent_job_fuzz.cc.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "runner/log_line.h"
#include "runner/output_file.h"
#include "runner/process_spec.h"

namespace opz::agent {

struct JobSpec {
  std::string command;
  std::vector<std::string> env;  // "KEY=VALUE"
  int64_t timeout_ms = 0;        // 0 = none
  int64_t kill_grace_ms = 5000;
  uint64_t log_cap_bytes = 16ull << 20;
  std::string checkout_url;  // empty: no checkout
  std::string checkout_commit;
  std::vector<std::string> runs_on;

  static JobSpec from_process(const runner::ProcessSpec& spec);
  Json to_json() const;
  static Result<JobSpec> from_json(const Json& json);
  // The value of `name` in env ("" when absent).
  std::string env_value(std::string_view name) const;
};

struct JobResult {
  int64_t exit_code = -1;
  int64_t signal = 0;
  bool timed_out = false;
  bool cancelled = false;
  int64_t duration_ms = 0;
  uint64_t log_bytes = 0;
  bool log_truncated = false;
  runner::OutputValues outputs;
  std::string error;

  static JobResult from_process(const runner::ProcessResult& r);
  runner::ProcessResult to_process() const;
  bool success() const { return exit_code == 0 && !timed_out && !cancelled; }
  Json to_json() const;
  // The fields of POST /api/v1/agents/jobs/{id}/complete besides "generation".
  static Result<JobResult> from_json(const Json& json);
};

// Log lines as sent by an agent: [{"stream": "stdout"|"stderr", "text", "ts"}].
Json log_lines_to_json(const std::vector<runner::LogLine>& lines);
Result<std::vector<runner::LogLine>> log_lines_from_json(const Json& json);

// The $OPZENIX_OUTPUT file text that parses back to `outputs`
// (runner::parse_output_file), each value in a heredoc block.
std::string output_file_text(const runner::OutputValues& outputs);

}  // namespace opz::agent
