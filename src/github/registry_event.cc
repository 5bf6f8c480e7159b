#include "github/registry_event.h"

#include <cctype>

#include "core/ascii.h"

namespace opz::github {

namespace {

constexpr size_t kMaxRepository = 255;
constexpr size_t kMaxTag = 128;
constexpr size_t kMaxUrl = 2048;

bool is_hex(std::string_view s) {
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return !s.empty();
}

// "algorithm:encoded" (OCI image spec); sha256 needs 64 lower-case hex digits.
bool valid_digest(std::string_view d) {
  const size_t colon = d.find(':');
  if (colon == std::string_view::npos || colon == 0 || d.size() > 256) return false;
  const std::string_view algorithm = d.substr(0, colon), encoded = d.substr(colon + 1);
  for (char c : algorithm)
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '.' || c == '_' ||
          c == '-'))
      return false;
  if (algorithm == "sha256") {
    if (encoded.size() != 64 || !is_hex(encoded)) return false;
    for (char c : encoded)
      if (std::isupper(static_cast<unsigned char>(c))) return false;
    return true;
  }
  if (encoded.size() < 32) return false;
  for (char c : encoded)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '=' || c == '_' || c == '-'))
      return false;
  return true;
}

bool valid_tag(std::string_view t) {
  if (t.empty() || t.size() > kMaxTag || t[0] == '.' || t[0] == '-') return false;
  for (char c : t)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-'))
      return false;
  return true;
}

bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// One path component: [a-z0-9]+ ((\.|_|__|-+)[a-z0-9]+)*
bool valid_component(std::string_view c) {
  size_t i = 0;
  while (true) {
    const size_t run = i;
    while (i < c.size() && lower_alnum(c[i])) ++i;
    if (i == run) return false;  // a separator must sit between alphanumerics
    if (i == c.size()) return true;
    const size_t sep = i;
    while (i < c.size() && !lower_alnum(c[i])) ++i;
    const std::string_view s = c.substr(sep, i - sep);
    const bool dashes = s.find_first_not_of('-') == std::string_view::npos;
    if (!(s == "." || s == "_" || s == "__" || dashes)) return false;
  }
}

// Components joined by '/' (the distribution spec's repository name).
bool valid_repository(std::string_view r) {
  if (r.empty() || r.size() > kMaxRepository) return false;
  size_t start = 0;
  while (true) {
    const size_t slash = r.find('/', start);
    if (!valid_component(r.substr(start, slash - start))) return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

// Reads members of one JSON object, naming them by their path in errors.
class Fields {
 public:
  Fields(const Json& object, std::string path) : object_(object), path_(std::move(path)) {}

  std::string at(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  const Json* get(std::string_view key) const {
    if (!object_.is_object()) return nullptr;
    auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }
  Result<Fields> object(std::string_view key) const {
    const Json* v = get(key);
    if (!v || !v->is_object()) return Error::validation(at(key) + " must be an object", at(key));
    return Fields(*v, at(key));
  }
  // Absent or null: nullopt; anything but a string: an error.
  Result<std::optional<std::string>> text(std::string_view key, size_t max_len) const {
    const Json* v = get(key);
    if (!v) return std::optional<std::string>();
    if (!v->is_string()) return Error::validation(at(key) + " must be a string", at(key));
    const std::string& s = v->get_ref<const std::string&>();
    if (s.size() > max_len || find_ascii_control(s) != std::string_view::npos)
      return Error::validation(
          at(key) + " must be printable text of at most " + std::to_string(max_len) + " characters",
          at(key));
    return std::optional<std::string>(s);
  }
  Result<std::string> required(std::string_view key, size_t max_len) const {
    OPZ_TRY(auto s, text(key, max_len));
    if (!s || s->empty()) return Error::validation(at(key) + " is required", at(key));
    return *s;
  }
  Result<std::string> digest(std::string_view key) const {
    OPZ_TRY(std::string d, required(key, 256));
    if (!valid_digest(d))
      return Error::validation(at(key) + " must be a digest like sha256:<64 lower-case hex digits>",
                               at(key));
    return d;
  }
  // Absent or "": no tag.
  Result<std::string> tag(std::string_view key) const {
    OPZ_TRY(auto t, text(key, kMaxTag));
    if (!t || t->empty()) return std::string();
    if (!valid_tag(*t))
      return Error::validation(at(key) +
                                   " must be a tag of letters, digits, '_', '.' and '-' "
                                   "(at most 128, not starting with '.' or '-')",
                               at(key));
    return *t;
  }
  Result<std::string> repository(std::string_view key) const {
    OPZ_TRY(std::string r, required(key, kMaxRepository));
    if (!valid_repository(r))
      return Error::validation(at(key) +
                                   " must be a repository name: lower-case letters and "
                                   "digits separated by '.', '_', '-' or '/'",
                               at(key));
    return r;
  }
  Result<std::optional<int64_t>> size(std::string_view key) const {
    const Json* v = get(key);
    if (!v) return std::optional<int64_t>();
    if (!v->is_number_integer() || v->get<int64_t>() < 0)
      return Error::validation(at(key) + " must be a non-negative integer", at(key));
    return std::optional<int64_t>(v->get<int64_t>());
  }

 private:
  const Json& object_;
  std::string path_;
};

// "scheme://host[:port]" of a URL, or "" when it has none.
std::string origin_of(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  const size_t end = url.find_first_of("/?#", scheme + 3);
  return std::string(url.substr(0, end));
}

bool is_manifest(std::string_view media_type) {
  return media_type.empty() || media_type.find("manifest") != std::string_view::npos ||
         media_type.find("image.index") != std::string_view::npos;
}

Result<Json> parse_object(std::string_view body) {
  OPZ_TRY(Json json, parse_json(body));
  if (!json.is_object()) return Error::validation("the body must be a JSON object", "body");
  return json;
}

Result<std::optional<RegistryPush>> docker_event(const Json& event, const std::string& at,
                                                 std::vector<std::string>& ignored) {
  if (!event.is_object()) return Error::validation(at + " must be an object", at);
  Fields e(event, at);
  OPZ_TRY(std::string action, e.required("action", 64));
  if (action != "push") {
    ignored.push_back(at + ": action '" + action + "' is not a push");
    return std::optional<RegistryPush>();
  }
  OPZ_TRY(Fields target, e.object("target"));
  OPZ_TRY(auto media_type, target.text("mediaType", 256));
  RegistryPush p;
  OPZ_TRY(p.repository, target.repository("repository"));
  OPZ_TRY(p.digest, target.digest("digest"));
  if (!is_manifest(media_type.value_or(""))) {
    ignored.push_back(at + ": a blob (" + *media_type + "), not an image manifest");
    return std::optional<RegistryPush>();
  }
  OPZ_TRY(p.tag, target.tag("tag"));
  OPZ_TRY(p.size_bytes, target.size("size"));
  OPZ_TRY(auto url, target.text("url", kMaxUrl));
  p.registry_url = origin_of(url.value_or(""));
  if (const Json* request = e.get("request"); request && request->is_object()) {
    OPZ_TRY(auto host, Fields(*request, at + ".request").text("host", 256));
    if (p.registry_url.empty() && host) p.registry_url = *host;
  }
  if (const Json* source = e.get("source"); source && source->is_object()) {
    Fields s(*source, at + ".source");
    OPZ_TRY(auto addr, s.text("addr", 256));
    OPZ_TRY(auto instance, s.text("instanceID", 128));
    if (p.registry_url.empty() && addr) p.registry_url = *addr;
    if (instance) p.metadata["registry_instance"] = *instance;
  }
  OPZ_TRY(auto id, e.text("id", 128));
  OPZ_TRY(auto timestamp, e.text("timestamp", 64));
  if (id) p.metadata["event_id"] = *id;
  if (timestamp) p.metadata["pushed_at"] = *timestamp;
  if (media_type) p.metadata["media_type"] = *media_type;
  if (const Json* actor = e.get("actor"); actor && actor->is_object()) {
    OPZ_TRY(auto name, Fields(*actor, at + ".actor").text("name", 256));
    if (name) p.metadata["pushed_by"] = *name;
  }
  p.revision = revision_from(p.tag);
  p.metadata["source"] = "docker-registry";
  return std::optional<RegistryPush>(std::move(p));
}

}  // namespace

std::string revision_from(std::string_view text) {
  if (text.rfind("sha-", 0) == 0) text.remove_prefix(4);
  if (text.size() < 7 || text.size() > 40 || !is_hex(text)) return "";
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Result<RegistryNotification> parse_docker_notification(std::string_view body) {
  OPZ_TRY(Json json, parse_object(body));
  auto events = json.find("events");
  if (events == json.end() || !events->is_array())
    return Error::validation("events must be an array", "events");
  if (events->size() > kMaxRegistryEvents)
    return Error::validation(
        "at most " + std::to_string(kMaxRegistryEvents) + " events per notification", "events");
  RegistryNotification out;
  for (size_t i = 0; i < events->size(); ++i) {
    OPZ_TRY(auto push,
            docker_event((*events)[i], "events[" + std::to_string(i) + "]", out.ignored));
    if (push) out.pushes.push_back(std::move(*push));
  }
  return out;
}

Result<PackageEvent> parse_ghcr_package_event(std::string_view body) {
  OPZ_TRY(Json json, parse_object(body));
  Fields root(json, "");
  PackageEvent out;
  OPZ_TRY(Fields repository, root.object("repository"));
  OPZ_TRY(out.repository_full_name, repository.required("full_name", 256));
  OPZ_TRY(std::string action, root.required("action", 64));
  OPZ_TRY(Fields package, root.object("package"));
  OPZ_TRY(std::string name, package.required("name", kMaxRepository));
  OPZ_TRY(std::string type, package.required("package_type", 64));
  std::string lower = type;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (action != "published") {
    out.notification.ignored.push_back("action '" + action + "' is not a publish");
    return out;
  }
  if (lower != "container" && lower != "docker") {
    out.notification.ignored.push_back("package type '" + type + "' is not a container image");
    return out;
  }
  OPZ_TRY(Fields version, package.object("package_version"));
  OPZ_TRY(Fields container, version.object("container_metadata"));
  OPZ_TRY(Fields tag, container.object("tag"));
  RegistryPush p;
  OPZ_TRY(p.digest, tag.digest("digest"));
  OPZ_TRY(p.tag, tag.tag("name"));
  std::string owner;
  if (const Json* o = package.get("owner"); o && o->is_object()) {
    OPZ_TRY(auto login, Fields(*o, package.at("owner")).text("login", 128));
    owner = login.value_or("");
  }
  std::string repo = owner.empty() ? name : owner + "/" + name;
  for (char& c : repo) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!valid_repository(repo))
    return Error::validation(package.at("name") +
                                 " must be a container package name: letters, "
                                 "digits, '.', '_', '-'",
                             package.at("name"));
  p.repository = repo;
  p.registry_url = "https://ghcr.io";
  if (const Json* registry = package.get("registry"); registry && registry->is_object()) {
    OPZ_TRY(auto url, Fields(*registry, package.at("registry")).text("url", kMaxUrl));
    const std::string origin = origin_of(url.value_or(""));
    if (!origin.empty()) p.registry_url = origin;
  }
  if (const Json* labels = container.get("labels"); labels && labels->is_object()) {
    for (const char* key : {"org.opencontainers.image.revision", "revision"}) {
      auto it = labels->find(key);
      if (it != labels->end() && it->is_string() && p.revision.empty())
        p.revision = revision_from(it->get<std::string>());
    }
  }
  OPZ_TRY(auto target_oid, version.text("target_oid", 64));
  if (p.revision.empty() && target_oid) p.revision = revision_from(*target_oid);
  if (p.revision.empty()) p.revision = revision_from(p.tag);
  if (const Json* id = version.get("id"); id && id->is_number_integer())
    p.metadata["package_version_id"] = id->get<int64_t>();
  OPZ_TRY(auto package_url, version.text("package_url", kMaxUrl));
  if (package_url) p.metadata["package_url"] = *package_url;
  p.metadata["repository_full_name"] = out.repository_full_name;
  p.metadata["source"] = "ghcr";
  out.notification.pushes.push_back(std::move(p));
  return out;
}

}  // namespace opz::github
