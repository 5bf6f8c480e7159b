// Quoting for /bin/sh: the one way commands built as text (checkouts, mirror
// updates, removals) pass a path, URL or script as a single word.
#pragma once

#include <string>
#include <string_view>

namespace opz::git {

// 'text', with every embedded ' written as '\'' — one word to /bin/sh,
// whatever `text` holds (spaces, $, `, newlines).
std::string shell_quote(std::string_view text);

}  // namespace opz::git
