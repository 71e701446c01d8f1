#pragma once
// Background jobs of the server (plans, risk sweeps, simulations): a fixed
// pool of worker threads, a bounded FIFO queue, and a bounded registry that
// readers poll by id. Jobs are cancelled cooperatively: a job's body checks
// JobContext::Cancelled() between its steps (runs, nodes) and throws
// JobCancelled. Thread-safe: every public method may be called from any thread.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace rackforge::server {

/// queued -> running -> done | failed | cancelled (DELETE) | interrupted (the
/// server stopped); a queued job may go straight to cancelled or interrupted.
/// The words are the run statuses of store::run_status.
enum class JobStatus { kQueued, kRunning, kDone, kFailed, kCancelled, kInterrupted };
/// "queued" | "running" | "done" | "failed" | "cancelled" | "interrupted".
const char* ToString(JobStatus status);
/// True for done, failed, cancelled and interrupted.
bool IsFinished(JobStatus status);

/// What a reader sees of a job at one moment.
struct JobSnapshot {
  std::string id;
  std::string kind;    // "plan" | "risk" | "simulate"
  std::string run_id;  // the run the job writes to (may be empty)
  JobStatus status = JobStatus::kQueued;
  double progress = 0;    // 0..1
  nlohmann::json result;  // null until done
  std::string error;      // set when failed, cancelled or interrupted
  /// {"id","kind","run_id","status","progress","result"[,"error"]}.
  nlohmann::json ToJson() const;
};

/// Reports progress in 0..1 (values are clamped; it never decreases).
using ProgressFn = std::function<void(double)>;

/// Thrown by a job's body when it sees JobContext::Cancelled().
class JobCancelled : public std::runtime_error {
 public:
  JobCancelled() : std::runtime_error("cancelled") {}
};

/// What a running job's body gets: progress reports and its cancel flag.
class JobContext {
 public:
  /// `cancel` holds 0 while the job may run, else the JobStatus it ends as
  /// (kCancelled or kInterrupted).
  JobContext(ProgressFn progress, std::shared_ptr<const std::atomic<int>> cancel)
      : progress_(std::move(progress)), cancel_(std::move(cancel)) {}
  void Progress(double fraction) const { progress_(fraction); }
  const ProgressFn& progress() const { return progress_; }
  /// True once the job was cancelled or the manager is shutting down.
  bool Cancelled() const { return cancel_->load(std::memory_order_relaxed) != 0; }
  /// kCancelled (DELETE) or kInterrupted (shutdown) once Cancelled(); kRunning before.
  JobStatus CancelledAs() const {
    const int value = cancel_->load(std::memory_order_relaxed);
    return value == 0 ? JobStatus::kRunning : static_cast<JobStatus>(value);
  }
  /// A callable for engines (risk::RiskOptions::cancelled); valid while the job runs.
  std::function<bool()> CancelCheck() const {
    return [flag = cancel_] { return flag->load(std::memory_order_relaxed) != 0; };
  }
  /// Throws JobCancelled when Cancelled().
  void ThrowIfCancelled() const {
    if (Cancelled()) throw JobCancelled();
  }

 private:
  ProgressFn progress_;
  std::shared_ptr<const std::atomic<int>> cancel_;
};

/// A job's body: runs on a worker thread, returns the result or throws (the
/// exception's message becomes the job's error; any exception once the job is
/// cancelled makes it cancelled/interrupted).
using JobWork = std::function<nlohmann::json(const JobContext&)>;
/// Runs instead of a queued job's body when it is cancelled (kCancelled) or
/// the manager shuts down first (kInterrupted).
using AbandonFn = std::function<void(JobStatus)>;

struct JobLimits {
  int workers = 1;           // worker threads (at least 1)
  size_t max_queued = 16;    // jobs waiting to start; Submit refuses more (HTTP 429)
  size_t max_finished = 64;  // finished jobs kept with their result; older ones are evicted (their
                             // runs stay in the run store)
};

class JobManager {
 public:
  explicit JobManager(JobLimits limits);
  /// Starts `workers` threads (at least 1) with the default limits otherwise.
  explicit JobManager(int workers) : JobManager(JobLimits{workers}) {}
  /// Cancels running jobs (they stop at their next check; a plan solve runs to
  /// its end), abandons queued ones as interrupted, joins the workers.
  ~JobManager();
  JobManager(const JobManager&) = delete;
  JobManager& operator=(const JobManager&) = delete;

  /// Queues a job and returns its id ("job-1", "job-2", ...), or nullopt when
  /// the queue already holds max_queued jobs. `abandon` (may be empty) runs
  /// instead of `work` if the job is cancelled while queued or the manager
  /// shuts down first.
  std::optional<std::string> Submit(std::string kind, std::string run_id, JobWork work, AbandonFn abandon = {});
  /// True when Submit would accept a job now.
  bool HasRoom() const;

  enum class CancelOutcome { kUnknown, kCancelled, kCancelling, kAlreadyFinished };
  /// Cancels a job: a queued one never runs (kCancelled, its `abandon` is
  /// called); a running one stops at its next check (kCancelling).
  CancelOutcome Cancel(const std::string& id);

  /// The job's current state, or nullopt for an unknown (or evicted) id.
  std::optional<JobSnapshot> Get(const std::string& id) const;
  /// Blocks until the job is finished (tests, shutdown); false for an unknown id.
  bool Wait(const std::string& id) const;
  /// Jobs held in memory (queued, running and kept finished ones).
  size_t size() const;

 private:
  struct Job {
    JobSnapshot snapshot;
    JobWork work;
    AbandonFn abandon;
    std::shared_ptr<std::atomic<int>> cancel = std::make_shared<std::atomic<int>>(0);  // see JobContext
  };
  void WorkerLoop();
  void Run(Job& job);
  void Update(Job& job, const std::function<void(JobSnapshot&)>& change);
  /// Records a finished job and evicts the oldest beyond max_finished (mutex_ held).
  void Retire(const std::string& id);

  JobLimits limits_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::condition_variable queued_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::deque<std::shared_ptr<Job>> queue_;
  std::deque<std::string> finished_;  // ids, oldest first
  int64_t next_id_ = 1;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace rackforge::server
