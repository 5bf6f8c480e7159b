// LiveBatch: one tail read's events, prepared once for the fan-out to every
// live client, so that a 1,000-client fan-out copies no bytes per client.
//
// Each event's frame is shared by reference (an http::SharedBytes aliasing
// the StreamEvent that owns it). A client that takes EVERY event of the batch
// (the common case: no execution/project filter and every topic its role
// reads, or the topics that happened to be written) gets the batch's frames
// coalesced into pieces of about `piece_bytes`, built once for all such
// clients: a few pieces per write instead of one per frame. Any other client
// gets its matching frames one piece each.
//
// Framing: a client that asked for batches (Framing::kBatchRuns) gets each
// Run (a run of events as one `batch` frame, batch_frame.h) instead of its
// members' frames; when its cursor lies inside a run it gets the members
// above the cursor one frame each, so it never receives an id twice.
// Pure; no I/O. Not thread-safe (the hub's tail thread owns it).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "http/message.h"
#include "realtime/stream_event.h"
#include "realtime/stream_filter.h"

namespace opz::realtime {

// How a client wants its events framed: one frame each (the default; every
// SSE client understands it) or runs as `batch` frames (?batch=1).
enum class Framing { kEachEvent, kBatchRuns };

class LiveBatch {
 public:
  // What one client is to be written, in order: pieces[i] ends with the
  // frame of event last_id[i] and holds frames[i] events.
  struct Selection {
    std::vector<http::SharedBytes> pieces;
    std::vector<int64_t> last_id;
    std::vector<uint32_t> frames;
    void clear();
  };

  // events()[begin, end) sent as one frame: `event` carries the batch frame,
  // the id of the run's last event and the members' topic and filter ids.
  struct Run {
    StreamEventPtr event;
    size_t begin = 0;
    size_t end = 0;
  };

  // `events` in id order; `runs` in order, not overlapping, each within events.
  LiveBatch(std::vector<StreamEventPtr> events, size_t piece_bytes, std::vector<Run> runs = {});

  // The frames of the events with id > `after` that `filter` passes. The
  // reference is valid until the next select().
  const Selection& select(const StreamFilter& filter, int64_t after,
                          Framing framing = Framing::kEachEvent);

  const std::vector<StreamEventPtr>& events() const { return events_; }

 private:
  const Selection& coalesced(Framing framing);
  const std::vector<Run>& units(Framing framing) const;
  void add(Selection& s, const Run& unit) const;

  std::vector<StreamEventPtr> events_;
  size_t piece_bytes_;
  std::vector<Run> singles_;  // one unit per event
  std::vector<Run> batched_;  // the runs, and the events outside them
  // Built at the first client that takes all, per framing.
  std::array<std::optional<Selection>, 2> coalesced_;
  Selection scratch_;
  std::vector<char> matched_;
};

}  // namespace opz::realtime
