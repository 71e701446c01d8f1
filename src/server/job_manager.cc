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
  }
  return "failed";
}

nlohmann::json JobSnapshot::ToJson() const {
  nlohmann::json out = {{"id", id},         {"kind", kind},         {"run_id", run_id},
                        {"status", ToString(status)}, {"progress", progress}, {"result", result}};
  if (status == JobStatus::kFailed) out["error"] = error;
  return out;
}

JobManager::JobManager(int workers) {
  for (int i = 0; i < std::max(1, workers); ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

JobManager::~JobManager() {
  std::deque<std::shared_ptr<Job>> abandoned;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    abandoned.swap(queue_);
    for (const auto& job : abandoned) {
      job->snapshot.status = JobStatus::kFailed;
      job->snapshot.error = "the server stopped before the job started";
    }
  }
  queued_.notify_all();
  changed_.notify_all();
  for (const auto& job : abandoned) {
    if (job->abandon) job->abandon();
  }
  for (std::thread& worker : workers_) worker.join();
}

std::string JobManager::Submit(std::string kind, std::string run_id, JobWork work, std::function<void()> abandon) {
  auto job = std::make_shared<Job>();
  job->snapshot.kind = std::move(kind);
  job->snapshot.run_id = std::move(run_id);
  job->work = std::move(work);
  job->abandon = std::move(abandon);
  std::string id;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    id = "job-" + std::to_string(next_id_++);
    job->snapshot.id = id;
    jobs_[id] = job;
    queue_.push_back(job);
  }
  queued_.notify_one();
  return id;
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
  const JobSnapshot& snapshot = it->second->snapshot;
  changed_.wait(lock, [&] { return snapshot.status == JobStatus::kDone || snapshot.status == JobStatus::kFailed; });
  return true;
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
  try {
    nlohmann::json result = job.work(progress);
    Update(job, [&result](JobSnapshot& s) {
      s.result = std::move(result);
      s.progress = 1;
      s.status = JobStatus::kDone;
    });
  } catch (const std::exception& e) {
    const std::string message = e.what();
    Update(job, [&message](JobSnapshot& s) {
      s.error = message;
      s.status = JobStatus::kFailed;
    });
  }
  job.work = nullptr;  // release captured state
}

void JobManager::Update(Job& job, const std::function<void(JobSnapshot&)>& change) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    change(job.snapshot);
  }
  changed_.notify_all();
}

}  // namespace rackforge::server
