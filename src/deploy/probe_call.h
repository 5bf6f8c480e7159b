// ProbeCall: one probe — an HTTP GET through the Prober or a shell command
// through CommandCall — answered as a ProbeResponse on the deploy loop's
// thread. For a command: ok = exited 0 (within the timeout), body = its
// stdout, latency = its run time. Health checks and canary analysis judge the
// response; this only fetches it.
//
// Threading: loop thread only; the Prober's answer (any thread) is posted
// through DeployTimers::post. At most one probe at a time: a new one or
// cancel() drops the answer of the previous one.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "deploy/callback_guard.h"
#include "deploy/command_call.h"
#include "deploy/deployment_run.h"

namespace opz::deploy {

// What one probe asks for: an HTTP GET of `url` when set, else `command`.
struct ProbeTarget {
  std::string url;
  std::string command;
  Millis timeout{0};
  const std::string& name() const { return url.empty() ? command : url; }
};

// The record of a probe sent at `sent_at` that got `response`, judged `ok`
// (or failed with `error`); the caller adds a sample's value.
ProbeRecord probe_record(std::string kind, const ProbeTarget& target, const ProbeResponse& response,
                         TimePoint sent_at, bool ok, std::string error);

class ProbeCall {
 public:
  using Done = std::function<void(ProbeResponse)>;

  ProbeCall(CommandCall& commands, Prober& prober, DeployTimers& timers);

  // `env`: the environment of a command probe.
  void probe(const ProbeTarget& target, std::vector<std::string> env, Done done);
  void cancel();

 private:
  void http(const std::string& url, Millis timeout, Done done);
  void command(const std::string& command, std::vector<std::string> env, Millis timeout, Done done);

  CommandCall& commands_;
  Prober& prober_;
  DeployTimers& timers_;
  CallbackGuard guard_;
};

}  // namespace opz::deploy
