#include "cli/db_option.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "common/errors.h"

namespace rackforge::cli {

std::unique_ptr<store::RunStore> OpenDbOption(const std::string& db, bool create_if_missing) {
  try {
    return store::OpenRunStore(db, create_if_missing);
  } catch (const store::StoreError& e) {
    throw common::UsageError(std::string("--db: ") + e.what());
  }
}

RecordedRun::RecordedRun(bool enabled, const std::string& db, store::NewRun run) : kind_(run.kind) {
  if (!enabled) return;
  store_ = OpenDbOption(db);
  try {
    id_ = store_->CreateRun(run);
  } catch (const store::StoreError& e) {
    throw common::UsageError(std::string("--db: ") + e.what());
  }
}

RecordedRun::~RecordedRun() {
  if (store_ && !finished_) Fail("the command ended with an error before it stored its result");
}

void RecordedRun::Finish(const std::string& status, const nlohmann::json& result,
                         const model::KeyedQuantities* quantities) {
  if (!store_) return;
  try {
    store_->FinishRun(id_, status, result, quantities);
  } catch (const store::StoreError& e) {
    throw common::UsageError(std::string("--db: ") + e.what());
  }
  finished_ = true;
  std::cerr << kind_ << ": stored as run " << id_ << " in " << store_->Describe() << "\n";
}

void RecordedRun::Fail(const std::string& message) noexcept {
  if (!store_ || finished_) return;
  finished_ = true;
  try {
    store_->FailRun(id_, message);
  } catch (const std::exception& e) {
    std::cerr << kind_ << ": could not mark run " << id_ << " failed: " << e.what() << "\n";
  }
}

store::NewRun NewRunOf(const std::string& kind, const std::string& folder, const std::string& scenario_name,
                       nlohmann::json options) {
  store::NewRun run;
  run.kind = kind;
  run.scenario_id = store::ScenarioIdOf(folder);
  run.scenario_name = scenario_name;
  run.options = std::move(options);
  run.input_hash = store::ScenarioFolderHash(folder);
  return run;
}

void CheckWritableFile(const std::string& option, const std::string& path) {
  auto fail = [&](const std::string& reason) {
    throw common::UsageError(fmt::format("{} {}: cannot write: {}", option, path, reason));
  };
  if (path.empty()) fail("empty path");
  struct stat info {};
  if (stat(path.c_str(), &info) == 0) {
    if (!S_ISREG(info.st_mode)) fail("not a regular file");
    const int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail(std::strerror(errno));
    close(fd);
    return;
  }
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) fail(std::strerror(errno));
  close(fd);
  unlink(path.c_str());
}

}  // namespace rackforge::cli
