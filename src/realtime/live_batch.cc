#include "realtime/live_batch.h"

#include <string>
#include <utility>

namespace opz::realtime {

namespace {

http::SharedBytes frame_of(const StreamEventPtr& e) {
  return http::SharedBytes(e, &e->frame);  // shares the event's ownership, no copy
}

enum Match : char { kNo = 0, kWhole = 1, kPartly = 2 };

}  // namespace

void LiveBatch::Selection::clear() {
  pieces.clear();
  last_id.clear();
  frames.clear();
}

LiveBatch::LiveBatch(std::vector<StreamEventPtr> events, size_t piece_bytes, std::vector<Run> runs)
    : events_(std::move(events)), piece_bytes_(piece_bytes) {
  singles_.reserve(events_.size());
  for (size_t i = 0; i < events_.size(); ++i) singles_.push_back({events_[i], i, i + 1});
  if (runs.empty()) return;
  size_t next = 0;
  for (Run& r : runs) {
    for (; next < r.begin; ++next) batched_.push_back(singles_[next]);
    next = r.end;
    batched_.push_back(std::move(r));
  }
  for (; next < events_.size(); ++next) batched_.push_back(singles_[next]);
}

const std::vector<LiveBatch::Run>& LiveBatch::units(Framing framing) const {
  return framing == Framing::kBatchRuns && !batched_.empty() ? batched_ : singles_;
}

void LiveBatch::add(Selection& s, const Run& unit) const {
  s.pieces.push_back(frame_of(unit.event));
  s.last_id.push_back(unit.event->id);
  s.frames.push_back(static_cast<uint32_t>(unit.end - unit.begin));
}

const LiveBatch::Selection& LiveBatch::select(const StreamFilter& filter, int64_t after,
                                              Framing framing) {
  const std::vector<Run>& units = this->units(framing);
  matched_.assign(units.size(), kNo);
  size_t whole = 0;
  for (size_t i = 0; i < units.size(); ++i) {
    const Run& u = units[i];
    if (u.event->id <= after || !filter.matches(*u.event)) continue;
    const bool partly = events_[u.begin]->id <= after;  // the cursor lies inside the run
    matched_[i] = partly ? kPartly : kWhole;
    if (!partly) ++whole;
  }
  if (whole == units.size() && whole > 0) return coalesced(framing);
  scratch_.clear();
  for (size_t i = 0; i < units.size(); ++i) {
    if (matched_[i] == kWhole) add(scratch_, units[i]);
    if (matched_[i] != kPartly) continue;
    for (size_t k = units[i].begin; k < units[i].end; ++k) {
      if (events_[k]->id > after) add(scratch_, singles_[k]);
    }
  }
  return scratch_;
}

const LiveBatch::Selection& LiveBatch::coalesced(Framing framing) {
  const std::vector<Run>& units = this->units(framing);
  std::optional<Selection>& cached = coalesced_[&units == &batched_ ? 1 : 0];
  if (cached) return *cached;
  Selection& s = cached.emplace();
  // A lone frame as big as a piece is shared as it is, not copied.
  std::string piece;
  uint32_t frames = 0;
  int64_t piece_last = 0;
  auto flush = [&] {
    if (piece.empty()) return;
    s.pieces.push_back(std::make_shared<const std::string>(std::move(piece)));
    s.last_id.push_back(piece_last);
    s.frames.push_back(frames);
    piece = std::string();
    frames = 0;
  };
  for (const Run& u : units) {
    const std::string& frame = u.event->frame;
    if (frame.size() >= piece_bytes_) {
      flush();
      add(s, u);
      continue;
    }
    if (piece.empty()) piece.reserve(piece_bytes_);
    piece += frame;
    frames += static_cast<uint32_t>(u.end - u.begin);
    piece_last = u.event->id;
    if (piece.size() >= piece_bytes_) flush();
  }
  flush();
  return s;
}

}  // namespace opz::realtime
