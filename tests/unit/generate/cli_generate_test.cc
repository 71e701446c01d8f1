// `rackforge generate` end to end through the built executable: exit codes,
// the JSON summary on stdout, and the refusal to overwrite a foreign folder.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

namespace {

namespace fs = std::filesystem;

struct CliRun {
  int exit_code = -1;
  std::string out;
};

CliRun RunCli(const std::string& args) {
  const std::string command = std::string(RACKFORGE_BINARY) + " " + args + " 2>/dev/null";
  CliRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) run.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

TEST(GenerateCli, WritesTheScenarioAndPrintsJson) {
  const fs::path dir = fs::temp_directory_path() / "rf-generate-cli";
  fs::remove_all(dir);
  const CliRun run = RunCli("generate " + dir.string() +
                            " --plants 2 --designs 2 --components 30 --suppliers 6 --weeks 10 --sites 3 --seed 5"
                            " --design-space-slots 2 --json");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const nlohmann::json j = nlohmann::json::parse(run.out);
  EXPECT_EQ(j.at("out"), dir.string());
  EXPECT_EQ(j.at("seed"), 5);
  EXPECT_EQ(j.at("counts").at("components"), 30);
  EXPECT_EQ(j.at("counts").at("lanes"), 6);  // plant-01 serves all 3 sites; plant-02 skips none of 3
  EXPECT_THAT(j.at("files").get<std::vector<std::string>>(),
              testing::IsSupersetOf({"scenario.yaml", "designs/g01.yaml", "designs/g02.yaml", "design_space.yaml"}));
  EXPECT_TRUE(fs::exists(dir / "design_space.yaml"));
  fs::remove_all(dir);
}

TEST(GenerateCli, ForeignFolderAndBadSizeExitTwo) {
  const fs::path dir = fs::temp_directory_path() / "rf-generate-cli-foreign";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "keep.txt") << "x";
  EXPECT_EQ(RunCli("generate " + dir.string()).exit_code, 2);
  EXPECT_EQ(RunCli("generate " + (dir / "new").string() + " --components 3").exit_code, 2);
  EXPECT_FALSE(fs::exists(dir / "new"));
  EXPECT_TRUE(fs::exists(dir / "keep.txt"));
  fs::remove_all(dir);
}

// OUT also as --out DIR (as plan, risk and simulate take it): the same files; both at once is a usage error.
TEST(GenerateCli, OutAsOptionWritesTheSameFiles) {
  const fs::path a = fs::temp_directory_path() / "rf-generate-cli-pos";
  const fs::path b = fs::temp_directory_path() / "rf-generate-cli-opt";
  const fs::path c = fs::temp_directory_path() / "rf-generate-cli-both";
  for (const fs::path& d : {a, b, c}) fs::remove_all(d);
  const std::string size = " --plants 2 --designs 2 --components 30 --suppliers 6 --weeks 6 --sites 3";
  ASSERT_EQ(RunCli("generate " + a.string() + size).exit_code, 0);
  ASSERT_EQ(RunCli("generate --out " + b.string() + size).exit_code, 0);
  size_t files = 0;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(a)) {
    if (!e.is_regular_file()) continue;
    ++files;
    const fs::path other = b / fs::relative(e.path(), a);
    std::ifstream fa(e.path()), fb(other);
    const std::string ta((std::istreambuf_iterator<char>(fa)), {}), tb((std::istreambuf_iterator<char>(fb)), {});
    EXPECT_EQ(ta, tb) << other;
  }
  EXPECT_GT(files, 5u);
  EXPECT_EQ(RunCli("generate " + c.string() + " --out " + (c / "x").string() + size).exit_code, 2);
  EXPECT_FALSE(fs::exists(c));
  for (const fs::path& d : {a, b, c}) fs::remove_all(d);
}

}  // namespace
