#include "server/scenario_catalog.h"

#include <filesystem>
#include <set>

#include "common/errors.h"
#include "design/check.h"
#include "io/scenario_loader.h"
#include "model/availability.h"
#include "report/check_report.h"
#include "store/run_store.h"

namespace rackforge::server {

namespace {

nlohmann::json Ids(const auto& items) {
  nlohmann::json ids = nlohmann::json::array();
  for (const auto& item : items) ids.push_back(item.id);
  return ids;
}

nlohmann::json PlantsJson(const model::Scenario& s) {
  nlohmann::json plants = nlohmann::json::array();
  for (const model::Plant& plant : s.plants) {
    nlohmann::json lines = nlohmann::json::array();
    for (int32_t l : plant.lines) lines.push_back(s.lines[l].id);
    for (int32_t l : plant.expansion_lines) lines.push_back(s.lines[l].id);
    plants.push_back({{"id", plant.id}, {"us_state", plant.us_state}, {"lines", lines},
                      {"recovery_weeks", plant.recovery_weeks}});
  }
  return plants;
}

nlohmann::json SuppliersJson(const model::Scenario& s) {
  std::vector<std::set<std::string>> components(s.suppliers.size());
  for (const model::Offer& offer : s.offers) components[offer.supplier].insert(s.components[offer.component].id);
  nlohmann::json suppliers = nlohmann::json::array();
  for (size_t i = 0; i < s.suppliers.size(); ++i) {
    const model::Supplier& supplier = s.suppliers[i];
    suppliers.push_back({{"id", supplier.id}, {"company", supplier.company}, {"country", supplier.country},
                         {"us_state", supplier.us_state}, {"domestic", supplier.domestic()},
                         {"recovery_weeks", supplier.recovery_weeks}, {"components", components[i]}});
  }
  return suppliers;
}

// Every node a what-if may take out: plants, lines, suppliers, in file order.
nlohmann::json NodesJson(const model::Scenario& s) {
  nlohmann::json nodes = nlohmann::json::array();
  auto add = [&](model::NodeKind kind, size_t count) {
    for (size_t i = 0; i < count; ++i) {
      const model::NodeRef ref{kind, static_cast<int32_t>(i)};
      nodes.push_back({{"node", model::NodeName(s, ref)}, {"recovery_weeks", model::NodeRecoveryWeeks(s, ref)}});
    }
  };
  add(model::NodeKind::kPlant, s.plants.size());
  add(model::NodeKind::kLine, s.lines.size());
  add(model::NodeKind::kSupplier, s.suppliers.size());
  return nodes;
}

}  // namespace

std::string ScenarioIdOf(const std::string& folder) { return store::ScenarioIdOf(folder); }

nlohmann::json ScenarioSummaryJson(const std::string& id, const model::Scenario& s) {
  return {{"id", id},
          {"name", s.name},
          {"start_week", s.start_week},
          {"horizon_weeks", s.horizon_weeks},
          {"designs", Ids(s.designs)},
          {"plants", Ids(s.plants)},
          {"suppliers", s.suppliers.size()},
          {"sites", s.sites.size()}};
}

nlohmann::json ScenarioDetailJson(const std::string& id, const model::Scenario& s) {
  nlohmann::json detail = ScenarioSummaryJson(id, s);
  nlohmann::json target = nlohmann::json::array();
  for (int32_t t = 0; t < s.horizon_weeks; ++t) target.push_back(model::TargetAt(s.target, t));
  nlohmann::json sites = nlohmann::json::array();
  for (const model::Site& site : s.sites) {
    sites.push_back({{"id", site.id}, {"name", site.name}, {"us_state", site.us_state}, {"customer", site.customer}});
  }
  detail["target_by_week"] = target;
  detail["domestic_content_min"] = s.policy.domestic_content_min;
  detail["option_demand"] = model::ToString(s.policy.option_demand);
  detail["plant_list"] = PlantsJson(s);
  detail["suppliers"] = SuppliersJson(s);
  detail["sites"] = sites;
  detail["nodes"] = NodesJson(s);
  return detail;
}

std::unique_ptr<ScenarioCatalog> ScenarioCatalog::Load(const std::vector<std::string>& folders) {
  if (folders.empty()) throw common::UsageError("serve: give at least one scenario folder");
  auto catalog = std::make_unique<ScenarioCatalog>();
  for (const std::string& folder : folders) {
    auto entry = std::make_unique<ScenarioEntry>();
    entry->id = ScenarioIdOf(folder);
    if (catalog->Find(entry->id) != nullptr) {
      throw common::UsageError("serve: two scenario folders have the id '" + entry->id + "' (" + folder + ")");
    }
    entry->scenario = io::LoadScenario(folder);
    entry->input_hash = store::ScenarioFolderHash(folder);
    entry->summary = ScenarioSummaryJson(entry->id, entry->scenario);
    entry->summary["input_hash"] = entry->input_hash;  // with the id, the identity the CLI's runs carry too
    entry->detail = ScenarioDetailJson(entry->id, entry->scenario);
    entry->check = report::CheckJson(entry->scenario, design::CheckScenario(entry->scenario));
    catalog->entries_.push_back(std::move(entry));
  }
  return catalog;
}

const ScenarioEntry* ScenarioCatalog::Find(const std::string& id) const {
  for (const auto& entry : entries_) {
    if (entry->id == id) return entry.get();
  }
  return nullptr;
}

nlohmann::json ScenarioCatalog::List() const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& entry : entries_) list.push_back(entry->summary);
  return list;
}

}  // namespace rackforge::server
