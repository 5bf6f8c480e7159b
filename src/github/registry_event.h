// Registry push notifications (issue 12, /functions/v1/artifact-webhook): the
// two body shapes a container registry sends when an image is pushed, read
// into the artifacts to register. Pure: no I/O, no authentication (the caller
// checks the sender before acting on anything parsed here).
//
// Docker Registry v2 notifications (Content-Type
// application/vnd.docker.distribution.events.v1+json):
//   {"events": [{"id", "timestamp", "action": "push"|"pull"|"delete"|...,
//                "target": {"mediaType", "size", "digest", "repository", "url", "tag"},
//                "request": {"host", ...}, "actor": {...}, "source": {"addr", "instanceID"}}]}
// Every event of a push of an image manifest (or index) becomes one push;
// other actions and blob (layer) pushes are ignored, each with a reason.
//
// GHCR `package` events (a GitHub webhook, X-GitHub-Event: package):
//   {"action": "published", "package": {"name", "package_type": "container",
//    "owner": {"login"}, "registry": {"url"}, "package_version": {
//    "container_metadata": {"tag": {"name", "digest"}, "labels": {...}},
//    "target_oid"?}}, "repository": {"full_name"}}
// Non-"published" actions and non-container packages are ignored with a reason.
//
// Bad shape: kValidation whose field is the JSON path of the offending member
// (`events[2].target.digest`, `package.package_version.container_metadata.tag.digest`);
// a body that is not JSON: kMalformed. Digests are `algorithm:hex` (sha256 has
// 64 hex digits), tags follow the distribution spec ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}),
// repositories are lower-case path components ([a-z0-9]+ separated by '.', '_',
// '__', '-' or '/'), at most 255 characters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace opz::github {

inline constexpr std::string_view kDockerEventsMediaType =
    "application/vnd.docker.distribution.events.v1+json";

// One pushed image to register as an artifact.
struct RegistryPush {
  std::string repository;    // "library/app", "acme/app"
  std::string digest;        // "sha256:<64 hex>"
  std::string tag;           // "" when the push had no tag
  std::string registry_url;  // "https://ghcr.io", "http://10.0.0.5:5000", "registry.local:5000"
  std::optional<int64_t> size_bytes;
  // A commit the image was built from, when the notification says
  // (org.opencontainers.image.revision label, GHCR target_oid, a tag that is
  // a commit sha): 7..40 lower-case hex digits; "" when unknown.
  std::string revision;
  Json metadata = Json::object();  // what the sender said about the push (ids, times, media type)
};

struct RegistryNotification {
  std::vector<RegistryPush> pushes;
  std::vector<std::string> ignored;  // one reason per event not registered
};

// The Docker Registry v2 envelope. At most kMaxRegistryEvents events.
inline constexpr size_t kMaxRegistryEvents = 1000;
Result<RegistryNotification> parse_docker_notification(std::string_view body);

struct PackageEvent {
  std::string repository_full_name;  // "owner/name": the project whose integration it is
  RegistryNotification notification;  // one push, or one ignored reason
};
Result<PackageEvent> parse_ghcr_package_event(std::string_view body);

// The commit a tag or label names, lower-cased: 7..40 hex digits, optionally
// after "sha-" (docker/metadata-action's type=sha tags); "" otherwise.
std::string revision_from(std::string_view text);

}  // namespace opz::github
