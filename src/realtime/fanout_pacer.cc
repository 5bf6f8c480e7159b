#include "realtime/fanout_pacer.h"

#include <algorithm>

namespace opz::realtime {

std::chrono::microseconds FanoutPacer::fanned_out(size_t clients) {
  const std::chrono::microseconds charge =
      std::min(per_client_ * static_cast<int64_t>(clients), max_charge_);
  const std::chrono::microseconds paid = std::min(charge, credit_);
  credit_ -= paid;
  return charge - paid;
}

void FanoutPacer::idled(std::chrono::microseconds idle) {
  if (idle.count() <= 0) return;
  credit_ = std::min(credit_ + idle, max_charge_);
}

}  // namespace opz::realtime
