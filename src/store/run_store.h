#pragma once
// The run store: every plan, sweep, risk and simulate run with its inputs
// (options, scenario, input hash) and its result JSON. Two backends behind
// one interface: a SQLite file (WAL mode, the embedded default) and
// PostgreSQL through libpqxx for a team. Both keep a schema_version table and
// apply migrations on open; each run is written in its own transaction.
// Run ids are decimal strings ("1", "2", ...). All methods are thread-safe
// (each backend serialises access to its connection with a mutex).

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace rackforge::store {

/// A store that cannot be opened or read (missing/corrupt file, bad URL,
/// server down). The message names the file or URL (password hidden).
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What is known about a run when it starts.
struct NewRun {
  std::string kind;           // plan | sweep | risk | simulate
  std::string scenario_id;    // folder or catalog id
  std::string scenario_name;  // scenario.yaml name
  nlohmann::json options = nlohmann::json::object();
  std::string input_hash;     // content hash of the scenario files (ScenarioFolderHash)
};

/// The schema version this build writes (migrations bring older stores up to it).
inline constexpr int kSchemaVersion = 2;

/// Interface of both backends.
class RunStore {
 public:
  virtual ~RunStore() = default;

  /// Inserts a run with status "running"; returns its id.
  virtual std::string CreateRun(const NewRun& run) = 0;
  /// Shorthand used by the server: scenario id doubles as its name.
  std::string CreateRun(const std::string& scenario_id, const std::string& kind, const nlohmann::json& options);
  /// Sets status ("done", "failed", or a solve status word) and the result JSON; throws StoreError for an unknown id.
  virtual void FinishRun(const std::string& id, const std::string& status, const nlohmann::json& result) = 0;
  /// FinishRun with status "done".
  void FinishRun(const std::string& id, const nlohmann::json& result) { FinishRun(id, "done", result); }
  /// FinishRun with status "failed" and {"error": message} as result.
  void FailRun(const std::string& id, const std::string& error) { FinishRun(id, "failed", {{"error", error}}); }

  /// All runs, newest first, without their result JSON:
  /// [{"id","kind","scenario_id","scenario_name","created_at","status","input_hash","options"}].
  virtual nlohmann::json List() = 0;
  /// One run with "result" (null while running); nullopt for an unknown id.
  virtual std::optional<nlohmann::json> Get(const std::string& id) = 0;
  /// {"a","b","inputs": {...changed fields...},"results": {...}}; throws StoreError for an unknown id.
  nlohmann::json Diff(const std::string& a, const std::string& b);

  /// The schema version found in the store after migrations.
  virtual int SchemaVersion() = 0;
  /// "sqlite:PATH" or "postgresql://HOST/DB" (no password), for messages.
  virtual std::string Describe() const = 0;
};

/// Opens the store at `where`: a SQLite file path or a postgresql://
/// (postgres://) URL, applying migrations. A missing SQLite file is created
/// when `create_if_missing`, else it is an error. Throws StoreError naming the file or URL.
std::unique_ptr<RunStore> OpenRunStore(const std::string& where, bool create_if_missing = true);

/// Diff of two stored runs (as returned by Get): changed inputs (kind,
/// scenario, input hash, each changed option key) and results (status,
/// objective, each cost part, racks built, domestic content, backlog by kind,
/// expansions opened/closed), each as {"a": .., "b": .., "delta": b - a for numbers}.
nlohmann::json DiffRuns(const nlohmann::json& a, const nlohmann::json& b);

/// FNV-1a 64-bit hash (16 hex digits) over the relative paths and contents
/// of the regular files under `folder` in sorted order; "" when it is not a folder.
std::string ScenarioFolderHash(const std::string& folder);
/// FNV-1a of one file's bytes as 16 hex digits; "" when it cannot be read.
std::string FileHash(const std::string& path);

}  // namespace rackforge::store
