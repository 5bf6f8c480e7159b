// Fuzz target for the OTLP/HTTP JSON receiver's decoding: whatever a sender
// puts in a body goes through the calls POST /v1/traces, /v1/metrics, /v1/logs
// and /functions/v1/otel-adapter make (parse, the kind from the body, decode
// as each kind). Must never crash, hang or trip a sanitizer; also checks that
// every error names a field and every decoded span has well-formed ids and a
// non-negative duration, and aborts if not.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/json.h"
#include "telemetry/otlp_json_decoder.h"

namespace {

void check(bool invariant) {
  if (!invariant) std::abort();
}

bool lower_hex(std::string_view s, size_t n) {
  if (s.size() != n) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace opz;
  using namespace opz::telemetry;
  auto body = parse_json(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!body) return 0;
  (void)otlp_kind_of(*body);
  for (OtlpKind kind : {OtlpKind::kTraces, OtlpKind::kMetrics, OtlpKind::kLogs}) {
    auto signals = decode_otlp_json(kind, *body);
    if (!signals) {
      check(!signals.error().field.empty());
      check(signals.error().code == ErrorCode::kMalformed);
      continue;
    }
    for (const TelemetrySignal& s : *signals) {
      (void)dump_json(s.payload);
      if (s.signal_type != "span") continue;
      check(lower_hex(s.otel_trace_id, 32) && lower_hex(s.otel_span_id, 16));
      check(s.duration_ms && *s.duration_ms >= 0);
    }
  }
  return 0;
}
