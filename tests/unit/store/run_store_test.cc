// One typed test suite run against both backends: a SQLite file in a temp
// folder and a throwaway PostgreSQL server (started once per test binary
// with initdb/pg_ctl as the postgres user; each test gets its own database).

#include "store/run_store.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <pqxx/pqxx>
#include <set>
#include <thread>

namespace rackforge::store {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPgBin = "/usr/lib/postgresql/15/bin";

std::string MakeTempDir(const std::string& prefix) {
  std::string pattern = (fs::temp_directory_path() / (prefix + "XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

int Run(const std::string& command) { return std::system(command.c_str()); }

// A PostgreSQL server for the whole test binary.
class PostgresServer {
 public:
  static PostgresServer& Instance() {
    static PostgresServer server;
    return server;
  }
  bool installed() const { return fs::exists(std::string(kPgBin) + "/initdb"); }
  bool available() const { return started_; }
  /// Why the server did not start (empty when it did).
  const std::string& failure() const { return failure_; }
  /// A fresh, empty database; returns its URL.
  std::string NewDatabase() {
    const std::string name = "rf_test_" + std::to_string(++databases_);
    pqxx::connection admin(BaseUrl("postgres"));
    pqxx::nontransaction tx(admin);
    tx.exec("CREATE DATABASE " + name);
    return BaseUrl(name);
  }
  ~PostgresServer() {
    if (!dir_.empty()) {
      if (started_) Run("runuser -u postgres -- " + std::string(kPgBin) + "/pg_ctl -D " + dir_ + "/data -m immediate -w stop >/dev/null 2>&1");
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }

 private:
  PostgresServer() {
    if (!fs::exists(std::string(kPgBin) + "/initdb")) return;
    dir_ = MakeTempDir("rf-pg-");
    port_ = FreePort();
    const std::string pg = std::string("runuser -u postgres -- ") + kPgBin;
    if (Run("chown postgres " + dir_) != 0) {
      failure_ = "chown postgres " + dir_ + " failed";
      return;
    }
    if (Run(pg + "/initdb -D " + dir_ + "/data -A trust -U postgres >" + dir_ + "/initdb.log 2>&1") != 0) {
      failure_ = "initdb failed: " + ReadAll(dir_ + "/initdb.log");
      return;
    }
    started_ = Run(pg + "/pg_ctl -D " + dir_ + "/data -l " + dir_ + "/server.log -w -o \"-p " +
                   std::to_string(port_) + " -k " + dir_ + " -c listen_addresses=''\" start >" + dir_ +
                   "/pg_ctl.log 2>&1") == 0;
    if (!started_) failure_ = "pg_ctl start failed: " + ReadAll(dir_ + "/server.log") + ReadAll(dir_ + "/pg_ctl.log");
  }
  std::string BaseUrl(const std::string& db) const {
    return "postgresql://postgres@/" + db + "?host=" + dir_ + "&port=" + std::to_string(port_);
  }
  static std::string ReadAll(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::string dir_;
  std::string failure_;
  int port_ = 0;
  bool started_ = false;
  std::atomic<int> databases_{0};
};

struct SqliteBackend {
  static constexpr const char* kName = "sqlite";
  std::string dir = MakeTempDir("rf-store-");
  std::string Where() { return dir + "/runs.db"; }
  /// Runs SQL on the store's file directly (no migrations).
  void ExecRaw(const std::vector<std::string>& statements) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(Where().c_str(), &db), SQLITE_OK);
    for (const std::string& sql : statements) {
      char* error = nullptr;
      EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
          << sql << ": " << (error ? error : "");
      sqlite3_free(error);
    }
    sqlite3_close(db);
  }
  static constexpr const char* kIdColumn = "id INTEGER PRIMARY KEY AUTOINCREMENT";
  ~SqliteBackend() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

struct PostgresBackend {
  static constexpr const char* kName = "postgres";
  std::string url;
  std::string Where() {
    if (url.empty()) url = PostgresServer::Instance().NewDatabase();
    return url;
  }
  void ExecRaw(const std::vector<std::string>& statements) {
    pqxx::connection connection(Where());
    pqxx::work tx(connection);
    for (const std::string& sql : statements) tx.exec(sql);
    tx.commit();
  }
  static constexpr const char* kIdColumn = "id BIGSERIAL PRIMARY KEY";
};

template <class Backend>
class RunStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if constexpr (std::is_same_v<Backend, PostgresBackend>) {
      PostgresServer& server = PostgresServer::Instance();
      // PostgreSQL is a dependency (scripts/install-deps.sh installs it): its absence is a failure.
      ASSERT_TRUE(server.installed()) << "PostgreSQL is not installed (no " << kPgBin
                                      << "/initdb); run scripts/install-deps.sh";
      ASSERT_TRUE(server.available()) << server.failure();
    }
  }
  std::unique_ptr<RunStore> Open() { return OpenRunStore(backend_.Where()); }
  Backend backend_;
};

using Backends = ::testing::Types<SqliteBackend, PostgresBackend>;
class BackendNames {
 public:
  template <class T>
  static std::string GetName(int) { return T::kName; }
};
TYPED_TEST_SUITE(RunStoreTest, Backends, BackendNames);

NewRun SamplePlanRun(double domestic) {
  NewRun run;
  run.kind = "plan";
  run.scenario_id = "scenarios/us-ai-racks-2026";
  run.scenario_name = "us-ai-racks-2026";
  run.options = {{"domestic", domestic}, {"option_demand", "expected"}};
  run.input_hash = "00000000000000aa";
  return run;
}

nlohmann::json SampleResult(double components_usd, std::vector<std::string> expansions) {
  return {{"objective_usd", components_usd + 100},
          {"status", "optimal"},
          {"cost_breakdown_usd", {{"components", components_usd}, {"capex", 100}}},
          {"racks_built", 5200},
          {"domestic_content", 0.4},
          {"backlog_rack_weeks", {{"evaluation", 0}, {"firm", 12.5}, {"option", 0}}},
          {"racks_built_by_week", {100, 100}},
          {"expansions_opened", expansions}};
}

TYPED_TEST(RunStoreTest, MigrationsAreIdempotent) {
  {
    auto store = this->Open();
    EXPECT_EQ(store->SchemaVersion(), kSchemaVersion);
    store->CreateRun(SamplePlanRun(0.5));
  }
  for (int i = 0; i < 3; ++i) {
    auto store = this->Open();
    EXPECT_EQ(store->SchemaVersion(), kSchemaVersion);
    EXPECT_EQ(store->List().size(), 1u);  // data kept, nothing re-created
  }
}

TYPED_TEST(RunStoreTest, CreateFinishGetList) {
  auto store = this->Open();
  const std::string a = store->CreateRun(SamplePlanRun(0.5));
  const std::string b = store->CreateRun("catalog-id", "sweep", {{"domestic", "0:1:0.5"}});
  EXPECT_NE(a, b);
  std::optional<nlohmann::json> run = store->Get(a);
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ((*run)["status"], "running");
  EXPECT_TRUE((*run)["result"].is_null());
  EXPECT_EQ((*run)["kind"], "plan");
  EXPECT_EQ((*run)["scenario_name"], "us-ai-racks-2026");
  EXPECT_EQ((*run)["options"]["domestic"], 0.5);
  EXPECT_EQ((*run)["input_hash"], "00000000000000aa");
  EXPECT_EQ((*run)["created_at"].get<std::string>().size(), 20u);  // 2026-11-23T13:01:02Z

  store->FinishRun(a, "done", SampleResult(1000, {"wi-line-3"}));
  store->FailRun(b, "solver crashed");
  run = store->Get(a);
  EXPECT_EQ((*run)["status"], "done");
  EXPECT_EQ((*run)["result"]["cost_breakdown_usd"]["components"], 1000);
  EXPECT_FALSE((*run)["finished_at"].is_null());
  EXPECT_EQ((*store->Get(b))["status"], "failed");
  EXPECT_EQ((*store->Get(b))["result"]["error"], "solver crashed");
  EXPECT_EQ((*store->Get(b))["scenario_id"], "catalog-id");

  const nlohmann::json list = store->List();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["id"], b);  // newest first
  EXPECT_EQ(list[1]["id"], a);
  EXPECT_FALSE(list[0].contains("result"));

  EXPECT_FALSE(store->Get("999").has_value());
  EXPECT_FALSE(store->Get("abc").has_value());
  EXPECT_THROW(store->FinishRun("999", "done", {}), StoreError);
}

TYPED_TEST(RunStoreTest, DiffShowsChangedInputsAndResults) {
  auto store = this->Open();
  const std::string a = store->CreateRun(SamplePlanRun(0.4));
  NewRun second = SamplePlanRun(0.6);
  second.input_hash = "00000000000000bb";
  const std::string b = store->CreateRun(second);
  store->FinishRun(a, "done", SampleResult(1000, {"wi-line-3"}));
  store->FinishRun(b, "done", SampleResult(1250, {"oh-cells"}));
  nlohmann::json diff = store->Diff(a, b);
  SCOPED_TRACE(diff.dump());
  EXPECT_EQ(diff["a"], a);
  EXPECT_EQ(diff["b"], b);
  EXPECT_EQ(diff["inputs"]["options.domestic"]["a"], 0.4);
  EXPECT_EQ(diff["inputs"]["options.domestic"]["b"], 0.6);
  EXPECT_NEAR(diff["inputs"]["options.domestic"]["delta"].get<double>(), 0.2, 1e-12);
  EXPECT_EQ(diff["inputs"]["input_hash"]["b"], "00000000000000bb");
  EXPECT_FALSE(diff["inputs"].contains("scenario_name"));  // unchanged
  EXPECT_FALSE(diff["inputs"].contains("options.option_demand"));
  EXPECT_EQ(diff["results"]["cost_breakdown_usd.components"]["delta"], 250.0);
  EXPECT_EQ(diff["results"]["objective_usd"]["delta"], 250.0);
  EXPECT_FALSE(diff["results"].contains("cost_breakdown_usd.capex"));
  EXPECT_FALSE(diff["results"].contains("racks_built"));
  EXPECT_EQ(diff["results"]["expansions_opened"]["only_in_a"], nlohmann::json({"wi-line-3"}));
  EXPECT_EQ(diff["results"]["expansions_opened"]["only_in_b"], nlohmann::json({"oh-cells"}));
  EXPECT_THROW(store->Diff(a, "12345"), StoreError);
}

/// Quantities of a small plan: values that need all 17 digits, a key with no non-zero value,
/// and a week beyond 2026-W52 (2026 has a week 53).
model::KeyedQuantities SampleQuantities(double wi_l1_week3) {
  model::KeyedQuantities q;
  q.start_week = "2026-W50";
  q.weeks = 6;
  auto& make = q.family(model::QuantityFamily::kMake);
  make["wi-l1,gb300"] = {"2026-W50", "2027-W03", {{"2026-W50", 40.0}, {"2026-W53", wi_l1_week3}}};
  make["tx-l2,vr200"] = {"2026-W52", "2027-W03", {}};
  q.family(model::QuantityFamily::kMakec)["oh-ps1,ps-110kw"] = {"2026-W50", "2027-W03", {{"2027-W01", 1.0 / 3.0}}};
  q.family(model::QuantityFamily::kBuy)["fii-tw,tray-a,wi-mp"] = {"2026-W50", "2027-W01", {{"2026-W51", 18.000000000003215}}};
  q.family(model::QuantityFamily::kBuy)["flex-us,tray-a,wi-mp"] = {"2026-W50", "2027-W01", {{"2026-W51", 5.0}}};
  q.family(model::QuantityFamily::kXfer)["wi-mp,tx-hou,cdu"] = {"2026-W50", "2027-W02", {{"2026-W52", 1e-300}}};
  q.family(model::QuantityFamily::kShip)["wi-mp,abilene-tx,gb300,firm"] = {"2026-W50", "2027-W02", {{"2027-W02", 0.1 + 0.2}}};
  return q;
}

void ExpectSameQuantities(const model::KeyedQuantities& a, const model::KeyedQuantities& b) {
  EXPECT_EQ(a.start_week, b.start_week);
  EXPECT_EQ(a.weeks, b.weeks);
  for (int f = 0; f < model::kQuantityFamilies; ++f) {
    ASSERT_EQ(a.families[f].size(), b.families[f].size()) << model::kQuantityFamilyNames[f];
    for (const auto& [key, series] : a.families[f]) {
      ASSERT_TRUE(b.families[f].count(key)) << key;
      const model::KeyedSeries& other = b.families[f].at(key);
      EXPECT_EQ(series.first_week, other.first_week) << key;
      EXPECT_EQ(series.last_week, other.last_week) << key;
      EXPECT_EQ(series.values, other.values) << key;  // bit for bit: full double precision
    }
  }
}

// A plan run's quantities come back exactly as stored (in the run's transaction); other runs have none.
TYPED_TEST(RunStoreTest, PlanQuantitiesRoundTrip) {
  auto store = this->Open();
  const std::string a = store->CreateRun(SamplePlanRun(0.5));
  const std::string b = store->CreateRun(SamplePlanRun(0.5));
  EXPECT_FALSE(store->GetQuantities(a).has_value());  // running: nothing yet
  const model::KeyedQuantities q = SampleQuantities(12.345678901234567);
  store->FinishRun(a, run_status::kDone, SampleResult(1000, {}), &q);
  store->FinishRun(b, run_status::kDone, SampleResult(1000, {}));
  const std::optional<model::KeyedQuantities> back = store->GetQuantities(a);
  ASSERT_TRUE(back.has_value());
  ExpectSameQuantities(q, *back);
  EXPECT_EQ(back->family(model::QuantityFamily::kShip).at("wi-mp,abilene-tx,gb300,firm").at("2027-W02"), 0.1 + 0.2);
  EXPECT_FALSE(store->GetQuantities(b).has_value());
  EXPECT_FALSE(store->GetQuantities("999").has_value());
  EXPECT_FALSE(store->GetQuantities("abc").has_value());
  // A reopened store reads the same quantities.
  auto reopened = this->Open();
  ExpectSameQuantities(q, *reopened->GetQuantities(a));
  // A run that does not exist stores nothing (the transaction is rolled back).
  EXPECT_THROW(store->FinishRun("999", run_status::kDone, {}, &q), StoreError);
  EXPECT_FALSE(store->GetQuantities("999").has_value());
}

// runs diff of two plan runs: the largest per-line, per-week build changes and purchases per supplier.
TYPED_TEST(RunStoreTest, DiffListsBuildPlanAndPurchaseChanges) {
  auto store = this->Open();
  const std::string a = store->CreateRun(SamplePlanRun(0.5));
  const std::string b = store->CreateRun(SamplePlanRun(0.5));
  const std::string c = store->CreateRun(SamplePlanRun(0.5));
  const model::KeyedQuantities qa = SampleQuantities(10.0);
  model::KeyedQuantities qb = SampleQuantities(4.0);
  qb.family(model::QuantityFamily::kMake)["tx-l2,vr200"].values["2027-W01"] = 2.5;
  qb.family(model::QuantityFamily::kBuy)["fii-tw,tray-a,wi-mp"].values["2026-W51"] = 30.0;
  qb.family(model::QuantityFamily::kBuy)["fii-tw,tray-a,tx-hou"] = {"2026-W50", "2027-W01", {{"2026-W52", 6.0}}};
  store->FinishRun(a, run_status::kDone, SampleResult(1000, {}), &qa);
  store->FinishRun(b, run_status::kDone, SampleResult(1000, {}), &qb);
  store->FinishRun(c, run_status::kDone, SampleResult(1000, {}));
  const nlohmann::json diff = store->Diff(a, b);
  SCOPED_TRACE(diff.dump(1));
  const nlohmann::json& plan = diff["plan"];
  EXPECT_EQ(plan["weeks"]["first"], "2026-W50");
  EXPECT_EQ(plan["weeks"]["last"], "2027-W02");  // six weeks: W50, W51, W52, W53, 2027-W01, W02
  EXPECT_DOUBLE_EQ(plan["racks_moved"].get<double>(), 6.0 + 2.5);
  EXPECT_EQ(plan["build_plan_cells_changed"], 2);
  ASSERT_EQ(plan["build_plan"].size(), 2u);
  EXPECT_EQ(plan["build_plan"][0], nlohmann::json({{"line", "wi-l1"}, {"design", "gb300"}, {"week", "2026-W53"},
                                                   {"a", 10.0}, {"b", 4.0}, {"delta", -6.0}}));
  EXPECT_EQ(plan["build_plan"][1]["line"], "tx-l2");
  EXPECT_EQ(plan["build_plan"][1]["delta"], 2.5);
  ASSERT_EQ(plan["purchases"].size(), 1u);  // flex-us unchanged
  EXPECT_EQ(plan["purchases"][0]["supplier"], "fii-tw");
  EXPECT_EQ(plan["purchases"][0]["component"], "tray-a");
  EXPECT_DOUBLE_EQ(plan["purchases"][0]["a_units"].get<double>(), 18.000000000003215);
  EXPECT_DOUBLE_EQ(plan["purchases"][0]["b_units"].get<double>(), 36.0);
  EXPECT_TRUE(store->Diff(a, c)["plan"].is_null());  // c has no quantities
}

TYPED_TEST(RunStoreTest, ConcurrentWritersLoseNothing) {
  auto shared = this->Open();
  auto second = this->Open();  // a second connection to the same store
  constexpr int kThreads = 4, kRunsPerThread = 15;
  std::vector<std::thread> threads;
  std::vector<std::vector<std::string>> ids(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      RunStore& store = t % 2 == 0 ? *shared : *second;
      for (int i = 0; i < kRunsPerThread; ++i) {
        const std::string id = store.CreateRun(SamplePlanRun(t * 0.1));
        store.FinishRun(id, "done", {{"thread", t}, {"i", i}});
        ids[t].push_back(id);
      }
    });
  }
  for (std::thread& th : threads) th.join();
  std::set<std::string> unique;
  for (const auto& v : ids) unique.insert(v.begin(), v.end());
  EXPECT_EQ(unique.size(), static_cast<size_t>(kThreads * kRunsPerThread));
  const nlohmann::json list = shared->List();
  ASSERT_EQ(list.size(), static_cast<size_t>(kThreads * kRunsPerThread));
  for (const auto& run : list) EXPECT_EQ(run["status"], "done");
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ((*second->Get(ids[t].back()))["result"]["thread"], t);
  }
}

// The pid of a process that has exited (a child that was reaped).
int64_t DeadPid() {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  int status = 0;
  waitpid(child, &status, 0);
  return child;
}

TYPED_TEST(RunStoreTest, RunsOfGoneProcessesAreMarkedInterruptedOnOpen) {
  const io::ProcessOwner me = io::CurrentProcess();
  std::string dead, reused, alive, other_host, queued_dead;
  {
    auto store = this->Open();
    NewRun run = SamplePlanRun(0.5);
    run.owner = {me.host, DeadPid(), 0};
    dead = store->CreateRun(run);
    run.owner = {me.host, me.pid, me.start_ticks + 1};  // same pid, another start time: the pid was reused
    reused = store->CreateRun(run);
    run.owner = {};  // this process
    alive = store->CreateRun(run);
    run.owner = {"some-other-host.example", DeadPid(), 0};
    other_host = store->CreateRun(run);
    run.owner = {me.host, DeadPid(), 0};
    run.status = run_status::kQueued;
    queued_dead = store->CreateRun(run);
    EXPECT_EQ((*store->Get(dead))["status"], "running");  // not yet: only on open or list
  }
  auto store = this->Open();
  EXPECT_EQ((*store->Get(dead))["status"], "interrupted");
  const std::string error = (*store->Get(dead))["result"]["error"];
  EXPECT_NE(error.find("ended before the run finished"), std::string::npos) << error;
  EXPECT_FALSE((*store->Get(dead))["finished_at"].is_null());
  EXPECT_EQ((*store->Get(reused))["status"], "interrupted");
  EXPECT_EQ((*store->Get(alive))["status"], "running");
  EXPECT_EQ((*store->Get(alive))["owner"]["pid"], me.pid);
  EXPECT_EQ((*store->Get(other_host))["status"], "running");  // cannot be checked from here
  EXPECT_EQ((*store->Get(queued_dead))["status"], "interrupted");
  EXPECT_EQ(store->MarkInterrupted(), 0);  // nothing left to mark

  // A run whose process dies while the store is open is found by List.
  NewRun later = SamplePlanRun(0.1);
  later.owner = {me.host, DeadPid(), 0};
  const std::string id = store->CreateRun(later);
  for (const nlohmann::json& run : store->List()) {
    if (run["id"] == id) {
      EXPECT_EQ(run["status"], "interrupted");
    }
  }
}

TYPED_TEST(RunStoreTest, StatusVocabularyIsEnforced) {
  auto store = this->Open();
  NewRun run = SamplePlanRun(0.5);
  run.status = "optimal";
  EXPECT_THROW(store->CreateRun(run), StoreError);
  run.status = run_status::kQueued;
  const std::string id = store->CreateRun(run);
  EXPECT_EQ((*store->Get(id))["status"], "queued");
  store->StartRun(id);
  EXPECT_EQ((*store->Get(id))["status"], "running");
  EXPECT_THROW(store->FinishRun(id, "optimal", SampleResult(1, {})), StoreError);  // a solve outcome is no run status
  EXPECT_EQ((*store->Get(id))["status"], "running");
  store->FinishRun(id, run_status::kCancelled, {{"error", "cancelled"}});
  store->StartRun(id);  // no effect once finished
  EXPECT_EQ((*store->Get(id))["status"], "cancelled");
  EXPECT_THROW(store->StartRun("999"), StoreError);
}

// A store written by the schema of version 2 (the CLI stored the folder path
// as given and the solve outcome as status) is migrated to one scenario id and
// one status vocabulary.
TYPED_TEST(RunStoreTest, MigratesAStoreOfSchemaVersion2) {
  const std::string columns =
      "kind, scenario_id, scenario_name, created_at, options, input_hash, status, result, finished_at";
  auto row = [&](const std::string& scenario_id, const std::string& status, const std::string& result) {
    return "INSERT INTO runs (" + columns + ") VALUES ('plan', '" + scenario_id +
           "', 'US AI racks', '2026-11-20T10:00:00Z', '{}', 'abc', '" + status + "', " + result + ", NULL)";
  };
  this->backend_.ExecRaw({
      "CREATE TABLE schema_version (version INTEGER NOT NULL)",
      std::string("CREATE TABLE runs (") + TypeParam::kIdColumn +
          ", kind TEXT NOT NULL, scenario_id TEXT NOT NULL, scenario_name TEXT NOT NULL, created_at TEXT NOT NULL, "
          "options TEXT NOT NULL, input_hash TEXT NOT NULL, status TEXT NOT NULL, result TEXT)",
      "ALTER TABLE runs ADD COLUMN finished_at TEXT", "CREATE INDEX runs_kind ON runs (kind, id)",
      "INSERT INTO schema_version (version) VALUES (1)", "INSERT INTO schema_version (version) VALUES (2)",
      row("scenarios/us-ai-racks-2026", "optimal", "'{\"objective_usd\": 1}'"),  // 1: CLI, relative path
      row("/abs/path/tiny/", "time_limit", "'{\"objective_usd\": 2}'"),          // 2: CLI, trailing slash
      row("us-ai-racks-2026", "done", "'{\"objective_usd\": 3}'"),               // 3: server
      row("tiny", "error", "'{\"objective_usd\": 4}'"),                          // 4: CLI, solver error
      row("tiny", "running", "NULL"),                                            // 5: never finished
      row("tiny", "infeasible", "'{\"status\": \"infeasible\"}'"),               // 6: an answer, not a failure
  });
  auto store = this->Open();
  EXPECT_EQ(store->SchemaVersion(), kSchemaVersion);
  EXPECT_EQ((*store->Get("1"))["scenario_id"], "us-ai-racks-2026");
  EXPECT_EQ((*store->Get("1"))["status"], "done");
  EXPECT_EQ((*store->Get("2"))["scenario_id"], "tiny");
  EXPECT_EQ((*store->Get("2"))["status"], "done");
  EXPECT_EQ((*store->Get("3"))["scenario_id"], "us-ai-racks-2026");
  EXPECT_EQ((*store->Get("3"))["status"], "done");
  EXPECT_EQ((*store->Get("4"))["status"], "failed");
  EXPECT_EQ((*store->Get("5"))["status"], "interrupted");
  EXPECT_TRUE((*store->Get("5"))["result"].contains("error"));
  EXPECT_EQ((*store->Get("6"))["status"], "done");
  EXPECT_EQ((*store->Get("1"))["result"]["objective_usd"], 1);
  EXPECT_EQ(store->List().size(), 6u);
}

// A store of schema 3 (before plan quantities): migrated to 4; its runs have no quantities, and
// new runs store theirs.
TYPED_TEST(RunStoreTest, MigratesAStoreOfSchemaVersion3) {
  const char* int_type = std::is_same_v<TypeParam, SqliteBackend> ? "INTEGER" : "BIGINT";
  this->backend_.ExecRaw({
      "CREATE TABLE schema_version (version INTEGER NOT NULL)",
      std::string("CREATE TABLE runs (") + TypeParam::kIdColumn +
          ", kind TEXT NOT NULL, scenario_id TEXT NOT NULL, scenario_name TEXT NOT NULL, created_at TEXT NOT NULL, "
          "options TEXT NOT NULL, input_hash TEXT NOT NULL, status TEXT NOT NULL, result TEXT)",
      "ALTER TABLE runs ADD COLUMN finished_at TEXT",
      "CREATE INDEX runs_kind ON runs (kind, id)",
      "ALTER TABLE runs ADD COLUMN owner_host TEXT NOT NULL DEFAULT ''",
      std::string("ALTER TABLE runs ADD COLUMN owner_pid ") + int_type + " NOT NULL DEFAULT 0",
      std::string("ALTER TABLE runs ADD COLUMN owner_start ") + int_type + " NOT NULL DEFAULT 0",
      "CREATE INDEX runs_status ON runs (status)",
      "INSERT INTO schema_version (version) VALUES (1)",
      "INSERT INTO schema_version (version) VALUES (2)",
      "INSERT INTO schema_version (version) VALUES (3)",
      "INSERT INTO runs (kind, scenario_id, scenario_name, created_at, options, input_hash, status, result, "
      "finished_at) VALUES ('plan', 'tiny', 'tiny', '2026-11-20T10:00:00Z', '{}', 'abc', 'done', "
      "'{\"status\": \"optimal\", \"objective_usd\": 7}', '2026-11-20T10:01:00Z')",
  });
  auto store = this->Open();
  EXPECT_EQ(store->SchemaVersion(), 4);
  EXPECT_EQ((*store->Get("1"))["result"]["objective_usd"], 7);
  EXPECT_FALSE(store->GetQuantities("1").has_value());
  const std::string id = store->CreateRun(SamplePlanRun(0.5));
  const model::KeyedQuantities q = SampleQuantities(3.0);
  store->FinishRun(id, run_status::kDone, SampleResult(1, {}), &q);
  ExpectSameQuantities(q, *store->GetQuantities(id));
  EXPECT_TRUE(store->Diff("1", id)["plan"].is_null());
}

TEST(ScenarioIdOfTest, IsTheFolderNameHoweverTheFolderIsWritten) {
  EXPECT_EQ(ScenarioIdOf("scenarios/us-ai-racks-2026"), "us-ai-racks-2026");
  EXPECT_EQ(ScenarioIdOf("scenarios/us-ai-racks-2026/"), "us-ai-racks-2026");
  EXPECT_EQ(ScenarioIdOf("/abs/tiny//"), "tiny");
  EXPECT_EQ(ScenarioIdOf("tiny"), "tiny");
  EXPECT_EQ(ScenarioIdOf("."), fs::current_path().filename().string());
}

TEST(SqliteStoreTest, ADirectoryIsNoStore) {
  const std::string dir = MakeTempDir("rf-store-");
  EXPECT_THROW(OpenRunStore(dir), StoreError);
  fs::remove_all(dir);
}

TEST(SqliteStoreTest, CorruptFileNamesTheFile) {
  const std::string dir = MakeTempDir("rf-store-");
  const std::string path = dir + "/broken.db";
  std::ofstream(path) << "this is not a database, just some text that is long enough to look like a header....";
  try {
    OpenRunStore(path);
    FAIL() << "no error";
  } catch (const StoreError& e) {
    EXPECT_EQ(std::string(e.what()), "run store " + path + ": file is not a database");
  }
  fs::remove_all(dir);
}

TEST(SqliteStoreTest, MissingFileNamesTheFile) {
  const std::string dir = MakeTempDir("rf-store-");
  const std::string path = dir + "/absent.db";
  try {
    OpenRunStore(path, /*create_if_missing=*/false);
    FAIL() << "no error";
  } catch (const StoreError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot open run store " + path + ": no such file");
  }
  EXPECT_FALSE(fs::exists(path));
  const std::string in_missing_folder = dir + "/no/such/folder/runs.db";
  try {
    OpenRunStore(in_missing_folder);
    FAIL() << "no error";
  } catch (const StoreError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot open run store " + in_missing_folder + ": unable to open database file");
  }
  fs::remove_all(dir);
}

TEST(SqliteStoreTest, UsesWalMode) {
  const std::string dir = MakeTempDir("rf-store-");
  {
    auto store = OpenRunStore(dir + "/runs.db");
    store->CreateRun(SamplePlanRun(0));
    EXPECT_TRUE(fs::exists(dir + "/runs.db-wal"));
  }
  fs::remove_all(dir);
}

TEST(PostgresStoreTest, UnreachableServerNamesTheUrlWithoutPassword) {
  try {
    OpenRunStore("postgresql://alice:secret@127.0.0.1:1/nowhere?connect_timeout=2");
    FAIL() << "no error";
  } catch (const StoreError& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.rfind("cannot open run store postgresql://alice:***@127.0.0.1:1/nowhere", 0), 0u) << message;
    EXPECT_EQ(message.find("secret"), std::string::npos);
  }
}

TEST(ScenarioFolderHashTest, ChangesWithContentAndNames) {
  const std::string dir = MakeTempDir("rf-hash-");
  std::ofstream(dir + "/a.csv") << "x,y\n1,2\n";
  const std::string h1 = ScenarioFolderHash(dir);
  EXPECT_EQ(h1.size(), 16u);
  EXPECT_EQ(ScenarioFolderHash(dir), h1);
  std::ofstream(dir + "/a.csv") << "x,y\n1,3\n";
  const std::string h2 = ScenarioFolderHash(dir);
  EXPECT_NE(h2, h1);
  fs::rename(dir + "/a.csv", dir + "/b.csv");
  EXPECT_NE(ScenarioFolderHash(dir), h2);
  EXPECT_EQ(ScenarioFolderHash(dir + "/missing"), "");
  fs::remove_all(dir);
}

TEST(FileHashTest, IsFnv1aOfTheBytes) {
  const std::string dir = MakeTempDir("rf-filehash-");
  std::ofstream(dir + "/empty.yaml").close();
  std::ofstream(dir + "/a.yaml") << "a";
  EXPECT_EQ(FileHash(dir + "/empty.yaml"), "cbf29ce484222325");  // the FNV-1a offset basis
  EXPECT_EQ(FileHash(dir + "/a.yaml"), "af63dc4c8601ec8c");      // FNV-1a 64 of "a"
  EXPECT_EQ(FileHash(dir + "/missing.yaml"), "");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace rackforge::store
