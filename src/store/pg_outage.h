// PgOutage: how a PostgreSQL Database rides out the loss of its server (a
// Patroni failover: the primary gone, a replica promoted seconds later).
//
// Every connection attempt reports its outcome here. The first failure opens
// an outage; later attempts are spaced by an exponential back-off (100 ms,
// doubling, at most 2 s) that every connection of the database shares, so
// readers answer 503 at once instead of each trying three hosts per request;
// the first success closes the outage. The caller logs the two transitions
// (failed() answers true once per outage, recovered() the outage's length),
// so an outage is one warning and one info line however long it lasts.
//
// Pure logic over a Clock; thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>

#include "core/clock.h"

namespace opz::store {

class PgOutage {
 public:
  static constexpr Millis kFirstDelay{100};
  static constexpr Millis kMaxDelay{2000};

  explicit PgOutage(const Clock& clock) : clock_(clock) {}

  // True when a connection may be attempted now: no outage, or its back-off elapsed.
  bool may_attempt() const;
  // How long until may_attempt() is true (zero when it is).
  Millis wait_before_attempt() const;
  // A connection attempt failed or a connection was lost: true when this
  // opened the outage (the caller logs it), false when it was already open.
  bool failed();
  // A connection succeeded: the outage's length when this closed one.
  std::optional<Millis> recovered();
  bool in_outage() const;

 private:
  const Clock& clock_;
  mutable std::mutex mu_;
  std::optional<TimePoint> since_;
  TimePoint next_attempt_{};
  Millis delay_{kFirstDelay};
};

}  // namespace opz::store
