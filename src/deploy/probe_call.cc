#include "deploy/probe_call.h"

#include <utility>

namespace opz::deploy {

ProbeRecord probe_record(std::string kind, const ProbeTarget& target, const ProbeResponse& response,
                         TimePoint sent_at, bool ok, std::string error) {
  ProbeRecord record;
  record.kind = std::move(kind);
  record.target = target.name();
  record.ok = ok;
  record.latency = response.latency;
  record.status_code = response.status;
  record.error = std::move(error);
  record.at = sent_at;
  return record;
}

ProbeCall::ProbeCall(CommandCall& commands, Prober& prober, DeployTimers& timers)
    : commands_(commands), prober_(prober), timers_(timers) {}

void ProbeCall::probe(const ProbeTarget& target, std::vector<std::string> env, Done done) {
  if (!target.url.empty()) {
    http(target.url, target.timeout, std::move(done));
  } else {
    command(target.command, std::move(env), target.timeout, std::move(done));
  }
}

void ProbeCall::http(const std::string& url, Millis timeout, Done done) {
  cancel();
  auto answer = guard_.wrap(
      [done = std::move(done)](ProbeResponse response) mutable { done(std::move(response)); });
  prober_.get(url, timeout, [&timers = timers_, answer](ProbeResponse response) {
    timers.post(
        [answer, response = std::move(response)]() mutable { answer(std::move(response)); });
  });
}

void ProbeCall::command(const std::string& command, std::vector<std::string> env, Millis timeout,
                        Done done) {
  cancel();
  commands_.run(command, std::move(env), timeout, [done = std::move(done)](CommandOutcome outcome) {
    ProbeResponse response;
    response.ok = outcome.ok();
    if (!response.ok) response.error = outcome.failure();
    response.body = std::move(outcome.stdout_text);
    response.latency = outcome.result.duration;
    done(std::move(response));
  });
}

void ProbeCall::cancel() {
  guard_.invalidate();
  commands_.cancel();
}

}  // namespace opz::deploy
