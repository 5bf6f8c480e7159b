// spawn_process: starts `/bin/sh -c command` as a child in its own process
// group, the one place in Opzenix that creates processes.
//
// The child gets: stdin from /dev/null; stdout and stderr on two fresh pipes;
// exactly spec.env as its environment (PATH=kDefaultPath added when absent);
// spec.cwd as working directory; no file descriptors besides 0, 1 and 2 (all
// others are closed in the child, whatever their close-on-exec flag); an empty
// signal mask and default dispositions for signals 1..31 and the real-time
// ones (a server that ignores SIGPIPE must not pass that on; glibc keeps its
// two internal signals 32 and 33 ignored); process group id = its own pid.
//
// spec.nice > 0: the child's niceness is raised by that much (at most to 19)
// right after the spawn, by setpriority on its pid (posix_spawn has no
// attribute for it). The spawn returns once the child has exec'd /bin/sh, so
// only the shell's first instructions run at the parent's priority: the
// command it execs keeps the pid and gets the niceness too, and so does
// everything the shell starts after that (a process it forked in those
// first microseconds would not). Best effort: a child that already exited
// stays as it was.
//
// The parent's ends are O_CLOEXEC and O_NONBLOCK; the pidfd is O_CLOEXEC.
// Thread-safe (posix_spawn with file actions; no shared state).
#pragma once

#include <sys/types.h>

#include "core/result.h"
#include "runner/process_spec.h"
#include "runner/unique_fd.h"

namespace opz::runner {

struct SpawnedProcess {
  pid_t pid = -1;  // also the process group id
  UniqueFd pidfd;  // readable once the process exited (still to be reaped)
  UniqueFd stdout_fd;
  UniqueFd stderr_fd;
};

// Errors: kValidation for a spec that cannot be run (NUL in the command, an
// env entry without '=', nice outside 0..19), kNotFound for a missing working
// directory, kInternal for other spawn failures (message names the failing
// step and errno text).
Result<SpawnedProcess> spawn_process(const ProcessSpec& spec);

}  // namespace opz::runner
