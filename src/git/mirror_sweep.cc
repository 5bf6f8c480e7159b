#include "git/mirror_sweep.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

namespace opz::git {

namespace fs = std::filesystem;

namespace {

TimePoint modified_at(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return TimePoint::max();  // gone: nothing to remove
  return TimePoint{std::chrono::seconds(st.st_mtim.tv_sec) +
                   std::chrono::duration_cast<TimePoint::duration>(
                       std::chrono::nanoseconds(st.st_mtim.tv_nsec))};
}

// Removes `mirror` if its lock is free and it is still unused past `before`
// (checked again under the lock: a checkout may have used it meanwhile).
bool remove_if_unused(const fs::path& mirror, TimePoint before) {
  const std::string lock_path = mirror.string() + ".lock";
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  bool removed = false;
  if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
    if (modified_at(mirror) < before) {
      std::error_code ec;
      fs::remove_all(mirror, ec);
      removed = !ec;
    }
    ::flock(fd, LOCK_UN);
  }
  ::close(fd);
  return removed;
}

}  // namespace

std::vector<std::string> remove_unused_mirrors(const std::string& root, TimePoint now,
                                               std::chrono::milliseconds unused_for) {
  std::vector<std::string> removed;
  std::error_code ec;
  fs::directory_iterator it(fs::path(root) / "mirrors", ec);
  if (ec) return removed;
  const TimePoint before = now - unused_for;
  for (const fs::directory_entry& entry : it) {
    if (entry.path().extension() != ".git" || !entry.is_directory(ec)) continue;
    if (modified_at(entry.path()) >= before) continue;
    if (remove_if_unused(entry.path(), before)) removed.push_back(entry.path().string());
  }
  return removed;
}

}  // namespace opz::git
