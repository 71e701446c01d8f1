#include "cli/db_option.h"

#include <iostream>

#include "io/errors.h"

namespace rackforge::cli {

std::unique_ptr<store::RunStore> OpenDbOption(const std::string& db, bool create_if_missing) {
  try {
    return store::OpenRunStore(db, create_if_missing);
  } catch (const store::StoreError& e) {
    throw io::UsageError(std::string("--db: ") + e.what());
  }
}

void StoreFinishedRun(const std::string& db, const store::NewRun& run, const nlohmann::json& result) {
  try {
    std::unique_ptr<store::RunStore> store = OpenDbOption(db);
    const std::string id = store->CreateRun(run);
    store->FinishRun(id, result);
    std::cerr << run.kind << ": stored as run " << id << " in " << store->Describe() << "\n";
  } catch (const store::StoreError& e) {
    throw io::UsageError(std::string("--db: ") + e.what());
  }
}

}  // namespace rackforge::cli
