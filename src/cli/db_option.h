#pragma once
// The --db option every storing command shares: open the run store it names
// (a store error becomes a usage error naming --db) and store a finished run.

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "store/run_store.h"

namespace rackforge::cli {

/// The run store at `db` (SQLite file or postgresql:// URL). Throws
/// io::UsageError "--db: <store error>" when it cannot be opened.
std::unique_ptr<store::RunStore> OpenDbOption(const std::string& db, bool create_if_missing = true);

/// Stores `run` with its `result` as one finished run in the store at `db` and
/// says so on stderr ("<kind>: stored as run ID in ..."); store errors as above.
void StoreFinishedRun(const std::string& db, const store::NewRun& run, const nlohmann::json& result);

}  // namespace rackforge::cli
