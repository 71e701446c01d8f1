#pragma once
// The --db option every storing command shares, and the checks of output
// targets (--out, --write-mps, --db) that run before any solve, so that a bad
// target is exit 2 at once and leaves neither a stored run nor a file behind.

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "store/run_store.h"

namespace rackforge::cli {

/// The run store at `db` (SQLite file or postgresql:// URL). Throws
/// common::UsageError "--db: <store error>" when it cannot be opened (missing
/// folder, not a SQLite file, read-only, server down).
std::unique_ptr<store::RunStore> OpenDbOption(const std::string& db, bool create_if_missing = true);

/// A run recorded in the --db store from before the computation to after it.
/// The constructor opens the store and creates the run (status running, owned
/// by this process), so a bad --db fails before any solve. Destroyed without
/// Finish/Fail (an exception escaped), the run is marked failed. Inactive
/// (every call a no-op) when `enabled` is false (--no-db). Not thread-safe.
class RecordedRun {
 public:
  /// Throws common::UsageError "--db: ..." when the store cannot be opened or written.
  RecordedRun(bool enabled, const std::string& db, store::NewRun run);
  ~RecordedRun();
  RecordedRun(const RecordedRun&) = delete;
  RecordedRun& operator=(const RecordedRun&) = delete;

  /// Stores the result with a finished status (done, or failed for a solver
  /// error), and the plan's quantities when given, and says so on stderr
  /// ("<kind>: stored as run ID in ...").
  void Finish(const std::string& status, const nlohmann::json& result,
              const model::KeyedQuantities* quantities = nullptr);
  /// Marks the run failed with {"error": message}; never throws (used while unwinding).
  void Fail(const std::string& message) noexcept;

 private:
  std::unique_ptr<store::RunStore> store_;
  std::string kind_;
  std::string id_;
  bool finished_ = false;
};

/// The NewRun of a command on a scenario folder: scenario id store::ScenarioIdOf
/// (the id `serve` gives the same folder) and the folder's content hash.
store::NewRun NewRunOf(const std::string& kind, const std::string& folder, const std::string& scenario_name,
                       nlohmann::json options);

/// Checks that `option`'s file `path` can be written, without leaving a file
/// behind: an existing regular file is opened for writing (not truncated), a
/// missing one is created and removed again. Throws common::UsageError
/// "<option> PATH: cannot write: <reason>".
void CheckWritableFile(const std::string& option, const std::string& path);

}  // namespace rackforge::cli
