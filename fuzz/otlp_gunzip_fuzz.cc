// Fuzz target for the OTLP receiver's gzip bodies (Content-Encoding: gzip):
// arbitrary bytes through gunzip() under a small limit. Must never crash, hang
// or trip a sanitizer, never answer more than the limit, and fail only with
// kMalformed or kTooLarge.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "telemetry/otlp_receiver_gunzip.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace opz;
  constexpr size_t kLimit = 1 << 16;
  auto out = telemetry::gunzip(std::string_view(reinterpret_cast<const char*>(data), size), kLimit);
  if (out) {
    if (out->size() > kLimit) std::abort();
  } else if (out.error().code != ErrorCode::kMalformed &&
             out.error().code != ErrorCode::kTooLarge) {
    std::abort();
  }
  return 0;
}
