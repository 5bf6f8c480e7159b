#include "engine/node_outputs.h"

#include <charconv>
#include <fstream>
#include <sstream>

namespace opz::engine {

Result<runner::OutputValues> read_output_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return runner::OutputValues{};
  std::string text;
  char buf[8192];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxOutputFileBytes)
      return Error::too_large("output file is larger than 1 MiB");
  }
  auto values = runner::parse_output_file(text);
  if (!values) return Error::validation("output file " + values.error().message, "outputs");
  return std::move(values).value();
}

namespace {

bool is_field_name(std::string_view f) {
  return f == "name" || f == "image_digest" || f == "image_tag" || f == "registry_url" ||
         f == "type" || f == "size_bytes";
}

// "[registry/]repository[:tag][@digest]"
void apply_reference(ArtifactSpec& a, const std::string& reference) {
  std::string ref = reference;
  size_t at = ref.find('@');
  if (at != std::string::npos) {
    a.image_digest = ref.substr(at + 1);
    ref.resize(at);
  }
  size_t slash = ref.rfind('/');
  size_t colon = ref.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    a.image_tag = ref.substr(colon + 1);
    ref.resize(colon);
  }
  a.registry_url = ref;
  a.metadata["reference"] = reference;
}

}  // namespace

Result<std::vector<ArtifactSpec>> artifacts_from_outputs(const runner::OutputValues& outputs,
                                                         const std::string& node_id) {
  std::vector<ArtifactSpec> out;
  std::optional<size_t> flat;  // index of the flat-form artifact
  auto find_or_add = [&](const std::string& name) -> ArtifactSpec& {
    for (ArtifactSpec& a : out)
      if (a.name == name) return a;
    out.push_back(ArtifactSpec{});
    out.back().name = name;
    return out.back();
  };
  for (const auto& [key, value] : outputs) {
    if (key.rfind("artifact.", 0) != 0) continue;
    std::string rest = key.substr(9);
    size_t last = rest.rfind('.');
    ArtifactSpec* a = nullptr;
    std::string field;
    if (last == std::string::npos && !is_field_name(rest)) {  // artifact.<name>=<reference>
      if (rest.empty()) return Error::validation("output " + key + " names no artifact", key);
      apply_reference(find_or_add(rest), value);
      continue;
    }
    if (last == std::string::npos) {  // flat form
      if (!flat) {
        out.push_back(ArtifactSpec{});
        out.back().name = node_id;
        flat = out.size() - 1;
      }
      a = &out[*flat];
      field = rest;
      if (field == "name") {
        if (value.empty()) return Error::validation("output " + key + " must not be empty", key);
        a->name = value;
        continue;
      }
    } else {
      std::string name = rest.substr(0, last);
      if (name.empty()) return Error::validation("output " + key + " names no artifact", key);
      field = rest.substr(last + 1);
      a = &find_or_add(name);
    }
    if (field == "image_digest") {
      a->image_digest = value;
    } else if (field == "image_tag") {
      a->image_tag = value;
    } else if (field == "registry_url") {
      a->registry_url = value;
    } else if (field == "type") {
      a->type = value;
    } else if (field == "size_bytes") {
      int64_t n = -1;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || p != value.data() + value.size() || n < 0)
        return Error::validation("output " + key + " must be a non-negative integer", key);
      a->size_bytes = n;
    } else {
      a->metadata[field] = value;
    }
  }
  return out;
}

Json outputs_to_json(const runner::OutputValues& outputs) {
  Json j = Json::object();
  for (const auto& [k, v] : outputs) j[k] = v;
  return j;
}

runner::OutputValues outputs_from_json(const Json& json) {
  runner::OutputValues out;
  if (!json.is_object()) return out;
  for (auto it = json.begin(); it != json.end(); ++it)
    if (it->is_string()) out.emplace_back(it.key(), it->get<std::string>());
  return out;
}

}  // namespace opz::engine
