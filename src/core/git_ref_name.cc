#include "core/git_ref_name.h"

#include <cstdio>

namespace opz {

namespace {

Status refuse(std::string_view name, const std::string& field, std::string_view why) {
  return Error::validation(
      "'" + printable(name) + "' is not a valid git ref name: " + std::string(why), field);
}

// The first byte git refuses anywhere in a ref, or npos.
size_t forbidden_byte_at(std::string_view ref) {
  for (size_t i = 0; i < ref.size(); ++i) {
    const auto c = static_cast<unsigned char>(ref[i]);
    if (c < 0x20 || c == 0x7f || c == ' ' || c == '~' || c == '^' || c == ':' || c == '?' ||
        c == '*' || c == '[' || c == '\\')
      return i;
  }
  return std::string_view::npos;
}

std::string describe_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u == ' ') return "a space";
  if (u < 0x20 || u == 0x7f) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "the control character 0x%02x", u);
    return buf;
  }
  return std::string("'") + c + "'";
}

Status check_short(std::string_view name, std::string_view prefix, const std::string& field) {
  if (name.empty()) return Error::validation("a git ref name must not be empty", field);
  if (name.front() == '-') return refuse(name, field, "it starts with '-'");
  std::string full(prefix);
  full.append(name);
  Status st = check_ref_format(full, field);
  if (!st.ok()) {
    // Quote the name the caller gave, not the prefixed one.
    Error e = st.error();
    const std::string quoted_full = "'" + printable(full) + "'";
    if (size_t at = e.message.find(quoted_full); at == 0)
      e.message.replace(0, quoted_full.size(), "'" + printable(name) + "'");
    return e;
  }
  return ok_status();
}

}  // namespace

std::string printable(std::string_view text, size_t max) {
  std::string out;
  const size_t n = text.size() < max ? text.size() : max;
  for (size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\\' || c == '\'') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f || c >= 0x80) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > max) out += "...";
  return out;
}

std::string_view ref_type_name(RefType type) {
  switch (type) {
    case RefType::kBranch:
      return "branch";
    case RefType::kTag:
      return "tag";
    case RefType::kOther:
      return "other";
  }
  return "other";
}

Result<RefType> parse_ref_type(std::string_view text) {
  if (text == "branch") return RefType::kBranch;
  if (text == "tag") return RefType::kTag;
  return Error::validation("ref type must be 'branch' or 'tag', got '" + printable(text) + "'",
                           "ref_type");
}

GitRef parse_git_ref(std::string_view ref) {
  GitRef out;
  out.full = std::string(ref);
  if (ref.starts_with(kBranchRefPrefix)) {
    out.type = RefType::kBranch;
    out.short_name = std::string(ref.substr(kBranchRefPrefix.size()));
  } else if (ref.starts_with(kTagRefPrefix)) {
    out.type = RefType::kTag;
    out.short_name = std::string(ref.substr(kTagRefPrefix.size()));
  } else if (ref.starts_with("refs/")) {
    out.type = RefType::kOther;
    out.short_name = std::string(ref);
  } else {
    out.type = RefType::kBranch;
    out.short_name = std::string(ref);
    out.full = std::string(kBranchRefPrefix) + out.short_name;
  }
  if (out.short_name.empty()) {
    out.type = RefType::kOther;
    out.full = std::string(ref);
  }
  return out;
}

Status check_ref_format(std::string_view ref, const std::string& field) {
  if (ref.empty()) return Error::validation("a git ref name must not be empty", field);
  if (ref.size() > kMaxRefNameBytes)
    return refuse(ref, field,
                  "it is longer than " + std::to_string(kMaxRefNameBytes) + " bytes");
  if (ref == "@") return refuse(ref, field, "it is the single character '@'");
  if (size_t at = forbidden_byte_at(ref); at != std::string_view::npos)
    return refuse(ref, field, "it contains " + describe_byte(ref[at]));
  if (ref.find("..") != std::string_view::npos) return refuse(ref, field, "it contains '..'");
  if (ref.find("@{") != std::string_view::npos) return refuse(ref, field, "it contains '@{'");
  if (ref.back() == '.') return refuse(ref, field, "it ends with '.'");
  if (ref.front() == '/' || ref.back() == '/')
    return refuse(ref, field, "it starts or ends with '/'");
  size_t components = 0;
  size_t start = 0;
  while (start <= ref.size()) {
    size_t end = ref.find('/', start);
    if (end == std::string_view::npos) end = ref.size();
    std::string_view component = ref.substr(start, end - start);
    if (component.empty()) return refuse(ref, field, "it contains '//'");
    if (component.front() == '.')
      return refuse(ref, field, "a component starts with '.'");
    if (component.ends_with(".lock"))
      return refuse(ref, field, "a component ends with '.lock'");
    ++components;
    start = end + 1;
  }
  if (components < 2) return refuse(ref, field, "it has no '/' (not a qualified ref)");
  return ok_status();
}

Status check_branch_name(std::string_view branch, const std::string& field) {
  if (branch == "HEAD") return refuse(branch, field, "'HEAD' is not a branch name");
  return check_short(branch, "refs/heads/", field);
}

Status check_tag_name(std::string_view tag, const std::string& field) {
  return check_short(tag, "refs/tags/", field);
}

}  // namespace opz
