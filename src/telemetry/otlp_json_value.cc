#include "telemetry/otlp_json_value.h"

#include <charconv>
#include <cmath>

#include "core/time_format.h"

namespace opz::telemetry {

Error malformed_at(const std::string& path, const std::string& what) {
  return Error::malformed(path + " " + what, path);
}

namespace {

std::string at(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

const Json* member(const Json& parent, std::string_view key) {
  if (!parent.is_object()) return nullptr;
  auto it = parent.find(key);
  return it == parent.end() || it->is_null() ? nullptr : &*it;
}

// A decimal integer string (proto3 JSON's 64-bit form): optional '-', digits.
template <typename T>
std::optional<T> parse_decimal(std::string_view text) {
  T v{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

Result<int64_t> read_int64(const Json& v, const std::string& field) {
  if (v.is_number_integer()) {
    if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
      return malformed_at(field, "is out of the int64 range");
    return v.get<int64_t>();
  }
  if (v.is_string()) {
    if (auto n = parse_decimal<int64_t>(v.get_ref<const std::string&>())) return *n;
  }
  return malformed_at(field, "must be an int64 (a decimal string or an integer)");
}

Result<double> read_double(const Json& v, const std::string& field) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {  // proto3 JSON spells the non-finite doubles as strings
    const auto& s = v.get_ref<const std::string&>();
    if (s == "NaN") return std::nan("");
    if (s == "Infinity") return HUGE_VAL;
    if (s == "-Infinity") return -HUGE_VAL;
  }
  return malformed_at(field, "must be a number");
}

// NaN and infinities cannot be stored as JSON: they become their names.
Json double_json(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  return d;
}

}  // namespace

Result<std::string> read_hex_id(const Json& parent, std::string_view key, size_t hex_digits,
                                bool required, const std::string& path) {
  auto field = [&] { return at(path, key); };
  const Json* v = member(parent, key);
  if (v == nullptr || (v->is_string() && v->get_ref<const std::string&>().empty())) {
    if (required) return malformed_at(field(), "is required");
    return std::string();
  }
  if (!v->is_string()) return malformed_at(field(), "must be a hex string");
  const auto& text = v->get_ref<const std::string&>();
  if (text.size() != hex_digits)
    return malformed_at(field(), "must be " + std::to_string(hex_digits) + " hex digits, got " +
                                     std::to_string(text.size()) + " characters");
  std::string out(text.size(), '0');
  bool all_zero = true;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return malformed_at(field(), "must be hex digits (0-9, a-f)");
    if (c != '0') all_zero = false;
    out[i] = c;
  }
  if (all_zero) {
    if (required) return malformed_at(field(), "must not be all zeros");
    return std::string();
  }
  return out;
}

Result<std::optional<uint64_t>> read_uint64(const Json& parent, std::string_view key,
                                            const std::string& path) {
  auto field = [&] { return at(path, key); };
  const Json* v = member(parent, key);
  if (v == nullptr) return std::optional<uint64_t>();
  if (v->is_number_unsigned()) return std::optional<uint64_t>(v->get<uint64_t>());
  if (v->is_number_integer()) {
    if (v->get<int64_t>() < 0) return malformed_at(field(), "must not be negative");
    return std::optional<uint64_t>(static_cast<uint64_t>(v->get<int64_t>()));
  }
  if (v->is_number_float()) {  // 1.7e18: JavaScript senders write big numbers so
    const double d = v->get<double>();
    if (d < 0) return malformed_at(field(), "must not be negative");
    if (d < 18446744073709551616.0 && std::floor(d) == d)
      return std::optional<uint64_t>(static_cast<uint64_t>(d));
  }
  if (v->is_string()) {
    const auto& s = v->get_ref<const std::string&>();
    if (!s.empty() && s[0] == '-') return malformed_at(field(), "must not be negative");
    if (auto n = parse_decimal<uint64_t>(s)) return std::optional<uint64_t>(*n);
  }
  return malformed_at(field(), "must be an unsigned integer (a decimal string or a number)");
}

Result<std::optional<int64_t>> read_enum(const Json& parent, std::string_view key,
                                         std::initializer_list<std::string_view> names,
                                         const std::string& path) {
  auto field = [&] { return at(path, key); };
  const Json* v = member(parent, key);
  if (v == nullptr) return std::optional<int64_t>();
  if (v->is_number_integer()) return std::optional<int64_t>(v->get<int64_t>());
  if (v->is_string()) {
    int64_t i = 0;
    for (std::string_view name : names) {
      if (name == v->get_ref<const std::string&>()) return std::optional<int64_t>(i);
      ++i;
    }
    return malformed_at(field(),
                        "names no known value ('" + std::string(*names.begin()) + "', ...)");
  }
  return malformed_at(field(), "must be an enum number or name");
}

Result<std::string> read_string(const Json& parent, std::string_view key, const std::string& path) {
  const Json* v = member(parent, key);
  if (v == nullptr) return std::string();
  if (!v->is_string()) return malformed_at(at(path, key), "must be a string");
  return v->get<std::string>();
}

Result<Json> read_any_value(const Json& value, const std::string& path, int depth) {
  if (!value.is_object()) return malformed_at(path, "must be an AnyValue object");
  if (depth > kMaxAnyValueDepth)
    return malformed_at(path, "nests deeper than " + std::to_string(kMaxAnyValueDepth) + " levels");
  if (const Json* v = member(value, "stringValue")) {
    if (!v->is_string()) return malformed_at(at(path, "stringValue"), "must be a string");
    return *v;
  }
  if (const Json* v = member(value, "boolValue")) {
    if (!v->is_boolean()) return malformed_at(at(path, "boolValue"), "must be true or false");
    return *v;
  }
  if (const Json* v = member(value, "intValue")) {
    OPZ_TRY(int64_t n, read_int64(*v, at(path, "intValue")));
    return Json(n);
  }
  if (const Json* v = member(value, "doubleValue")) {
    OPZ_TRY(double d, read_double(*v, at(path, "doubleValue")));
    return double_json(d);
  }
  if (const Json* v = member(value, "bytesValue")) {
    if (!v->is_string()) return malformed_at(at(path, "bytesValue"), "must be a base64 string");
    return *v;
  }
  if (const Json* v = member(value, "arrayValue")) {
    const std::string field = at(path, "arrayValue");
    if (!v->is_object()) return malformed_at(field, "must be an object");
    Json out = Json::array();
    const Json* values = member(*v, "values");
    if (values == nullptr) return out;
    if (!values->is_array()) return malformed_at(at(field, "values"), "must be an array");
    for (size_t i = 0; i < values->size(); ++i) {
      OPZ_TRY(Json item, read_any_value((*values)[i], field + ".values[" + std::to_string(i) + "]",
                                        depth + 1));
      out.push_back(std::move(item));
    }
    return out;
  }
  if (const Json* v = member(value, "kvlistValue")) {
    const std::string field = at(path, "kvlistValue");
    if (!v->is_object()) return malformed_at(field, "must be an object");
    return read_attributes(*v, "values", field, depth + 1);
  }
  return Json(nullptr);
}

Result<Json> read_attributes(const Json& parent, std::string_view key, const std::string& path,
                             int depth) {
  Json out = Json::object();
  const Json* list = member(parent, key);
  if (list == nullptr) return out;
  auto field = [&] { return at(path, key); };
  if (!list->is_array()) return malformed_at(field(), "must be an array of {key, value}");
  for (size_t i = 0; i < list->size(); ++i) {
    const Json& kv = (*list)[i];
    // The item's path is built only for an error or a nested value (most
    // attributes are plain strings: no allocation for their path).
    auto item = [&] { return field() + "[" + std::to_string(i) + "]"; };
    if (!kv.is_object()) return malformed_at(item(), "must be an object {key, value}");
    const Json* k = member(kv, "key");
    if (k == nullptr || !k->is_string()) return malformed_at(item() + ".key", "must be a string");
    Json& slot = out[k->get<std::string>()];
    const Json* v = member(kv, "value");
    if (v == nullptr) {
      slot = nullptr;
    } else if (const Json* text = member(*v, "stringValue"); text && text->is_string()) {
      slot = *text;
    } else {
      OPZ_TRY(slot, read_any_value(*v, item() + ".value", depth));
    }
  }
  return out;
}

std::string unix_nanos_to_time(uint64_t nanos) {
  return format_time(from_unix_millis(static_cast<int64_t>(nanos / 1000000)));
}

}  // namespace opz::telemetry
