#pragma once
// Which process owns something (a stored run, a temporary output folder) and
// whether that process still exists: host name, pid and the process's start
// time from /proc/PID/stat (clock ticks since boot), so that a reused pid is
// not taken for the original owner. Linux only; thread-safe (no state).

#include <cstdint>
#include <string>

namespace rackforge::io {

struct ProcessOwner {
  std::string host;         // gethostname()
  int64_t pid = 0;          // 0 = unknown owner
  int64_t start_ticks = 0;  // field 22 of /proc/PID/stat; 0 = unknown
};

/// This process.
ProcessOwner CurrentProcess();

/// The start time of `pid` from /proc, or 0 when there is no such process (or it has exited: a zombie).
int64_t ProcessStartTicks(int64_t pid);

enum class Liveness { kAlive, kGone, kOtherHost };

/// kOtherHost when `owner.host` is not this host (cannot be checked); kGone
/// when no process with that pid exists here, or one exists that started at
/// another time than `owner.start_ticks` (pid reused; only compared when both are known);
/// kAlive otherwise. An owner with pid <= 0 on this host is kGone.
Liveness OwnerLiveness(const ProcessOwner& owner);

}  // namespace rackforge::io
