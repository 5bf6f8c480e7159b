// StreamFilter: which events one client of the stream receives (pure).
//
// An event passes when ALL hold:
//   1. its topic is among the client's topics: the ones asked for
//      (?topics=), else every topic the viewer may read;
//   2. the viewer's role may read the topic: auth::is_allowed(read_action(
//      topic), role) against the one policy table (auth/policy.h);
//   3. per-user topics: notifications only when the event's user_id is the
//      viewer (everyone, admins too, reads only their own); audit for a
//      non-admin only when the event's user_id (the actor) is the viewer
//      (the seeds' "View Audit Logs: own only");
//   4. ?execution_id= / ?project_id=: the event carries that exact id
//      (events without one, e.g. an emergency stop, do not pass).
// Asking for a topic the role may not read is kForbidden naming the topic,
// not a silently empty stream.
#pragma once

#include <optional>
#include <string>

#include "auth/role.h"
#include "core/result.h"
#include "realtime/stream_event.h"
#include "realtime/topic.h"

namespace opz::realtime {

struct Viewer {
  std::string user_id;
  auth::Role role = auth::Role::kViewer;
};

struct StreamScope {
  std::optional<std::string> execution_id;
  std::optional<std::string> project_id;
};

class StreamFilter {
 public:
  // `requested`: nullopt = every topic the viewer may read.
  static Result<StreamFilter> make(const std::optional<TopicSet>& requested, StreamScope scope,
                                   Viewer viewer);

  bool matches(const StreamEvent& event) const;
  const TopicSet& topics() const { return topics_; }
  const Viewer& viewer() const { return viewer_; }

 private:
  StreamFilter(TopicSet topics, StreamScope scope, Viewer viewer)
      : topics_(topics), scope_(std::move(scope)), viewer_(std::move(viewer)) {}

  TopicSet topics_;
  StreamScope scope_;
  Viewer viewer_;
};

// True when `role` may read `topic` at all (rule 2).
bool may_read(Topic topic, auth::Role role);

}  // namespace opz::realtime
