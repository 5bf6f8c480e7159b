// Fuzz target for github::PathFilter: the input is split at newlines into
// patterns (all but the last line) and one path (the last line). Compiling
// must give a filter or a kValidation error naming path_filters[...], never a
// crash, hang or exception; a compiled filter must answer consistently:
// first_match() of the one path agrees with includes(), and a filter that
// includes the path still does when the path is written with a leading '/'.
// Without libFuzzer it replays fuzz/corpus/path_filter_fuzz/ as a test.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "github/path_filter.h"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> lines;
  size_t start = 0;
  while (true) {
    const size_t nl = input.find('\n', start);
    lines.emplace_back(input.substr(start, nl == std::string_view::npos ? nl : nl - start));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  const std::string path = lines.back();
  lines.pop_back();
  auto filter = opz::github::PathFilter::compile(lines);
  if (!filter) {
    check(filter.error().code == opz::ErrorCode::kValidation);
    check(filter.error().field.starts_with("path_filters"));
    return 0;
  }
  const bool included = filter->includes(path);
  const std::string* first = filter->first_match({path});
  check(included == (first != nullptr));
  if (included && !path.starts_with('/')) check(filter->includes("/" + path));
  return 0;
}
