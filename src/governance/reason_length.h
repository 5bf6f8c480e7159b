// How long an operator's free-text reason may be: one figure per kind, so a
// reason of one kind is accepted alike wherever it is entered.
#pragma once

#include <cstddef>

namespace opz::governance {

// Why an environment is locked, frozen or stopped (a lock, a freeze window,
// an emergency stop): repeated on every item it blocks, so kept short.
inline constexpr size_t kMaxGovernanceReasonLength = 500;

// Why an operator acted on one run (cancel, force-fail, rollback, an
// approval's comment): kept once, in the run's record and the audit trail.
inline constexpr size_t kMaxOperationReasonLength = 2000;

}  // namespace opz::governance
