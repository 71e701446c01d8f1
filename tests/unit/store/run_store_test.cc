// One typed test suite run against both backends: a SQLite file in a temp
// folder and a throwaway PostgreSQL server (started once per test binary
// with initdb/pg_ctl as the postgres user; each test gets its own database).

#include "store/run_store.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <netinet/in.h>
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

  store->FinishRun(a, "optimal", SampleResult(1000, {"wi-line-3"}));
  store->FailRun(b, "solver crashed");
  run = store->Get(a);
  EXPECT_EQ((*run)["status"], "optimal");
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
  store->FinishRun(a, "optimal", SampleResult(1000, {"wi-line-3"}));
  store->FinishRun(b, "optimal", SampleResult(1250, {"oh-cells"}));
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
        store.FinishRun(id, "optimal", {{"thread", t}, {"i", i}});
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
  for (const auto& run : list) EXPECT_EQ(run["status"], "optimal");
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ((*second->Get(ids[t].back()))["result"]["thread"], t);
  }
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
