// Fuzz target for the edge's small text parsers: git ref names
// (core/git_ref_name.h) and form decoding (core/form_encoding.h, GitHub's
// form-encoded deliveries and query strings). Any bytes must give an answer,
// never a crash; what check_ref_format accepts must hold none of the bytes
// git refuses, and a decoded form never holds a NUL.
// Without libFuzzer it replays fuzz/corpus/edge_text_fuzz/ as a test.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/form_encoding.h"
#include "core/git_ref_name.h"

namespace {
void check(bool condition) {
  if (!condition) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (opz::check_ref_format(text).ok()) {
    check(!text.empty() && text.size() <= opz::kMaxRefNameBytes);
    check(text.find("..") == std::string_view::npos);
    check(text.find("@{") == std::string_view::npos);
    for (char c : text) {
      const auto u = static_cast<unsigned char>(c);
      check(u >= 0x20 && u != 0x7f && c != ' ' && c != '~' && c != '^' && c != ':' && c != '?' &&
            c != '*' && c != '[' && c != '\\');
    }
  }
  (void)opz::check_branch_name(text);
  (void)opz::check_tag_name(text);
  check(opz::printable(text).size() <= 4 * 120 + 3);
  if (auto form = opz::parse_form(text)) {
    for (const auto& [key, value] : *form) {
      check(!key.empty());
      check(key.find('\0') == std::string::npos && value.find('\0') == std::string::npos);
    }
  }
  return 0;
}
