#include "server/scenario_catalog.h"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "design/check.h"
#include "io/errors.h"
#include "io/scenario_loader.h"
#include "model/availability.h"
#include "report/check_report.h"
#include "server/scenario_editor.h"
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

std::string FolderFingerprint(const std::filesystem::path& folder) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> items;
  fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code e;
    if (!it->is_regular_file(e)) continue;
    const auto size = it->file_size(e);
    const auto mtime = it->last_write_time(e).time_since_epoch().count();
    items.push_back(fs::relative(it->path(), folder, e).generic_string() + '\0' + std::to_string(size) + '\0' +
                    std::to_string(mtime));
  }
  std::sort(items.begin(), items.end());
  std::string out;
  for (const std::string& item : items) out += item + '\n';
  return out;
}

std::shared_ptr<const ScenarioEntry> LoadScenarioEntry(const std::string& folder) {
  auto entry = std::make_shared<ScenarioEntry>();
  entry->id = ScenarioIdOf(folder);
  entry->folder = folder;
  entry->scenario = io::LoadScenario(folder);
  entry->input_hash = store::ScenarioFolderHash(folder);
  entry->summary = ScenarioSummaryJson(entry->id, entry->scenario);
  entry->summary["input_hash"] = entry->input_hash;  // with the id, the identity the CLI's runs carry too
  entry->summary["edited_copy"] = IsEditedCopy(folder);
  entry->detail = ScenarioDetailJson(entry->id, entry->scenario);
  entry->detail["input_hash"] = entry->input_hash;
  entry->detail["edited_copy"] = entry->summary["edited_copy"];
  entry->check = report::CheckJson(entry->scenario, design::CheckScenario(entry->scenario));
  return entry;
}

std::unique_ptr<ScenarioCatalog> ScenarioCatalog::Load(const std::vector<std::string>& folders,
                                                       const std::string& scenarios_dir,
                                                       std::shared_ptr<spdlog::logger> log) {
  namespace fs = std::filesystem;
  if (folders.empty() && scenarios_dir.empty()) {
    throw common::UsageError("serve: give at least one scenario folder");
  }
  std::error_code ec;
  if (!scenarios_dir.empty() && !fs::is_directory(scenarios_dir, ec)) {
    throw common::UsageError("serve: --scenarios-dir '" + scenarios_dir + "' is not a folder");
  }
  auto catalog = std::make_unique<ScenarioCatalog>();
  catalog->log_ = log ? std::move(log)
                      : std::make_shared<spdlog::logger>("catalog", std::make_shared<spdlog::sinks::null_sink_mt>());
  catalog->scenarios_dir_ = scenarios_dir;
  std::set<std::string> ids;
  for (const std::string& folder : folders) {
    const std::string id = ScenarioIdOf(folder);
    if (!ids.insert(id).second) {
      throw common::UsageError("serve: two scenario folders have the id '" + id + "' (" + folder + ")");
    }
    Slot slot{folder, "", nullptr};
    catalog->Update(slot, /*strict=*/true);
    catalog->fixed_.push_back(std::move(slot));
  }
  std::lock_guard lock(catalog->mutex_);
  catalog->RefreshLocked();
  return catalog;
}

void ScenarioCatalog::Update(Slot& slot, bool strict) {
  std::string fingerprint = FolderFingerprint(slot.folder);
  if (slot.entry != nullptr || !slot.fingerprint.empty()) {
    if (fingerprint == slot.fingerprint) return;
  }
  slot.fingerprint = std::move(fingerprint);
  try {
    slot.entry = LoadScenarioEntry(slot.folder.string());
    log_->info("scenario {} loaded from {}", slot.entry->id, slot.folder.string());
  } catch (const io::LoadError& e) {
    if (strict) throw;
    slot.entry = nullptr;
    log_->warn("scenario folder {} does not load (left out until it does):\n{}", slot.folder.string(), e.what());
  }
}

void ScenarioCatalog::RefreshLocked() {
  namespace fs = std::filesystem;
  std::set<fs::path> fixed_paths;
  for (Slot& slot : fixed_) {
    std::error_code ec;
    fixed_paths.insert(fs::weakly_canonical(slot.folder, ec));
    Update(slot, /*strict=*/false);
  }
  if (scenarios_dir_.empty()) return;
  std::set<std::string> seen;
  std::error_code ec;
  for (fs::directory_iterator it(scenarios_dir_, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code e;
    if (name.empty() || name[0] == '.' || !it->is_directory(e)) continue;  // .edit-* temp folders are not served
    if (!fs::is_regular_file(it->path() / "scenario.yaml", e)) continue;
    if (fixed_paths.count(fs::weakly_canonical(it->path(), e)) != 0) continue;
    seen.insert(name);
    auto [slot, added] = scanned_.try_emplace(name, Slot{it->path(), "", nullptr});
    Update(slot->second, /*strict=*/false);
  }
  std::erase_if(scanned_, [&seen](const auto& item) { return seen.count(item.first) == 0; });
}

void ScenarioCatalog::Refresh() {
  std::lock_guard lock(mutex_);
  RefreshLocked();
}

std::shared_ptr<const ScenarioEntry> ScenarioCatalog::Find(const std::string& id) {
  std::lock_guard lock(mutex_);
  RefreshLocked();
  for (const Slot& slot : fixed_) {
    if (slot.entry && slot.entry->id == id) return slot.entry;
  }
  for (const auto& [name, slot] : scanned_) {
    if (slot.entry && slot.entry->id == id) return slot.entry;
  }
  return nullptr;
}

nlohmann::json ScenarioCatalog::List() {
  std::lock_guard lock(mutex_);
  RefreshLocked();
  nlohmann::json list = nlohmann::json::array();
  std::set<std::string> ids;
  for (const Slot& slot : fixed_) {
    if (slot.entry && ids.insert(slot.entry->id).second) list.push_back(slot.entry->summary);
  }
  for (const auto& [name, slot] : scanned_) {
    if (slot.entry && ids.insert(slot.entry->id).second) list.push_back(slot.entry->summary);
  }
  return list;
}

size_t ScenarioCatalog::size() { return List().size(); }

}  // namespace rackforge::server
