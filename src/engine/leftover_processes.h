// Leftover processes: after a crash, the step processes a dead server left
// running are found and killed before their nodes run again.
//
// Every step process (and everything it forks, unless it scrubs its
// environment) carries OPZENIX_EXECUTION_ID=<id> in its environment, so the
// leftovers of an execution are the processes whose /proc/<pid>/environ holds
// that entry. This also finds processes that left their process group
// (setsid), and never hits an unrelated process that happens to reuse a pid
// or group id. Processes of other users are not readable and not touched;
// the calling process itself is never killed.
// Thread-safe (no shared state); blocking (/proc reads), bounded by the
// number of processes on the machine.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace opz::engine {

// Pids of processes whose environment has OPZENIX_EXECUTION_ID=`execution_id`,
// except a remote agent's steps (OPZENIX_AGENT_JOB_ID set) on the same machine.
// `proc_root` is "/proc" except in tests.
std::vector<pid_t> find_execution_processes(const std::string& execution_id,
                                            const std::string& proc_root = "/proc");

// SIGKILLs every process find_execution_processes() answers (and its process
// group when the process leads one). Answers how many processes were killed.
int kill_execution_processes(const std::string& execution_id);

}  // namespace opz::engine
