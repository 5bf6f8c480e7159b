// ignored_at_intake: whether a verified webhook delivery starts nothing, known
// from its payload and its project's rules alone — no I/O, no engine — so the
// receiver can store it with its outcome in the same transaction as the row
// and answer it at once, instead of queuing it for the worker
// (trigger/delivery_receiver.h). A push to a branch no rule maps (a
// developer's work branch) is the most common delivery there is; it then
// costs one transaction instead of two and no worker hop.
//
// Contract: when this answers a reason, DeliveryProcessor would record the
// delivery `ignored` with exactly that reason (a test holds the two side by
// side: DeliveryProcessorTest.WhatIntakeSettlesIsWhatTheWorkerRecords). It answers nullopt —
// the worker decides — whenever the outcome needs more than the payload and
// the rules: an event that may start an execution, a ping (processed), a
// finished workflow run (something may wait for it), a tag event naming no
// commit (resolved from the repository), and a branch push to a project with
// path filters (the changed files may have to come from the git mirror, and
// their verdict comes before the mapping's). Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "github/trigger_decision.h"
#include "github/webhook_event.h"
#include "governance/branch_mapper.h"

namespace opz::trigger {

std::optional<std::string> ignored_at_intake(const github::WebhookEvent& event,
                                             const github::TriggerDecision& decision,
                                             const std::vector<std::string>& path_filters,
                                             const governance::BranchMapper& mapper);

}  // namespace opz::trigger
