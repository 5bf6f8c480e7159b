// Node outputs: reading the $OPZENIX_OUTPUT file a node attempt wrote, and
// the artifact convention on top of output keys (docs/engine.md, and
// docs/pipeline-format.md "What a step receives"):
//
//   artifact.<name>=<image reference>  registers artifact <name>; the reference
//                                   "[registry/]repository[:tag][@digest]" gives
//                                   registry_url (everything before the tag),
//                                   image_tag and image_digest
//   artifact.<name>.<field>=value   sets one field of artifact <name> (the name is
//                                   everything between the first and the last dot)
//   artifact.name=<name>            the flat form for a single artifact, named by
//   artifact.<field>=value          artifact.name (default: the node id)
//
// Fields: image_digest, image_tag, registry_url, type (default "docker"),
// size_bytes (a non-negative integer); any other field goes into the
// artifact's metadata. A two-part key whose second part is a field name (or
// "name") is the flat form, so artifacts cannot be called "name", "type", ...
// with the reference form. Artifact keys stay ordinary outputs too.
// Pure functions except read_output_file (one bounded file read). Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "runner/output_file.h"

namespace opz::engine {

inline constexpr uint64_t kMaxOutputFileBytes = 1 << 20;

// The values in the file at `path`; none when the file does not exist.
// kTooLarge over kMaxOutputFileBytes; kValidation for a malformed file
// (message "output file line 3: ...").
Result<runner::OutputValues> read_output_file(const std::string& path);

struct ArtifactSpec {
  std::string name;
  std::string image_digest;
  std::string image_tag;
  std::string registry_url;
  std::string type = "docker";
  std::optional<int64_t> size_bytes;
  Json metadata = Json::object();
};

// The artifacts declared by `outputs`, in order of first mention.
// kValidation when a size_bytes is not a non-negative integer or a name is empty.
Result<std::vector<ArtifactSpec>> artifacts_from_outputs(const runner::OutputValues& outputs,
                                                         const std::string& node_id);

// {"key": "value", ...} in output order.
Json outputs_to_json(const runner::OutputValues& outputs);
// The inverse; non-string values are skipped.
runner::OutputValues outputs_from_json(const Json& json);

}  // namespace opz::engine
