// The synthetic scenario generator: determinism, sizes, option checks and the
// overwrite policy of io::WriteScenarioFiles.
#include "io/generate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/errors.h"
#include "io/input_file.h"

namespace rackforge::io {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// Data rows of a CSV text, each split at commas (the generator never quotes).
std::vector<std::vector<std::string>> Rows(const std::string& csv) {
  std::vector<std::vector<std::string>> rows;
  const std::vector<std::string> lines = Lines(csv);
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream in(lines[i]);
    while (std::getline(in, cell, ',')) cells.push_back(cell);
    if (!lines[i].empty() && lines[i].back() == ',') cells.push_back("");
    rows.push_back(cells);
  }
  return rows;
}

int CountPrefix(const std::string& text, const std::string& prefix) {
  int n = 0;
  for (const std::string& line : Lines(text)) n += line.rfind(prefix, 0) == 0;
  return n;
}

GenerateOptions Small(uint64_t seed) {
  GenerateOptions o;
  o.plants = 3;
  o.designs = 3;
  o.components = 40;
  o.suppliers = 12;
  o.weeks = 20;
  o.sites = 4;
  o.seed = seed;
  return o;
}

TEST(Generate, SameSeedGivesByteIdenticalFiles) {
  GenerateOptions o = Small(7);
  o.design_space_slots = 3;
  o.design_space_options = 2;
  const auto a = GenerateScenarioFiles(o);
  const auto b = GenerateScenarioFiles(o);
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [name, text] : a) {
    ASSERT_TRUE(b.count(name)) << name;
    EXPECT_EQ(text, b.at(name)) << name;
  }
}

TEST(Generate, SameSeedWritesIdenticalFolders) {
  const fs::path root = fs::temp_directory_path() / "rf-generate-identical";
  fs::remove_all(root);
  GenerateScenario(Small(3), (root / "a").string());
  GenerateScenario(Small(3), (root / "b").string());
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root / "a")) {
    if (!entry.is_regular_file()) continue;
    const fs::path rel = fs::relative(entry.path(), root / "a");
    std::ifstream x(entry.path(), std::ios::binary), y(root / "b" / rel, std::ios::binary);
    std::stringstream sx, sy;
    sx << x.rdbuf();
    sy << y.rdbuf();
    EXPECT_EQ(sx.str(), sy.str()) << rel;
    ++files;
  }
  EXPECT_EQ(files, 10 + 3);  // 10 scenario files (with on_hand.csv) + 3 designs
  fs::remove_all(root);
}

TEST(Generate, DifferentSeedGivesDifferentFiles) {
  const auto a = GenerateScenarioFiles(Small(1));
  const auto b = GenerateScenarioFiles(Small(2));
  EXPECT_NE(a.at("components.csv"), b.at("components.csv"));
  EXPECT_NE(a.at("offers.csv"), b.at("offers.csv"));
  EXPECT_NE(a.at("demand.csv"), b.at("demand.csv"));
}

TEST(Generate, SizesAreHonoured) {
  GenerateOptions o;
  o.plants = 4;
  o.designs = 5;
  o.components = 77;
  o.suppliers = 23;
  o.weeks = 30;
  o.sites = 6;
  o.seed = 11;
  const auto files = GenerateScenarioFiles(o);
  EXPECT_EQ(Rows(files.at("components.csv")).size(), 77u);
  EXPECT_EQ(Rows(files.at("suppliers.csv")).size(), 23u);
  EXPECT_EQ(Rows(files.at("sites.csv")).size(), 6u);
  EXPECT_EQ(CountPrefix(files.at("roadmap.yaml"), "  - id: "), 5);
  EXPECT_EQ(CountPrefix(files.at("plants.yaml"), "  - id: plant-"), 4);
  EXPECT_THAT(files.at("scenario.yaml"), testing::HasSubstr("\nhorizon_weeks: 30\n"));
  int designs = 0;
  for (const auto& [name, text] : files) designs += name.rfind("designs/", 0) == 0;
  EXPECT_EQ(designs, 5);
  EXPECT_EQ(files.count("design_space.yaml"), 0u);

  // Demand weeks cover 0..H-1, all three kinds occur, option rows carry a probability.
  std::set<std::string> kinds;
  int max_week = -1, min_week = 1000;
  for (const auto& row : Rows(files.at("demand.csv"))) {
    ASSERT_EQ(row.size(), 6u);
    kinds.insert(row[4]);
    max_week = std::max(max_week, std::stoi(row[2]));
    min_week = std::min(min_week, std::stoi(row[2]));
    EXPECT_EQ(row[5].empty(), row[4] != "option") << row[4];
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"evaluation", "firm", "option"}));
  EXPECT_EQ(min_week, 0);
  EXPECT_EQ(max_week, 29);
}

TEST(Generate, EveryPlantHasLanesToMostSitesAndPlantOneToAll) {
  GenerateOptions o = Small(5);
  o.plants = 8;
  o.sites = 10;
  const auto lanes = Rows(GenerateScenarioFiles(o).at("lanes.csv"));
  std::map<std::string, int> per_plant;
  for (const auto& row : lanes) {
    ++per_plant[row[0]];
    const int transit = std::stoi(row[2]);
    EXPECT_GE(transit, 0);
    EXPECT_LE(transit, 2);
  }
  ASSERT_EQ(per_plant.size(), 8u);
  EXPECT_EQ(per_plant.at("plant-01"), 10);
  for (const auto& [plant, count] : per_plant) EXPECT_GE(count, 8) << plant;
}

TEST(Generate, EveryComponentHasAnOffer) {
  GenerateOptions o = Small(9);
  o.components = 200;
  o.suppliers = 5;
  const auto files = GenerateScenarioFiles(o);
  std::set<std::string> offered;
  for (const auto& row : Rows(files.at("offers.csv"))) offered.insert(row[1]);
  for (const auto& row : Rows(files.at("components.csv"))) EXPECT_TRUE(offered.count(row[0])) << row[0];
}

TEST(Generate, DesignSpaceHasTheRequestedSlotsAndOptions) {
  GenerateOptions o = Small(4);
  o.design_space_slots = 4;
  o.design_space_options = 3;
  const std::string space = GenerateScenarioFiles(o).at("design_space.yaml");
  EXPECT_EQ(CountPrefix(space, "      - slot: "), 4);
  EXPECT_EQ(CountPrefix(space, "          - bom: "), 12);
  EXPECT_THAT(space, testing::HasSubstr("  - design: g01\n"));
}

void ExpectUsageError(const GenerateOptions& o, const std::string& message) {
  try {
    GenerateScenarioFiles(o);
    ADD_FAILURE() << "no error for: " << message;
  } catch (const common::UsageError& e) {
    EXPECT_EQ(std::string(e.what()), message);
  }
}

TEST(Generate, BadSizesAreUsageErrors) {
  GenerateOptions o = Small(1);
  o.components = 11;
  ExpectUsageError(o, "--components: 11 is too small (at least designs + 9 = 12)");
  o = Small(1);
  o.plants = 0;
  ExpectUsageError(o, "--plants: 0 is too small (at least 1)");
  o = Small(1);
  o.weeks = 521;
  ExpectUsageError(o, "--weeks: 521 is too large (at most 520)");
  o = Small(1);
  o.sites = -3;
  ExpectUsageError(o, "--sites: -3 is too small (at least 1)");
  o = Small(1);
  o.design_space_options = 2;
  ExpectUsageError(o, "--design-space-options: 2 needs --design-space-slots > 0");
  o = Small(1);
  o.design_space_slots = 2;
  ExpectUsageError(o, "--design-space-options: 0 is too small (at least 1)");
}

TEST(Generate, TooManySlotsNameTheDesign) {
  GenerateOptions o = Small(1);
  o.design_space_slots = 500;
  o.design_space_options = 2;
  try {
    GenerateScenarioFiles(o);
    FAIL() << "expected UsageError";
  } catch (const common::UsageError& e) {
    EXPECT_THAT(std::string(e.what()), testing::StartsWith("--design-space-slots: 500 exceeds the "));
    EXPECT_THAT(std::string(e.what()), testing::EndsWith(" replaceable BOM components of design g01"));
  }
}

TEST(Generate, RefusesAForeignNonEmptyFolder) {
  const fs::path dir = fs::temp_directory_path() / "rf-generate-foreign";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "notes.txt") << "mine";
  try {
    GenerateScenario(Small(1), dir.string());
    FAIL() << "expected UsageError";
  } catch (const common::UsageError& e) {
    EXPECT_EQ(std::string(e.what()), dir.string() + ": folder is not empty and was not written by rackforge generate");
  }
  EXPECT_TRUE(fs::exists(dir / "notes.txt"));
  EXPECT_FALSE(fs::exists(dir / "scenario.yaml"));
  fs::remove_all(dir);
}

TEST(Generate, OverwritesItsOwnFolderWithoutStaleDesigns) {
  const fs::path dir = fs::temp_directory_path() / "rf-generate-overwrite";
  fs::remove_all(dir);
  GenerateOptions o = Small(1);
  o.designs = 4;
  o.design_space_slots = 2;
  o.design_space_options = 2;
  GenerateScenario(o, dir.string());
  EXPECT_TRUE(fs::exists(dir / "designs" / "g04.yaml"));
  EXPECT_TRUE(fs::exists(dir / "design_space.yaml"));
  o.designs = 2;
  o.design_space_slots = 0;
  o.design_space_options = 0;
  GenerateScenario(o, dir.string());
  EXPECT_TRUE(fs::exists(dir / "designs" / "g02.yaml"));
  EXPECT_FALSE(fs::exists(dir / "designs" / "g03.yaml"));
  EXPECT_FALSE(fs::exists(dir / "designs" / "g04.yaml"));
  EXPECT_FALSE(fs::exists(dir / "design_space.yaml"));
  std::ifstream in(dir / "scenario.yaml");
  std::string first;
  std::getline(in, first);
  EXPECT_EQ(first, kGeneratedHeader);
  fs::remove_all(dir);
}

TEST(Generate, RefusesFilesTheLoaderWouldNotRead) {
  const fs::path dir = fs::temp_directory_path() / "rf-generate-too-large";
  fs::remove_all(dir);
  std::map<std::string, std::string> files = GenerateScenarioFiles(Small(1));
  files["demand.csv"].resize(kMaxInputFileBytes + 1, '\n');
  try {
    WriteScenarioFiles(files, dir.string());
    FAIL();
  } catch (const common::UsageError& e) {
    EXPECT_STREQ(e.what(),
                 "demand.csv would be 67108865 bytes, more than the 64 MiB a scenario file may have (use fewer "
                 "--sites, --designs or --weeks); nothing written");
  }
  EXPECT_FALSE(fs::exists(dir));
}

}  // namespace
}  // namespace rackforge::io
