#include "store/pg_outage.h"

#include <algorithm>

namespace opz::store {

bool PgOutage::may_attempt() const { return wait_before_attempt() == Millis{0}; }

Millis PgOutage::wait_before_attempt() const {
  std::lock_guard lock(mu_);
  if (!since_) return Millis{0};
  const auto left = std::chrono::duration_cast<Millis>(next_attempt_ - clock_.now());
  return std::max(left, Millis{0});
}

bool PgOutage::failed() {
  std::lock_guard lock(mu_);
  const TimePoint now = clock_.now();
  const bool opened = !since_;
  if (opened) {
    since_ = now;
    delay_ = kFirstDelay;
  } else {
    delay_ = std::min(delay_ * 2, kMaxDelay);
  }
  next_attempt_ = now + delay_;
  return opened;
}

std::optional<Millis> PgOutage::recovered() {
  std::lock_guard lock(mu_);
  if (!since_) return std::nullopt;
  const auto length = std::chrono::duration_cast<Millis>(clock_.now() - *since_);
  since_.reset();
  delay_ = kFirstDelay;
  return length;
}

bool PgOutage::in_outage() const {
  std::lock_guard lock(mu_);
  return since_.has_value();
}

}  // namespace opz::store
