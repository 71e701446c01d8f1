#pragma once
// The scenarios a server serves: loaded once at start-up, then immutable and
// shared by every request thread and job (no locking needed). Their summary,
// detail and `check` JSON are computed once at load.

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/scenario.h"

namespace rackforge::server {

/// One served scenario. `id` is its folder's name.
struct ScenarioEntry {
  std::string id;
  model::Scenario scenario;
  nlohmann::json
      summary;  // {"id","name","start_week","horizon_weeks","designs":[ids],"plants":[ids],"suppliers","sites","input_hash"}
  nlohmann::json detail;   // summary + target_by_week, plant_list, suppliers, sites, nodes, policy figures
  nlohmann::json check;    // report::CheckJson of every design
  std::string input_hash;  // store::ScenarioFolderHash of the folder at load time
};

/// The id of a scenario folder: its last path component ("a/b/tiny/" -> "tiny");
/// store::ScenarioIdOf, the same id the CLI stores its runs under.
std::string ScenarioIdOf(const std::string& folder);

/// Summary and detail JSON of a loaded scenario (pure; used at load).
nlohmann::json ScenarioSummaryJson(const std::string& id, const model::Scenario& scenario);
nlohmann::json ScenarioDetailJson(const std::string& id, const model::Scenario& scenario);

class ScenarioCatalog {
 public:
  /// Loads every folder with io::LoadScenario (throws its io::LoadError) and
  /// throws common::UsageError when two folders have the same id or none is given.
  static std::unique_ptr<ScenarioCatalog> Load(const std::vector<std::string>& folders);

  /// The entry with that id, or nullptr. Thread-safe (read-only).
  const ScenarioEntry* Find(const std::string& id) const;
  /// [summary, ...] in the order the folders were given.
  nlohmann::json List() const;
  size_t size() const { return entries_.size(); }

 private:
  std::vector<std::unique_ptr<ScenarioEntry>> entries_;
};

}  // namespace rackforge::server
