#pragma once
// CPU time of the calling thread, for the debug logs of long solves: on a
// shared machine wall time says little. Header only (the solver layer links
// no rackforge library).

#include <ctime>

namespace rackforge::common {

/// CPU seconds used so far by the calling thread (CLOCK_THREAD_CPUTIME_ID).
inline double ThreadCpuSeconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

}  // namespace rackforge::common
