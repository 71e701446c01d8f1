#include "server/job_manager.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <optional>
#include <stdexcept>
#include <thread>

namespace rackforge::server {
namespace {

TEST(JobManagerTest, RunsAJobAndKeepsItsResult) {
  JobManager jobs(1);
  const std::string id = jobs.Submit("plan", "run-7",
                                     [](const JobContext& job) {
                                       job.Progress(0.5);
                                       return nlohmann::json{{"answer", 42}};
                                     })
                             .value();
  EXPECT_EQ(id, "job-1");
  ASSERT_TRUE(jobs.Wait(id));
  const auto job = jobs.Get(id);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->status, JobStatus::kDone);
  EXPECT_EQ(job->progress, 1.0);
  EXPECT_EQ(job->result["answer"], 42);
  const nlohmann::json json = job->ToJson();
  EXPECT_EQ(json["status"], "done");
  EXPECT_EQ(json["run_id"], "run-7");
  EXPECT_FALSE(json.contains("error"));
}

TEST(JobManagerTest, AThrowingJobFailsWithItsMessage) {
  JobManager jobs(1);
  const std::string id =
      jobs.Submit("risk", "",
                  [](const JobContext&) -> nlohmann::json { throw std::runtime_error("scenario has no plants"); })
          .value();
  ASSERT_TRUE(jobs.Wait(id));
  const auto job = jobs.Get(id);
  EXPECT_EQ(job->status, JobStatus::kFailed);
  EXPECT_EQ(job->ToJson()["error"], "scenario has no plants");
  EXPECT_TRUE(job->result.is_null());
}

TEST(JobManagerTest, ProgressIsVisibleWhileRunningAndNeverDecreases) {
  JobManager jobs(1);
  std::promise<void> reported, release;
  std::shared_future<void> released = release.get_future().share();
  const std::string id = jobs.Submit("simulate", "r",
                                     [&](const JobContext& job) {
                                       job.Progress(0.4);
                                       job.Progress(0.2);  // ignored: progress never goes back
                                       job.Progress(7.0);  // clamped
                                       job.Progress(0.3);
                                       reported.set_value();
                                       released.wait();
                                       return nlohmann::json::object();
                                     })
                             .value();
  reported.get_future().wait();
  const auto running = jobs.Get(id);
  EXPECT_EQ(running->status, JobStatus::kRunning);
  EXPECT_EQ(running->progress, 1.0);
  release.set_value();
  jobs.Wait(id);
  EXPECT_EQ(jobs.Get(id)->status, JobStatus::kDone);
}

TEST(JobManagerTest, UnknownIdsAreNotFound) {
  JobManager jobs(1);
  EXPECT_FALSE(jobs.Get("job-99").has_value());
  EXPECT_FALSE(jobs.Wait("job-99"));
}

TEST(JobManagerTest, ShutdownAbandonsQueuedJobsAndFinishesAPlanThatDoesNotCheck) {
  std::atomic<int> abandoned{0};
  std::atomic<bool> finished{false};
  std::promise<void> started;
  {
    JobManager jobs(1);
    jobs.Submit("plan", "a", [&](const JobContext&) {
      started.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      finished = true;  // a body that never checks its cancel flag runs to its end
      return nlohmann::json::object();
    });
    for (int i = 0; i < 3; ++i) {
      jobs.Submit(
          "plan", "q", [](const JobContext&) { return nlohmann::json::object(); },
          [&](JobStatus status) {
            EXPECT_EQ(status, JobStatus::kInterrupted);
            ++abandoned;
          });
    }
    started.get_future().wait();
  }
  EXPECT_TRUE(finished);
  EXPECT_EQ(abandoned, 3);
}

// A body that loops until cancelled, checking between steps as the simulate job does.
nlohmann::json LoopUntilCancelled(const JobContext& job, std::promise<void>* started) {
  if (started) started->set_value();
  for (;;) {
    job.ThrowIfCancelled();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

TEST(JobManagerTest, ShutdownStopsARunningJobAtItsNextCheck) {
  std::promise<void> started;
  std::atomic<int> abandoned{0};
  auto jobs = std::make_unique<JobManager>(1);
  const std::string id =
      jobs->Submit("simulate", "r", [&](const JobContext& job) { return LoopUntilCancelled(job, &started); }).value();
  jobs->Submit(
      "plan", "q", [](const JobContext&) { return nlohmann::json::object(); }, [&](JobStatus) { ++abandoned; });
  started.get_future().wait();
  EXPECT_EQ(jobs->Get(id)->status, JobStatus::kRunning);
  jobs.reset();  // would hang forever without the cancel flag
  EXPECT_EQ(abandoned, 1);
}

TEST(JobManagerTest, CancelARunningJob) {
  JobManager jobs(1);
  std::promise<void> started;
  const std::string id =
      jobs.Submit("simulate", "r", [&](const JobContext& job) { return LoopUntilCancelled(job, &started); }).value();
  started.get_future().wait();
  EXPECT_EQ(jobs.Cancel(id), JobManager::CancelOutcome::kCancelling);
  ASSERT_TRUE(jobs.Wait(id));
  const JobSnapshot job = *jobs.Get(id);
  EXPECT_EQ(job.status, JobStatus::kCancelled);
  EXPECT_EQ(job.ToJson()["status"], "cancelled");
  EXPECT_EQ(job.ToJson()["error"], "cancelled");
  EXPECT_EQ(jobs.Cancel(id), JobManager::CancelOutcome::kAlreadyFinished);
  EXPECT_EQ(jobs.Cancel("job-99"), JobManager::CancelOutcome::kUnknown);
}

TEST(JobManagerTest, ACancelledQueuedJobNeverRuns) {
  JobManager jobs(1);
  std::promise<void> started;
  const std::string blocker =
      jobs.Submit("simulate", "r", [&](const JobContext& job) { return LoopUntilCancelled(job, &started); }).value();
  started.get_future().wait();
  std::atomic<bool> ran{false};
  std::atomic<int> abandoned_as{-1};
  const std::string queued = jobs.Submit(
                                     "plan", "q",
                                     [&](const JobContext&) {
                                       ran = true;
                                       return nlohmann::json::object();
                                     },
                                     [&](JobStatus status) { abandoned_as = static_cast<int>(status); })
                                 .value();
  EXPECT_EQ(jobs.Get(queued)->status, JobStatus::kQueued);
  EXPECT_EQ(jobs.Cancel(queued), JobManager::CancelOutcome::kCancelled);
  EXPECT_EQ(jobs.Get(queued)->status, JobStatus::kCancelled);
  EXPECT_EQ(abandoned_as, static_cast<int>(JobStatus::kCancelled));
  jobs.Cancel(blocker);
  jobs.Wait(blocker);
  // The worker is free now; the cancelled job must still not run.
  const std::string after =
      jobs.Submit("plan", "z", [](const JobContext&) { return nlohmann::json::object(); }).value();
  jobs.Wait(after);
  EXPECT_FALSE(ran);
}

TEST(JobManagerTest, TheQueueIsBounded) {
  JobLimits limits;
  limits.max_queued = 2;
  JobManager jobs(limits);
  std::promise<void> started;
  const std::string running =
      jobs.Submit("simulate", "r", [&](const JobContext& job) { return LoopUntilCancelled(job, &started); }).value();
  started.get_future().wait();  // the worker is busy; the next ones wait in the queue
  auto quick = [](const JobContext&) { return nlohmann::json::object(); };
  EXPECT_TRUE(jobs.Submit("plan", "1", quick).has_value());
  EXPECT_TRUE(jobs.HasRoom());
  const std::optional<std::string> second = jobs.Submit("plan", "2", quick);
  ASSERT_TRUE(second.has_value());
  EXPECT_FALSE(jobs.HasRoom());
  EXPECT_FALSE(jobs.Submit("plan", "3", quick).has_value());  // full: refused, not queued
  jobs.Cancel(*second);
  EXPECT_TRUE(jobs.HasRoom());
  jobs.Cancel(running);
}

TEST(JobManagerTest, FinishedJobsAreBoundedOldestEvictedFirst) {
  JobLimits limits;
  limits.max_finished = 3;
  JobManager jobs(limits);
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i) {
    ids.push_back(jobs.Submit("plan", std::to_string(i),
                              [i](const JobContext&) {
                                return nlohmann::json{{"i", i}};
                              })
                      .value());
    jobs.Wait(ids.back());
  }
  EXPECT_EQ(jobs.size(), 3u);
  EXPECT_FALSE(jobs.Get(ids[0]).has_value());
  EXPECT_FALSE(jobs.Get(ids[6]).has_value());
  EXPECT_EQ(jobs.Get(ids[7])->result["i"], 7);
  EXPECT_EQ(jobs.Get(ids[9])->result["i"], 9);
}

}  // namespace
}  // namespace rackforge::server
