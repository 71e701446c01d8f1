#include "server/job_manager.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <stdexcept>

namespace rackforge::server {
namespace {

TEST(JobManagerTest, RunsAJobAndKeepsItsResult) {
  JobManager jobs(1);
  const std::string id = jobs.Submit("plan", "run-7", [](const ProgressFn& progress) {
    progress(0.5);
    return nlohmann::json{{"answer", 42}};
  });
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
  const std::string id = jobs.Submit("risk", "", [](const ProgressFn&) -> nlohmann::json {
    throw std::runtime_error("scenario has no plants");
  });
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
  const std::string id = jobs.Submit("simulate", "r", [&](const ProgressFn& progress) {
    progress(0.4);
    progress(0.2);  // ignored: progress never goes back
    progress(7.0);  // clamped
    progress(0.3);
    reported.set_value();
    released.wait();
    return nlohmann::json::object();
  });
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

TEST(JobManagerTest, ShutdownAbandonsQueuedJobsAndFinishesTheRunningOne) {
  std::atomic<int> abandoned{0};
  std::atomic<bool> finished{false};
  std::promise<void> started;
  {
    JobManager jobs(1);
    jobs.Submit("plan", "a", [&](const ProgressFn&) {
      started.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      finished = true;
      return nlohmann::json::object();
    });
    for (int i = 0; i < 3; ++i) {
      jobs.Submit("plan", "q", [](const ProgressFn&) { return nlohmann::json::object(); }, [&] { ++abandoned; });
    }
    started.get_future().wait();
  }
  EXPECT_TRUE(finished);
  EXPECT_EQ(abandoned, 3);
}

}  // namespace
}  // namespace rackforge::server
