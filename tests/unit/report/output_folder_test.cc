// OutputFolder: leftovers of killed runs are removed, those of live processes kept.

#include "report/output_folder.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/errors.h"
#include "io/process_info.h"

namespace rackforge::report {
namespace {

namespace fs = std::filesystem;

std::string MakeTempDir() {
  std::string pattern = (fs::temp_directory_path() / "rf-outdir-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

int64_t DeadPid() {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  int status = 0;
  waitpid(child, &status, 0);
  return child;
}

void MakeFolderWithFile(const fs::path& dir) {
  fs::create_directories(dir);
  std::ofstream(dir / "plan.json") << "{}";
}

TEST(OutputFolderTest, RemovesTemporaryFoldersOfDeadProcessesOnly) {
  const fs::path root = MakeTempDir();
  const io::ProcessOwner me = io::CurrentProcess();
  const int64_t dead = DeadPid();
  const fs::path dead_tmp = root / (".out.tmp-" + std::to_string(dead) + "-s123-0");
  const fs::path dead_old = root / ("out.old-" + std::to_string(dead) + "-s123-4");
  const fs::path dead_legacy = root / (".out.tmp-" + std::to_string(dead) + "-987654-2");  // older name format
  const fs::path reused_pid =
      root / (".out.tmp-" + std::to_string(me.pid) + "-s" + std::to_string(me.start_ticks + 1) + "-0");
  const fs::path live = root / (".out.tmp-" + std::to_string(me.pid) + "-s" + std::to_string(me.start_ticks) + "-9");
  const fs::path other_dir = root / (".other.tmp-" + std::to_string(dead) + "-s1-0");  // another DIR's
  const fs::path not_ours = root / ".out.tmp-notes";
  for (const fs::path& p : {dead_tmp, dead_old, dead_legacy, reused_pid, live, other_dir, not_ours})
    MakeFolderWithFile(p);

  {
    OutputFolder folder((root / "out").string());
    folder.WriteText("plan.json", "{}\n");
    folder.Commit();
  }
  EXPECT_FALSE(fs::exists(dead_tmp));
  EXPECT_FALSE(fs::exists(dead_old));
  EXPECT_FALSE(fs::exists(dead_legacy));
  EXPECT_FALSE(fs::exists(reused_pid));
  EXPECT_TRUE(fs::exists(live));
  EXPECT_TRUE(fs::exists(other_dir));
  EXPECT_TRUE(fs::exists(not_ours));
  EXPECT_TRUE(fs::exists(root / "out" / "plan.json"));
  fs::remove_all(root);
}

TEST(OutputFolderTest, CheckLeavesNothingBehindAndRejectsBadTargets) {
  const fs::path root = MakeTempDir();
  CheckOutputFolder((root / "sub" / "out").string());
  EXPECT_FALSE(fs::exists(root / "sub" / "out"));
  size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(root / "sub")) ++entries;
  EXPECT_EQ(entries, 0u);  // no temporary folder left
  std::ofstream(root / "file") << "x";
  EXPECT_THROW(CheckOutputFolder((root / "file").string()), common::UsageError);
  EXPECT_THROW(CheckOutputFolder((root / "file" / "out").string()), common::UsageError);
  EXPECT_THROW(CheckOutputFolder("/proc/rackforge-out"), common::UsageError);
  fs::remove_all(root);
}

}  // namespace
}  // namespace rackforge::report
