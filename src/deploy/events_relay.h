// EventsRelay: the DeployEvents a run's parts report to. It forwards to the
// caller's DeployEvents until detach(), then drops everything: once `done`
// ran, the caller may destroy its events while the run still lingers (a
// blue_green cleanup), so nothing after done may reach them.
// Loop thread only, like the run.
#pragma once

#include "deploy/deployment_run.h"

namespace opz::deploy {

class EventsRelay final : public DeployEvents {
 public:
  explicit EventsRelay(DeployEvents& target) : target_(&target) {}

  void detach() { target_ = nullptr; }

  void log(const std::string& level, const std::string& message) override {
    if (target_) target_->log(level, message);
  }
  void output(const std::string& line, bool is_stderr) override {
    if (target_) target_->output(line, is_stderr);
  }
  void progress(const std::string& phase, const std::string& slot, int canary_weight) override {
    if (target_) target_->progress(phase, slot, canary_weight);
  }
  void probe(const ProbeRecord& probe) override {
    if (target_) target_->probe(probe);
  }

 private:
  DeployEvents* target_;
};

}  // namespace opz::deploy
