// FanoutPacer: how long the event hub waits before its next read.
//
// A fan-out has a fixed cost per client whatever it carries (about 20 us of
// server CPU: a locked write, a transport wake-up, a socket write, and as
// much again in the client; EventHubOptions). With 1,000 clients and the
// engine committing events hundreds of times a second, back-to-back reads
// would spend two cores on that alone. So each fan-out to N clients is
// charged N x per_client of waiting (at most max_charge) before the next
// read, and under a steady stream each read carries more events instead of
// costing more.
//
// Credit: time the hub spent idle (waiting for an event, not for the pacer)
// is saved, up to max_charge, and pays a charge first. A steady stream has
// no idle time and is paced exactly as above; but after a quiet spell the
// first fan-out's charge is already paid, so an event that comes right
// behind it (a step's `succeeded` and the next step's `running` a few ms
// apart) goes out at once instead of waiting a whole charge (40 ms with
// 1,000 clients). Over any span the fan-outs' charges never exceed the idle
// time plus one max_charge, so the bound on the fixed cost's share holds.
//
// Plain arithmetic, no clock: the caller says what happened. Not
// thread-safe (the hub's tail thread owns it).
#pragma once

#include <chrono>
#include <cstddef>

namespace opz::realtime {

class FanoutPacer {
 public:
  FanoutPacer(std::chrono::microseconds per_client, std::chrono::microseconds max_charge)
      : per_client_(per_client), max_charge_(max_charge) {}

  // A read wrote to `clients` clients: answers how long to wait before the
  // next read (its charge, less the credit that paid for it).
  std::chrono::microseconds fanned_out(size_t clients);
  // The hub waited `idle` for an event (not for the pacer): saved as credit.
  void idled(std::chrono::microseconds idle);

  std::chrono::microseconds credit() const { return credit_; }

 private:
  std::chrono::microseconds per_client_;
  std::chrono::microseconds max_charge_;
  std::chrono::microseconds credit_{0};
};

}  // namespace opz::realtime
