#include "io/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rackforge::io {

namespace {

const char* KindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a plain file";
}

std::string Limit(size_t max_bytes) {
  return max_bytes % (size_t{1} << 20) == 0 ? std::to_string(max_bytes >> 20) + " MiB"
                                            : std::to_string(max_bytes) + " bytes";
}

std::string SizeProblem(unsigned long long bytes, size_t max_bytes) {
  return "is " + std::to_string(bytes) + " bytes (more than " + Limit(max_bytes) + ")";
}

// Closes a descriptor on every path out.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

bool PathExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

std::optional<std::string> ReadInputFile(const std::string& path, std::string* problem, size_t max_bytes) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    *problem = errno == ENOENT ? "no such file" : std::string("cannot be read: ") + std::strerror(errno);
    return std::nullopt;
  }
  if (!S_ISREG(st.st_mode)) {
    *problem = std::string("is not a regular file (") + KindOf(st.st_mode) + ")";
    return std::nullopt;
  }
  if (static_cast<unsigned long long>(st.st_size) > max_bytes) {
    *problem = SizeProblem(static_cast<unsigned long long>(st.st_size), max_bytes);
    return std::nullopt;
  }
  Fd file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
  if (file.fd < 0) {
    *problem = std::string("cannot be read: ") + std::strerror(errno);
    return std::nullopt;
  }
  if (::fstat(file.fd, &st) != 0 || !S_ISREG(st.st_mode)) {  // replaced since the stat above
    *problem = std::string("is not a regular file (") + KindOf(st.st_mode) + ")";
    return std::nullopt;
  }
  std::string text;
  text.resize(std::min<size_t>(static_cast<size_t>(st.st_size), max_bytes) + 1);
  size_t used = 0;
  while (true) {
    if (used == text.size()) {
      if (used > max_bytes) break;
      text.resize(std::min(max_bytes + 1, text.size() * 2));
    }
    const ssize_t n = ::read(file.fd, text.data() + used, text.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *problem = std::string("cannot be read: ") + std::strerror(errno);
      return std::nullopt;
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  if (used > max_bytes) {
    *problem = "grew past " + Limit(max_bytes) + " while being read";
    return std::nullopt;
  }
  text.resize(used);
  return text;
}

}  // namespace rackforge::io
