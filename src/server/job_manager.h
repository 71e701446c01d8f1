#pragma once
// Background jobs of the server (plans, risk sweeps, simulations): a fixed
// pool of worker threads, a FIFO queue, and a registry that readers poll by
// id. Thread-safe: Submit and Get may be called from any thread.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace rackforge::server {

enum class JobStatus { kQueued, kRunning, kDone, kFailed };
/// "queued" | "running" | "done" | "failed".
const char* ToString(JobStatus status);

/// What a reader sees of a job at one moment.
struct JobSnapshot {
  std::string id;
  std::string kind;    // "plan" | "risk" | "simulate"
  std::string run_id;  // the run the job writes to (may be empty)
  JobStatus status = JobStatus::kQueued;
  double progress = 0;    // 0..1
  nlohmann::json result;  // null until done
  std::string error;      // set when failed
  /// {"id","kind","run_id","status","progress","result"[,"error"]}.
  nlohmann::json ToJson() const;
};

/// Reports progress in 0..1 (values are clamped; it never decreases).
using ProgressFn = std::function<void(double)>;

/// A job's body: runs on a worker thread, returns the result or throws (the
/// exception's message becomes the job's error).
using JobWork = std::function<nlohmann::json(const ProgressFn&)>;

class JobManager {
 public:
  /// Starts `workers` threads (at least 1).
  explicit JobManager(int workers);
  /// Lets running jobs finish, calls `abandon` of queued ones, joins the workers.
  ~JobManager();
  JobManager(const JobManager&) = delete;
  JobManager& operator=(const JobManager&) = delete;

  /// Queues a job and returns its id ("job-1", "job-2", ...). `abandon` (may be
  /// empty) runs instead of `work` if the manager shuts down first.
  std::string Submit(std::string kind, std::string run_id, JobWork work, std::function<void()> abandon = {});
  /// The job's current state, or nullopt for an unknown id.
  std::optional<JobSnapshot> Get(const std::string& id) const;
  /// Blocks until the job is done or failed (tests, shutdown); false for an unknown id.
  bool Wait(const std::string& id) const;

 private:
  struct Job {
    JobSnapshot snapshot;
    JobWork work;
    std::function<void()> abandon;
  };
  void WorkerLoop();
  void Run(Job& job);
  void Update(Job& job, const std::function<void(JobSnapshot&)>& change);

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::condition_variable queued_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::deque<std::shared_ptr<Job>> queue_;
  int64_t next_id_ = 1;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace rackforge::server
