// Whole plans re-checked from the written tables (issue "An executable plan", Tests): the
// output folder's CSV tables and plan.json are read back into a plan by ids, and the
// independent checker of tests/unit/plan re-derives every row of the model, integrality and the
// objective from those values alone.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "io/generate.h"
#include "io/scenario_loader.h"
#include "plan/plan.h"
#include "report/plan_report.h"
#include "unit/plan/plan_checker.h"
#include "unit/plan/plan_fixture.h"

namespace rackforge {
namespace {

namespace fs = std::filesystem;

/// Rows of a CSV file (no quoted fields: ids and numbers only), by header name.
std::vector<std::map<std::string, std::string>> ReadCsv(const fs::path& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::vector<std::map<std::string, std::string>> rows;
  std::string line;
  std::vector<std::string> header;
  auto split = [](const std::string& text) {
    std::vector<std::string> out;
    std::stringstream ss(text);
    std::string field;
    while (std::getline(ss, field, ',')) out.push_back(field);
    return out;
  };
  if (std::getline(in, line)) header = split(line);
  while (std::getline(in, line)) {
    const std::vector<std::string> fields = split(line);
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < header.size() && i < fields.size(); ++i) row[header[i]] = fields[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

template <typename T>
int32_t IndexOf(const std::vector<T>& items, const std::string& id) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].id == id) return static_cast<int32_t>(i);
  }
  ADD_FAILURE() << "unknown id " << id;
  return 0;
}

double Number(const std::map<std::string, std::string>& row, const std::string& key) {
  return std::strtod(row.at(key).c_str(), nullptr);
}
int32_t Week(const std::map<std::string, std::string>& row, const std::string& key) {
  return static_cast<int32_t>(std::strtol(row.at(key).c_str(), nullptr, 10));
}

/// The plan as the folder `dir` tells it: every table read by ids into `shape`'s layout (zeroed).
plan::PlanResult FromTables(const model::Scenario& s, const fs::path& dir, const plan::PlanResult& shape) {
  plan::PlanResult r;
  r.has_solution = true;
  r.whole = true;
  r.weeks = shape.weeks;
  r.designs = shape.designs;
  r.plants = shape.plants;
  r.components = shape.components;
  for (auto [to, from] :
       {std::pair{&r.make, &shape.make}, std::pair{&r.makec, &shape.makec}, std::pair{&r.ship, &shape.ship},
        std::pair{&r.inv, &shape.inv}, std::pair{&r.back, &shape.back}, std::pair{&r.buy, &shape.buy},
        std::pair{&r.cinv, &shape.cinv}, std::pair{&r.xfer, &shape.xfer}}) {
    to->assign(from->size(), 0.0);
  }
  for (const auto& row : ReadCsv(dir / "build_plan.csv")) {
    r.make[r.MakeIndex(IndexOf(s.lines, row.at("line")), IndexOf(s.designs, row.at("design")), Week(row, "week"))] +=
        Number(row, "racks");
  }
  for (const auto& row : ReadCsv(dir / "component_builds.csv")) {
    r.makec[r.MakecIndex(IndexOf(s.component_lines, row.at("line")), IndexOf(s.components, row.at("component")),
                         Week(row, "week"))] += Number(row, "units");
  }
  for (const auto& row : ReadCsv(dir / "shipments.csv")) {
    const int32_t p = IndexOf(s.plants, row.at("plant")), d = IndexOf(s.sites, row.at("site"));
    int32_t lane = -1;
    for (size_t i = 0; i < s.lanes.size(); ++i) {
      if (s.lanes[i].plant == p && s.lanes[i].site == d) lane = static_cast<int32_t>(i);
    }
    EXPECT_GE(lane, 0) << row.at("plant") << "->" << row.at("site");
    int32_t kind = -1;
    for (int32_t k = 0; k < model::kDemandKinds; ++k) {
      if (row.at("kind") == model::kDemandKindNames[k]) kind = k;
    }
    EXPECT_GE(kind, 0) << row.at("kind");
    if (lane < 0 || kind < 0) continue;
    r.ship[r.ShipIndex(lane, IndexOf(s.designs, row.at("design")), kind, Week(row, "week"))] += Number(row, "racks");
  }
  for (const auto& row : ReadCsv(dir / "rack_inventory.csv")) {
    r.inv[r.InvIndex(IndexOf(s.plants, row.at("plant")), IndexOf(s.designs, row.at("design")), Week(row, "week"))] +=
        Number(row, "racks");
  }
  for (const auto& row : ReadCsv(dir / "backlog.csv")) {
    int32_t kind = 0;
    for (int32_t k = 0; k < model::kDemandKinds; ++k) {
      if (row.at("kind") == model::kDemandKindNames[k]) kind = k;
    }
    r.back[r.BackIndex(IndexOf(s.sites, row.at("site")), IndexOf(s.designs, row.at("design")), kind,
                       Week(row, "week"))] += Number(row, "racks");
  }
  for (const auto& row : ReadCsv(dir / "purchases.csv")) {
    const int32_t sup = IndexOf(s.suppliers, row.at("supplier")), comp = IndexOf(s.components, row.at("component"));
    int32_t offer = -1;
    for (size_t o = 0; o < s.offers.size(); ++o) {
      if (s.offers[o].supplier == sup && s.offers[o].component == comp) offer = static_cast<int32_t>(o);
    }
    EXPECT_GE(offer, 0) << row.at("supplier") << " " << row.at("component");
    if (offer < 0) continue;
    r.buy[r.BuyIndex(offer, IndexOf(s.plants, row.at("plant")), Week(row, "order_week"))] += Number(row, "units");
  }
  for (const auto& row : ReadCsv(dir / "component_inventory.csv")) {
    r.cinv[r.CinvIndex(IndexOf(s.components, row.at("component")), IndexOf(s.plants, row.at("plant")),
                       Week(row, "week"))] += Number(row, "units");
  }
  for (const auto& row : ReadCsv(dir / "transfers_plan.csv")) {
    const int32_t from = IndexOf(s.plants, row.at("from_plant")), to = IndexOf(s.plants, row.at("to_plant"));
    const int32_t comp = IndexOf(s.components, row.at("component"));
    int32_t transfer = -1;
    for (size_t i = 0; i < s.transfers.size(); ++i) {
      const model::Transfer& x = s.transfers[i];
      if (x.from_plant == from && x.to_plant == to && x.component == comp) transfer = static_cast<int32_t>(i);
    }
    EXPECT_GE(transfer, 0) << row.at("from_plant") << "->" << row.at("to_plant");
    if (transfer >= 0) r.xfer[r.XferIndex(transfer, Week(row, "week"))] += Number(row, "units");
  }
  std::ifstream json_file(dir / "plan.json");
  const nlohmann::json j = nlohmann::json::parse(json_file);
  r.objective_usd = j.at("objective_usd").get<double>();
  r.opened.assign(s.expansions.size(), 0);
  for (const auto& e : j.at("expansions_opened")) {
    const std::string id = e.is_string() ? e.get<std::string>() : e.at("id").get<std::string>();
    r.opened[IndexOf(s.expansions, id)] = 1;
  }
  return r;
}

void ExpectTablesHoldEveryRow(const model::Scenario& s, const std::string& name, bool made_and_sent) {
  plan::PlanOptions options;
  options.quantities = model::Quantities::kWhole;
  const plan::PlanResult result = plan::SolvePlan(s, options);
  ASSERT_TRUE(result.has_solution);
  const fs::path dir =
      fs::temp_directory_path() / ("rackforge-whole-tables-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  report::WritePlanOutputs(dir.string(), s, result);
  const plan::PlanResult read = FromTables(s, dir, result);
  fs::remove_all(dir);
  testing::CheckOptions check;
  check.mode = s.policy.option_demand;
  check.disruptions = s.disruptions;
  check.domestic_min = s.policy.domestic_content_min;
  const std::vector<std::string> problems = testing::CheckPlan(s, read, check);
  EXPECT_TRUE(problems.empty()) << problems.size() << " problems, first: " << (problems.empty() ? "" : problems[0]);
  EXPECT_LE(result.continuous_bound_usd, read.objective_usd * (1 + 1e-12));
  // The tables carry the plan: what was read equals what was solved.
  EXPECT_EQ(read.make, result.make);
  EXPECT_EQ(read.buy, result.buy);
  auto any = [](const std::vector<double>& v) {
    for (double x : v) {
      if (x > 0.5) return true;
    }
    return false;
  };
  EXPECT_TRUE(any(read.make) && any(read.ship));
  if (made_and_sent) {
    EXPECT_TRUE(any(read.makec)) << "the tables must carry component builds";
    EXPECT_TRUE(any(read.xfer)) << "the tables must carry transfers";
  }
}

TEST(WholeTables, TinyScenarioEveryRowHoldsFromTheTables) {
  ExpectTablesHoldEveryRow(io::LoadScenario(std::string(RACKFORGE_SOURCE_DIR) + "/tests/scenarios/tiny"), "tiny",
                           false);
}

TEST(WholeTables, GeneratedScenarioWithComponentLinesAndTransfersFromTheTables) {
  io::GenerateOptions o = testing::SmallGenerated(2);
  o.supply_lanes = true;
  o.transfers = true;
  o.component_lines = 2;
  io::ScenarioTexts texts;
  texts.folder = "generated";
  texts.files = io::GenerateScenarioFiles(o);
  ExpectTablesHoldEveryRow(io::LoadScenarioFromTexts(texts), "generated", true);
}

}  // namespace
}  // namespace rackforge
