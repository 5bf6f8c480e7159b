#include "realtime/batch_frame.h"

#include <algorithm>
#include <vector>

#include "core/json.h"
#include "realtime/sse_frame.h"

namespace opz::realtime {

namespace {

// `field` of every event: once when all are the same text, else an array.
template <typename Field>
void append_same_or_each(std::string& out, std::span<const store::EventLogRecord* const> run,
                         Field field, void (*append)(std::string&, const std::string&)) {
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

void append_json_text(std::string& out, const std::string& json) { append_one_line(out, json); }

// The records parsed, when they are objects with the same members.
std::optional<std::vector<Json>> records_of(std::span<const store::EventLogRecord* const> run) {
  std::vector<Json> records;
  records.reserve(run.size());
  for (const auto* r : run) {
    auto doc = parse_json(r->record_json);
    if (!doc || !doc->is_object()) return std::nullopt;
    if (!records.empty()) {
      const Json& first = records.front();
      if (doc->size() != first.size()) return std::nullopt;
      for (auto a = doc->cbegin(), b = first.cbegin(); a != doc->cend(); ++a, ++b) {
        if (a.key() != b.key()) return std::nullopt;
      }
    }
    records.push_back(std::move(*doc));
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

  // Members with one value in every record go in `common`, the rest are columns.
  std::vector<std::string> common;
  std::vector<std::string> columns;
  for (auto it = records->front().begin(); it != records->front().end(); ++it) {
    bool same = true;
    for (const Json& r : *records) same = same && r[it.key()] == it.value();
    (same ? common : columns).push_back(it.key());
  }

  const store::EventLogRecord& first = *run.front();
  const std::string to = std::to_string(run.back()->id);
  std::string out;
  out.reserve(256 + run.size() * (16 + 24 * columns.size()));
  out += "id: " + to + "\nevent: batch\ndata: {\"from\":" + std::to_string(first.id) +
         ",\"to\":" + to + ",\"at\":";
  append_same_or_each(out, run, [](const store::EventLogRecord& r) { return r.created_at; },
                      append_string);
  out += ",\"topic\":";
  append_string(out, first.topic);
  out += ",\"table\":";
  append_string(out, first.table_name);
  out += ",\"type\":";
  append_string(out, first.type);
  out += ",\"execution_id\":";
  append_optional(out, first.execution_id);
  out += ",\"project_id\":";
  append_optional(out, first.project_id);
  out += ",\"old\":";
  append_same_or_each(out, run, [](const store::EventLogRecord& r) { return r.old_json; },
                      append_json_text);
  out += ",\"common\":{";
  for (size_t i = 0; i < common.size(); ++i) {
    if (i > 0) out += ',';
    append_string(out, common[i]);
    out += ':';
    out += dump_json(records->front()[common[i]]);
  }
  out += "},\"columns\":[";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out += ',';
    append_string(out, columns[i]);
  }
  out += "],\"rows\":[";
  for (size_t k = 0; k < records->size(); ++k) {
    if (k > 0) out += ',';
    out += '[';
    for (size_t i = 0; i < columns.size(); ++i) {
      if (i > 0) out += ',';
      out += dump_json((*records)[k][columns[i]]);
    }
    out += ']';
  }
  out += "]}\n\n";
  return out;
}

}  // namespace opz::realtime
