#include "runner/running_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace opz::runner {
namespace {

// Reads per readiness event and pipe: 4 x 64 KiB, then other processes get a turn.
constexpr int kReadsPerEvent = 4;
// Reads at the end of the drain or at shutdown: bounded, since a process that
// escaped the group may still be writing.
constexpr int kFinalReads = 16;

std::chrono::milliseconds since(SteadyTime start, SteadyTime now) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(now - start);
}

}  // namespace

RunningProcess::RunningProcess(ProcessId id, const ProcessSpec& spec, SpawnedProcess spawned,
                               std::shared_ptr<const ProcessCallbacks> callbacks,
                               SteadyTime started, int epoll_fd)
    : id_(id),
      pid_(spawned.pid),
      kill_grace_(spec.kill_grace),
      callbacks_(std::move(callbacks)),
      started_(started),
      epoll_fd_(epoll_fd),
      pidfd_(std::move(spawned.pidfd)),
      stdout_(std::move(spawned.stdout_fd)),
      stderr_(std::move(spawned.stderr_fd)),
      capture_(spec.log_cap_bytes) {
  if (spec.timeout.count() > 0) timeout_at_ = started + spec.timeout;
}

RunningProcess::~RunningProcess() {
  // Normally done() already; otherwise (a failed watch()) make sure nothing of
  // the child outlives us.
  if (!exited_) {
    signal_group(SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  close_watched(pidfd_);
  close_watched(stdout_);
  close_watched(stderr_);
}

Status RunningProcess::watch() {
  const std::pair<UniqueFd*, EventSource> sources[] = {
      {&stdout_, EventSource::kStdout},
      {&stderr_, EventSource::kStderr},
      {&pidfd_, EventSource::kExit},
  };
  for (size_t i = 0; i < std::size(sources); ++i) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = event_token(id_, sources[i].second);
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, sources[i].first->get(), &ev) != 0) {
      const int err = errno;
      for (size_t j = 0; j < i; ++j) {
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, sources[j].first->get(), nullptr);
      }
      return Error::internal(std::string("epoll_ctl: ") + std::strerror(err));
    }
  }
  return ok_status();
}

void RunningProcess::on_event(EventSource source, std::span<char> scratch, SteadyTime now,
                              TimePoint wall) {
  switch (source) {
    case EventSource::kStdout:
      read_pipe(Stream::kStdout, scratch, now, wall, kReadsPerEvent);
      return;
    case EventSource::kStderr:
      read_pipe(Stream::kStderr, scratch, now, wall, kReadsPerEvent);
      return;
    case EventSource::kExit:
      reap(now, /*block=*/false);
      return;
  }
}

void RunningProcess::request_stop(StopReason reason, SteadyTime now) {
  if (stop_requested_ || exited_) return;
  stop_requested_ = true;
  (reason == StopReason::kTimeout ? result_.timed_out : result_.cancelled) = true;
  if (kill_grace_.count() <= 0) {
    signal_group(SIGKILL);
    return;
  }
  signal_group(SIGTERM);
  signal_group(SIGCONT);  // a stopped process could not act on SIGTERM
  kill_at_ = now + kill_grace_;
}

void RunningProcess::on_deadline(SteadyTime now, std::span<char> scratch, TimePoint wall) {
  if (timeout_at_ && *timeout_at_ <= now) {
    timeout_at_.reset();
    request_stop(StopReason::kTimeout, now);
  }
  if (kill_at_ && *kill_at_ <= now) {
    kill_at_.reset();
    if (!exited_) signal_group(SIGKILL);
  }
  if (resume_at_ && *resume_at_ <= now) {
    unpark_all();
    for (Stream stream : {Stream::kStdout, Stream::kStderr}) {
      read_pipe(stream, scratch, now, wall, kReadsPerEvent);
    }
  }
  if (drain_until_ && *drain_until_ <= now) {
    drain_until_.reset();
    for (Stream stream : {Stream::kStdout, Stream::kStderr}) {
      read_pipe(stream, scratch, now, wall, kFinalReads);
      close_watched(pipe_of(stream));
    }
  }
}

std::array<std::optional<SteadyTime>, 4> RunningProcess::take_new_deadlines() {
  const std::optional<SteadyTime> current[] = {timeout_at_, kill_at_, drain_until_, resume_at_};
  std::array<std::optional<SteadyTime>, 4> fresh;
  for (size_t i = 0; i < fresh.size(); ++i) {
    if (current[i] && current[i] != queued_[i]) {
      queued_[i] = current[i];
      fresh[i] = current[i];
    }
  }
  return fresh;
}

void RunningProcess::kill_now(std::span<char> scratch, SteadyTime now, TimePoint wall) {
  if (!exited_) {
    if (!stop_requested_) result_.cancelled = true;
    stop_requested_ = true;
    signal_group(SIGKILL);
    reap(now, /*block=*/true);
  }
  for (Stream stream : {Stream::kStdout, Stream::kStderr}) {
    read_pipe(stream, scratch, now, wall, kFinalReads);
    close_watched(pipe_of(stream));
  }
  drain_until_.reset();
}

ProcessResult RunningProcess::result() const {
  ProcessResult r = result_;
  r.log_bytes = capture_.log_bytes();
  r.dropped_bytes = capture_.dropped_bytes();
  r.log_truncated = capture_.truncated();
  return r;
}

void RunningProcess::read_pipe(Stream stream, std::span<char> scratch, SteadyTime now,
                               TimePoint wall, int max_reads) {
  UniqueFd& fd = pipe_of(stream);
  for (int i = 0; i < max_reads && fd; ++i) {
    const ssize_t n = ::read(fd.get(), scratch.data(), scratch.size());
    if (n > 0) {
      capture_.append(stream, std::string_view(scratch.data(), static_cast<size_t>(n)), wall);
      if (static_cast<size_t>(n) < scratch.size()) {  // the pipe is empty now
        park(stream, now);
        return;
      }
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      park(stream, now);
      return;
    }
    close_watched(fd);  // EOF, or an error no further read would cure
  }
}

void RunningProcess::park(Stream stream, SteadyTime now) {
  const int s = static_cast<int>(stream);
  UniqueFd& fd = pipe_of(stream);
  if (!capture_.truncated() || exited_ || parked_[s] || !fd) return;
  if (!pipes_enlarged_[s]) {
    pipes_enlarged_[s] = true;
    // May fail (EPERM past the user's pipe-buffer limit): the pause still
    // works with the default 64 KiB, the child is just slowed down more.
    ::fcntl(fd.get(), F_SETPIPE_SZ, kFloodPipeBytes);
  }
  if (!set_watch(fd, static_cast<EventSource>(s), false)) return;
  parked_[s] = true;
  if (!resume_at_) resume_at_ = now + kFloodReadInterval;
}

void RunningProcess::unpark_all() {
  for (Stream stream : {Stream::kStdout, Stream::kStderr}) {
    const int s = static_cast<int>(stream);
    if (!parked_[s]) continue;
    parked_[s] = false;
    UniqueFd& fd = pipe_of(stream);
    if (fd && !set_watch(fd, static_cast<EventSource>(s), true)) {
      close_watched(fd);  // cannot happen for a registered fd; never leave it unread
    }
  }
  resume_at_.reset();
}

bool RunningProcess::set_watch(const UniqueFd& fd, EventSource source, bool enabled) {
  epoll_event ev{};
  ev.events = enabled ? static_cast<uint32_t>(EPOLLIN)
                      : 0u;  // 0: only EPOLLHUP/EPOLLERR, which are rare here
  ev.data.u64 = event_token(id_, source);
  return ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd.get(), &ev) == 0;
}

void RunningProcess::reap(SteadyTime now, bool block) {
  if (exited_) return;
  // First look without reaping: the group is killed while its leader is still
  // a zombie, so -pid_ cannot name anybody else's group yet.
  siginfo_t info{};
  int rc;
  do {
    rc = ::waitid(P_PIDFD, static_cast<id_t>(pidfd_.get()), &info,
                  WEXITED | WNOWAIT | (block ? 0 : WNOHANG));
  } while (rc != 0 && errno == EINTR);
  if (rc == 0 && info.si_pid == 0) return;  // still running (spurious readiness)
  // Whatever the main process left in its group (`sleep 30 &`) dies with it.
  signal_group(SIGKILL);
  if (rc == 0) {
    do {
      rc = ::waitid(P_PIDFD, static_cast<id_t>(pidfd_.get()), &info, WEXITED);
    } while (rc != 0 && errno == EINTR);
  }
  if (rc != 0) {
    // ECHILD: someone else reaped our child (a waitpid(-1) elsewhere in the
    // process, which local_runner.h forbids). Report what we know.
    result_.error = std::string("waitid: ") + std::strerror(errno);
  } else if (info.si_code == CLD_EXITED) {
    result_.exit_code = info.si_status;
  } else {
    result_.exit_code = -1;
    result_.signal = info.si_status;
  }
  exited_ = true;
  unpark_all();  // the group is gone: read the rest promptly
  result_.duration = since(started_, now);
  timeout_at_.reset();
  kill_at_.reset();
  close_watched(pidfd_);
  if (stdout_ || stderr_) drain_until_ = now + kDrainAfterExit;
}

void RunningProcess::close_watched(UniqueFd& fd) {
  if (!fd) return;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd.get(), nullptr);
  fd.reset();
}

void RunningProcess::signal_group(int sig) const {
  if (pid_ > 0) ::kill(-pid_, sig);  // ESRCH: the group is already gone
}

}  // namespace opz::runner
