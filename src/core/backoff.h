// Exponential backoff: the delay before retry number `attempt`, doubling from
// `initial` and capped at `max`. Pure arithmetic shared by every retry
// schedule (pipeline node retries, GitHub status/dispatch retries), so that
// "2s -> 4s -> 8s -> 16s -> 32s -> 60s" means the same thing everywhere.
//
// attempt 1 waits `initial`, attempt 2 waits 2*initial, ... never more than
// `max`; attempts below 1 count as 1. Overflow-safe for any attempt number.
// No clock, no randomness (callers that want jitter add it themselves).
#pragma once

#include <chrono>

namespace opz {

constexpr std::chrono::milliseconds exponential_backoff(int attempt,
                                                        std::chrono::milliseconds initial,
                                                        std::chrono::milliseconds max) {
  if (initial.count() <= 0) return std::chrono::milliseconds{0};
  if (max < initial) return max.count() > 0 ? max : std::chrono::milliseconds{0};
  std::chrono::milliseconds delay = initial;
  for (int i = 1; i < attempt; ++i) {
    if (delay > max - delay) return max;  // doubling would pass the cap
    delay *= 2;
  }
  return delay < max ? delay : max;
}

}  // namespace opz
