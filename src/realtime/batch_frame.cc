#include "realtime/batch_frame.h"

#include <algorithm>
#include <vector>

#include "core/json.h"
#include "core/json_skim.h"
#include "realtime/sse_frame.h"

namespace opz::realtime {

namespace {

// `field` of every event: once when all are the same text, else an array.
template <typename Field>
void append_same_or_each(std::string& out, std::span<const store::EventLogRecord* const> run,
                         Field field, void (*append)(std::string&, std::string_view)) {
  bool same = true;
  for (const auto* r : run) same = same && field(*r) == field(*run.front());
  if (same) return append(out, field(*run.front()));
  out += '[';
  for (size_t i = 0; i < run.size(); ++i) {
    if (i > 0) out += ',';
    append(out, field(*run[i]));
  }
  out += ']';
}

void append_json_text(std::string& out, std::string_view json) { append_one_line(out, json); }

// Each record's members as slices of its text (core/json_skim.h), when
// every record is an object with the same keys, each once, in the same order
// (one trigger's json_object()). Values are compared and copied as text: a
// submit's thousand node rows parsed into documents and written out again
// cost 5-7 ms, most of the event hub's work for that burst, against
// ~0.8 ms this way (bench/event_burst_bench.cc).
std::optional<std::vector<std::vector<JsonMemberText>>> records_of(
    std::span<const store::EventLogRecord* const> run) {
  std::vector<std::vector<JsonMemberText>> records;
  records.reserve(run.size());
  for (const auto* r : run) {
    auto members = skim_json_members(r->record_json);
    if (!members) return std::nullopt;
    if (records.empty()) {
      // A key written twice (the last one counts) could not be split into
      // `common` and columns faithfully: such records go one frame each. A
      // key with an escape is declined too, so that equal keys are equal
      // texts ("a" and "\u0061" are one key).
      for (size_t i = 0; i < members->size(); ++i) {
        if ((*members)[i].key.find('\\') != std::string_view::npos) return std::nullopt;
        for (size_t j = i + 1; j < members->size(); ++j)
          if ((*members)[i].key == (*members)[j].key) return std::nullopt;
      }
    } else {
      const std::vector<JsonMemberText>& first = records.front();
      if (members->size() != first.size()) return std::nullopt;
      for (size_t i = 0; i < first.size(); ++i) {
        if ((*members)[i].key != first[i].key) return std::nullopt;
      }
    }
    records.push_back(std::move(*members));
  }
  return records;
}

}  // namespace

bool continues_run(const store::EventLogRecord& prev, const store::EventLogRecord& next) {
  return next.id == prev.id + 1 && next.topic == prev.topic &&
         next.table_name == prev.table_name && next.type == prev.type &&
         next.execution_id == prev.execution_id && next.project_id == prev.project_id &&
         next.user_id == prev.user_id;
}

std::vector<std::pair<size_t, size_t>> find_runs(
    std::span<const store::EventLogRecord* const> records, size_t min_events) {
  std::vector<std::pair<size_t, size_t>> runs;
  size_t begin = 0;
  for (size_t i = 1; i <= records.size(); ++i) {
    if (i < records.size() && continues_run(*records[i - 1], *records[i])) continue;
    if (i - begin >= std::max<size_t>(min_events, 2)) runs.emplace_back(begin, i);
    begin = i;
  }
  return runs;
}

std::optional<std::string> batch_frame(std::span<const store::EventLogRecord* const> run) {
  if (run.size() < 2) return std::nullopt;
  for (size_t i = 1; i < run.size(); ++i) {
    if (!continues_run(*run[i - 1], *run[i])) return std::nullopt;
  }
  auto records = records_of(run);
  if (!records) return std::nullopt;

  // Members with one value (the same text) in every record go in `common`,
  // the rest are columns. Values are copied as the record's text, as the
  // single frames copy the whole record.
  const std::vector<JsonMemberText>& front = records->front();
  std::vector<size_t> common;
  std::vector<size_t> columns;
  for (size_t i = 0; i < front.size(); ++i) {
    bool same = true;
    for (const auto& r : *records) same = same && r[i].value == front[i].value;
    (same ? common : columns).push_back(i);
  }

  const store::EventLogRecord& first = *run.front();
  const std::string to = std::to_string(run.back()->id);
  std::string out;
  out.reserve(256 + run.size() * (16 + 24 * columns.size()));
  out += "id: " + to + "\nevent: batch\ndata: {\"from\":" + std::to_string(first.id) +
         ",\"to\":" + to + ",\"at\":";
  append_same_or_each(
      out, run, [](const store::EventLogRecord& r) -> const std::string& { return r.created_at; },
      append_json_string);
  out += ",\"topic\":";
  append_json_string(out, first.topic);
  out += ",\"table\":";
  append_json_string(out, first.table_name);
  out += ",\"type\":";
  append_json_string(out, first.type);
  out += ",\"execution_id\":";
  append_optional(out, first.execution_id);
  out += ",\"project_id\":";
  append_optional(out, first.project_id);
  out += ",\"old\":";
  append_same_or_each(
      out, run, [](const store::EventLogRecord& r) -> const std::string& { return r.old_json; },
      append_json_text);
  out += ",\"common\":{";
  for (size_t i = 0; i < common.size(); ++i) {
    if (i > 0) out += ',';
    append_one_line(out, front[common[i]].key);
    out += ':';
    append_one_line(out, front[common[i]].value);
  }
  out += "},\"columns\":[";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out += ',';
    append_one_line(out, front[columns[i]].key);
  }
  out += "],\"rows\":[";
  for (size_t k = 0; k < records->size(); ++k) {
    if (k > 0) out += ',';
    out += '[';
    for (size_t i = 0; i < columns.size(); ++i) {
      if (i > 0) out += ',';
      append_one_line(out, (*records)[k][columns[i]].value);
    }
    out += ']';
  }
  out += "]}\n\n";
  return out;
}

Result<std::vector<Json>> batch_events(const Json& b) {
  try {
    std::vector<Json> events;
    const int64_t from = b.at("from").get<int64_t>();
    const int64_t to = b.at("to").get<int64_t>();
    const Json& columns = b.at("columns");
    for (int64_t id = from; id <= to; ++id) {
      const size_t k = static_cast<size_t>(id - from);
      Json record = b.at("common");
      for (size_t i = 0; i < columns.size(); ++i)
        record[columns.at(i).get<std::string>()] = b.at("rows").at(k).at(i);
      const Json& old = b.at("old");
      const Json& at = b.at("at");
      events.push_back(Json{{"id", id},
                            {"topic", b.at("topic")},
                            {"table", b.at("table")},
                            {"type", b.at("type")},
                            {"execution_id", b.at("execution_id")},
                            {"project_id", b.at("project_id")},
                            {"record", std::move(record)},
                            {"old", old.is_array() ? old.at(k) : old},
                            {"at", at.is_array() ? at.at(k) : at}});
    }
    return events;
  } catch (const Json::exception& e) {
    return Error::malformed(std::string("not a batch frame's data: ") + e.what(), "data");
  }
}

}  // namespace opz::realtime
