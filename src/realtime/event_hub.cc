#include "realtime/event_hub.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <string>

#include "realtime/batch_frame.h"
#include "realtime/live_batch.h"
#include "telemetry/metrics.h"

namespace opz::realtime {

namespace {

// Replay reads per replaying client per tick: bounds how long one client far
// behind can hold the tail thread.
constexpr int kReplayStepsPerTick = 4;

// The heartbeat comment, allocated once and shared by every stream.
const http::SharedBytes& heartbeat_piece() {
  static const http::SharedBytes piece = std::make_shared<const std::string>(kHeartbeatFrame);
  return piece;
}

Status first_error(Status a, Status b) { return a.ok() ? b : a; }

// The runs of `records` as batch frames (the members are events[begin, end)).
std::vector<LiveBatch::Run> runs_of(std::span<const store::EventLogRecord* const> records,
                                    const std::vector<StreamEventPtr>& events,
                                    size_t min_events) {
  std::vector<LiveBatch::Run> runs;
  for (auto [begin, end] : find_runs(records, min_events)) {
    auto frame = batch_frame(records.subspan(begin, end - begin));
    if (!frame) continue;
    auto e = std::make_shared<StreamEvent>(*events[end - 1]);
    e->frame = std::move(*frame);
    runs.push_back({std::move(e), begin, end});
  }
  return runs;
}

}  // namespace

struct EventHub::Client {
  std::shared_ptr<http::PushStream> stream;
  StreamFilter filter;
  int64_t cursor = 0;  // the last id given or skipped: only ids > cursor go out
  bool live = false;   // false: replaying from the store
  bool dead = false;   // finished or cancelled: dropped at the end of the tick
  Framing framing = Framing::kEachEvent;
};

struct EventHub::Metrics {
  telemetry::Gauge* clients = nullptr;
  telemetry::Counter* events = nullptr;
  telemetry::CounterFamily* resets = nullptr;

  explicit Metrics(telemetry::MetricsRegistry* registry) {
    if (registry == nullptr) return;
    if (auto g = registry->gauge("opzenix_event_stream_clients",
                                 "Clients connected to the realtime event stream."))
      clients = &(*g)->with();
    if (auto c = registry->counter("opzenix_event_stream_events_total",
                                   "Event frames written to realtime stream clients."))
      events = &(*c)->with();
    if (auto r = registry->counter("opzenix_event_stream_resets_total",
                                   "Reset events sent to realtime stream clients.", {"reason"}))
      resets = *r;
  }
};

EventHub::EventHub(store::EventLogStore& log, const Clock& clock, EventHubOptions options,
                   telemetry::MetricsRegistry* metrics)
    : log_(log),
      clock_(clock),
      options_(options),
      metrics_(std::make_unique<Metrics>(metrics)),
      pacer_(options.fanout_gap_per_client, options.max_fanout_gap) {}

EventHub::~EventHub() { stop(); }

Status EventHub::prime() {
  OPZ_TRY(int64_t last, log_.last_id());
  OPZ_TRY(int64_t oldest, log_.oldest_id());
  const TimePoint now = clock_.now();
  std::lock_guard lock(mu_);
  delivered_ = last;
  oldest_ = oldest;
  last_heartbeat_ = now;
  last_prune_ = now - options_.prune_interval;  // the first tick prunes
  primed_ = true;
  return {};
}

Status EventHub::start() {
  OPZ_TRY_STATUS(prime());
  std::lock_guard lock(mu_);
  if (stopped_) return Error::unavailable("the event hub was stopped");
  if (tail_.joinable()) return {};
  tail_ = std::thread([this] { tail_loop(); });
  return {};
}

void EventHub::stop() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
  }
  cv_.notify_all();
  if (tail_.joinable()) tail_.join();
  std::vector<std::unique_ptr<Client>> joining;
  {
    std::lock_guard lock(mu_);
    joining.swap(joining_);
  }
  for (auto& c : joining) c->stream->finish();
  for (auto& c : clients_) c->stream->finish();
  clients_.clear();
  client_count_ = 0;
  if (metrics_->clients) metrics_->clients->set(0);
}

void EventHub::notify() {
  {
    std::lock_guard lock(mu_);
    poked_ = true;
  }
  cv_.notify_one();
}

Status EventHub::subscribe(std::shared_ptr<http::PushStream> stream, StreamFilter filter,
                           std::optional<int64_t> last_event_id, Framing framing) {
  auto c = std::make_unique<Client>(
      Client{std::move(stream), std::move(filter), 0, false, false, framing});
  {
    std::lock_guard lock(mu_);
    if (!primed_ || stopped_) return Error::unavailable("the event stream is not running");
    // Without a Last-Event-ID the client starts after what has been
    // delivered so far: what commits from now on reaches it.
    c->cursor = last_event_id.value_or(delivered_.load());
    c->stream->write(kStreamPreamble);
    joining_.push_back(std::move(c));
    poked_ = true;
  }
  ++client_count_;
  if (metrics_->clients) metrics_->clients->set(static_cast<double>(client_count_.load()));
  cv_.notify_one();
  return {};
}

size_t EventHub::client_count() const { return client_count_.load(); }

Status EventHub::poll_once() {
  const TimePoint now = clock_.now();
  Status st = admit_joining(now);
  st = first_error(st, deliver_live());
  pace_ = pacer_.fanned_out(last_fanout_clients_);
  st = first_error(st, advance_replays());
  heartbeat(now);
  st = first_error(st, prune_if_due(now));
  drop_closed();
  return st;
}

Status EventHub::admit_joining(TimePoint) {
  std::vector<std::unique_ptr<Client>> joining;
  {
    std::lock_guard lock(mu_);
    joining.swap(joining_);
  }
  if (joining.empty()) return {};
  Result<int64_t> last = log_.last_id();
  if (!last) {  // try again next tick
    std::lock_guard lock(mu_);
    for (auto& c : joining) joining_.push_back(std::move(c));
    return last.error();
  }
  for (auto& c : joining) {
    if (c->cursor > *last) {
      reset(*c, ResetReason::kFutureId, delivered_.load());
    } else if (c->cursor < oldest_ - 1) {
      reset(*c, ResetReason::kTooFarBehind, delivered_.load());
    } else {
      c->live = c->cursor >= delivered_.load();
    }
    clients_.push_back(std::move(c));
  }
  return {};
}

void EventHub::reset(Client& c, ResetReason reason, int64_t last_id) {
  if (metrics_->resets) metrics_->resets->with({std::string(to_string(reason))}).inc();
  const std::string frame = reset_frame(reason, last_id);
  if (reason == ResetReason::kSlowClient) {
    c.stream->finish(frame);
    c.dead = true;
    return;
  }
  // too_far_behind / future_id: the client refetches, then follows live.
  c.cursor = last_id;
  c.live = true;
  if (!c.stream->write(frame)) {
    c.stream->finish();
    c.dead = true;
  }
}

void EventHub::count_written(size_t frames) {
  if (metrics_->events && frames > 0) metrics_->events->inc(static_cast<double>(frames));
}

Status EventHub::deliver_live() {
  last_fanout_clients_ = 0;
  for (;;) {
    OPZ_TRY(std::vector<store::EventLogRecord> records,
            log_.read_after(delivered_.load(), options_.tail_batch));
    if (records.empty()) return {};
    std::vector<StreamEventPtr> events;
    std::vector<const store::EventLogRecord*> kept;  // events[i]'s record
    events.reserve(records.size());
    kept.reserve(records.size());
    for (const auto& r : records) {
      if (auto e = stream_event_of(r)) {
        events.push_back(std::make_shared<StreamEvent>(std::move(*e)));
        kept.push_back(&r);
      }
    }
    const int64_t last = records.back().id;
    const bool batches = std::ranges::any_of(clients_, [](const auto& c) {
      return c->live && !c->dead && c->framing == Framing::kBatchRuns;
    });
    std::vector<LiveBatch::Run> runs;
    if (batches) runs = runs_of(kept, events, options_.min_batch_run);
    LiveBatch batch(std::move(events), options_.write_chunk, std::move(runs));
    size_t written = 0;
    for (auto& c : clients_) {
      if (!c->live || c->dead) continue;
      const LiveBatch::Selection& mine = batch.select(c->filter, c->cursor, c->framing);
      if (!mine.pieces.empty()) ++last_fanout_clients_;
      // One locked write and at most one wake-up per client per read.
      const size_t queued = c->stream->write(std::span<const http::SharedBytes>(mine.pieces));
      for (size_t i = 0; i < queued; ++i) written += mine.frames[i];
      if (queued < mine.pieces.size()) {
        if (queued > 0) c->cursor = mine.last_id[queued - 1];
        if (c->stream->cancelled()) {
          c->dead = true;
        } else {
          reset(*c, ResetReason::kSlowClient, c->cursor);
        }
        continue;
      }
      c->cursor = std::max(c->cursor, last);
    }
    count_written(written);
    delivered_ = last;
    if (records.size() < options_.tail_batch) return {};
  }
}

Status EventHub::advance_replays() {
  for (auto& c : clients_) {
    for (int step = 0; step < kReplayStepsPerTick && !c->live && !c->dead; ++step) {
      if (c->cursor < oldest_ - 1) {  // pruned while it replayed
        reset(*c, ResetReason::kTooFarBehind, delivered_.load());
        break;
      }
      OPZ_TRY(bool more, replay_step(*c));
      if (!more) break;
    }
  }
  return {};
}

Result<bool> EventHub::replay_step(Client& c) {
  OPZ_TRY(std::vector<store::EventLogRecord> records,
          log_.read_after(c.cursor, options_.replay_batch));
  std::vector<http::SharedBytes> frames;
  std::vector<int64_t> ids;
  for (const auto& r : records) {
    auto e = stream_event_of(r);
    if (!e || !c.filter.matches(*e)) continue;
    frames.push_back(std::make_shared<const std::string>(std::move(e->frame)));
    ids.push_back(r.id);
  }
  const size_t queued = c.stream->write(std::span<const http::SharedBytes>(frames));
  count_written(queued);
  if (queued < frames.size()) {
    c.cursor = ids[queued] - 1;  // every id below the refused frame's was given or skipped
    if (c.stream->cancelled()) {
      c.dead = true;
    } else if (c.stream->buffered() == 0) {
      // One frame larger than the whole buffer can never be sent.
      reset(c, ResetReason::kSlowClient, c.cursor);
    }
    return false;  // paced: the rest at the next tick
  }
  if (!records.empty()) c.cursor = records.back().id;
  // Fewer than a batch: everything committed so far was read, which covers
  // every id the live path has delivered.
  if (c.cursor >= delivered_.load() || records.size() < options_.replay_batch) {
    c.live = true;
    return false;
  }
  return true;
}

void EventHub::heartbeat(TimePoint now) {
  if (now - last_heartbeat_ < options_.heartbeat_interval) return;
  last_heartbeat_ = now;
  for (auto& c : clients_) {
    if (c->dead || c->stream->write(heartbeat_piece())) continue;
    if (c->stream->cancelled()) {
      c->dead = true;
    } else if (c->live) {
      reset(*c, ResetReason::kSlowClient, c->cursor);
    }
  }
}

Status EventHub::prune_if_due(TimePoint now) {
  if (now - last_prune_ < options_.prune_interval) return {};
  last_prune_ = now;
  OPZ_TRY(int64_t pruned, log_.prune(now - options_.retention));
  OPZ_TRY(int64_t oldest, log_.oldest_id());
  oldest_ = oldest;
  if (pruned > 0) spdlog::info("realtime: pruned {} events; oldest retained id {}", pruned, oldest);
  return {};
}

void EventHub::drop_closed() {
  const size_t before = clients_.size();
  std::erase_if(clients_, [](const std::unique_ptr<Client>& c) {
    if (!c->dead && !c->stream->closed()) return false;
    c->stream->finish();  // no-op when already finished or cancelled
    return true;
  });
  const size_t dropped = before - clients_.size();
  if (dropped == 0) return;
  client_count_ -= dropped;
  if (metrics_->clients) metrics_->clients->set(static_cast<double>(client_count_.load()));
}

void EventHub::tail_loop() {
  pthread_setname_np(pthread_self(), "opz-events");  // a name in top -H, perf and gdb
  for (;;) {
    Status st = poll_once();
    const std::chrono::microseconds gap = pace_;
    std::unique_lock lock(mu_);
    if (gap.count() > 0) cv_.wait_for(lock, gap, [&] { return stopped_; });
    if (stopped_) return;
    // After a failure (the database closing, a full disk) wait longer than a
    // poll so the log is not flooded; clients keep their cursors.
    const std::chrono::microseconds wait =
        st.ok() ? std::max<std::chrono::microseconds>(options_.poll_interval - gap, {})
                : std::chrono::milliseconds(1000);
    if (!st.ok()) spdlog::warn("realtime: event log tail failed: {}", st.error().to_string());
    const auto idle_from = std::chrono::steady_clock::now();
    cv_.wait_for(lock, wait, [&] { return stopped_ || poked_; });
    if (stopped_) return;
    poked_ = false;
    pacer_.idled(std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - idle_from));
  }
}

}  // namespace opz::realtime
