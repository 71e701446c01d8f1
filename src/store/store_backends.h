#pragma once
// Internal to src/store: the two backends, the migration list and helpers
// shared by them.

#include <memory>
#include <string>
#include <vector>

#include "store/run_store.h"

namespace rackforge::store::internal {

/// Which SQL dialect a statement is written for.
enum class Dialect { kSqlite, kPostgres };

/// The statements that bring the schema from version i to i+1 (index i).
std::vector<std::vector<std::string>> Migrations(Dialect dialect);

/// Current UTC time as "2026-11-23T13:01:02Z".
std::string UtcNowIso();

/// A URL with its password replaced by "***".
std::string HidePassword(const std::string& url);

/// Throws StoreError unless `run.status` is queued or running; sets `owner`
/// to run.owner, or this process when run.owner.pid is 0. Returns the status.
std::string CheckNewRun(const NewRun& run, const std::string& where, io::ProcessOwner& owner);
/// Throws StoreError unless run_status::IsFinished(status).
void CheckFinishedStatus(const std::string& status, const std::string& where);
/// The result JSON (dumped) of a run marked interrupted.
std::string InterruptedResult(const io::ProcessOwner& owner);

std::unique_ptr<RunStore> OpenSqlite(const std::string& path, bool create_if_missing);
std::unique_ptr<RunStore> OpenPostgres(const std::string& url);

}  // namespace rackforge::store::internal
