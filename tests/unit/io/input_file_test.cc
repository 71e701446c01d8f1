// Input files are regular files of bounded size: FIFOs, devices and folders
// are refused without blocking, oversized files without being read.
#include "io/input_file.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "io/scenario_loader.h"
#include "unit/io/scenario_fixture.h"

namespace rackforge::io {
namespace {

using ::testing::HasSubstr;
using testing::Joined;
using testing::LoadDiagnostics;
using testing::TempScenario;

// Makes `path` a sparse file of `bytes` bytes (no disk space, no memory).
void MakeSparse(const std::string& path, off_t bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::ftruncate(fd, bytes), 0);
  ::close(fd);
}

TEST(InputFile, ReadsARegularFile) {
  TempScenario t;
  std::string problem;
  const std::optional<std::string> text = ReadInputFile(t.dir() + "/sites.csv", &problem);
  ASSERT_TRUE(text) << problem;
  EXPECT_EQ(*text, t.Read("sites.csv"));
}

TEST(InputFile, MissingFile) {
  std::string problem;
  EXPECT_FALSE(ReadInputFile("/nonexistent/x.yaml", &problem));
  EXPECT_EQ(problem, "no such file");
}

TEST(InputFile, FifoIsRefusedWithoutBlocking) {
  TempScenario t;
  const std::string fifo = t.dir() + "/pipe.yaml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string problem;
  EXPECT_FALSE(ReadInputFile(fifo, &problem));  // opening it for reading would block forever
  EXPECT_EQ(problem, "is not a regular file (a FIFO)");
}

TEST(InputFile, DevicesAndFoldersAreRefused) {
  std::string problem;
  EXPECT_FALSE(ReadInputFile("/dev/zero", &problem));
  EXPECT_EQ(problem, "is not a regular file (a character device)");
  EXPECT_FALSE(ReadInputFile("/tmp", &problem));
  EXPECT_EQ(problem, "is not a regular file (a folder)");
}

TEST(InputFile, SizeIsBounded) {
  TempScenario t;
  const std::string path = t.dir() + "/big.csv";
  MakeSparse(path, static_cast<off_t>(kMaxInputFileBytes) + 1);
  std::string problem;
  EXPECT_FALSE(ReadInputFile(path, &problem));
  EXPECT_EQ(problem, "is 67108865 bytes (more than 64 MiB)");
  // At the limit it is read.
  t.Write("eleven.txt", "0123456789\n");
  EXPECT_FALSE(ReadInputFile(t.dir() + "/eleven.txt", &problem, 10));
  EXPECT_EQ(problem, "is 11 bytes (more than 10 bytes)");
  const std::optional<std::string> text = ReadInputFile(t.dir() + "/eleven.txt", &problem, 11);
  ASSERT_TRUE(text);
  EXPECT_EQ(text->size(), 11u);
}

TEST(InputFile, ScenarioFileThatIsAFifo) {
  TempScenario t;
  t.Remove("demand.csv");
  ASSERT_EQ(::mkfifo((t.dir() + "/demand.csv").c_str(), 0600), 0);
  const std::vector<Diagnostic> d = LoadDiagnostics(t.dir());
  ASSERT_EQ(d.size(), 1u) << Joined(d);
  EXPECT_EQ(d[0].ToString(), t.dir() + "/demand.csv: is not a regular file (a FIFO)");
}

TEST(InputFile, ScenarioFileLinkedToDevZero) {
  TempScenario t;
  t.Remove("disruptions.yaml");
  std::filesystem::create_symlink("/dev/zero", t.dir() + "/disruptions.yaml");
  const std::vector<Diagnostic> d = LoadDiagnostics(t.dir());
  ASSERT_EQ(d.size(), 1u) << Joined(d);
  EXPECT_EQ(d[0].ToString(), t.dir() + "/disruptions.yaml: is not a regular file (a character device)");
}

TEST(InputFile, DesignFileThatIsAFifoOrTooLarge) {
  TempScenario t;
  ASSERT_EQ(::mkfifo((t.dir() + "/designs/gamma.yaml").c_str(), 0600), 0);
  MakeSparse(t.dir() + "/designs/huge.yaml", static_cast<off_t>(kMaxInputFileBytes) + 4096);
  const std::string text = Joined(LoadDiagnostics(t.dir()));
  EXPECT_THAT(text, HasSubstr(t.dir() + "/designs/gamma.yaml: is not a regular file (a FIFO)\n"));
  EXPECT_THAT(text, HasSubstr(t.dir() + "/designs/huge.yaml: is 67112960 bytes (more than 64 MiB)\n"));
}

TEST(InputFile, ScenarioTotalIsBoundedBeforeReading) {
  TempScenario t;
  // Nine design files just under the per-file limit: 540 MiB together (sparse,
  // and refused from their sizes alone, so the test reads none of them).
  for (int i = 0; i < 9; ++i) {
    MakeSparse(t.dir() + "/designs/big" + std::to_string(i) + ".yaml", off_t{60} << 20);
  }
  try {
    ReadScenarioFolder(t.dir());
    FAIL();
  } catch (const LoadError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].ToString(), t.dir() + ": the scenario's files add up to more than 512 MiB");
  }
}

TEST(InputFile, DisruptionsArgumentThatIsAFifo) {
  TempScenario t;
  const model::Scenario s = LoadScenario(t.dir());
  const std::string fifo = t.dir() + "/what-if.yaml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  try {
    LoadDisruptions(fifo, s);
    FAIL();
  } catch (const LoadError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].ToString(), fifo + ": is not a regular file (a FIFO)");
  }
  try {
    LoadDisruptions("/dev/zero", s);
    FAIL();
  } catch (const LoadError& e) {
    EXPECT_EQ(e.diagnostics()[0].ToString(), "/dev/zero: is not a regular file (a character device)");
  }
}

TEST(InputFile, PathsThatAreNotUtf8) {
  TempScenario t;
  const model::Scenario s = LoadScenario(t.dir());
  try {
    LoadDisruptions(t.dir() + "/what\xff.yaml", s);
    FAIL();
  } catch (const LoadError& e) {
    EXPECT_EQ(e.diagnostics()[0].ToString(), "'" + t.dir() + "/what\\xff.yaml': the file name is not valid UTF-8");
  }
  const std::string folder = t.dir() + "/sc\xe9";
  std::filesystem::create_directory(folder);
  try {
    LoadScenario(folder);
    FAIL();
  } catch (const LoadError& e) {
    EXPECT_EQ(e.diagnostics()[0].ToString(), "'" + t.dir() + "/sc\\xe9': the folder name is not valid UTF-8");
  }
}

}  // namespace
}  // namespace rackforge::io
