#pragma once
// The run store: every plan, sweep, risk and simulate run with its inputs
// (options, scenario, input hash) and its result JSON. Two backends behind
// one interface: a SQLite file (WAL mode, the embedded default) and
// PostgreSQL through libpqxx for a team. Both keep a schema_version table and
// apply migrations on open; each run is written in its own transaction.
// Run ids are decimal strings ("1", "2", ...). All methods are thread-safe
// (each backend serialises access to its connection with a mutex).

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/process_info.h"
#include "model/keyed_quantities.h"

namespace rackforge::store {

/// A store that cannot be opened or read (missing/corrupt file, bad URL,
/// server down). The message names the file or URL (password hidden).
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The one status vocabulary of runs (CLI, server, store and dashboard alike).
/// A run is created `queued` (server jobs) or `running`; it ends `done` (it has
/// a result; the solve outcome, e.g. "infeasible", is the result's own
/// "status"), `failed` (an error; result {"error"}), `cancelled` (DELETE
/// /api/jobs/ID or a server shutdown) or `interrupted` (its process ended
/// before it finished: killed, crashed; found when a store is opened).
namespace run_status {
inline constexpr const char* kQueued = "queued";
inline constexpr const char* kRunning = "running";
inline constexpr const char* kDone = "done";
inline constexpr const char* kFailed = "failed";
inline constexpr const char* kCancelled = "cancelled";
inline constexpr const char* kInterrupted = "interrupted";
/// True for done, failed, cancelled and interrupted.
bool IsFinished(const std::string& status);
}  // namespace run_status

/// What is known about a run when it starts.
struct NewRun {
  std::string kind;           // plan | sweep | risk | simulate
  std::string scenario_id;    // ScenarioIdOf(folder): the folder's name, as `serve` calls it
  std::string scenario_name;  // scenario.yaml name
  nlohmann::json options = nlohmann::json::object();
  std::string input_hash;     // content hash of the scenario files (ScenarioFolderHash)
  std::string status = run_status::kRunning;  // kRunning or kQueued
  /// The process that will finish the run; pid 0 = this process (filled in by CreateRun).
  io::ProcessOwner owner;
};

/// The schema version this build writes (migrations bring older stores up to it).
/// 4: run_quantities (a plan run's make, makec, buy, xfer and ship; see docs/cli.md).
inline constexpr int kSchemaVersion = 4;

/// Interface of both backends.
class RunStore {
 public:
  virtual ~RunStore() = default;

  /// Inserts a run with `run.status` (queued or running) and its owner process; returns its id.
  /// Throws StoreError for another status or when the store cannot be written.
  virtual std::string CreateRun(const NewRun& run) = 0;
  /// Shorthand used by the server: scenario id doubles as its name.
  std::string CreateRun(const std::string& scenario_id, const std::string& kind, const nlohmann::json& options);
  /// Moves a queued run to running (no effect on a run that is no longer queued);
  /// throws StoreError for an unknown id.
  virtual void StartRun(const std::string& id) = 0;
  /// Sets a finished status (run_status::IsFinished) and the result JSON and, when
  /// `quantities` is not null, stores the plan's quantities with it (one transaction);
  /// throws StoreError for an unknown id or another status.
  virtual void FinishRun(const std::string& id, const std::string& status, const nlohmann::json& result,
                         const model::KeyedQuantities* quantities) = 0;
  /// FinishRun without quantities.
  void FinishRun(const std::string& id, const std::string& status, const nlohmann::json& result) {
    FinishRun(id, status, result, nullptr);
  }
  /// Marks the queued and running runs of this host whose owner process is gone
  /// (io::OwnerLiveness) as interrupted; returns how many. Runs of other hosts
  /// are left alone. Called by OpenRunStore and List.
  virtual int MarkInterrupted() = 0;
  /// FinishRun with status "done".
  void FinishRun(const std::string& id, const nlohmann::json& result) { FinishRun(id, "done", result); }
  /// FinishRun with status "failed" and {"error": message} as result.
  void FailRun(const std::string& id, const std::string& error) { FinishRun(id, "failed", {{"error", error}}); }

  /// All runs, newest first, without their result JSON (after MarkInterrupted):
  /// [{"id","kind","scenario_id","scenario_name","created_at","finished_at","status","input_hash","options","owner"}]
  /// with "owner" {"host","pid"}.
  virtual nlohmann::json List() = 0;
  /// One run with "result" (null while running); nullopt for an unknown id.
  virtual std::optional<nlohmann::json> Get(const std::string& id) = 0;
  /// The plan quantities stored with a run; nullopt for an unknown id and for a run
  /// without them (not a plan run, no solution, or stored before schema 4). Throws
  /// StoreError when the stored quantities cannot be read.
  virtual std::optional<model::KeyedQuantities> GetQuantities(const std::string& id) = 0;
  /// {"a","b","inputs": {...changed fields...},"results": {...},"plan": DiffQuantities or null
  /// (null unless both runs have quantities)}; throws StoreError for an unknown id.
  nlohmann::json Diff(const std::string& a, const std::string& b);

  /// The schema version found in the store after migrations.
  virtual int SchemaVersion() = 0;
  /// "sqlite:PATH" or "postgresql://HOST/DB" (no password), for messages.
  virtual std::string Describe() const = 0;
};

/// Opens the store at `where`: a SQLite file path or a postgresql://
/// (postgres://) URL, applying migrations, then MarkInterrupted. A missing
/// SQLite file is created when `create_if_missing`, else it is an error; a
/// file that is not SQLite is an error, and so is one that cannot be written
/// when `create_if_missing` (the storing commands). A reader (`runs`,
/// create_if_missing false) may open a read-only file of the current schema;
/// its MarkInterrupted does nothing. Throws StoreError naming the file or URL.
std::unique_ptr<RunStore> OpenRunStore(const std::string& where, bool create_if_missing = true);

/// Diff of two stored runs (as returned by Get): changed inputs (kind,
/// scenario, input hash, each changed option key) and results (status,
/// objective, each cost part, racks built, domestic content, backlog by kind,
/// expansions opened/closed), each as {"a": .., "b": .., "delta": b - a for numbers}.
nlohmann::json DiffRuns(const nlohmann::json& a, const nlohmann::json& b);

/// The largest changes between two runs' quantities, over the ISO weeks both cover:
/// {"weeks": {"first","last"} or null, "racks_moved": Σ |Δ make|, "build_plan_cells_changed",
///  "build_plan": [{"line","design","week","a","b","delta"}] (the `top` largest |delta|, largest first),
///  "purchases": [{"supplier","component","a_units","b_units","delta_units"}] (every changed pair,
///  Σ over plants and order weeks, largest |delta| first)}. Changes of at most 1e-6 are left out.
nlohmann::json DiffQuantities(const model::KeyedQuantities& a, const model::KeyedQuantities& b, size_t top = 20);

/// The text form of stored quantities (JSON, doubles in round-trip precision) and back;
/// DecodeQuantities throws StoreError naming `where` for text it cannot read.
std::string EncodeQuantities(const model::KeyedQuantities& quantities);
model::KeyedQuantities DecodeQuantities(const std::string& text, const std::string& where);

/// The scenario id of a folder, shared by the CLI and `serve`: its last path
/// component ("a/b/tiny/" -> "tiny", "." -> the current folder's name).
std::string ScenarioIdOf(const std::string& folder);

/// FNV-1a 64-bit hash (16 hex digits) over the relative paths and contents
/// of the regular files under `folder` in sorted order; "" when it is not a folder.
std::string ScenarioFolderHash(const std::string& folder);
/// FNV-1a of one file's bytes as 16 hex digits; "" when it cannot be read.
std::string FileHash(const std::string& path);

}  // namespace rackforge::store
