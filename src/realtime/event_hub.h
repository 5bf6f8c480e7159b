// EventHub: tails the persisted event log (store::EventLogStore) and fans
// each new event out to the stream clients whose filter matches.
//
// One tail thread does everything that touches a client: every
// `poll_interval` (or at once after notify()) it
//   1. admits new clients: with a Last-Event-ID `after` it
//      - replays from the store when after >= oldest retained id - 1,
//      - sends `reset` (too_far_behind) and goes live when after is older
//        than retention, `reset` (future_id) when after > the log's last id
//        (e.g. a restored database); without one the client goes live;
//   2. reads the events after the last id it delivered and writes each
//      client its matching ones: frames serialised once and queued by
//      reference (LiveBatch; no per-client copy), in ONE write per client
//      per read (one lock, at most one transport wake-up);
//   3. moves replaying clients along, paced by what their transport drains;
//   4. writes `: heartbeat` comments every `heartbeat_interval`;
//   5. prunes the log every `prune_interval` (events older than `retention`);
//   6. forgets clients whose stream the transport cancelled.
// Reads are paced by how many clients the last one was written to
// (FanoutPacer; EventHubOptions says why), so that under load each fan-out
// carries more events instead of costing more.
// No gap, no duplicate: every client has a cursor, the last id it was given
// (or skipped); it receives only ids > cursor, in order. A replaying client
// reads the store from its cursor and turns live once its cursor reaches
// the id the live path has delivered; the live path then skips ids <=
// cursor. Both run on the tail thread, so there is no race between them.
// This relies on the store's ordering contract (event_log_store.h): a read
// that sees id N sees every id < N.
//
// Slow clients: writes never wait. When a live client's PushStream refuses a
// write (its buffer is full) the hub finishes it with `reset` (slow_client)
// and forgets it; nobody else, not the engine nor the server, notices. A
// replaying client is paced instead (the rest waits for the next tick).
//
// Time: heartbeats and pruning read the Clock (a ManualClock in tests);
// only the tail thread's sleep is real time.
// Metrics (when a registry is given): opzenix_event_stream_clients (gauge),
// opzenix_event_stream_events_total (event frames written to clients),
// opzenix_event_stream_resets_total{reason}.
//
// Thread-safety: subscribe(), notify(), stop() and the accessors from any
// thread. poll_once() is the tail thread's step, public so tests can drive a
// hub that was primed but not started; never call it on a started hub.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "http/message.h"
#include "realtime/fanout_pacer.h"
#include "realtime/live_batch.h"
#include "realtime/sse_frame.h"
#include "realtime/stream_event.h"
#include "realtime/stream_filter.h"
#include "store/event_log_store.h"

namespace opz::telemetry {
class MetricsRegistry;
class Gauge;
class Counter;
}  // namespace opz::telemetry

namespace opz::realtime {

struct EventHubOptions {
  std::chrono::milliseconds poll_interval{25};
  std::chrono::milliseconds heartbeat_interval{15'000};
  std::chrono::seconds retention{24 * 3600};
  std::chrono::seconds prune_interval{3600};
  size_t tail_batch = 2000;   // events per read of the live path
  size_t replay_batch = 500;  // events per read of a replaying client
  // A client that takes every event of a read gets the frames coalesced into
  // shared pieces of about this size (built once per read for all of them).
  size_t write_chunk = 64 * 1024;
  // Fan-out pacing (the tail thread only; poll_once() never waits): after a
  // read that wrote to N clients, the next one waits
  // min(N x fanout_gap_per_client, max_fanout_gap), pokes or not, less the
  // credit saved while idle (fanout_pacer.h). A fan-out costs about 20 us of
  // server CPU per client (a locked write, a transport wake-up, a socket
  // write) whatever it carries, and as much again in each client, so with
  // 1,000 clients back-to-back reads (the event log commits hundreds of
  // times a second) would spend two cores on fixed costs; batching them
  // bounds that share while adding at most max_fanout_gap of latency
  // (1 client: none; 1,000: 40 ms).
  std::chrono::microseconds fanout_gap_per_client{40};
  std::chrono::microseconds max_fanout_gap = std::chrono::milliseconds(50);
  // Clients that take batches (Framing::kBatchRuns) get a run of at least
  // this many events of one read as one `batch` frame (batch_frame.h).
  size_t min_batch_run = 2;
};

class EventHub {
 public:
  EventHub(store::EventLogStore& log, const Clock& clock, EventHubOptions options = {},
           telemetry::MetricsRegistry* metrics = nullptr);
  ~EventHub();
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  // Learns where the log ends (live delivery starts after it). start() calls
  // it; tests that drive poll_once() by hand call it instead of start().
  Status prime();
  // prime(), then the tail thread.
  Status start();
  // Stops the tail thread and finishes every client's stream (they
  // reconnect with their Last-Event-ID). Idempotent.
  void stop();
  // Wakes the tail thread now (e.g. from the engine's EventBus), instead of
  // at the next poll_interval. Cheap; any thread.
  void notify();

  // Adds a client: writes the preamble (`retry: 2000`) at once; the replay
  // or reset, then live events, follow from the tail thread.
  // `last_event_id`: the client's Last-Event-ID (nullopt: live only).
  // `framing`: kBatchRuns sends the live path's runs as `batch` frames
  // (a replay is always one frame per event).
  // kUnavailable once stopped (or before prime()).
  Status subscribe(std::shared_ptr<http::PushStream> stream, StreamFilter filter,
                   std::optional<int64_t> last_event_id,
                   Framing framing = Framing::kEachEvent);

  // One step of the tail thread (see above).
  Status poll_once();

  // Clients admitted or waiting to be (for tests and the gauge).
  size_t client_count() const;
  // The last event id the live path has delivered.
  int64_t delivered_id() const { return delivered_.load(); }
  // How long the tail thread waits at least before its next read, after the
  // last poll_once() (fanout_gap_per_client x the clients it wrote to, at
  // most max_fanout_gap, less the idle credit: FanoutPacer). Tail thread (or
  // a test driving poll_once) only.
  std::chrono::microseconds fanout_gap() const { return pace_; }

 private:
  struct Client;
  struct Metrics;

  Status admit_joining(TimePoint now);
  Status deliver_live();
  Status advance_replays();
  // One replay read for `c`; false when its stream refused (try again later).
  Result<bool> replay_step(Client& c);
  void heartbeat(TimePoint now);
  Status prune_if_due(TimePoint now);
  void reset(Client& c, ResetReason reason, int64_t last_id);
  void drop_closed();
  void tail_loop();
  void count_written(size_t frames);

  store::EventLogStore& log_;
  const Clock& clock_;
  const EventHubOptions options_;
  std::unique_ptr<Metrics> metrics_;

  // Tail-thread state (no lock: only poll_once touches it).
  std::vector<std::unique_ptr<Client>> clients_;
  int64_t oldest_ = 1;  // the oldest retained id, as of the last prune
  TimePoint last_heartbeat_{};
  TimePoint last_prune_{};
  size_t last_fanout_clients_ = 0;  // clients the last deliver_live() wrote to
  FanoutPacer pacer_;
  std::chrono::microseconds pace_{0};  // the wait after the last poll_once()

  std::atomic<int64_t> delivered_{0};
  std::atomic<size_t> client_count_{0};

  mutable std::mutex mu_;  // guards joining_, primed_, stopped_, poked_
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Client>> joining_;
  bool primed_ = false;
  bool stopped_ = false;
  bool poked_ = false;
  std::thread tail_;
};

}  // namespace opz::realtime
