#pragma once
// The scenarios a server serves: the folders given at start-up plus every
// scenario folder inside the scenarios directory (--scenarios-dir), where the
// dashboard saves edited copies. Each request that lists or finds scenarios
// first rescans: a folder whose files changed (paths, sizes, mtimes) is
// loaded again, a new folder is added, a removed one dropped, so new and
// changed folders are served without a restart. An entry is immutable once
// loaded and shared (shared_ptr) with the jobs that use it, so a reload never
// changes a running plan's scenario. Thread-safe.

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/scenario.h"

namespace spdlog {
class logger;
}

namespace rackforge::server {

/// One served scenario. `id` is its folder's name.
struct ScenarioEntry {
  std::string id;
  std::string folder;  // the folder it was loaded from
  model::Scenario scenario;
  nlohmann::json
      summary;  // {"id","name","start_week","horizon_weeks","designs":[ids],"plants":[ids],"suppliers","sites","input_hash","editable"}
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

/// What a folder looks like on disk: every regular file's relative path, size
/// and modification time, in path order (empty when the folder is gone).
/// Compared between scans to see that a folder changed. Never throws.
std::string FolderFingerprint(const std::filesystem::path& folder);

class ScenarioCatalog {
 public:
  /// Loads every folder with io::LoadScenario (throws its io::LoadError) and
  /// throws common::UsageError when two folders have the same id, none is given
  /// (and no scenarios_dir), or scenarios_dir is not a folder. Folders inside
  /// scenarios_dir that do not load are left out (logged), not fatal.
  static std::unique_ptr<ScenarioCatalog> Load(const std::vector<std::string>& folders,
                                               const std::string& scenarios_dir = "",
                                               std::shared_ptr<spdlog::logger> log = nullptr);

  /// The entry with that id after a rescan, or nullptr.
  std::shared_ptr<const ScenarioEntry> Find(const std::string& id);
  /// [summary, ...] after a rescan: the start-up folders in the order given,
  /// then the scenarios directory's folders by name.
  nlohmann::json List();
  /// Rescans the folders (see the file comment). A start-up folder or a
  /// folder of the scenarios directory that no longer loads is left out
  /// (logged) until it loads again.
  void Refresh();
  size_t size();
  /// The folder edited copies are saved in ("" when the server has none).
  const std::string& scenarios_dir() const { return scenarios_dir_; }

 private:
  struct Slot {
    std::filesystem::path folder;
    std::string fingerprint;                    // at the last load attempt
    std::shared_ptr<const ScenarioEntry> entry;  // null when that load failed
  };
  // Loads or reloads one slot when its fingerprint changed. Throws only when `strict`.
  void Update(Slot& slot, bool strict);
  void RefreshLocked();

  std::shared_ptr<spdlog::logger> log_;
  std::string scenarios_dir_;
  std::mutex mutex_;
  std::vector<Slot> fixed_;                    // the start-up folders
  std::map<std::string, Slot> scanned_;        // scenarios_dir's folders by name
};

/// Loads one folder into an entry (io::LoadScenario; throws io::LoadError).
std::shared_ptr<const ScenarioEntry> LoadScenarioEntry(const std::string& folder);

}  // namespace rackforge::server
