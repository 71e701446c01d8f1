#pragma once
// The /api routes: scenarios (loaded once), the run store, and background
// jobs. Owned by Server; handlers are thread-safe.

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "model/keyed_quantities.h"
#include "server/job_manager.h"
#include "server/scenario_catalog.h"
#include "server/server.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace rackforge::store {
class RunStore;
}

namespace rackforge::server {

class Api {
 public:
  /// Loads the scenarios and opens the store (throws on failure).
  Api(const ServerOptions& options, std::shared_ptr<spdlog::logger> log);
  /// Cancels running jobs (simulations and risk sweeps stop at their next
  /// run block or node; a plan solve runs to its end) and waits for them;
  /// their runs and the queued ones are marked interrupted in the store.
  ~Api();

  /// Adds every /api route to `http`.
  void Register(httplib::Server& http);

 private:
  void Health(const httplib::Request& req, httplib::Response& res) const;
  void Scenarios(const httplib::Request& req, httplib::Response& res) const;
  void Scenario(const httplib::Request& req, httplib::Response& res) const;
  void Check(const httplib::Request& req, httplib::Response& res) const;
  /// GET /api/scenarios/ID/tables: the editable tables (server::ScenarioTablesJson).
  void Tables(const httplib::Request& req, httplib::Response& res) const;
  /// POST /api/scenarios {copy_of, name, replace, tables}: 201 {"id", "scenario"}
  /// (the new summary); 422 {"error", "problems"} when the copy does not load
  /// (nothing saved); 409 when the name is taken; 403 without --scenarios-dir.
  void SaveScenario(const httplib::Request& req, httplib::Response& res);
  void Plan(const httplib::Request& req, httplib::Response& res);
  void Risk(const httplib::Request& req, httplib::Response& res);
  void Simulate(const httplib::Request& req, httplib::Response& res);
  void Runs(const httplib::Request& req, httplib::Response& res);
  void Run(const httplib::Request& req, httplib::Response& res);
  void Diff(const httplib::Request& req, httplib::Response& res);
  void Job(const httplib::Request& req, httplib::Response& res) const;
  /// DELETE /api/jobs/ID: 200 with the job (cancelled before it started), 202
  /// (running: it stops at its next check), 404 unknown, 409 already finished.
  void CancelJob(const httplib::Request& req, httplib::Response& res);
  /// 429 {"error"} with Retry-After: the job queue holds JobLimits::max_queued jobs.
  void QueueFull(httplib::Response& res) const;

  /// The scenario named by the first path match, or nullptr after a 404.
  std::shared_ptr<const ScenarioEntry> FindScenario(const httplib::Request& req, httplib::Response& res) const;
  /// Where a plan job leaves its quantities for the store (shared by the job and its wrapper).
  using QuantitiesSlot = std::shared_ptr<std::shared_ptr<const model::KeyedQuantities>>;
  /// Creates the run (queued), queues `work` and answers 202 {"run_id", "job_id"};
  /// 429 when the queue is full (no run is created). The result is stored with the
  /// quantities `work` left in `quantities` (when given and set).
  void StartJob(httplib::Response& res, const ScenarioEntry& entry, const std::string& kind,
                const nlohmann::json& options, JobWork work, QuantitiesSlot quantities = nullptr);

  // Run store access (the store is thread-safe).
  std::string CreateRun(const ScenarioEntry& entry, const std::string& kind, const nlohmann::json& options);
  /// Stores a done run's result, and its plan quantities when not null.
  void FinishRun(const std::string& run_id, const nlohmann::json& result, const model::KeyedQuantities* quantities);
  void FailRun(const std::string& run_id, const std::string& error);
  /// Records a cancelled or interrupted end (never throws: logs store errors).
  void EndRun(const std::string& run_id, JobStatus status);

  std::shared_ptr<spdlog::logger> log_;
  std::unique_ptr<ScenarioCatalog> catalog_;
  std::mutex save_mutex_;  // one scenario save at a time
  std::unique_ptr<store::RunStore> store_;
  std::unique_ptr<JobManager> jobs_;  // last: destroyed first, while the store is still open
};

}  // namespace rackforge::server
