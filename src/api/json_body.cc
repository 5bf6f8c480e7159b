#include "api/json_body.h"

#include "core/ascii.h"
#include "core/git_ref_name.h"
#include "core/ids.h"
#include "http/media_type.h"

namespace opz::api {

namespace {
std::string json_type_name(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "an integer";
    case Json::value_t::number_float: return "a number";
    case Json::value_t::string: return "a string";
    case Json::value_t::array: return "an array";
    case Json::value_t::object: return "an object";
    default: return "an unsupported value";
  }
}
}  // namespace

Result<Json> parse_json_body(const http::Request& req, BodyPolicy policy, bool allow_empty) {
  std::string_view ct = req.header("Content-Type");
  // The seeds' curl examples send no Content-Type, or curl's default form
  // type, with a JSON body: accepted on the /functions/v1/ aliases only.
  const bool lenient = policy == BodyPolicy::kLenientSeedAlias &&
                       (ct.empty() || http::is_form_media_type(ct));
  const bool bodiless = req.body.empty() && allow_empty;
  if (!lenient && !bodiless && !http::is_json_media_type(ct)) {
    return Error::unsupported_media(
        ct.empty() ? std::string("Content-Type is missing: send application/json")
                   : "Content-Type must be application/json (optionally with charset=utf-8), got '" +
                         printable(ct, 100) + "'");
  }
  if (req.body.empty()) {
    if (allow_empty) return Json::object();
    return Error::malformed("request body is empty: a JSON object is required", "body");
  }
  return parse_json(req.body);
}

FieldReader::FieldReader(const Json& object, std::string path_prefix)
    : obj_(object), prefix_(std::move(path_prefix)) {}

std::string FieldReader::path(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

Status FieldReader::expect_object() const {
  if (!obj_.is_object())
    return Error::validation("expected a JSON object, got " + json_type_name(obj_),
                             prefix_.empty() ? "body" : prefix_);
  return {};
}

Status FieldReader::reject_unknown(std::initializer_list<std::string_view> allowed) const {
  OPZ_TRY_STATUS(expect_object());
  for (auto it = obj_.begin(); it != obj_.end(); ++it) {
    bool known = false;
    for (auto a : allowed) known = known || it.key() == a;
    if (!known) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return Error::validation("unknown field '" + it.key() + "' (allowed: " + list + ")",
                               path(it.key()));
    }
  }
  return {};
}

const Json* FieldReader::get(std::string_view key) const {
  if (!obj_.is_object()) return nullptr;
  auto it = obj_.find(key);
  return it == obj_.end() ? nullptr : &*it;
}

Result<std::optional<std::string>> FieldReader::optional_string(std::string_view key,
                                                                size_t max_len) const {
  const Json* v = get(key);
  if (!v || v->is_null()) return std::optional<std::string>();
  if (!v->is_string())
    return Error::validation("'" + path(key) + "' must be a string, got " + json_type_name(*v),
                             path(key));
  const auto& s = v->get_ref<const std::string&>();
  if (s.size() > max_len)
    return Error::validation("'" + path(key) + "' is longer than " + std::to_string(max_len) +
                                 " characters",
                             path(key));
  return std::optional<std::string>(s);
}

Result<std::string> FieldReader::required_string(std::string_view key, size_t max_len) const {
  OPZ_TRY(std::optional<std::string> s, optional_string(key, max_len));
  if (!s || s->empty()) return Error::validation("'" + path(key) + "' is required", path(key));
  return *s;
}

Result<std::optional<int64_t>> FieldReader::optional_int(std::string_view key, int64_t min,
                                                         int64_t max) const {
  const Json* v = get(key);
  if (!v || v->is_null()) return std::optional<int64_t>();
  if (!v->is_number_integer())
    return Error::validation("'" + path(key) + "' must be an integer, got " + json_type_name(*v),
                             path(key));
  int64_t n = v->get<int64_t>();
  if (n < min || n > max)
    return Error::validation("'" + path(key) + "' must be between " + std::to_string(min) +
                                 " and " + std::to_string(max),
                             path(key));
  return std::optional<int64_t>(n);
}

Result<std::optional<bool>> FieldReader::optional_bool(std::string_view key) const {
  const Json* v = get(key);
  if (!v || v->is_null()) return std::optional<bool>();
  if (!v->is_boolean())
    return Error::validation("'" + path(key) + "' must be true or false, got " + json_type_name(*v),
                             path(key));
  return std::optional<bool>(v->get<bool>());
}

Status check_one_of(std::string_view field, std::string_view value,
                    std::initializer_list<std::string_view> allowed) {
  for (auto a : allowed)
    if (a == value) return {};
  std::string list;
  for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  return Error::validation("'" + std::string(field) + "' must be one of " + list + ", got '" +
                               std::string(value.substr(0, 64)) + "'",
                           std::string(field));
}

Status check_printable(std::string_view value, std::string_view field) {
  const size_t i = find_ascii_control(value);
  if (i == std::string_view::npos) return {};
  return Error::validation("'" + std::string(field) + "' must not contain control characters ('" +
                               printable(value, 64) + "' has one at byte " + std::to_string(i) +
                               ")",
                           std::string(field));
}

Status check_id(std::string_view id, std::string_view what) {
  if (!is_uuid(id))
    return Error::not_found("no " + std::string(what) + " with id '" +
                            std::string(id.substr(0, 64)) + "'");
  return {};
}

}  // namespace opz::api
