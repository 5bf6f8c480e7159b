// Fuzz target for the PostgREST read grammar (rest/query_parser): any bytes
// give a Query or a QueryError — never a crash, hang or exception. The input is
// four lines: the raw query string, then the Range, Prefer and Accept headers.
// A Query keeps the grammar's shape (one value per comparison, trees no deeper
// than kMaxDepth, a non-negative window); an error is 400/406/416 with a
// PGRST code and a short message.
// Without libFuzzer it replays fuzz/corpus/rest_query_fuzz/ as a test.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rest/filter_parser.h"
#include "rest/query_parser.h"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

void check_filter(const opz::rest::Filter& f, int depth) {
  using opz::rest::Filter;
  using opz::rest::Op;
  check(depth <= opz::rest::kMaxDepth + 1);
  if (f.kind == Filter::Kind::kCondition) {
    check(!f.condition.column.empty());
    if (f.condition.op == Op::kIs) check(f.condition.values.empty());
    else if (f.condition.op != Op::kIn) check(f.condition.values.size() == 1);
    check(f.condition.values.size() <= opz::rest::kMaxItems + 1);
    return;
  }
  for (const Filter& child : f.children) check_filter(child, depth + 1);
}

std::string_view next_line(std::string_view& text) {
  const size_t nl = text.find('\n');
  std::string_view line = text.substr(0, nl);
  text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  opz::rest::ReadRequest request;
  request.raw_query = next_line(text);
  request.range = next_line(text);
  request.prefer = next_line(text);
  request.accept = next_line(text);
  auto q = opz::rest::parse_query(request);
  if (!q) {
    const auto& e = q.error();
    check(e.status == 400 || e.status == 406 || e.status == 416);
    check(e.code.rfind("PGRST", 0) == 0);
    check(!e.message.empty());
    return 0;
  }
  check(q.value().offset >= 0);
  check(!q.value().limit || *q.value().limit >= 0);
  check(q.value().where.kind == opz::rest::Filter::Kind::kAnd);
  check_filter(q.value().where, 0);
  for (const auto& item : q.value().select.items) check(!item.column.empty());
  for (const auto& term : q.value().order) check(!term.column.empty());
  return 0;
}
