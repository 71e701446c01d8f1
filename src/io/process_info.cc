#include "io/process_info.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <fstream>
#include <sstream>

namespace rackforge::io {

namespace {

std::string HostName() {
  char name[HOST_NAME_MAX + 1] = {};
  if (gethostname(name, sizeof(name) - 1) != 0) return "";
  return name;
}

struct ProcStat {
  bool found = false;
  char state = '?';
  int64_t start_ticks = 0;
};

// Fields 3 (state) and 22 (starttime) of /proc/PID/stat.
ProcStat ReadProcStat(int64_t pid) {
  ProcStat out;
  if (pid <= 0) return out;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!in || !std::getline(in, stat)) return out;
  // "PID (COMM) STATE ..." — COMM may hold spaces and ')', so count fields after the last ')'.
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return out;
  std::istringstream fields(stat.substr(close + 1));
  std::string field;
  for (int i = 3; i <= 22; ++i) {
    if (!(fields >> field)) return out;
    if (i == 3) out.state = field.empty() ? '?' : field[0];
  }
  try {
    out.start_ticks = std::stoll(field);
  } catch (const std::exception&) {
    return out;
  }
  out.found = true;
  return out;
}

}  // namespace

int64_t ProcessStartTicks(int64_t pid) {
  const ProcStat stat = ReadProcStat(pid);
  return stat.found && stat.state != 'Z' && stat.state != 'X' ? stat.start_ticks : 0;
}

ProcessOwner CurrentProcess() {
  const int64_t pid = getpid();
  return {HostName(), pid, ProcessStartTicks(pid)};
}

Liveness OwnerLiveness(const ProcessOwner& owner) {
  if (owner.host != HostName()) return Liveness::kOtherHost;
  if (owner.pid <= 0 || owner.pid > INT_MAX) return Liveness::kGone;
  if (kill(static_cast<pid_t>(owner.pid), 0) != 0 && errno == ESRCH) return Liveness::kGone;
  const ProcStat stat = ReadProcStat(owner.pid);
  if (!stat.found) return Liveness::kAlive;  // exists (kill said so) but /proc is unreadable: assume alive
  if (stat.state == 'Z' || stat.state == 'X') return Liveness::kGone;  // exited, not yet reaped
  if (owner.start_ticks != 0 && stat.start_ticks != owner.start_ticks) return Liveness::kGone;
  return Liveness::kAlive;
}

}  // namespace rackforge::io
