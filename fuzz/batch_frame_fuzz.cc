// Fuzz target for batch frames (realtime::batch_frame) and the member skim
// they are built with (skim_json_members, core/json_skim.h). Properties, for
// any bytes:
//   - members found are slices of the input: keys are string literals,
//     values are non-empty with no whitespace around them;
//   - the skim never finds members where the JSON library does not read the
//     input as an object (on input without NUL bytes, where the library
//     stops reading), and each member's value reads as the library's value
//     for that key (the last one when a key repeats);
//   - the input split in two records (at the first NUL, else the middle):
//     when both are JSON objects and a batch frame is built from them, its
//     data line is JSON and expands to exactly the two single frames' events.
// Without libFuzzer it replays fuzz/corpus/batch_frame_fuzz/ as a test.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/json_skim.h"
#include "realtime/batch_frame.h"
#include "realtime/sse_frame.h"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void check_members(std::string_view text) {
  auto members = opz::skim_json_members(text);
  if (members) {
    for (const auto& m : *members) {
      for (std::string_view part : {m.key, m.value}) {
        check(!part.empty());
        check(part.data() >= text.data() && part.data() + part.size() <= text.data() + text.size());
        check(!is_space(part.front()) && !is_space(part.back()));
      }
      check(m.key.size() >= 2 && m.key.front() == '"' && m.key.back() == '"');
    }
  }
  // The JSON library ends its input at a NUL byte; the scanner (rightly,
  // for a database's text) refuses one. Compare them on text without.
  if (text.find('\0') != std::string_view::npos) return;
  auto doc = opz::parse_json(text);
  if (!members) return;
  check(doc.ok() && doc->is_object());
  check(members->size() >= doc->size());
  for (size_t i = 0; i < members->size(); ++i) {
    auto key = opz::parse_json((*members)[i].key);
    check(key.ok() && key->is_string());
    bool last = true;
    for (size_t j = i + 1; j < members->size(); ++j) {
      auto later = opz::parse_json((*members)[j].key);
      if (later.ok() && *later == *key) last = false;
    }
    if (!last) continue;
    auto value = opz::parse_json((*members)[i].value);
    check(value.ok() && *value == (*doc)[key->get<std::string>()]);
  }
}

opz::store::EventLogRecord record(int64_t id, std::string_view json) {
  opz::store::EventLogRecord r;
  r.id = id;
  r.topic = "nodes";
  r.table_name = "execution_nodes";
  r.type = "INSERT";
  r.execution_id = "e1";
  r.record_json = std::string(json);
  r.created_at = "2026-12-05T10:00:00.000Z";
  return r;
}

void check_batch(std::string_view text) {
  size_t cut = text.find('\0');
  const std::string_view a =
      cut == std::string_view::npos ? text.substr(0, text.size() / 2) : text.substr(0, cut);
  const std::string_view b = text.substr(a.size() + (cut == std::string_view::npos ? 0 : 1));
  auto da = opz::parse_json(a);
  auto db = opz::parse_json(b);
  if (!da || !db || !da->is_object() || !db->is_object()) return;
  const std::vector<opz::store::EventLogRecord> rs = {record(1, a), record(2, b)};
  const std::vector<const opz::store::EventLogRecord*> run = {&rs[0], &rs[1]};
  auto frame = opz::realtime::batch_frame(run);
  if (!frame) return;
  const size_t data = frame->find("\ndata: ");
  check(data != std::string::npos && frame->size() >= data + 9);
  const std::string line = frame->substr(data + 7, frame->size() - data - 9);
  check(line.find('\n') == std::string::npos);
  auto doc = opz::parse_json(line);
  check(doc.ok());
  auto events = opz::realtime::batch_events(*doc);
  check(events.ok() && events->size() == 2);
  for (size_t i = 0; i < 2; ++i) {
    auto single = opz::parse_json(opz::realtime::event_data(rs[i]));
    check(single.ok() && *single == (*events)[i]);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_members(text);
  check_batch(text);
  return 0;
}
