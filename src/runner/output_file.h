// Step outputs: the `$OPZENIX_OUTPUT` file a step writes to publish values,
// and the environment variable name under which later steps see them.
//
// File format (GitHub Actions' $GITHUB_OUTPUT, so scripts port unchanged):
//   key=value            value is the rest of the line, kept verbatim
//   key<<DELIMITER       multi-line value: the following lines up to a line
//   ...                  that is exactly DELIMITER, joined with "\n" (no
//   DELIMITER            trailing newline)
// key matches [A-Za-z_][A-Za-z0-9_.-]*. Empty and whitespace-only lines and
// lines starting with '#' are ignored; a CR before a line's "\n" is dropped.
// A later duplicate key overrides the earlier value (keeping its position).
//
// Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace opz::runner {

using OutputValues = std::vector<std::pair<std::string, std::string>>;

// Keys and values in order of first appearance. A bad line gives a
// kValidation error whose message names the line ("line 3: ..."), with
// field "line 3".
Result<OutputValues> parse_output_file(std::string_view text);

// "OPZENIX_OUT_<NODE>_<KEY>": node id and key upper-cased, every character
// other than A-Z, 0-9 and '_' replaced by '_'. ("build-app", "image.tag") ->
// "OPZENIX_OUT_BUILD_APP_IMAGE_TAG".
std::string output_env_name(std::string_view node_id, std::string_view key);

}  // namespace opz::runner
