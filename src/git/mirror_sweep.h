// Removal of mirrors nobody used for a while (git/mirror_checkout.h touches a
// mirror's mtime at every use). Run when an agent starts; the server may run
// it too. A mirror whose lock someone holds (a fetch, or a checkout from it,
// in this or another process) is in use and kept: the lock is taken without
// waiting, and held while the mirror is removed, so no checkout ever sees a
// half-removed mirror (a waiting one finds no mirror and clones it again).
// The <mirror>.lock files stay (a lock file must not be replaced under a
// process that waits on it). Reads and removes directories; thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/clock.h"

namespace opz::git {

// Removes every <root>/mirrors/*.git last used before `now - unused_for`;
// answers the removed mirrors' paths.
std::vector<std::string> remove_unused_mirrors(const std::string& root, TimePoint now,
                                               std::chrono::milliseconds unused_for);

}  // namespace opz::git
