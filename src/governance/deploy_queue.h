// Deploy queue: at most one deployment runs per (project, environment); the
// others wait in order. decide_queue() answers, for one candidate that has
// passed every other rule, whether it runs now, waits behind another
// execution (and where), or is superseded by a newer one.
//
//   kOldestFirst       ready executions run in (enqueued_at, id) order.
//   kNewestReadyFirst  the newest ready execution runs next; each older
//                      waiting one ends `superseded` with a link to it.
//
// Nothing starves: an entry that is not ready (still held by an approval or
// a freeze) never holds up ready ones, and in kOldestFirst every ready entry
// has finitely many ahead of it. Nothing is dropped silently: a superseded
// candidate learns by whom, and a candidate that supersedes others lists
// them so the caller can end them with the link. A running deployment is
// never superseded. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "governance/environment_protection.h"

namespace opz::governance {

struct QueueEntry {
  std::string execution_id;
  TimePoint enqueued_at{};
  bool ready = true;  // passed every other rule and only waits for the slot
};

// One environment's queue as the store sees it.
struct QueueSnapshot {
  std::optional<std::string> running;  // the execution deploying now
  std::vector<QueueEntry> waiting;     // any order; may include the candidate
};

enum class QueueVerdict { kRunNow, kWait, kSuperseded };

struct QueueDecision {
  QueueVerdict verdict = QueueVerdict::kRunNow;
  std::string waits_for;                // kWait: the running execution or the one just ahead
  int position = 0;                     // kWait: 1 = next to run
  std::string superseded_by;            // kSuperseded
  std::vector<std::string> supersedes;  // kNewestReadyFirst: older waiting ids
  std::string reason;                   // one sentence for the explanation
};

// `candidate` is treated as ready; when it is also in snapshot.waiting, that
// entry is the same execution. A candidate that is the running execution
// runs now.
QueueDecision decide_queue(const QueueSnapshot& snapshot, const QueueEntry& candidate,
                           QueueMode mode);

std::string_view to_string(QueueVerdict verdict);  // "run_now", "wait", "superseded"

}  // namespace opz::governance
