// Fuzz target for the agent's HTTP response parser (agent/http_response_parser.h):
// any bytes a server (or anything posing as one) sends, fed whole or split at
// a point taken from the input, must give a response or a kValidation error
// naming "http response"; never a crash. Fed whole and split, the outcome and
// the body must be the same. Without libFuzzer it replays
// fuzz/corpus/http_response_fuzz/ as a test.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "agent/http_response_parser.h"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

struct Outcome {
  bool ok = false;
  bool done = false;
  int status = 0;
  std::string body;
};

Outcome parse(std::string_view text, size_t split) {
  opz::agent::HttpResponseLimits limits;
  limits.max_header_bytes = 4096;  // small limits, so the fuzzer reaches them
  limits.max_body_bytes = 65536;
  opz::agent::HttpResponseParser parser(limits);
  Outcome out;
  opz::Status s = parser.feed(text.substr(0, split));
  if (s) s = parser.feed(text.substr(split));
  if (s && !parser.done()) s = parser.finish();
  if (!s) {
    check(s.error().code == opz::ErrorCode::kValidation);
    check(s.error().field == "http response");
    return out;
  }
  check(parser.done());
  out.ok = true;
  out.status = parser.response().status;
  check(out.status >= 200 && out.status <= 599);
  out.body = parser.response().body;
  check(out.body.size() <= limits.max_body_bytes);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Outcome whole = parse(text, size);
  size_t split = size == 0 ? 0 : static_cast<size_t>(data[0]) % (size + 1);
  Outcome parts = parse(text, split);
  check(whole.ok == parts.ok);
  if (whole.ok) check(whole.status == parts.status && whole.body == parts.body);
  return 0;
}
