// Fuzz target for the OTLP header list parser (core/header_list): any bytes
// give a list or a kValidation error naming the field — never a crash, hang or
// exception — and every accepted entry is a sendable header: a non-empty
// token name, a value without CR, LF or NUL.
// Without libFuzzer it replays fuzz/corpus/header_list_fuzz/ as a test.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/header_list.h"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto list = opz::parse_header_list(text, "headers");
  if (!list) {
    check(list.error().code == opz::ErrorCode::kValidation);
    check(list.error().field == "headers");
    return 0;
  }
  for (const auto& [name, value] : *list) {
    check(!name.empty());
    for (char c : name) check(c != ',' && c != '=' && c != ' ' && c != ':' && c != '\n');
    for (char c : value) check(c != '\r' && c != '\n' && c != '\0');
  }
  return 0;
}
