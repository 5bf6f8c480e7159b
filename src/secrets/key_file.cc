#include "secrets/key_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace opz::secrets {

namespace {

std::string errno_text(int err) { return std::strerror(err); }

Status write_all(int fd, std::string_view text, const std::string& path) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::internal("cannot write " + path + ": " + errno_text(errno));
    }
    text.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

// Writes and syncs `text` into the new file `fd`, closes it; unlinks on failure.
Status fill_and_close(int fd, const std::string& path, std::string_view text) {
  Status written = write_all(fd, text, path);
  if (written.ok() && ::fsync(fd) != 0)
    written = Error::internal("cannot sync " + path + ": " + errno_text(errno));
  ::close(fd);
  if (!written.ok()) ::unlink(path.c_str());
  return written;
}

std::string directory_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

Result<std::string> read_private_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Error::not_found(path + " does not exist");
    return Error::internal("cannot open " + path + ": " + errno_text(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return Error::internal("cannot stat " + path + ": " + errno_text(err));
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return Error::forbidden(path + " may be read by group or others; run: chmod 600 " + path);
  }
  std::string text;
  char buf[512];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      sodium_memzero(text.data(), text.size());
      return Error::internal("cannot read " + path + ": " + errno_text(err));
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > kMaxKeyFileBytes) {
      ::close(fd);
      sodium_memzero(text.data(), text.size());
      return Error::validation(path + " is too large to be a key file");
    }
  }
  sodium_memzero(buf, sizeof buf);
  ::close(fd);
  return text;
}

Status create_private_file(const std::string& path, std::string_view text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Error::conflict(path + " already exists");
    return Error::internal("cannot create " + path + ": " + errno_text(errno));
  }
  return fill_and_close(fd, path, text);
}

Status replace_private_file(const std::string& path, std::string_view text) {
  const std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());  // a leftover of an interrupted replace
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Error::internal("cannot create " + tmp + ": " + errno_text(errno));
  OPZ_TRY_STATUS(fill_and_close(fd, tmp, text));
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Error::internal("cannot replace " + path + ": " + errno_text(err));
  }
  const std::string dir = directory_of(path);
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    (void)::fsync(dfd);
    ::close(dfd);
  }
  return {};
}

}  // namespace opz::secrets
