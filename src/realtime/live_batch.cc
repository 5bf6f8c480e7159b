#include "realtime/live_batch.h"

#include <string>
#include <utility>

namespace opz::realtime {

namespace {

http::SharedBytes frame_of(const StreamEventPtr& e) {
  return http::SharedBytes(e, &e->frame);  // shares the event's ownership, no copy
}

}  // namespace

void LiveBatch::Selection::clear() {
  pieces.clear();
  last_id.clear();
  frames.clear();
}

LiveBatch::LiveBatch(std::vector<StreamEventPtr> events, size_t piece_bytes)
    : events_(std::move(events)), piece_bytes_(piece_bytes) {}

const LiveBatch::Selection& LiveBatch::select(const StreamFilter& filter, int64_t after) {
  matched_.assign(events_.size(), 0);
  size_t count = 0;
  for (size_t i = 0; i < events_.size(); ++i) {
    if (events_[i]->id <= after || !filter.matches(*events_[i])) continue;
    matched_[i] = 1;
    ++count;
  }
  if (count == events_.size() && count > 0) return coalesced();
  scratch_.clear();
  for (size_t i = 0; i < events_.size(); ++i) {
    if (!matched_[i]) continue;
    scratch_.pieces.push_back(frame_of(events_[i]));
    scratch_.last_id.push_back(events_[i]->id);
    scratch_.frames.push_back(1);
  }
  return scratch_;
}

const LiveBatch::Selection& LiveBatch::coalesced() {
  if (coalesced_) return *coalesced_;
  Selection& s = coalesced_.emplace();
  // A lone frame as big as a piece is shared as it is, not copied.
  std::string piece;
  uint32_t frames = 0;
  auto flush = [&](int64_t last) {
    if (frames == 0) return;
    s.pieces.push_back(std::make_shared<const std::string>(std::move(piece)));
    s.last_id.push_back(last);
    s.frames.push_back(frames);
    piece = std::string();
    frames = 0;
  };
  for (size_t i = 0; i < events_.size(); ++i) {
    const StreamEventPtr& e = events_[i];
    if (e->frame.size() >= piece_bytes_) {
      if (frames > 0) flush(events_[i - 1]->id);
      s.pieces.push_back(frame_of(e));
      s.last_id.push_back(e->id);
      s.frames.push_back(1);
      continue;
    }
    if (frames == 0) piece.reserve(piece_bytes_);
    piece += e->frame;
    ++frames;
    if (piece.size() >= piece_bytes_) flush(e->id);
  }
  if (!events_.empty()) flush(events_.back()->id);
  return s;
}

}  // namespace opz::realtime
