#include "governance/deploy_queue.h"

#include <algorithm>
#include <tuple>

#include "governance/enum_names.h"

namespace opz::governance {

namespace {

constexpr detail::NameTable<QueueVerdict, 3> kVerdicts{{
    {QueueVerdict::kRunNow, "run_now"},
    {QueueVerdict::kWait, "wait"},
    {QueueVerdict::kSuperseded, "superseded"},
}};

bool before(const QueueEntry& a, const QueueEntry& b) {
  return std::tie(a.enqueued_at, a.execution_id) < std::tie(b.enqueued_at, b.execution_id);
}

// The other waiting entries, oldest first.
std::vector<QueueEntry> others_in_order(const QueueSnapshot& s, const QueueEntry& candidate) {
  std::vector<QueueEntry> out;
  for (const auto& e : s.waiting)
    if (e.execution_id != candidate.execution_id) out.push_back(e);
  std::sort(out.begin(), out.end(), before);
  return out;
}

QueueDecision wait_behind(std::string who, int position, const std::string& what) {
  QueueDecision d;
  d.verdict = QueueVerdict::kWait;
  d.waits_for = std::move(who);
  d.position = position;
  d.reason = "waits behind " + d.waits_for + " (" + what + "; position " +
             std::to_string(position) + " in the queue)";
  return d;
}

}  // namespace

QueueDecision decide_queue(const QueueSnapshot& snapshot, const QueueEntry& candidate,
                           QueueMode mode) {
  if (snapshot.running && *snapshot.running == candidate.execution_id)
    return {QueueVerdict::kRunNow, {}, 0, {}, {}, "is the running deployment"};
  std::vector<QueueEntry> others = others_in_order(snapshot, candidate);

  if (mode == QueueMode::kNewestReadyFirst) {
    const QueueEntry* newest_ready = nullptr;
    for (const auto& e : others)
      if (e.ready && before(candidate, e)) newest_ready = &e;  // ordered: the last one wins
    if (newest_ready != nullptr) {
      QueueDecision d;
      d.verdict = QueueVerdict::kSuperseded;
      d.superseded_by = newest_ready->execution_id;
      d.reason = "superseded by the newer " + d.superseded_by + " (queue mode newest_ready_first)";
      return d;
    }
    std::vector<std::string> older;
    for (const auto& e : others)
      if (before(e, candidate)) older.push_back(e.execution_id);
    QueueDecision d = snapshot.running ? wait_behind(*snapshot.running, 1, "deploying now")
                                       : QueueDecision{QueueVerdict::kRunNow,    {}, 0, {}, {},
                                                       "the environment is free"};
    d.supersedes = std::move(older);
    if (!d.supersedes.empty())
      d.reason += "; supersedes " + std::to_string(d.supersedes.size()) + " older waiting";
    return d;
  }

  std::vector<const QueueEntry*> ahead;
  for (const auto& e : others)
    if (e.ready && before(e, candidate)) ahead.push_back(&e);
  if (!ahead.empty())
    return wait_behind(ahead.back()->execution_id, static_cast<int>(ahead.size()) + 1,
                       "queued earlier");
  if (snapshot.running) return wait_behind(*snapshot.running, 1, "deploying now");
  return {QueueVerdict::kRunNow, {}, 0, {}, {}, "the environment is free"};
}

std::string_view to_string(QueueVerdict verdict) { return detail::name_of(kVerdicts, verdict); }

}  // namespace opz::governance
