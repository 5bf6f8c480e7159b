#include "agent/job_spec.h"

#include "core/ids.h"
#include "core/time_format.h"

namespace opz::agent {

namespace {

Error bad(const std::string& field, const std::string& what) {
  return Error::validation(field + " " + what, field);
}

Result<int64_t> int_field(const Json& j, const char* key, int64_t min, int64_t max,
                          int64_t fallback) {
  if (!j.contains(key) || j[key].is_null()) return fallback;
  const Json& v = j[key];
  if (!v.is_number_integer()) return bad(key, "must be an integer");
  int64_t n = v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(max)
                  ? max + 1
                  : v.get<int64_t>();
  if (n < min || n > max)
    return bad(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  return n;
}

Result<std::string> string_field(const Json& j, const char* key, size_t max_len) {
  if (!j.contains(key) || j[key].is_null()) return std::string();
  if (!j[key].is_string()) return bad(key, "must be a string");
  std::string s = j[key].get<std::string>();
  if (s.size() > max_len) return bad(key, "is longer than " + std::to_string(max_len) + " bytes");
  return s;
}

Result<bool> bool_field(const Json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return false;
  if (!j[key].is_boolean()) return bad(key, "must be true or false");
  return j[key].get<bool>();
}

Result<std::vector<std::string>> strings_field(const Json& j, const char* key) {
  std::vector<std::string> out;
  if (!j.contains(key) || j[key].is_null()) return out;
  if (!j[key].is_array()) return bad(key, "must be a list of strings");
  for (const Json& v : j[key]) {
    if (!v.is_string()) return bad(key, "must be a list of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

constexpr int64_t kMaxMillis = int64_t{30} * 24 * 3600 * 1000;

}  // namespace

JobSpec JobSpec::from_process(const runner::ProcessSpec& s) {
  return {s.command,       s.env,          s.timeout.count(),  s.kill_grace.count(),
          s.log_cap_bytes, s.checkout_url, s.checkout_commit, s.runs_on};
}

Json JobSpec::to_json() const {
  Json checkout = checkout_url.empty()
                      ? Json(nullptr)
                      : Json{{"url", checkout_url}, {"commit", checkout_commit}};
  return {{"command", command},           {"env", env},
          {"timeout_ms", timeout_ms},     {"kill_grace_ms", kill_grace_ms},
          {"log_cap_bytes", log_cap_bytes}, {"checkout", checkout},
          {"runs_on", runs_on}};
}

Result<JobSpec> JobSpec::from_json(const Json& j) {
  if (!j.is_object()) return bad("job", "must be an object");
  JobSpec s;
  OPZ_TRY(s.command, string_field(j, "command", 1 << 20));
  OPZ_TRY(s.env, strings_field(j, "env"));
  OPZ_TRY(s.timeout_ms, int_field(j, "timeout_ms", 0, kMaxMillis, 0));
  OPZ_TRY(s.kill_grace_ms, int_field(j, "kill_grace_ms", 0, kMaxMillis, 5000));
  OPZ_TRY(int64_t cap, int_field(j, "log_cap_bytes", 1, int64_t{1} << 40, 16 << 20));
  s.log_cap_bytes = static_cast<uint64_t>(cap);
  if (j.contains("checkout") && !j["checkout"].is_null()) {
    const Json& c = j["checkout"];
    if (!c.is_object()) return bad("checkout", "must be an object");
    OPZ_TRY(s.checkout_url, string_field(c, "url", 4096));
    OPZ_TRY(s.checkout_commit, string_field(c, "commit", 200));
  }
  OPZ_TRY(s.runs_on, strings_field(j, "runs_on"));
  return s;
}

std::string JobSpec::env_value(std::string_view name) const {
  for (const std::string& e : env)
    if (e.size() > name.size() && e.compare(0, name.size(), name) == 0 && e[name.size()] == '=')
      return e.substr(name.size() + 1);
  return {};
}

JobResult JobResult::from_process(const runner::ProcessResult& r) {
  JobResult out;
  out.exit_code = r.exit_code;
  out.signal = r.signal;
  out.timed_out = r.timed_out;
  out.cancelled = r.cancelled;
  out.duration_ms = r.duration.count();
  out.log_bytes = r.log_bytes;
  out.log_truncated = r.log_truncated;
  out.error = r.error;
  return out;
}

runner::ProcessResult JobResult::to_process() const {
  runner::ProcessResult r;
  r.exit_code = static_cast<int>(exit_code);
  r.signal = static_cast<int>(signal);
  r.timed_out = timed_out;
  r.cancelled = cancelled;
  r.duration = std::chrono::milliseconds(duration_ms);
  r.log_bytes = log_bytes;
  r.log_truncated = log_truncated;
  r.error = error;
  return r;
}

Json JobResult::to_json() const {
  Json outs = Json::object();
  for (const auto& [k, v] : outputs) outs[k] = v;
  return {{"exit_code", exit_code},   {"signal", signal},       {"timed_out", timed_out},
          {"cancelled", cancelled},   {"duration_ms", duration_ms}, {"log_bytes", log_bytes},
          {"log_truncated", log_truncated}, {"outputs", outs}, {"error", error}};
}

Result<JobResult> JobResult::from_json(const Json& j) {
  if (!j.is_object()) return bad("body", "must be an object");
  JobResult r;
  OPZ_TRY(r.exit_code, int_field(j, "exit_code", -1, 255, -1));
  OPZ_TRY(r.signal, int_field(j, "signal", 0, 128, 0));
  OPZ_TRY(r.timed_out, bool_field(j, "timed_out"));
  OPZ_TRY(r.cancelled, bool_field(j, "cancelled"));
  OPZ_TRY(r.duration_ms, int_field(j, "duration_ms", 0, kMaxMillis, 0));
  OPZ_TRY(int64_t bytes, int_field(j, "log_bytes", 0, int64_t{1} << 50, 0));
  r.log_bytes = static_cast<uint64_t>(bytes);
  OPZ_TRY(r.log_truncated, bool_field(j, "log_truncated"));
  OPZ_TRY(r.error, string_field(j, "error", 4096));
  if (j.contains("outputs") && !j["outputs"].is_null()) {
    const Json& o = j["outputs"];
    if (!o.is_object()) return bad("outputs", "must be an object of strings");
    for (const auto& [k, v] : o.items()) {
      if (!v.is_string()) return bad("outputs." + k, "must be a string");
      r.outputs.emplace_back(k, v.get<std::string>());
    }
    // The same key rules as a step's own output file.
    OPZ_TRY_STATUS(runner::parse_output_file(output_file_text(r.outputs)));
  }
  return r;
}

Json log_lines_to_json(const std::vector<runner::LogLine>& lines) {
  Json out = Json::array();
  for (const runner::LogLine& l : lines) {
    Json line = {{"stream", l.stream == runner::Stream::kStdout ? "stdout" : "stderr"},
                 {"text", l.text},
                 {"ts", format_time(l.at)}};
    if (l.continues) line["continues"] = true;
    out.push_back(std::move(line));
  }
  return out;
}

Result<std::vector<runner::LogLine>> log_lines_from_json(const Json& j) {
  if (!j.is_array()) return bad("lines", "must be a list");
  std::vector<runner::LogLine> out;
  for (size_t i = 0; i < j.size(); ++i) {
    const std::string at = "lines[" + std::to_string(i) + "]";
    const Json& l = j[i];
    if (!l.is_object()) return bad(at, "must be an object");
    runner::LogLine line;
    OPZ_TRY(std::string stream, string_field(l, "stream", 16));
    if (stream == "stdout") {
      line.stream = runner::Stream::kStdout;
    } else if (stream == "stderr") {
      line.stream = runner::Stream::kStderr;
    } else {
      return bad(at + ".stream", "must be \"stdout\" or \"stderr\"");
    }
    OPZ_TRY(line.text, string_field(l, "text", runner::kMaxLogLineBytes * 4));
    if (line.text.find('\0') != std::string::npos || line.text.find('\n') != std::string::npos)
      return bad(at + ".text", "must be one line without NUL");
    OPZ_TRY(std::string ts, string_field(l, "ts", 64));
    auto when = parse_time(ts);
    if (!when) return bad(at + ".ts", "must be an ISO-8601 time");
    line.at = *when;
    OPZ_TRY(line.continues, bool_field(l, "continues"));
    out.push_back(std::move(line));
  }
  return out;
}

std::string output_file_text(const runner::OutputValues& outputs) {
  std::string out;
  for (const auto& [key, value] : outputs) {
    std::string delim = "OPZENIX_EOF_" + random_hex(8);
    while (value.find(delim) != std::string::npos) delim += "_";
    out += key + "<<" + delim + "\n" + value + "\n" + delim + "\n";
  }
  return out;
}

}  // namespace opz::agent
