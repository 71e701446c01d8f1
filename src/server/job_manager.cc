#include "server/job_manager.h"

#include <algorithm>
#include <exception>

namespace rackforge::server {

const char* ToString(JobStatus status) {
  switch (status) {
    case JobStatus::kQueued: return "queued";
    case JobStatus::kRunning: return "running";
    case JobStatus::kDone: return "done";
    case JobStatus::kFailed: return "failed";
    case JobStatus::kCancelled:
      return "cancelled";
    case JobStatus::kInterrupted:
      return "interrupted";
  }
  return "failed";
}

bool IsFinished(JobStatus status) { return status != JobStatus::kQueued && status != JobStatus::kRunning; }

nlohmann::json JobSnapshot::ToJson() const {
  nlohmann::json out = {{"id", id},         {"kind", kind},         {"run_id", run_id},
                        {"status", ToString(status)}, {"progress", progress}, {"result", result}};
  if (status != JobStatus::kDone && IsFinished(status)) out["error"] = error;
  return out;
}

JobManager::JobManager(JobLimits limits) : limits_(limits) {
  limits_.max_queued = std::max<size_t>(1, limits_.max_queued);
  limits_.max_finished = std::max<size_t>(1, limits_.max_finished);
  for (int i = 0; i < std::max(1, limits_.workers); ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

JobManager::~JobManager() {
  std::deque<std::shared_ptr<Job>> abandoned;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    abandoned.swap(queue_);
    for (const auto& job : abandoned) {
      job->snapshot.status = JobStatus::kInterrupted;
      job->snapshot.error = "the server stopped before the job started";
    }
    for (const auto& [id, job] : jobs_) {
      if (job->snapshot.status == JobStatus::kRunning) job->cancel->store(static_cast<int>(JobStatus::kInterrupted));
    }
  }
  queued_.notify_all();
  changed_.notify_all();
  for (const auto& job : abandoned) {
    if (job->abandon) job->abandon(JobStatus::kInterrupted);
  }
  for (std::thread& worker : workers_) worker.join();
}

bool JobManager::HasRoom() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return !stopping_ && queue_.size() < limits_.max_queued;
}

std::optional<std::string> JobManager::Submit(std::string kind, std::string run_id, JobWork work, AbandonFn abandon) {
  auto job = std::make_shared<Job>();
  job->snapshot.kind = std::move(kind);
  job->snapshot.run_id = std::move(run_id);
  job->work = std::move(work);
  job->abandon = std::move(abandon);
  std::string id;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || queue_.size() >= limits_.max_queued) return std::nullopt;
    id = "job-" + std::to_string(next_id_++);
    job->snapshot.id = id;
    jobs_[id] = job;
    queue_.push_back(job);
  }
  queued_.notify_one();
  return id;
}

JobManager::CancelOutcome JobManager::Cancel(const std::string& id) {
  std::shared_ptr<Job> abandoned;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = jobs_.find(id);
    if (it == jobs_.end()) return CancelOutcome::kUnknown;
    Job& job = *it->second;
    if (IsFinished(job.snapshot.status)) return CancelOutcome::kAlreadyFinished;
    job.cancel->store(static_cast<int>(JobStatus::kCancelled));
    if (job.snapshot.status == JobStatus::kRunning) return CancelOutcome::kCancelling;
    queue_.erase(std::remove(queue_.begin(), queue_.end(), it->second), queue_.end());
    job.snapshot.status = JobStatus::kCancelled;
    job.snapshot.error = "cancelled before it started";
    job.work = nullptr;
    abandoned = it->second;
    Retire(id);
  }
  changed_.notify_all();
  if (abandoned->abandon) abandoned->abandon(JobStatus::kCancelled);
  abandoned->abandon = nullptr;
  return CancelOutcome::kCancelled;
}

std::optional<JobSnapshot> JobManager::Get(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  return it->second->snapshot;
}

bool JobManager::Wait(const std::string& id) const {
  std::unique_lock<std::mutex> lock(mutex_);
  const auto it = jobs_.find(id);
  if (it == jobs_.end()) return false;
  const std::shared_ptr<Job> job = it->second;  // stays valid if evicted meanwhile
  changed_.wait(lock, [&] { return IsFinished(job->snapshot.status); });
  return true;
}

size_t JobManager::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return jobs_.size();
}

void JobManager::WorkerLoop() {
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping with nothing left
      job = queue_.front();
      queue_.pop_front();
      job->snapshot.status = JobStatus::kRunning;
    }
    changed_.notify_all();
    Run(*job);
  }
}

void JobManager::Run(Job& job) {
  const ProgressFn progress = [this, &job](double fraction) {
    Update(job, [fraction](JobSnapshot& s) { s.progress = std::max(s.progress, std::clamp(fraction, 0.0, 1.0)); });
  };
  const JobContext context(progress, job.cancel);
  nlohmann::json result;
  std::string error;
  bool ok = false;
  try {
    result = job.work(context);
    ok = true;
  } catch (const std::exception& e) {
    error = e.what();
  } catch (...) {
    error = "unknown error";
  }
  job.work = nullptr;  // release captured state
  {
    std::lock_guard<std::mutex> lock(mutex_);
    JobSnapshot& s = job.snapshot;
    if (ok) {
      s.result = std::move(result);
      s.progress = 1;
      s.status = JobStatus::kDone;
    } else if (context.Cancelled()) {
      s.status = context.CancelledAs();
      s.error = s.status == JobStatus::kCancelled ? "cancelled" : "the server stopped while the job ran";
    } else {
      s.status = JobStatus::kFailed;
      s.error = error;
    }
    Retire(s.id);
  }
  changed_.notify_all();
}

void JobManager::Update(Job& job, const std::function<void(JobSnapshot&)>& change) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    change(job.snapshot);
  }
  changed_.notify_all();
}

void JobManager::Retire(const std::string& id) {
  finished_.push_back(id);
  while (finished_.size() > limits_.max_finished) {
    jobs_.erase(finished_.front());
    finished_.pop_front();
  }
}

}  // namespace rackforge::server
