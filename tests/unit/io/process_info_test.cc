#include "io/process_info.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

namespace rackforge::io {
namespace {

TEST(ProcessInfoTest, ThisProcessIsAliveWithItsStartTime) {
  const ProcessOwner me = CurrentProcess();
  EXPECT_EQ(me.pid, getpid());
  EXPECT_FALSE(me.host.empty());
  EXPECT_GT(me.start_ticks, 0);
  EXPECT_EQ(ProcessStartTicks(me.pid), me.start_ticks);
  EXPECT_EQ(OwnerLiveness(me), Liveness::kAlive);
  EXPECT_EQ(OwnerLiveness({me.host, me.pid, 0}), Liveness::kAlive);  // start unknown: pid only
}

TEST(ProcessInfoTest, AReusedPidIsNotTheOwner) {
  const ProcessOwner me = CurrentProcess();
  EXPECT_EQ(OwnerLiveness({me.host, me.pid, me.start_ticks + 1}), Liveness::kGone);
}

TEST(ProcessInfoTest, ExitedAndZombieProcessesAreGone) {
  const ProcessOwner me = CurrentProcess();
  const pid_t child = fork();
  if (child == 0) _exit(0);
  // Not reaped yet: a zombie until waitpid. Wait until it has exited.
  for (int i = 0; i < 2000 && ProcessStartTicks(child) != 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(ProcessStartTicks(child), 0);
  EXPECT_EQ(OwnerLiveness({me.host, child, 0}), Liveness::kGone);
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_EQ(OwnerLiveness({me.host, child, 0}), Liveness::kGone);
  EXPECT_EQ(OwnerLiveness({me.host, 0, 0}), Liveness::kGone);
  EXPECT_EQ(OwnerLiveness({me.host, -5, 0}), Liveness::kGone);
}

TEST(ProcessInfoTest, AnotherHostCannotBeChecked) {
  EXPECT_EQ(OwnerLiveness({"not-this-host.example", getpid(), 0}), Liveness::kOtherHost);
}

}  // namespace
}  // namespace rackforge::io
