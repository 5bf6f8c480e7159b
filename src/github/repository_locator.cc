#include "github/repository_locator.h"

namespace opz::github {
namespace {

constexpr std::string_view kField = "repository.full_name";
constexpr size_t kMaxPartLength = 100;

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

Status check_part(std::string_view full_name, std::string_view part, std::string_view what) {
  auto bad = [&](const std::string& why) {
    return Error::validation(
        "repository full name '" + std::string(full_name) + "': " + std::string(what) + " " + why,
        std::string(kField));
  };
  if (part.empty()) return bad("is empty");
  if (part.size() > kMaxPartLength) return bad("is longer than 100 characters");
  if (part == "." || part == "..") return bad("cannot be '.' or '..'");
  for (char c : part) {
    if (!name_char(c)) return bad("may only contain letters, digits, '_', '.' and '-'");
  }
  return ok_status();
}

}  // namespace

Status check_full_name(std::string_view full_name) {
  size_t slash = full_name.find('/');
  if (slash == std::string_view::npos) {
    return Error::validation(
        "repository full name '" + std::string(full_name) + "' must look like 'owner/name'",
        std::string(kField));
  }
  OPZ_TRY_STATUS(check_part(full_name, full_name.substr(0, slash), "owner"));
  return check_part(full_name, full_name.substr(slash + 1), "name");
}

Result<std::string> repository_full_name(const Json& body) {
  if (!body.is_object()) {
    return Error::validation(
        std::string("webhook payload must be a JSON object, got ") + body.type_name(), "");
  }
  auto repo = body.find("repository");
  if (repo == body.end() || !repo->is_object()) {
    return Error::validation("webhook payload has no 'repository' object", "repository");
  }
  auto name = repo->find("full_name");
  if (name == repo->end() || !name->is_string()) {
    return Error::validation("webhook payload has no string 'repository.full_name'",
                             std::string(kField));
  }
  std::string full_name = name->get<std::string>();
  OPZ_TRY_STATUS(check_full_name(full_name));
  return full_name;
}

Result<std::string> extract_repository_full_name(std::string_view raw_body, size_t max_bytes) {
  if (raw_body.size() > max_bytes) {
    return Error::too_large("webhook payload is " + std::to_string(raw_body.size()) +
                            " bytes, over the limit of " + std::to_string(max_bytes));
  }
  OPZ_TRY(Json body, parse_json(raw_body));
  return repository_full_name(body);
}

}  // namespace opz::github
