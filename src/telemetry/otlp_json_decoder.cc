#include "telemetry/otlp_json_decoder.h"

#include <functional>

#include "telemetry/otlp_json_value.h"
#include "core/json_optional.h"

namespace opz::telemetry {

namespace {

using Signals = std::vector<TelemetrySignal>;

std::string indexed(const std::string& path, std::string_view key, size_t i) {
  return path + (path.empty() ? "" : ".") + std::string(key) + "[" + std::to_string(i) + "]";
}

// The array `key` of `parent` (absent or null: empty).
Result<const Json*> array_at(const Json& parent, std::string_view key, const std::string& path) {
  static const Json kEmpty = Json::array();
  auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) return &kEmpty;
  if (!it->is_array())
    return malformed_at(path + (path.empty() ? "" : ".") + std::string(key), "must be an array");
  return &*it;
}

Status expect_object(const Json& v, const std::string& path) {
  if (!v.is_object()) return malformed_at(path, "must be an object");
  return {};
}

// What every item of one scope shares: its resource's and scope's description.
struct ScopeContext {
  Json resource;  // the resource's attributes
  Json scope;     // {"name", "version"}
};

using ItemFn = std::function<Status(const Json& item, const std::string& path,
                                    const ScopeContext& ctx, Signals& out)>;

// resourceX[i].scopeX[j].items[k] -> fn(item) for every item, in order.
Status walk(const Json& body, std::string_view resource_key, std::string_view scope_key,
            std::string_view items_key, Signals& out, const ItemFn& fn) {
  OPZ_TRY_STATUS(expect_object(body, "body"));
  OPZ_TRY(const Json* resources, array_at(body, resource_key, ""));
  for (size_t r = 0; r < resources->size(); ++r) {
    const Json& res = (*resources)[r];
    const std::string rpath = indexed("", resource_key, r);
    OPZ_TRY_STATUS(expect_object(res, rpath));
    ScopeContext ctx;
    ctx.resource = Json::object();
    if (auto it = res.find("resource"); it != res.end() && !it->is_null()) {
      OPZ_TRY_STATUS(expect_object(*it, rpath + ".resource"));
      OPZ_TRY(ctx.resource, read_attributes(*it, "attributes", rpath + ".resource"));
    }
    OPZ_TRY(const Json* scopes, array_at(res, scope_key, rpath));
    for (size_t s = 0; s < scopes->size(); ++s) {
      const Json& sc = (*scopes)[s];
      const std::string spath = indexed(rpath, scope_key, s);
      OPZ_TRY_STATUS(expect_object(sc, spath));
      ctx.scope = Json::object();
      if (auto it = sc.find("scope"); it != sc.end() && !it->is_null()) {
        OPZ_TRY_STATUS(expect_object(*it, spath + ".scope"));
        OPZ_TRY(std::string name, read_string(*it, "name", spath + ".scope"));
        OPZ_TRY(std::string version, read_string(*it, "version", spath + ".scope"));
        ctx.scope = Json{{"name", name}, {"version", version}};
      }
      OPZ_TRY(const Json* items, array_at(sc, items_key, spath));
      for (size_t i = 0; i < items->size(); ++i) {
        const std::string ipath = indexed(spath, items_key, i);
        OPZ_TRY_STATUS(expect_object((*items)[i], ipath));
        OPZ_TRY_STATUS(fn((*items)[i], ipath, ctx, out));
      }
    }
  }
  return {};
}

// The first string among `keys` in the item's attributes, then the resource's.
std::string linked(const Json& attributes, const Json& resource,
                   std::initializer_list<std::string_view> keys) {
  for (const Json* attrs : {&attributes, &resource})
    for (std::string_view key : keys)
      if (auto it = attrs->find(key); it != attrs->end() && it->is_string() && !it->empty())
        return it->get<std::string>();
  return {};
}

void link(TelemetrySignal& s, const Json& attributes, const ScopeContext& ctx) {
  s.execution_id = linked(attributes, ctx.resource, {"opzenix.execution_id", "execution.id"});
  s.node_id = linked(attributes, ctx.resource, {"opzenix.node_id"});
  s.environment =
      linked(attributes, ctx.resource, {"deployment.environment.name", "deployment.environment"});
}

Json time_json(const std::optional<uint64_t>& nanos) {
  return nanos ? Json(unix_nanos_to_time(*nanos)) : Json(nullptr);
}
Json nanos_json(const std::optional<uint64_t>& nanos) {
  return nanos ? Json(std::to_string(*nanos)) : Json(nullptr);
}

// --- traces ---------------------------------------------------------------

constexpr std::string_view kStatusNames[] = {"UNSET", "OK", "ERROR"};
constexpr std::string_view kSpanKinds[] = {"unspecified", "internal", "server",
                                           "client",      "producer", "consumer"};

Result<Json> read_span_events(const Json& span, const std::string& path) {
  Json out = Json::array();
  OPZ_TRY(const Json* events, array_at(span, "events", path));
  for (size_t i = 0; i < events->size(); ++i) {
    const Json& e = (*events)[i];
    const std::string epath = indexed(path, "events", i);
    OPZ_TRY_STATUS(expect_object(e, epath));
    OPZ_TRY(std::string name, read_string(e, "name", epath));
    OPZ_TRY(auto time, read_uint64(e, "timeUnixNano", epath));
    OPZ_TRY(Json attributes, read_attributes(e, "attributes", epath));
    out.push_back(Json{{"name", name}, {"time", time_json(time)}, {"attributes", attributes}});
  }
  return out;
}

Result<Json> read_span_links(const Json& span, const std::string& path) {
  Json out = Json::array();
  OPZ_TRY(const Json* links, array_at(span, "links", path));
  for (size_t i = 0; i < links->size(); ++i) {
    const Json& l = (*links)[i];
    const std::string lpath = indexed(path, "links", i);
    OPZ_TRY_STATUS(expect_object(l, lpath));
    OPZ_TRY(std::string trace_id, read_hex_id(l, "traceId", 32, true, lpath));
    OPZ_TRY(std::string span_id, read_hex_id(l, "spanId", 16, true, lpath));
    OPZ_TRY(Json attributes, read_attributes(l, "attributes", lpath));
    out.push_back(Json{{"trace_id", trace_id}, {"span_id", span_id}, {"attributes", attributes}});
  }
  return out;
}

Status decode_span(const Json& span, const std::string& path, const ScopeContext& ctx,
                   Signals& out) {
  TelemetrySignal s;
  s.signal_type = "span";
  OPZ_TRY(s.otel_trace_id, read_hex_id(span, "traceId", 32, true, path));
  OPZ_TRY(s.otel_span_id, read_hex_id(span, "spanId", 16, true, path));
  OPZ_TRY(std::string parent, read_hex_id(span, "parentSpanId", 16, false, path));
  OPZ_TRY(std::string name, read_string(span, "name", path));
  OPZ_TRY(auto kind, read_enum(span, "kind",
                               {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
                                "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"},
                               path));
  if (kind && (*kind < 0 || *kind > 5)) return malformed_at(path + ".kind", "must be 0 to 5");
  OPZ_TRY(auto start, read_uint64(span, "startTimeUnixNano", path));
  OPZ_TRY(auto end, read_uint64(span, "endTimeUnixNano", path));
  if (!start) return malformed_at(path + ".startTimeUnixNano", "is required");
  if (!end) return malformed_at(path + ".endTimeUnixNano", "is required");
  if (*end < *start) return malformed_at(path + ".endTimeUnixNano", "is before startTimeUnixNano");
  s.duration_ms = static_cast<int64_t>((*end - *start) / 1000000);
  OPZ_TRY(Json attributes, read_attributes(span, "attributes", path));

  int64_t code = 0;
  std::string message;
  if (auto it = span.find("status"); it != span.end() && !it->is_null()) {
    const std::string status_path = path + ".status";
    OPZ_TRY_STATUS(expect_object(*it, status_path));
    OPZ_TRY(auto c,
            read_enum(*it, "code", {"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"},
                      status_path));
    if (c && (*c < 0 || *c > 2)) return malformed_at(status_path + ".code", "must be 0, 1 or 2");
    code = c.value_or(0);
    OPZ_TRY(message, read_string(*it, "message", status_path));
  }
  s.status_code = std::string(kStatusNames[code]);
  s.severity = code == 2 ? "error" : "info";
  OPZ_TRY(Json events, read_span_events(span, path));
  OPZ_TRY(Json links, read_span_links(span, path));
  link(s, attributes, ctx);
  s.payload = Json{{"name", name},
                   {"kind", std::string(kSpanKinds[kind.value_or(0)])},
                   {"trace_id", s.otel_trace_id},
                   {"span_id", s.otel_span_id},
                   {"parent_span_id", parent.empty() ? Json(nullptr) : Json(parent)},
                   {"start_time", time_json(start)},
                   {"end_time", time_json(end)},
                   {"start_time_unix_nano", nanos_json(start)},
                   {"end_time_unix_nano", nanos_json(end)},
                   {"status", Json{{"code", s.status_code}, {"message", message}}},
                   {"attributes", std::move(attributes)},
                   {"events", std::move(events)},
                   {"links", std::move(links)},
                   {"resource", ctx.resource},
                   {"scope", ctx.scope}};
  out.push_back(std::move(s));
  return {};
}

// --- metrics --------------------------------------------------------------

Result<Json> read_number_list(const Json& parent, std::string_view key, bool unsigned_ints,
                              const std::string& path) {
  Json out = Json::array();
  OPZ_TRY(const Json* list, array_at(parent, key, path));
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string item = indexed(path, key, i);
    const Json holder = Json{{"v", (*list)[i]}};
    if (unsigned_ints) {
      auto n = read_uint64(holder, "v", "");
      if (!n || !*n)
        return malformed_at(item, "must be an unsigned integer (a decimal string or a number)");
      out.push_back(**n);
    } else if ((*list)[i].is_number()) {
      out.push_back((*list)[i]);
    } else {
      return malformed_at(item, "must be a number");
    }
  }
  return out;
}

// A number: the value of a gauge or sum point (asDouble or asInt).
Status read_number_value(const Json& point, const std::string& path, Json& payload) {
  if (auto it = point.find("asDouble"); it != point.end() && !it->is_null()) {
    auto v = read_any_value(Json{{"doubleValue", *it}}, path);
    if (!v) return malformed_at(path + ".asDouble", "must be a number");
    payload["value"] = std::move(v).value();
  } else if (auto jt = point.find("asInt"); jt != point.end() && !jt->is_null()) {
    auto v = read_any_value(Json{{"intValue", *jt}}, path);
    if (!v)
      return malformed_at(path + ".asInt", "must be an int64 (a decimal string or an integer)");
    payload["value"] = std::move(v).value();
  } else {
    payload["value"] = nullptr;
  }
  return {};
}

// count, sum, min, max of histogram-like points (whichever are present).
Status read_aggregate(const Json& point, const std::string& path, Json& payload) {
  OPZ_TRY(auto count, read_uint64(point, "count", path));
  payload["count"] = value_or_null(count);
  for (const char* key : {"sum", "min", "max"}) {
    auto it = point.find(key);
    if (it == point.end() || it->is_null()) continue;
    if (!it->is_number()) return malformed_at(path + "." + key, "must be a number");
    payload[key] = *it;
  }
  return {};
}

Status read_histogram_buckets(const Json& point, const std::string& path, Json& payload) {
  OPZ_TRY(payload["bucket_counts"], read_number_list(point, "bucketCounts", true, path));
  OPZ_TRY(payload["explicit_bounds"], read_number_list(point, "explicitBounds", false, path));
  if (!payload["bucket_counts"].empty() &&
      payload["bucket_counts"].size() != payload["explicit_bounds"].size() + 1)
    return malformed_at(path + ".bucketCounts", "must have one more entry than explicitBounds");
  return {};
}

Status read_summary_quantiles(const Json& point, const std::string& path, Json& payload) {
  Json out = Json::array();
  OPZ_TRY(const Json* list, array_at(point, "quantileValues", path));
  for (size_t i = 0; i < list->size(); ++i) {
    const Json& q = (*list)[i];
    const std::string qpath = indexed(path, "quantileValues", i);
    OPZ_TRY_STATUS(expect_object(q, qpath));
    Json entry = Json::object();
    for (const char* key : {"quantile", "value"}) {
      auto it = q.find(key);
      if (it != q.end() && !it->is_null() && !it->is_number())
        return malformed_at(qpath + "." + key, "must be a number");
      entry[key] = it == q.end() ? Json(0) : *it;
    }
    out.push_back(std::move(entry));
  }
  payload["quantile_values"] = std::move(out);
  return {};
}

// The metric's data kinds: the JSON key, the name stored, the point reader.
struct MetricKind {
  std::string_view key;
  std::string_view type;
  Status (*read_point)(const Json& point, const std::string& path, Json& payload);
};

const MetricKind kMetricKinds[] = {
    {"gauge", "gauge", read_number_value},
    {"sum", "sum", read_number_value},
    {"histogram", "histogram",
     [](const Json& p, const std::string& path, Json& payload) -> Status {
       OPZ_TRY_STATUS(read_aggregate(p, path, payload));
       return read_histogram_buckets(p, path, payload);
     }},
    {"exponentialHistogram", "exponential_histogram", read_aggregate},
    {"summary", "summary",
     [](const Json& p, const std::string& path, Json& payload) -> Status {
       OPZ_TRY_STATUS(read_aggregate(p, path, payload));
       return read_summary_quantiles(p, path, payload);
     }},
};

Status decode_metric(const Json& metric, const std::string& path, const ScopeContext& ctx,
                     Signals& out) {
  OPZ_TRY(std::string name, read_string(metric, "name", path));
  if (name.empty()) return malformed_at(path + ".name", "is required");
  OPZ_TRY(std::string description, read_string(metric, "description", path));
  OPZ_TRY(std::string unit, read_string(metric, "unit", path));
  for (const MetricKind& kind : kMetricKinds) {
    auto data = metric.find(kind.key);
    if (data == metric.end() || data->is_null()) continue;
    const std::string dpath = path + "." + std::string(kind.key);
    OPZ_TRY_STATUS(expect_object(*data, dpath));
    OPZ_TRY(auto temporality,
            read_enum(*data, "aggregationTemporality",
                      {"AGGREGATION_TEMPORALITY_UNSPECIFIED", "AGGREGATION_TEMPORALITY_DELTA",
                       "AGGREGATION_TEMPORALITY_CUMULATIVE"},
                      dpath));
    auto monotonic = data->find("isMonotonic");
    if (monotonic != data->end() && !monotonic->is_null() && !monotonic->is_boolean())
      return malformed_at(dpath + ".isMonotonic", "must be true or false");
    OPZ_TRY(const Json* points, array_at(*data, "dataPoints", dpath));
    for (size_t i = 0; i < points->size(); ++i) {
      const Json& p = (*points)[i];
      const std::string ppath = indexed(dpath, "dataPoints", i);
      OPZ_TRY_STATUS(expect_object(p, ppath));
      OPZ_TRY(Json attributes, read_attributes(p, "attributes", ppath));
      OPZ_TRY(auto start, read_uint64(p, "startTimeUnixNano", ppath));
      OPZ_TRY(auto time, read_uint64(p, "timeUnixNano", ppath));
      TelemetrySignal s;
      s.signal_type = "metric";
      Json payload = Json{{"name", name},
                          {"description", description},
                          {"unit", unit},
                          {"type", std::string(kind.type)},
                          {"start_time", time_json(start)},
                          {"time", time_json(time)},
                          {"time_unix_nano", nanos_json(time)}};
      if (temporality) payload["aggregation_temporality"] = *temporality;
      if (monotonic != data->end() && monotonic->is_boolean()) payload["is_monotonic"] = *monotonic;
      OPZ_TRY_STATUS(kind.read_point(p, ppath, payload));
      link(s, attributes, ctx);
      payload["attributes"] = std::move(attributes);
      payload["resource"] = ctx.resource;
      payload["scope"] = ctx.scope;
      s.payload = std::move(payload);
      out.push_back(std::move(s));
    }
    return {};
  }
  return {};  // a metric without data (OTLP allows it): nothing to store
}

// --- logs -----------------------------------------------------------------

std::string severity_of(int64_t number, const std::string& text) {
  static constexpr std::string_view kBands[] = {"trace", "debug", "info", "warn", "error", "fatal"};
  if (number >= 1 && number <= 24) return std::string(kBands[(number - 1) / 4]);
  std::string lower = text.substr(0, 32);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return lower;
}

Status decode_log(const Json& record, const std::string& path, const ScopeContext& ctx,
                  Signals& out) {
  TelemetrySignal s;
  OPZ_TRY(auto time, read_uint64(record, "timeUnixNano", path));
  OPZ_TRY(auto observed, read_uint64(record, "observedTimeUnixNano", path));
  OPZ_TRY(
      auto number,
      read_enum(record, "severityNumber",
                {"SEVERITY_NUMBER_UNSPECIFIED", "SEVERITY_NUMBER_TRACE",  "SEVERITY_NUMBER_TRACE2",
                 "SEVERITY_NUMBER_TRACE3",      "SEVERITY_NUMBER_TRACE4", "SEVERITY_NUMBER_DEBUG",
                 "SEVERITY_NUMBER_DEBUG2",      "SEVERITY_NUMBER_DEBUG3", "SEVERITY_NUMBER_DEBUG4",
                 "SEVERITY_NUMBER_INFO",        "SEVERITY_NUMBER_INFO2",  "SEVERITY_NUMBER_INFO3",
                 "SEVERITY_NUMBER_INFO4",       "SEVERITY_NUMBER_WARN",   "SEVERITY_NUMBER_WARN2",
                 "SEVERITY_NUMBER_WARN3",       "SEVERITY_NUMBER_WARN4",  "SEVERITY_NUMBER_ERROR",
                 "SEVERITY_NUMBER_ERROR2",      "SEVERITY_NUMBER_ERROR3", "SEVERITY_NUMBER_ERROR4",
                 "SEVERITY_NUMBER_FATAL",       "SEVERITY_NUMBER_FATAL2", "SEVERITY_NUMBER_FATAL3",
                 "SEVERITY_NUMBER_FATAL4"},
                path));
  if (number && (*number < 0 || *number > 24))
    return malformed_at(path + ".severityNumber", "must be 0 to 24");
  OPZ_TRY(std::string text, read_string(record, "severityText", path));
  OPZ_TRY(std::string event_name, read_string(record, "eventName", path));
  Json body;
  if (auto it = record.find("body"); it != record.end() && !it->is_null()) {
    OPZ_TRY(body, read_any_value(*it, path + ".body"));
  }
  OPZ_TRY(Json attributes, read_attributes(record, "attributes", path));
  OPZ_TRY(s.otel_trace_id, read_hex_id(record, "traceId", 32, false, path));
  OPZ_TRY(s.otel_span_id, read_hex_id(record, "spanId", 16, false, path));
  s.signal_type = event_name.empty() ? "log" : "event";
  s.severity = severity_of(number.value_or(0), text);
  link(s, attributes, ctx);
  s.payload = Json{{"time", time_json(time ? time : observed)},
                   {"time_unix_nano", nanos_json(time)},
                   {"observed_time", time_json(observed)},
                   {"severity_number", number.value_or(0)},
                   {"severity_text", text},
                   {"body", std::move(body)},
                   {"attributes", std::move(attributes)},
                   {"resource", ctx.resource},
                   {"scope", ctx.scope}};
  if (!event_name.empty()) s.payload["event_name"] = event_name;
  out.push_back(std::move(s));
  return {};
}

}  // namespace

std::string_view otlp_top_level_key(OtlpKind kind) {
  switch (kind) {
    case OtlpKind::kTraces:
      return "resourceSpans";
    case OtlpKind::kMetrics:
      return "resourceMetrics";
    case OtlpKind::kLogs:
      return "resourceLogs";
  }
  return "resourceSpans";
}

Result<OtlpKind> otlp_kind_of(const Json& body) {
  if (!body.is_object()) return malformed_at("body", "must be an object");
  std::optional<OtlpKind> found;
  for (OtlpKind kind : {OtlpKind::kTraces, OtlpKind::kMetrics, OtlpKind::kLogs}) {
    if (!body.contains(otlp_top_level_key(kind))) continue;
    if (found)
      return malformed_at("body",
                          "must hold one of resourceSpans, resourceMetrics or resourceLogs, "
                          "not several");
    found = kind;
  }
  if (!found)
    return malformed_at("body", "must hold resourceSpans, resourceMetrics or resourceLogs");
  return *found;
}

Result<std::vector<TelemetrySignal>> decode_otlp_json(OtlpKind kind, const Json& body) {
  Signals out;
  Status st;
  switch (kind) {
    case OtlpKind::kTraces:
      st = walk(body, "resourceSpans", "scopeSpans", "spans", out, decode_span);
      break;
    case OtlpKind::kMetrics:
      st = walk(body, "resourceMetrics", "scopeMetrics", "metrics", out, decode_metric);
      break;
    case OtlpKind::kLogs:
      st = walk(body, "resourceLogs", "scopeLogs", "logRecords", out, decode_log);
      break;
  }
  if (!st) return st.error();
  return out;
}

}  // namespace opz::telemetry
