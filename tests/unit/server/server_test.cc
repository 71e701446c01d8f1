// The real server, in-process on a free port, against tests/scenarios/tiny
// and a temporary SQLite store; every endpoint is called with httplib::Client.
#include "server/server.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "design/check.h"
#include "io/scenario_loader.h"
#include "plan/plan.h"
#include "plan/resilient.h"
#include "report/check_report.h"
#include "report/risk_report.h"
#include "risk/nodes.h"
#include "risk/simulate.h"

namespace rackforge::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kTiny = std::string(RACKFORGE_SOURCE_DIR) + "/tests/scenarios/tiny";

// A server on a free port in a temporary folder with its own store and a
// small static root; a secret file sits next to (outside) the static root.
class RunningServer {
 public:
  explicit RunningServer(const std::string& token = "") {
    dir_ = fs::temp_directory_path() / ("rf_server_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "dist" / "assets");
    std::ofstream(dir_ / "dist" / "index.html") << "<!doctype html><title>rackforge</title>";
    std::ofstream(dir_ / "dist" / "assets" / "app.js") << "console.log('app')";
    std::ofstream(dir_ / "secret.txt") << "TOP-SECRET";
    ServerOptions options;
    options.scenario_dirs = {kTiny};
    options.port = 0;
    options.db = (dir_ / "runs.db").string();
    options.token = token;
    options.static_dir = (dir_ / "dist").string();
    options.http_threads = 16;
    server_ = std::make_unique<Server>(options);
    port_ = server_->Bind();
    thread_ = std::thread([this] { server_->Serve(); });
  }
  ~RunningServer() {
    server_->Stop();
    thread_.join();
    server_.reset();
    fs::remove_all(dir_);
  }
  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(60, 0);
    return client;
  }
  int port() const { return port_; }

 private:
  static inline int counter_ = 0;
  fs::path dir_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
};

json Body(const httplib::Result& res) { return json::parse(res->body); }

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scenario_ = new model::Scenario(io::LoadScenario(kTiny));
    server_ = new RunningServer();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete scenario_;
  }
  // Posts a plan and polls its run until it is no longer running.
  static json RunPlan(const json& options) {
    httplib::Client client = server_->Client();
    auto res = client.Post("/api/scenarios/tiny/plan", options.dump(), "application/json");
    EXPECT_EQ(res->status, 202) << res->body;
    const std::string run_id = Body(res)["run_id"];
    for (int i = 0; i < 6000; ++i) {
      auto run = client.Get(("/api/runs/" + run_id).c_str());
      EXPECT_EQ(run->status, 200);
      json body = Body(run);
      if (body["status"] != "running" && body["status"] != "queued") return body;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "run " << run_id << " did not finish";
    return json();
  }
  // GET as a browser that accepts brotli would ask, the reply left as sent (not decompressed).
  static httplib::Result GetAcceptingBrotli(const char* path) {
    httplib::Client raw = server_->Client();
    raw.set_decompress(false);
    return raw.Get(path, {{"Accept-Encoding", "gzip, deflate, br"}});
  }
  static inline model::Scenario* scenario_ = nullptr;
  static inline RunningServer* server_ = nullptr;
};

TEST_F(ServerTest, HealthAndScenarioList) {
  httplib::Client client = server_->Client();
  auto health = client.Get("/api/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(Body(health)["status"], "ok");
  EXPECT_EQ(health->get_header_value("Content-Type"), "application/json; charset=utf-8");
  // Sent as it is even to a client that accepts brotli (quality-11 brotli cost ≈ 4 ms per KB).
  auto br = GetAcceptingBrotli("/api/scenarios");
  ASSERT_EQ(br->status, 200);
  EXPECT_EQ(br->get_header_value("Content-Encoding"), "");
  EXPECT_TRUE(json::parse(br->body).is_array()) << br->body;

  auto list = client.Get("/api/scenarios");
  ASSERT_EQ(list->status, 200);
  const json scenarios = Body(list);
  ASSERT_EQ(scenarios.size(), 1u);
  EXPECT_EQ(scenarios[0]["id"], "tiny");
  EXPECT_EQ(scenarios[0]["name"], scenario_->name);
  EXPECT_EQ(scenarios[0]["horizon_weeks"], scenario_->horizon_weeks);
  EXPECT_EQ(scenarios[0]["designs"].size(), scenario_->designs.size());
  EXPECT_EQ(scenarios[0]["plants"].size(), scenario_->plants.size());
}

TEST_F(ServerTest, ScenarioDetailHasTargetAndNodes) {
  httplib::Client client = server_->Client();
  auto res = client.Get("/api/scenarios/tiny");
  ASSERT_EQ(res->status, 200);
  const json detail = Body(res);
  EXPECT_EQ(detail["target_by_week"].size(), static_cast<size_t>(scenario_->horizon_weeks));
  EXPECT_EQ(detail["nodes"].size(), scenario_->plants.size() + scenario_->lines.size() + scenario_->suppliers.size());
  EXPECT_EQ(detail["nodes"][0]["node"], "plant:" + scenario_->plants[0].id);
}

TEST_F(ServerTest, CheckIsTheLibrarysCheckJson) {
  httplib::Client client = server_->Client();
  auto res = client.Get("/api/scenarios/tiny/check");
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(Body(res), report::CheckJson(*scenario_, design::CheckScenario(*scenario_)));
}

TEST_F(ServerTest, PlanRunsInTheBackgroundAndMatchesTheLibrary) {
  const json run = RunPlan(json::object());
  ASSERT_EQ(run["status"], "done") << run.dump();
  EXPECT_EQ(run["kind"], "plan");
  EXPECT_EQ(run["scenario_id"], "tiny");
  const json& result = run["result"];
  for (const char* key : {"objective_usd", "status", "gap", "cost_breakdown_usd", "racks_built", "racks_built_by_week",
                          "racks_built_by_plant", "domestic_content", "backlog_rack_weeks", "expansions_opened",
                          "bottlenecks", "late_demand", "racks_built_by_plant_week", "spend_usd_by_supplier"}) {
    EXPECT_TRUE(result.contains(key)) << key;
  }
  const plan::PlanResult direct = plan::SolvePlan(*scenario_, plan::PlanOptions{});
  EXPECT_NEAR(result["objective_usd"].get<double>(), direct.objective_usd, 1e-6 * (1 + std::abs(direct.objective_usd)));
  EXPECT_EQ(result["status"], solver::ToString(direct.status));
  // The per-plant weekly output adds up to the weekly output.
  std::vector<double> sum(scenario_->horizon_weeks, 0.0);
  for (const auto& [plant, weeks] : result["racks_built_by_plant_week"].items()) {
    for (int t = 0; t < scenario_->horizon_weeks; ++t) sum[t] += weeks[t].get<double>();
  }
  for (int t = 0; t < scenario_->horizon_weeks; ++t) {
    EXPECT_NEAR(sum[t], result["racks_built_by_week"][t].get<double>(), 1e-6) << "week " << t;
  }
}

TEST_F(ServerTest, PlanOptionsReachTheSolverAndTheStore) {
  const json run = RunPlan({{"domestic", 0.0}, {"option_demand", "none"}});
  ASSERT_EQ(run["status"], "done") << run.dump();
  EXPECT_EQ(run["options"]["option_demand"], "none");
  plan::PlanOptions options;
  options.domestic_content_min = 0.0;
  options.option_demand = model::OptionDemandMode::kNone;
  const plan::PlanResult direct = plan::SolvePlan(*scenario_, options);
  EXPECT_NEAR(run["result"]["objective_usd"].get<double>(), direct.objective_usd, 1e-6 * (1 + std::abs(direct.objective_usd)));
  EXPECT_NEAR(run["result"]["backlog_rack_weeks"]["option"].get<double>(), 0.0, 1e-9);
}

TEST_F(ServerTest, RunsListJobAndDiff) {
  const json a = RunPlan(json::object());
  const json b = RunPlan({{"option_demand", "all"}});
  httplib::Client client = server_->Client();
  const json runs = Body(client.Get("/api/runs"));
  std::vector<std::string> ids;
  for (const json& r : runs) ids.push_back(r["id"]);
  EXPECT_NE(std::find(ids.begin(), ids.end(), a["id"].get<std::string>()), ids.end());
  EXPECT_NE(std::find(ids.begin(), ids.end(), b["id"].get<std::string>()), ids.end());
  auto diff = client.Get(("/api/runs/" + a["id"].get<std::string>() + "/diff/" + b["id"].get<std::string>()).c_str());
  ASSERT_EQ(diff->status, 200) << diff->body;
  EXPECT_EQ(Body(diff)["a"], a["id"]);
  EXPECT_EQ(Body(diff)["b"], b["id"]);
}

// The dashboard's what-if: a plan job against a picked run, with frozen weeks, an outage and the
// change penalty; every plan run is stored with its quantities so that it can be picked.
TEST_F(ServerTest, PlanJobsReplanAgainstAStoredRun) {
  const json base = RunPlan(json::object());
  ASSERT_EQ(base["status"], "done") << base.dump();
  const std::string id = base["id"];
  const json same = RunPlan({{"baseline_run", std::stoll(id)}, {"freeze_weeks", 3}, {"change_penalty_usd", 1000}});
  ASSERT_EQ(same["status"], "done") << same.dump();
  const json& r = same["result"];
  EXPECT_EQ(r["status"], "optimal");
  EXPECT_EQ(same["options"]["baseline_run"], std::stoll(id));
  EXPECT_EQ(r["baseline"]["run_id"], id);
  EXPECT_GT(r["baseline"]["frozen_cells"].get<int>(), 0);
  EXPECT_GT(r["baseline"]["penalized_cells"].get<int>(), 0);
  // Re-planning the same scenario against its own optimum moves nothing and costs the same.
  EXPECT_NEAR(r["racks_moved"].get<double>(), 0.0, 1e-6);
  EXPECT_NEAR(r["cost_breakdown_usd"]["plan_changes"].get<double>(), 0.0, 1e-3);
  EXPECT_NEAR(r["objective_usd"].get<double>(), base["result"]["objective_usd"].get<double>(),
              1e-6 * (1 + std::abs(base["result"]["objective_usd"].get<double>())));

  const json outage = RunPlan({{"baseline_run", id},
                               {"freeze_weeks", 3},
                               {"disruptions", {{{"node", "line:wi-l1"}, {"start_week", 0}, {"weeks", 3}}}}});
  ASSERT_EQ(outage["status"], "done") << outage.dump();
  EXPECT_EQ(outage["result"]["status"], "infeasible");
  bool named = false;
  for (const json& c : outage["result"]["baseline"]["conflicts"]) named = named || c["key"] == "wi-l1,alpha";
  EXPECT_TRUE(named) << outage["result"]["baseline"].dump();

  httplib::Client client = server_->Client();
  auto diff = client.Get(("/api/runs/" + id + "/diff/" + same["id"].get<std::string>()).c_str());
  ASSERT_EQ(diff->status, 200) << diff->body;
  EXPECT_TRUE(Body(diff)["plan"].is_object()) << diff->body;
  const std::vector<std::pair<json, std::string>> bad = {
      {{{"baseline_run", id}}, "freeze_weeks: required with baseline_run"},
      {{{"baseline_run", id}, {"freeze_weeks", 99}}, "freeze_weeks: 99 is outside 0..12"},
      {{{"baseline_run", id}, {"freeze_weeks", 1}, {"change_penalty_usd", -1}}, "change_penalty_usd: -1 is not"},
      {{{"baseline_run", outage["id"]}, {"freeze_weeks", 1}}, "has no stored plan quantities"}};
  for (const auto& [body, message] : bad) {
    auto res = client.Post("/api/scenarios/tiny/plan", body.dump(), "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << body.dump();
    EXPECT_NE(res->body.find(message), std::string::npos) << body.dump() << " -> " << res->body;
  }
}

TEST_F(ServerTest, JobEndpointReportsTheRun) {
  httplib::Client client = server_->Client();
  auto accepted = client.Post("/api/scenarios/tiny/plan", "{}", "application/json");
  ASSERT_EQ(accepted->status, 202);
  const std::string job_id = Body(accepted)["job_id"];
  json job;
  for (int i = 0; i < 6000; ++i) {
    job = Body(client.Get(("/api/jobs/" + job_id).c_str()));
    if (job["status"] == "done" || job["status"] == "failed") break;
    EXPECT_GE(job["progress"].get<double>(), 0.0);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(job["status"], "done");
  EXPECT_EQ(job["progress"], 1.0);
  EXPECT_EQ(job["run_id"], Body(accepted)["run_id"]);
  EXPECT_TRUE(job["result"].contains("objective_usd"));
}

TEST_F(ServerTest, UnknownIdsAre404WithAnError) {
  httplib::Client client = server_->Client();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/api/scenarios/nope", "no scenario with id 'nope'"},
      {"/api/scenarios/nope/check", "no scenario with id 'nope'"},
      {"/api/runs/999999", "no run with id '999999'"},
      {"/api/jobs/job-999999", "no job with id 'job-999999'"},
      {"/api/runs/999999/diff/999998", "no run with id '999999'"},
      {"/api/no-such-endpoint", "not found: GET /api/no-such-endpoint"}};
  for (const auto& [path, message] : cases) {
    auto res = client.Get(path.c_str());
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 404) << path;
    EXPECT_EQ(Body(res)["error"], message) << path;
  }
  auto post = client.Post("/api/scenarios/nope/plan", "{}", "application/json");
  EXPECT_EQ(post->status, 404);
}

TEST_F(ServerTest, BadBodiesAre400WithTheProblem) {
  httplib::Client client = server_->Client();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{not json", "body is not valid JSON"},
      {"[1,2]", "body must be a JSON object, got array"},
      {R"({"domestic": 1.5})", "domestic: 1.5 is outside 0..1"},
      {R"({"domestic": "high"})", "domestic: \"high\" is not a number"},
      {R"({"option_demand": "most"})", "option_demand: \"most\" is not one of expected, all, none"},
      {R"({"domestc": 0.5})",
       "unknown key 'domestc' (known: baseline_run, change_penalty_usd, contingencies, disruptions, domestic, "
       "freeze_weeks, option_demand, resilient)"},
      {R"({"resilient": true, "contingencies": "plant:atlantis"})",
       "contingencies: 'plant:atlantis' names no plant, line or supplier of the scenario"},
      {R"({"contingencies": "plants"})", "contingencies: \"plants\" needs \"resilient\": true"},
      {R"({"resilient": "yes"})", "resilient: \"yes\" is not true or false"},
      {R"({"resilient": true, "contingencies": 3})", "contingencies: 3 is not plants, lines, suppliers, all"},
      {R"({"freeze_weeks": 2})", "freeze_weeks: needs baseline_run"},
      {R"({"baseline_run": "999", "freeze_weeks": 1})", "baseline_run: no run with id '999'"},
      {R"({"baseline_run": [1], "freeze_weeks": 1})", "baseline_run: [1] is not a run id"},
      {R"({"disruptions": 5})", "disruptions: 5 is not a list"},
      {R"({"disruptions": [{"node": "plant:atlantis", "start_week": 0, "weeks": 2}]})", "atlantis"}};
  for (const auto& [body, message] : cases) {
    auto res = client.Post("/api/scenarios/tiny/plan", body, "application/json");
    ASSERT_TRUE(res) << body;
    EXPECT_EQ(res->status, 400) << body;
    EXPECT_NE(Body(res)["error"].get<std::string>().find(message), std::string::npos)
        << body << " -> " << res->body;
  }
  auto sim = client.Post("/api/scenarios/tiny/simulate", R"({"runs": 0})", "application/json");
  ASSERT_TRUE(sim);
  EXPECT_EQ(sim->status, 400);
  EXPECT_EQ(Body(sim)["error"], "runs: 0 is outside 1..1000000");
}

TEST_F(ServerTest, RequestsThatUsedToKillTheServerAre4xx) {
  httplib::Client client = server_->Client();
  const auto alive = [&client] {
    auto health = client.Get("/api/health");
    return health && health->status == 200;
  };
  for (const std::string path : {"/api/\xff\xfe", "/api/runs/\xff", "/api/runs/%ff%00", "/api/jobs/\xc3",
                                 "/api/scenarios/\xff/check", "/api/runs/1/diff/\xff", "/\xff.js"}) {
    auto res = client.Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 404) << path;
    EXPECT_TRUE(json::accept(res->body)) << path << " -> " << res->body;
    ASSERT_TRUE(alive()) << path;
  }
  std::string deep_objects = "{\"disruptions\":";
  for (int i = 0; i < 100000; ++i) deep_objects += "{\"a\":";
  deep_objects += "1" + std::string(100001, '}');
  const std::vector<std::pair<std::string, std::string>> bodies = {
      {"{\"option_demand\": \"\xff\xfe\"}", "body is not valid JSON"},
      {"{\"\xff\": 1}", "body is not valid JSON"},
      {deep_objects, "body nests deeper than 32 levels"},
      {"{\"disruptions\":" + std::string(300000, '[') + std::string(300000, ']') + "}", "nests deeper"},
      {R"({"domestic": 1e400})", "outside -1e12..1e12"},
      {R"({"disruptions": [{"node": "plant:wi-mp", "start_week": 1e300, "weeks": 2}]})", "outside -1e12..1e12"}};
  for (const auto& [body, message] : bodies) {
    auto res = client.Post("/api/scenarios/tiny/plan", body, "application/json");
    ASSERT_TRUE(res) << message;
    EXPECT_EQ(res->status, 400) << message;
    ASSERT_TRUE(json::accept(res->body)) << res->body;
    EXPECT_NE(Body(res)["error"].get<std::string>().find(message), std::string::npos) << res->body;
    ASSERT_TRUE(alive()) << message;
  }
  auto sim = client.Post("/api/scenarios/tiny/simulate", R"({"runs": 1e400})", "application/json");
  ASSERT_TRUE(sim);
  EXPECT_EQ(sim->status, 400);
}

TEST_F(ServerTest, ApiRepliesAreNotCachedAndTheDashboardCannotBeFramed) {
  httplib::Client client = server_->Client();
  for (const std::string path : {"/api/health", "/api/runs", "/api/nothing"}) {
    auto res = client.Get(path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store") << path;
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff") << path;
  }
  auto index = client.Get("/");
  ASSERT_TRUE(index);
  EXPECT_NE(index->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(index->get_header_value("X-Frame-Options"), "DENY");
}

TEST_F(ServerTest, BodiesOver8MiBAre413) {
  httplib::Client client = server_->Client();
  const std::string big(9u << 20, ' ');
  auto res = client.Post("/api/scenarios/tiny/plan", big, "application/json");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(Body(res)["error"], "request body is larger than the limit of 8 MiB");
}

TEST_F(ServerTest, StaticFilesComeOnlyFromTheStaticRoot) {
  httplib::Client client = server_->Client();
  auto index = client.Get("/");
  ASSERT_EQ(index->status, 200);
  EXPECT_NE(index->body.find("<title>rackforge</title>"), std::string::npos);
  EXPECT_EQ(index->get_header_value("Content-Type"), "text/html; charset=utf-8");
  auto app = client.Get("/assets/app.js");
  ASSERT_EQ(app->status, 200);
  EXPECT_EQ(app->get_header_value("Content-Type"), "application/javascript; charset=utf-8");
  // Sent as it is even to a browser that accepts brotli (cpp-httplib's quality-11 brotli took
  // seconds per bundle).
  auto br = GetAcceptingBrotli("/assets/app.js");
  ASSERT_EQ(br->status, 200);
  EXPECT_EQ(br->get_header_value("Content-Encoding"), "");
  EXPECT_EQ(br->body, "console.log('app')");
  for (const char* path : {"/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/assets/../../secret.txt",
                           "/assets/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt",
                           "/assets/..%5c..%5csecret.txt", "/.%2e/secret.txt", "/missing.html"}) {
    auto res = client.Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_NE(res->status, 200) << path;
    EXPECT_EQ(res->body.find("TOP-SECRET"), std::string::npos) << path;
  }
}

TEST_F(ServerTest, ManyReadersWhileAPlanRuns) {
  httplib::Client poster = server_->Client();
  auto accepted = poster.Post("/api/scenarios/tiny/plan", "{}", "application/json");
  ASSERT_EQ(accepted->status, 202);
  std::atomic<int> ok{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 8; ++i) {
    readers.emplace_back([&ok] {
      httplib::Client client = server_->Client();
      for (int k = 0; k < 10; ++k) {
        auto res = client.Get(k % 2 ? "/api/runs" : "/api/scenarios");
        if (res && res->status == 200 && json::parse(res->body).is_array()) ++ok;
      }
    });
  }
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(ok, 80);
  RunPlan(json::object());  // leaves no job running behind
}

// Polls a job until done or failed.
json WaitForJob(httplib::Client& client, const std::string& job_id) {
  json job;
  for (int i = 0; i < 30000; ++i) {
    job = json::parse(client.Get(("/api/jobs/" + job_id).c_str())->body);
    if (job["status"] != "queued" && job["status"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return job;
}

// plan with "resilient": true runs plan --resilient: the run is a plan run with the request's options,
// its result has the plan keys, the dashboard's extras and `resilience` with one entry per
// contingency of the set asked for; progress reaches 1.
TEST_F(ServerTest, ResilientPlanRun) {
  httplib::Client client = server_->Client();
  const json body = {{"resilient", true}, {"contingencies", json::array({"plant:wi-mp", "plant:tx-hou"})}};
  auto accepted = client.Post("/api/scenarios/tiny/plan", body.dump(), "application/json");
  ASSERT_EQ(accepted->status, 202) << accepted->body;
  const json job = WaitForJob(client, Body(accepted)["job_id"]);
  EXPECT_EQ(job["status"], "done") << job.dump();
  EXPECT_DOUBLE_EQ(job["progress"].get<double>(), 1.0) << job.dump();
  const json run = Body(client.Get(("/api/runs/" + Body(accepted)["run_id"].get<std::string>()).c_str()));
  ASSERT_EQ(run["status"], "done") << run.dump();
  EXPECT_EQ(run["kind"], "plan");
  EXPECT_EQ(run["options"]["resilient"], true);
  const json& result = run["result"];
  EXPECT_EQ(result["status"], "optimal");
  ASSERT_TRUE(result.contains("resilience")) << result.dump();
  ASSERT_TRUE(result.contains("racks_built_by_plant_week"));
  const json& r = result["resilience"];
  ASSERT_EQ(r["contingencies"].size(), 2u);
  EXPECT_EQ(r["contingencies"][0]["node"], "plant:wi-mp");
  EXPECT_EQ(r["contingencies"][1]["node"], "plant:tx-hou");
  const double tol = 1e-6 * std::max(1.0, std::abs(r["expected_cost_usd"].get<double>()));
  EXPECT_GE(r["vss_usd"].get<double>(), -tol);
  EXPECT_GE(r["price_of_resilience_usd"].get<double>(), -tol);
  // The same program as the library call with the same options.
  plan::ResilientOptions ro;
  ro.contingencies = plan::ParseContingencySpec("plant:wi-mp,plant:tx-hou");
  ro.threads = 1;
  plan::PlanOptions po;
  po.quantities = scenario_->policy.quantities;
  const plan::ResilientResult direct = plan::SolveResilient(*scenario_, po, ro);
  EXPECT_NEAR(r["expected_cost_usd"].get<double>(), direct.expected_cost_usd, tol);
}

// Posts a simulation of 1e6 runs (far longer than any test) and waits until it runs its blocks.
std::string StartLongSimulation(httplib::Client& client) {
  auto accepted = client.Post("/api/scenarios/tiny/simulate", R"({"runs": 1000000, "seed": 3})", "application/json");
  EXPECT_EQ(accepted->status, 202) << accepted->body;
  const std::string job_id = json::parse(accepted->body)["job_id"];
  for (int i = 0; i < 30000; ++i) {
    const json job = json::parse(client.Get(("/api/jobs/" + job_id).c_str())->body);
    if (job["status"] == "running" && job["progress"].get<double>() > 0.1) break;  // past the baseline solve
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return job_id;
}

TEST_F(ServerTest, DeleteCancelsARunningSimulationAndItsRun) {
  httplib::Client client = server_->Client();
  const std::string job_id = StartLongSimulation(client);
  auto cancelled = client.Delete(("/api/jobs/" + job_id).c_str());
  ASSERT_EQ(cancelled->status, 202) << cancelled->body;
  const json job = WaitForJob(client, job_id);
  EXPECT_EQ(job["status"], "cancelled") << job.dump();
  EXPECT_LT(job["progress"].get<double>(), 1.0);
  const json run = Body(client.Get(("/api/runs/" + job["run_id"].get<std::string>()).c_str()));
  EXPECT_EQ(run["status"], "cancelled");
  EXPECT_EQ(client.Delete(("/api/jobs/" + job_id).c_str())->status, 409);
  EXPECT_EQ(client.Delete("/api/jobs/job-999999")->status, 404);
}

TEST_F(ServerTest, AFullQueueIs429AndCancelledQueuedJobsNeverRun) {
  httplib::Client client = server_->Client();
  const std::string running = StartLongSimulation(client);
  const size_t runs_before = Body(client.Get("/api/runs")).size();
  std::vector<std::string> queued;
  for (int i = 0; i < 16; ++i) {  // JobLimits::max_queued
    auto res = client.Post("/api/scenarios/tiny/plan", "{}", "application/json");
    ASSERT_EQ(res->status, 202) << i << ": " << res->body;
    queued.push_back(Body(res)["job_id"]);
    EXPECT_EQ(Body(client.Get(("/api/runs/" + Body(res)["run_id"].get<std::string>()).c_str()))["status"], "queued");
  }
  auto full = client.Post("/api/scenarios/tiny/plan", "{}", "application/json");
  EXPECT_EQ(full->status, 429) << full->body;
  EXPECT_NE(Body(full)["error"].get<std::string>().find("queue is full"), std::string::npos);
  EXPECT_EQ(Body(client.Get("/api/runs")).size(), runs_before + 16);  // the refused one made no run
  for (const std::string& id : queued) {
    auto res = client.Delete(("/api/jobs/" + id).c_str());
    EXPECT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(Body(res)["status"], "cancelled");
  }
  client.Delete(("/api/jobs/" + running).c_str());
  WaitForJob(client, running);
  for (const std::string& id : queued) {
    const json job = Body(client.Get(("/api/jobs/" + id).c_str()));
    EXPECT_EQ(job["status"], "cancelled");
    EXPECT_EQ(Body(client.Get(("/api/runs/" + job["run_id"].get<std::string>()).c_str()))["status"], "cancelled");
  }
}

TEST_F(ServerTest, SimulateInBlocksEqualsOneLibraryCall) {
  httplib::Client client = server_->Client();
  auto accepted = client.Post("/api/scenarios/tiny/simulate", R"({"runs": 600, "seed": 7})", "application/json");
  ASSERT_EQ(accepted->status, 202) << accepted->body;
  const json job = WaitForJob(client, Body(accepted)["job_id"]);
  ASSERT_EQ(job["status"], "done") << job.dump();
  plan::PlanOptions options;
  options.bottlenecks = false;
  const plan::PlanResult baseline = plan::SolvePlan(*scenario_, options);
  const risk::Simulator simulator(*scenario_, baseline, scenario_->policy.option_demand);
  // 600 runs are played by the server in blocks of 256; the summary must not notice.
  EXPECT_EQ(job["result"], report::SimulationJson(risk::Simulate(simulator, 600, 7, 1)));
  const json run = Body(client.Get(("/api/runs/" + job["run_id"].get<std::string>()).c_str()));
  EXPECT_EQ(run["kind"], "simulate");
  EXPECT_EQ(run["options"], json({{"runs", 600}, {"seed", 7}}));
  EXPECT_EQ(run["result"], job["result"]);
}

TEST_F(ServerTest, RiskJobReportsEveryNode) {
  httplib::Client client = server_->Client();
  auto accepted = client.Post("/api/scenarios/tiny/risk", "", "application/json");
  ASSERT_EQ(accepted->status, 202) << accepted->body;
  const json job = WaitForJob(client, Body(accepted)["job_id"]);
  ASSERT_EQ(job["status"], "done") << job.dump();
  const plan::PlanResult baseline = plan::SolvePlan(*scenario_, plan::PlanOptions{});
  EXPECT_EQ(job["result"]["nodes"].size(), risk::RiskNodes(*scenario_, baseline).size());
  for (const json& node : job["result"]["nodes"]) {
    EXPECT_GE(node["pi_rack_weeks"].get<double>(), -1e-6) << node.dump();
    EXPECT_EQ(node["exposed"], node["tts_weeks"].get<int>() < node["recovery_weeks"].get<int>()) << node.dump();
  }
  auto bad = client.Post("/api/scenarios/tiny/risk", R"({"threads": 4})", "application/json");
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Body(bad)["error"], "unknown key 'threads' (known: none)");
}

TEST(ServerTokenTest, EveryApiCallNeedsTheBearerToken) {
  RunningServer server("s3cret");
  httplib::Client client = server.Client();
  auto missing = client.Get("/api/health");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 401);
  EXPECT_EQ(json::parse(missing->body)["error"], "missing or wrong bearer token");
  auto wrong = client.Get("/api/runs", {{"Authorization", "Bearer nope"}});
  EXPECT_EQ(wrong->status, 401);
  auto post = client.Post("/api/scenarios/tiny/plan", "{}", "application/json");
  EXPECT_EQ(post->status, 401);
  auto right = client.Get("/api/health", {{"Authorization", "Bearer s3cret"}});
  EXPECT_EQ(right->status, 200);
  auto page = client.Get("/");
  EXPECT_EQ(page->status, 200) << "the dashboard itself loads without the token";
}

TEST(ServerStartTest, DuplicateScenarioIdsAndBadFoldersAreRejected) {
  ServerOptions options;
  options.scenario_dirs = {kTiny, kTiny + "/"};
  options.db = ":memory:";
  try {
    Server server(options);
    FAIL() << "expected a usage error";
  } catch (const common::UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("two scenario folders have the id 'tiny'"), std::string::npos) << e.what();
  }
  options.scenario_dirs = {"/no/such/scenario"};
  EXPECT_THROW(Server server(options), io::LoadError);
}

}  // namespace
}  // namespace rackforge::server
