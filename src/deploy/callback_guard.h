// CallbackGuard: drops callbacks that arrive after their issuer moved on.
// A deployment waits on processes, probes and timers whose callbacks may come
// late (a cancelled process still exits; a timer still fires after cancel()).
// Each callback wrapped here remembers the guard's generation when it was
// issued and does nothing once invalidate() ran (or the guard was destroyed),
// so the issuer never sees a stale answer and may be gone by then.
//
// Single-threaded: wrap(), invalidate() and calling the wrapped callbacks all
// happen on the deploy loop's thread. Wrapped callbacks may be copied to and
// destroyed on other threads (they only share the counter's ownership).
#pragma once

#include <cstdint>
#include <memory>
#include <utility>

namespace opz::deploy {

class CallbackGuard {
 public:
  CallbackGuard() = default;
  ~CallbackGuard() { invalidate(); }
  CallbackGuard(const CallbackGuard&) = delete;
  CallbackGuard& operator=(const CallbackGuard&) = delete;

  template <typename F>
  auto wrap(F callback) {
    return [generation = generation_, issued = *generation_,
            callback = std::move(callback)](auto&&... args) mutable {
      if (*generation == issued) callback(std::forward<decltype(args)>(args)...);
    };
  }

  // Every callback wrapped so far becomes a no-op.
  void invalidate() { ++*generation_; }

 private:
  std::shared_ptr<uint64_t> generation_ = std::make_shared<uint64_t>(0);
};

}  // namespace opz::deploy
