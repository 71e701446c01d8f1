// SQLite backend of the run store: one connection per store object, WAL
// mode, busy timeout so that several processes can write the same file.

#include <fmt/format.h>
#include <sqlite3.h>

#include <filesystem>
#include <mutex>
#include <utility>
#include <vector>

#include "store/store_backends.h"

namespace rackforge::store::internal {

namespace {

constexpr int kBusyTimeoutMs = 10000;

class SqliteStore;

// A prepared statement, finalized on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql, const std::string& where) : db_(db), where_(where) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) Fail("prepare");
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void Bind(int index, const std::string& text) {
    if (sqlite3_bind_text(stmt_, index, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT) != SQLITE_OK) {
      Fail("bind");
    }
  }
  void BindInt(int index, int64_t value) {
    if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) Fail("bind");
  }
  /// Steps once; true when a row is available.
  bool Step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    Fail("step");
    return false;
  }
  std::string Text(int column) const {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    return text ? reinterpret_cast<const char*>(text) : "";
  }
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }

 private:
  [[noreturn]] void Fail(const char* what) const {
    throw StoreError(fmt::format("run store {}: {}", where_, sqlite3_errmsg(db_)));
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string where_;
};

constexpr const char* kColumns =
    "id, kind, scenario_id, scenario_name, created_at, options, input_hash, status, result, finished_at, owner_host, "
    "owner_pid";

nlohmann::json RowToJson(const Statement& row, bool with_result) {
  nlohmann::json run = {{"id", std::to_string(row.Int(0))},
                        {"kind", row.Text(1)},
                        {"scenario_id", row.Text(2)},
                        {"scenario_name", row.Text(3)},
                        {"created_at", row.Text(4)},
                        {"options", nlohmann::json::parse(row.Text(5), nullptr, false)},
                        {"input_hash", row.Text(6)},
                        {"status", row.Text(7)},
                        {"finished_at", row.IsNull(9) ? nlohmann::json(nullptr) : nlohmann::json(row.Text(9))},
                        {"owner", {{"host", row.Text(10)}, {"pid", row.Int(11)}}}};
  if (with_result) run["result"] = row.IsNull(8) ? nlohmann::json(nullptr) : nlohmann::json::parse(row.Text(8), nullptr, false);
  return run;
}

class SqliteStore : public RunStore {
 public:
  SqliteStore(const std::string& path, bool create_if_missing) : path_(path) {
    const int flags = SQLITE_OPEN_READWRITE | (create_if_missing ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_FULLMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      const bool missing = !std::filesystem::exists(path);
      throw StoreError(fmt::format("cannot open run store {}: {}", path,
                                   missing && !create_if_missing ? "no such file" : message));
    }
    try {
      sqlite3_busy_timeout(db_, kBusyTimeoutMs);
      readonly_ = sqlite3_db_readonly(db_, "main") == 1;
      if (readonly_) {
        // Only a reader (`runs`) may use a store it cannot write, and only one of the current schema.
        if (create_if_missing) throw StoreError(fmt::format("run store {}: cannot be written (read-only)", path_));
        CheckReadableSchema();
      } else {
        Exec("PRAGMA journal_mode=WAL");
        Exec("PRAGMA synchronous=NORMAL");
        Migrate();
      }
    } catch (...) {
      sqlite3_close(db_);
      db_ = nullptr;
      throw;
    }
  }
  ~SqliteStore() override { sqlite3_close(db_); }

  std::string CreateRun(const NewRun& run) override {
    io::ProcessOwner owner;
    const std::string status = CheckNewRun(run, path_, owner);
    std::lock_guard<std::mutex> lock(mutex_);
    Exec("BEGIN IMMEDIATE");
    try {
      Statement insert(db_,
                       "INSERT INTO runs (kind, scenario_id, scenario_name, created_at, options, input_hash, status, "
                       "owner_host, owner_pid, owner_start) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       path_);
      insert.Bind(1, run.kind);
      insert.Bind(2, run.scenario_id);
      insert.Bind(3, run.scenario_name);
      insert.Bind(4, UtcNowIso());
      insert.Bind(5, run.options.dump());
      insert.Bind(6, run.input_hash);
      insert.Bind(7, status);
      insert.Bind(8, owner.host);
      insert.BindInt(9, owner.pid);
      insert.BindInt(10, owner.start_ticks);
      insert.Step();
      const int64_t id = sqlite3_last_insert_rowid(db_);
      Exec("COMMIT");
      return std::to_string(id);
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  void StartRun(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    const int64_t key = ParseId(id);
    Statement update(db_, "UPDATE runs SET status = 'running' WHERE id = ? AND status = 'queued'", path_);
    update.BindInt(1, key);
    update.Step();
    if (sqlite3_changes(db_) == 0) {
      Statement select(db_, "SELECT 1 FROM runs WHERE id = ?", path_);
      select.BindInt(1, key);
      if (!select.Step()) throw StoreError(fmt::format("run store {}: no run with id '{}'", path_, id));
    }
  }

  int MarkInterrupted() override {
    if (readonly_) return 0;  // a reader of a read-only file leaves the marking to its writers
    std::lock_guard<std::mutex> lock(mutex_);
    const std::string host = io::CurrentProcess().host;
    std::vector<std::pair<int64_t, io::ProcessOwner>> gone;
    {
      Statement select(db_,
                       "SELECT id, owner_pid, owner_start FROM runs WHERE status IN ('queued', 'running') AND "
                       "owner_host = ?",
                       path_);
      select.Bind(1, host);
      while (select.Step()) {
        const io::ProcessOwner owner{host, select.Int(1), select.Int(2)};
        if (io::OwnerLiveness(owner) == io::Liveness::kGone) gone.emplace_back(select.Int(0), owner);
      }
    }
    int marked = 0;
    for (const auto& [key, owner] : gone) {
      Statement update(db_,
                       "UPDATE runs SET status = 'interrupted', result = ?, finished_at = ? WHERE id = ? AND "
                       "status IN ('queued', 'running')",
                       path_);
      update.Bind(1, InterruptedResult(owner));
      update.Bind(2, UtcNowIso());
      update.BindInt(3, key);
      update.Step();
      marked += sqlite3_changes(db_);
    }
    return marked;
  }

  void FinishRun(const std::string& id, const std::string& status, const nlohmann::json& result,
                 const model::KeyedQuantities* quantities) override {
    CheckFinishedStatus(status, path_);
    const std::string encoded = quantities ? EncodeQuantities(*quantities) : std::string();
    std::lock_guard<std::mutex> lock(mutex_);
    const int64_t key = ParseId(id);
    Exec("BEGIN IMMEDIATE");
    try {
      Statement update(db_, "UPDATE runs SET status = ?, result = ?, finished_at = ? WHERE id = ?", path_);
      update.Bind(1, status);
      update.Bind(2, result.dump());
      update.Bind(3, UtcNowIso());
      update.BindInt(4, key);
      update.Step();
      if (sqlite3_changes(db_) != 1) throw StoreError(fmt::format("run store {}: no run with id '{}'", path_, id));
      if (quantities) {
        Statement insert(db_, "INSERT OR REPLACE INTO run_quantities (run_id, format, data) VALUES (?, 1, ?)", path_);
        insert.BindInt(1, key);
        insert.Bind(2, encoded);
        insert.Step();
      }
      Exec("COMMIT");
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  nlohmann::json List() override {
    MarkInterrupted();
    std::lock_guard<std::mutex> lock(mutex_);
    Statement select(db_, std::string("SELECT ") + kColumns + " FROM runs ORDER BY id DESC", path_);
    nlohmann::json runs = nlohmann::json::array();
    while (select.Step()) runs.push_back(RowToJson(select, false));
    return runs;
  }

  std::optional<nlohmann::json> Get(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    int64_t key = 0;
    if (!TryParseId(id, key)) return std::nullopt;
    Statement select(db_, std::string("SELECT ") + kColumns + " FROM runs WHERE id = ?", path_);
    select.BindInt(1, key);
    if (!select.Step()) return std::nullopt;
    return RowToJson(select, true);
  }

  std::optional<model::KeyedQuantities> GetQuantities(const std::string& id) override {
    std::string data;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      int64_t key = 0;
      if (!TryParseId(id, key)) return std::nullopt;
      Statement select(db_, "SELECT data FROM run_quantities WHERE run_id = ?", path_);
      select.BindInt(1, key);
      if (!select.Step()) return std::nullopt;
      data = select.Text(0);
    }
    return DecodeQuantities(data, path_);
  }

  int SchemaVersion() override {
    std::lock_guard<std::mutex> lock(mutex_);
    return ReadVersion();
  }

  std::string Describe() const override { return "sqlite:" + path_; }

 private:
  void Exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error ? error : sqlite3_errmsg(db_);
      sqlite3_free(error);
      throw StoreError(fmt::format("run store {}: {}", path_, message));
    }
  }

  int ReadVersion() {
    Statement select(db_, "SELECT COALESCE(MAX(version), 0) FROM schema_version", path_);
    select.Step();
    return static_cast<int>(select.Int(0));
  }

  void CheckReadableSchema() {
    const int found = ReadVersion();
    const int current = static_cast<int>(Migrations(Dialect::kSqlite).size());
    if (found != current) {
      throw StoreError(fmt::format("run store {}: read-only, and of schema version {} (this rackforge reads {})", path_,
                                   found, current));
    }
  }

  // Applies the missing migrations in one immediate transaction, so that two
  // processes opening a new file at once do not both apply them.
  void Migrate() {
    Exec("BEGIN IMMEDIATE");
    try {
      Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      const auto migrations = Migrations(Dialect::kSqlite);
      const int found = ReadVersion();
      if (found > static_cast<int>(migrations.size())) {
        throw StoreError(fmt::format("run store {}: schema version {} is newer than this rackforge ({})", path_,
                                     found, migrations.size()));
      }
      for (size_t v = static_cast<size_t>(found); v < migrations.size(); ++v) {
        for (const std::string& sql : migrations[v]) Exec(sql);
        Exec(fmt::format("INSERT INTO schema_version (version) VALUES ({})", v + 1));
      }
      Exec("COMMIT");
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  static bool TryParseId(const std::string& id, int64_t& key) {
    if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos) return false;
    key = std::stoll(id);
    return true;
  }
  int64_t ParseId(const std::string& id) const {
    int64_t key = 0;
    if (!TryParseId(id, key)) throw StoreError(fmt::format("run store {}: no run with id '{}'", path_, id));
    return key;
  }

  std::string path_;
  sqlite3* db_ = nullptr;
  bool readonly_ = false;  // opened by a reader on a file it cannot write
  std::mutex mutex_;
};

}  // namespace

std::unique_ptr<RunStore> OpenSqlite(const std::string& path, bool create_if_missing) {
  return std::make_unique<SqliteStore>(path, create_if_missing);
}

}  // namespace rackforge::store::internal
