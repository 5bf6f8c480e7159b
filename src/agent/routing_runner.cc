#include "agent/routing_runner.h"

namespace opz::agent {

RoutingRunner::RoutingRunner(runner::Runner& local, RemoteRunner& remote, AgentAvailable available,
                             bool local_fallback)
    : local_(local), remote_(remote), available_(std::move(available)),
      local_fallback_(local_fallback) {}

runner::ProcessId RoutingRunner::start(runner::ProcessSpec spec, runner::ProcessCallbacks cb) {
  const bool remote =
      !spec.runs_on.empty() && (!local_fallback_ || (available_ && available_(spec.runs_on)));
  if (remote) return remote_.start(std::move(spec), std::move(cb));
  return local_.start(std::move(spec), std::move(cb));
}

void RoutingRunner::cancel(runner::ProcessId id) {
  if (id >= kRemoteIdBase) {
    remote_.cancel(id);
  } else {
    local_.cancel(id);
  }
}

runner::Adoption RoutingRunner::adopt(const runner::AdoptRequest& request,
                                      runner::ProcessCallbacks cb) {
  return remote_.adopt(request, std::move(cb));
}

size_t RoutingRunner::running() const { return local_.running() + remote_.running(); }

}  // namespace opz::agent
