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
// Pure; no I/O. Not thread-safe (the hub's tail thread owns it).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "http/message.h"
#include "realtime/stream_event.h"
#include "realtime/stream_filter.h"

namespace opz::realtime {

class LiveBatch {
 public:
  // What one client is to be written, in order: pieces[i] ends with the
  // frame of event last_id[i] and holds frames[i] frames.
  struct Selection {
    std::vector<http::SharedBytes> pieces;
    std::vector<int64_t> last_id;
    std::vector<uint32_t> frames;
    void clear();
  };

  // `events` in id order.
  LiveBatch(std::vector<StreamEventPtr> events, size_t piece_bytes);

  // The frames of the events with id > `after` that `filter` passes. The
  // reference is valid until the next select().
  const Selection& select(const StreamFilter& filter, int64_t after);

  const std::vector<StreamEventPtr>& events() const { return events_; }

 private:
  const Selection& coalesced();

  std::vector<StreamEventPtr> events_;
  size_t piece_bytes_;
  std::optional<Selection> coalesced_;  // built at the first client that takes all
  Selection scratch_;
  std::vector<char> matched_;
};

}  // namespace opz::realtime
