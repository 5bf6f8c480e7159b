#include "github/payload_reader.h"

#include <cstdint>

namespace opz::github {

const Json* PayloadReader::find(std::string_view path) const {
  const Json* node = &root_;
  while (true) {
    if (!node->is_object()) return nullptr;
    size_t dot = path.find('.');
    std::string_view key = path.substr(0, dot);
    auto it = node->find(key);
    if (it == node->end() || it->is_null()) return nullptr;
    node = &*it;
    if (dot == std::string_view::npos) return node;
    path.remove_prefix(dot + 1);
  }
}

Error PayloadReader::missing(std::string_view path) const {
  return Error::validation(context_ + ": missing required field '" + std::string(path) + "'",
                           std::string(path));
}

Error PayloadReader::wrong_type(std::string_view path, std::string_view expected,
                                const Json& got) const {
  return Error::validation(context_ + ": field '" + std::string(path) + "' must be " +
                               std::string(expected) + ", got " + got.type_name(),
                           std::string(path));
}

Result<std::string> PayloadReader::required_string(std::string_view path) const {
  const Json* v = find(path);
  if (!v) return missing(path);
  if (!v->is_string()) return wrong_type(path, "a string", *v);
  return v->get<std::string>();
}

Result<std::string> PayloadReader::optional_string(std::string_view path) const {
  const Json* v = find(path);
  if (!v) return std::string();
  if (!v->is_string()) return wrong_type(path, "a string", *v);
  return v->get<std::string>();
}

Result<int64_t> PayloadReader::required_int(std::string_view path) const {
  const Json* v = find(path);
  if (!v) return missing(path);
  if (v->is_number_unsigned()) {
    auto u = v->get<uint64_t>();
    if (u > static_cast<uint64_t>(INT64_MAX)) return wrong_type(path, "an integer in range", *v);
    return static_cast<int64_t>(u);
  }
  if (!v->is_number_integer()) return wrong_type(path, "an integer", *v);
  return v->get<int64_t>();
}

Result<int64_t> PayloadReader::optional_int(std::string_view path) const {
  if (!find(path)) return int64_t{0};
  return required_int(path);
}

Result<std::string> PayloadReader::optional_id(std::string_view path) const {
  const Json* v = find(path);
  if (!v) return std::string();
  if (v->is_number_unsigned()) return std::to_string(v->get<uint64_t>());
  if (v->is_number_integer() && v->get<int64_t>() >= 0) return std::to_string(v->get<int64_t>());
  return wrong_type(path, "a non-negative integer below 2^64", *v);
}

Result<bool> PayloadReader::optional_bool(std::string_view path) const {
  const Json* v = find(path);
  if (!v) return false;
  if (!v->is_boolean()) return wrong_type(path, "a boolean", *v);
  return v->get<bool>();
}

bool PayloadReader::has_object(std::string_view path) const {
  const Json* v = find(path);
  return v && v->is_object();
}

Result<size_t> PayloadReader::array_size(std::string_view path) const {
  const Json* v = find(path);
  if (!v) return size_t{0};
  if (!v->is_array()) return wrong_type(path, "an array", *v);
  return v->size();
}

}  // namespace opz::github
