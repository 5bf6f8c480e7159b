// The lexical pieces of the Prometheus text exposition format 0.0.4: value
// formatting, escaping of HELP text and label values, label blocks.
// MetricsRegistry::render() is built from these. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace opz::telemetry {

// Shortest round-trip decimal ("3", "0.25", "1e-05"); "+Inf", "-Inf", "NaN".
std::string format_value(double v);

// HELP text: '\' -> "\\", newline -> "\n".
std::string escape_help(std::string_view text);

// Label value: '\' -> "\\", '"' -> "\"", newline -> "\n".
std::string escape_label_value(std::string_view text);

// `text` with every invalid UTF-8 sequence replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

// {a="x",b="y"} from names and values paired by position, with an optional
// extra trailing pair (the histogram "le"); "" when there are no labels at all.
std::string label_block(const std::vector<std::string>& names,
                        const std::vector<std::string>& values, std::string_view extra_name = {},
                        std::string_view extra_value = {});

}  // namespace opz::telemetry
