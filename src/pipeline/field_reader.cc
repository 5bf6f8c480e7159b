#include "pipeline/field_reader.h"

#include <algorithm>
#include <limits>
#include <vector>

#include "core/quantity.h"
#include "pipeline/limits.h"

namespace opz::pipeline {
namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string quoted_excerpt(std::string_view text) {
  constexpr size_t kMax = 40;
  std::string out = "'" + std::string(text.substr(0, kMax));
  if (text.size() > kMax) out += "...";
  return out + "'";
}

}  // namespace

std::string_view json_kind(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "an empty value";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::array:
      return "a list";
    case Json::value_t::object:
      return "a map";
    default:
      return "a number";
  }
}

std::optional<std::string> read_string(const Json& value, const std::string& path,
                                       Diagnostics& diag, size_t max_bytes, bool allow_empty) {
  if (!value.is_string()) {
    diag.report(path, "must be a string, got " + std::string(json_kind(value)));
    return std::nullopt;
  }
  const std::string& text = value.get_ref<const std::string&>();
  if (text.empty() && !allow_empty) {
    diag.report(path, "must not be empty");
    return std::nullopt;
  }
  if (text.size() > max_bytes) {
    diag.report(path, "is " + std::to_string(text.size()) + " bytes long; the limit is " +
                          std::to_string(max_bytes));
    return std::nullopt;
  }
  if (text.find('\0') != std::string::npos) {
    diag.report(path, "must not contain NUL characters");
    return std::nullopt;
  }
  return text;
}

std::optional<bool> read_bool(const Json& value, const std::string& path, Diagnostics& diag) {
  if (!value.is_boolean()) {
    diag.report(path, "must be true or false, got " + std::string(json_kind(value)));
    return std::nullopt;
  }
  return value.get<bool>();
}

std::optional<int64_t> read_int(const Json& value, const std::string& path, Diagnostics& diag,
                                int64_t min, int64_t max) {
  std::string range = "an integer between " + std::to_string(min) + " and " + std::to_string(max);
  if (!value.is_number_integer()) {
    diag.report(path, "must be " + range + ", got " + std::string(json_kind(value)));
    return std::nullopt;
  }
  bool too_big = value.is_number_unsigned() &&
                 value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  int64_t n = too_big ? std::numeric_limits<int64_t>::max() : value.get<int64_t>();
  if (n < min || n > max) {
    diag.report(path, "must be " + range + ", got " + std::to_string(n));
    return std::nullopt;
  }
  return n;
}

std::optional<Millis> read_duration(const Json& value, const std::string& path, Diagnostics& diag,
                                    Millis min, Millis max) {
  std::string text;
  if (value.is_string()) {
    text = value.get<std::string>();
  } else if (value.is_number_integer()) {
    text = diag.source().scalar_text(path).value_or(value.dump());
  } else {
    diag.report(
        path, "must be a duration such as 30s, 5m or 1h30m, got " + std::string(json_kind(value)));
    return std::nullopt;
  }
  Result<Millis> parsed = parse_duration(text);
  if (!parsed) {
    diag.report(path, parsed.error().message);
    return std::nullopt;
  }
  if (*parsed < min || *parsed > max) {
    diag.report(path, "must be between " + format_duration(min) + " and " + format_duration(max) +
                          ", got " + quoted_excerpt(text));
    return std::nullopt;
  }
  return *parsed;
}

std::optional<std::map<std::string, std::string>> read_env(const Json& value,
                                                           const std::string& path,
                                                           Diagnostics& diag) {
  if (value.is_null()) return std::map<std::string, std::string>{};
  if (!expect_map(value, path, diag)) return std::nullopt;
  std::map<std::string, std::string> env;
  bool ok = true;
  for (auto it = value.begin(); it != value.end(); ++it) {
    std::string entry = child_path(path, it.key());
    if (!is_valid_env_name(it.key())) {
      diag.report(entry,
                  "not a valid environment variable name (letters, digits and _, "
                  "not starting with a digit, at most 128 characters)",
                  true);
      ok = false;
      continue;
    }
    const Json& v = it.value();
    std::optional<std::string> text;
    if (v.is_null()) {
      text = "";
    } else if (v.is_string()) {
      text = read_string(v, entry, diag, kMaxEnvValueBytes, true);
    } else if (v.is_boolean() || v.is_number()) {
      text = diag.source().scalar_text(entry).value_or(v.dump());
    } else {
      diag.report(entry, "must be a string, number or boolean, got " + std::string(json_kind(v)));
    }
    if (!text) {
      ok = false;
      continue;
    }
    env.emplace(it.key(), std::move(*text));
  }
  if (!ok) return std::nullopt;
  return env;
}

bool expect_map(const Json& value, const std::string& path, Diagnostics& diag) {
  if (value.is_object()) return true;
  diag.report(path, "must be a map, got " + std::string(json_kind(value)));
  return false;
}

void check_keys(const Json& object, const std::string& path,
                std::span<const std::string_view> allowed, Diagnostics& diag) {
  for (const std::string& key : diag.source().keys_in_order(path, object)) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string message = path.empty() ? "unknown top-level key " + quoted_excerpt(key)
                                       : path + ": unknown key " + quoted_excerpt(key);
    for (std::string_view candidate : allowed) {
      if (edit_distance(key, candidate) <= 2) {
        message += " (did you mean '" + std::string(candidate) + "'?)";
        break;
      }
    }
    message += "; allowed keys: ";
    for (size_t i = 0; i < allowed.size(); ++i) {
      if (i > 0) message += ", ";
      message += allowed[i];
    }
    diag.report_message(child_path(path, key), true, std::move(message));
  }
}

}  // namespace opz::pipeline
