// PostgreSQL backend of the run store (libpqxx 6): the same schema and
// migrations as SQLite; one connection per store object guarded by a mutex.

#include <fmt/format.h>

#include <mutex>
#include <pqxx/pqxx>

#include "store/store_backends.h"

namespace rackforge::store::internal {

namespace {

// Serialises migrations of concurrent openers (any constant works).
constexpr long long kMigrationLockKey = 0x7261636b66;  // "rackf"

constexpr const char* kColumns =
    "id, kind, scenario_id, scenario_name, created_at, options, input_hash, status, result, finished_at, owner_host, "
    "owner_pid";

nlohmann::json RowToJson(const pqxx::row& row, bool with_result) {
  nlohmann::json run = {
      {"id", row[0].as<std::string>()},
      {"kind", row[1].as<std::string>()},
      {"scenario_id", row[2].as<std::string>()},
      {"scenario_name", row[3].as<std::string>()},
      {"created_at", row[4].as<std::string>()},
      {"options", nlohmann::json::parse(row[5].as<std::string>(), nullptr, false)},
      {"input_hash", row[6].as<std::string>()},
      {"status", row[7].as<std::string>()},
      {"finished_at", row[9].is_null() ? nlohmann::json(nullptr) : nlohmann::json(row[9].as<std::string>())},
      {"owner", {{"host", row[10].as<std::string>()}, {"pid", row[11].as<long long>()}}}};
  if (with_result) {
    run["result"] = row[8].is_null() ? nlohmann::json(nullptr) : nlohmann::json::parse(row[8].as<std::string>(), nullptr, false);
  }
  return run;
}

bool TryParseId(const std::string& id, long long& key) {
  if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos) return false;
  key = std::stoll(id);
  return true;
}

class PostgresStore : public RunStore {
 public:
  explicit PostgresStore(const std::string& url) : where_(HidePassword(url)) {
    try {
      connection_ = std::make_unique<pqxx::connection>(url);
      Migrate();
    } catch (const StoreError&) {
      throw;
    } catch (const std::exception& e) {
      throw StoreError(fmt::format("cannot open run store {}: {}", where_, Trim(e.what())));
    }
  }

  std::string CreateRun(const NewRun& run) override {
    io::ProcessOwner owner;
    const std::string status = CheckNewRun(run, where_, owner);
    return Guard([&] {
      pqxx::work tx(*connection_);
      const pqxx::result r = tx.exec_params(
          "INSERT INTO runs (kind, scenario_id, scenario_name, created_at, options, input_hash, status, owner_host, "
          "owner_pid, owner_start) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
          run.kind, run.scenario_id, run.scenario_name, UtcNowIso(), run.options.dump(), run.input_hash, status,
          owner.host, static_cast<long long>(owner.pid), static_cast<long long>(owner.start_ticks));
      tx.commit();
      return r[0][0].as<std::string>();
    });
  }

  void StartRun(const std::string& id) override {
    long long key = 0;
    if (!TryParseId(id, key)) throw StoreError(fmt::format("run store {}: no run with id '{}'", where_, id));
    const bool found = Guard([&] {
      pqxx::work tx(*connection_);
      tx.exec_params("UPDATE runs SET status = 'running' WHERE id = $1 AND status = 'queued'", key);
      const bool exists = !tx.exec_params("SELECT 1 FROM runs WHERE id = $1", key).empty();
      tx.commit();
      return exists;
    });
    if (!found) throw StoreError(fmt::format("run store {}: no run with id '{}'", where_, id));
  }

  int MarkInterrupted() override {
    const std::string host = io::CurrentProcess().host;
    return Guard([&] {
      pqxx::work tx(*connection_);
      const pqxx::result r = tx.exec_params(
          "SELECT id, owner_pid, owner_start FROM runs WHERE status IN ('queued', 'running') AND owner_host = $1",
          host);
      int marked = 0;
      for (const pqxx::row& row : r) {
        const io::ProcessOwner owner{host, row[1].as<long long>(), row[2].as<long long>()};
        if (io::OwnerLiveness(owner) != io::Liveness::kGone) continue;
        const pqxx::result u = tx.exec_params(
            "UPDATE runs SET status = 'interrupted', result = $1, finished_at = $2 WHERE id = $3 AND "
            "status IN ('queued', 'running')",
            InterruptedResult(owner), UtcNowIso(), row[0].as<long long>());
        marked += static_cast<int>(u.affected_rows());
      }
      tx.commit();
      return marked;
    });
  }

  void FinishRun(const std::string& id, const std::string& status, const nlohmann::json& result,
                 const model::KeyedQuantities* quantities) override {
    CheckFinishedStatus(status, where_);
    long long key = 0;
    if (!TryParseId(id, key)) throw StoreError(fmt::format("run store {}: no run with id '{}'", where_, id));
    const std::string encoded = quantities ? EncodeQuantities(*quantities) : std::string();
    const size_t changed = Guard([&] {
      pqxx::work tx(*connection_);
      const pqxx::result r = tx.exec_params("UPDATE runs SET status = $1, result = $2, finished_at = $3 WHERE id = $4",
                                            status, result.dump(), UtcNowIso(), key);
      if (r.affected_rows() != 1) return static_cast<size_t>(r.affected_rows());  // no commit: nothing changes
      if (quantities) {
        tx.exec_params(
            "INSERT INTO run_quantities (run_id, format, data) VALUES ($1, 1, $2) "
            "ON CONFLICT (run_id) DO UPDATE SET format = EXCLUDED.format, data = EXCLUDED.data",
            key, encoded);
      }
      tx.commit();
      return static_cast<size_t>(r.affected_rows());
    });
    if (changed != 1) throw StoreError(fmt::format("run store {}: no run with id '{}'", where_, id));
  }

  nlohmann::json List() override {
    MarkInterrupted();
    return Guard([&] {
      pqxx::read_transaction tx(*connection_);
      const pqxx::result r = tx.exec(std::string("SELECT ") + kColumns + " FROM runs ORDER BY id DESC");
      nlohmann::json runs = nlohmann::json::array();
      for (const pqxx::row& row : r) runs.push_back(RowToJson(row, false));
      return runs;
    });
  }

  std::optional<nlohmann::json> Get(const std::string& id) override {
    long long key = 0;
    if (!TryParseId(id, key)) return std::nullopt;
    return Guard([&]() -> std::optional<nlohmann::json> {
      pqxx::read_transaction tx(*connection_);
      const pqxx::result r = tx.exec_params(std::string("SELECT ") + kColumns + " FROM runs WHERE id = $1", key);
      if (r.empty()) return std::nullopt;
      return RowToJson(r[0], true);
    });
  }

  std::optional<model::KeyedQuantities> GetQuantities(const std::string& id) override {
    long long key = 0;
    if (!TryParseId(id, key)) return std::nullopt;
    const std::optional<std::string> data = Guard([&]() -> std::optional<std::string> {
      pqxx::read_transaction tx(*connection_);
      const pqxx::result r = tx.exec_params("SELECT data FROM run_quantities WHERE run_id = $1", key);
      if (r.empty()) return std::nullopt;
      return r[0][0].as<std::string>();
    });
    if (!data) return std::nullopt;
    return DecodeQuantities(*data, where_);
  }

  int SchemaVersion() override {
    return Guard([&] {
      pqxx::read_transaction tx(*connection_);
      return tx.exec("SELECT COALESCE(MAX(version), 0) FROM schema_version")[0][0].as<int>();
    });
  }

  std::string Describe() const override { return where_; }

 private:
  static std::string Trim(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
  }

  // Runs `work` under the mutex and turns libpqxx errors into StoreError.
  template <class F>
  auto Guard(F&& work) -> decltype(work()) {
    std::lock_guard<std::mutex> lock(mutex_);
    try {
      return work();
    } catch (const StoreError&) {
      throw;
    } catch (const std::exception& e) {
      throw StoreError(fmt::format("run store {}: {}", where_, Trim(e.what())));
    }
  }

  void Migrate() {
    pqxx::work tx(*connection_);
    tx.exec(fmt::format("SELECT pg_advisory_xact_lock({})", kMigrationLockKey));
    tx.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    const int found = tx.exec("SELECT COALESCE(MAX(version), 0) FROM schema_version")[0][0].as<int>();
    const auto migrations = Migrations(Dialect::kPostgres);
    if (found > static_cast<int>(migrations.size())) {
      throw StoreError(fmt::format("run store {}: schema version {} is newer than this rackforge ({})", where_, found,
                                   migrations.size()));
    }
    for (size_t v = static_cast<size_t>(found); v < migrations.size(); ++v) {
      for (const std::string& sql : migrations[v]) tx.exec(sql);
      tx.exec(fmt::format("INSERT INTO schema_version (version) VALUES ({})", v + 1));
    }
    tx.commit();
  }

  std::string where_;
  std::unique_ptr<pqxx::connection> connection_;
  std::mutex mutex_;
};

}  // namespace

std::unique_ptr<RunStore> OpenPostgres(const std::string& url) { return std::make_unique<PostgresStore>(url); }

}  // namespace rackforge::store::internal
