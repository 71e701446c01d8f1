// Scenario editing through the real server (in-process, free port): the
// tables of tests/scenarios/tiny, saving an edited copy into a temporary
// scenarios folder, the 422 of a bad cell (nothing saved), name rules,
// replacing, and folders that appear or change without a restart.
#include "server/scenario_editor.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "io/scenario_loader.h"
#include "server/server.h"

namespace rackforge::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kTiny = std::string(RACKFORGE_SOURCE_DIR) + "/tests/scenarios/tiny";

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Everything under the scenarios folder (hidden names too), relative paths.
std::vector<std::string> Listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

class EditServer {
 public:
  explicit EditServer(bool with_scenarios_dir = true, const std::string& token = "") : token_(token) {
    dir_ = fs::temp_directory_path() / ("rf_edit_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "scenarios");
    ServerOptions options;
    options.scenario_dirs = {kTiny};
    if (with_scenarios_dir) options.scenarios_dir = (dir_ / "scenarios").string();
    options.port = 0;
    options.db = (dir_ / "runs.db").string();
    options.token = token;
    options.http_threads = 4;
    server_ = std::make_unique<Server>(options);
    port_ = server_->Bind();
    thread_ = std::thread([this] { server_->Serve(); });
  }
  ~EditServer() {
    server_->Stop();
    thread_.join();
    server_.reset();
    fs::remove_all(dir_);
  }
  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(60, 0);
    if (!token_.empty()) client.set_bearer_token_auth(token_);
    return client;
  }
  fs::path scenarios() const { return dir_ / "scenarios"; }
  int port() const { return port_; }

  json Tables() const {
    auto res = Client().Get("/api/scenarios/tiny/tables");
    EXPECT_EQ(res->status, 200) << res->body;
    return json::parse(res->body)["tables"];
  }
  httplib::Result Save(const json& body) const {
    return Client().Post("/api/scenarios", body.dump(), "application/json");
  }
  std::vector<std::string> Ids() const {
    std::vector<std::string> ids;
    for (const json& s : json::parse(Client().Get("/api/scenarios")->body)) ids.push_back(s["id"]);
    return ids;
  }

 private:
  static inline int counter_ = 0;
  std::string token_;
  fs::path dir_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
};

// The edited tables of a request: only `table`, as GET returned it, with one cell set.
json EditOne(const json& tables, const std::string& table, size_t row, const std::string& column,
             const std::string& value) {
  json t = tables[table];
  const auto& columns = t["columns"];
  const size_t c = std::find(columns.begin(), columns.end(), column) - columns.begin();
  t["rows"][row][c] = value;
  return {{table, {{"columns", t["columns"]}, {"rows", t["rows"]}}}};
}

TEST(ScenarioEditor, TablesAreTheFilesRowsInTheLoadersColumns) {
  EditServer server;
  const json tables = server.Tables();
  EXPECT_EQ(tables["demand"]["columns"], json({"site", "design", "week", "racks", "kind", "probability"}));
  EXPECT_EQ(tables["demand"]["rows"][0], json({"abilene-tx", "alpha", "1", "2", "evaluation", ""}));
  // offers.csv of tiny has no last_order_week column: its cells are empty.
  EXPECT_EQ(tables["offers"]["rows"][0], json({"fii-tw", "tray-a", "150000", "40", "2", "0", "", "0.25"}));
  EXPECT_EQ(tables["line_rates"]["rows"],
            json({{"wi-mp", "wi-l1", "10", "", "", "", "12000"},
                  {"wi-mp", "wi-l2", "6", "2", "4", "0.5", "14000"},
                  {"tx-hou", "tx-l1", "8", "", "", "", "12500"}}));
  EXPECT_EQ(tables["line_rates"]["key_columns"], json({"plant", "line"}));
  EXPECT_TRUE(tables["line_rates"]["rows_fixed"]);
  EXPECT_EQ(tables["test_cells"]["rows"], json({{"wi-mp", "2", "168"}, {"tx-hou", "1", "168"}}));
  EXPECT_EQ(tables["disruptions"]["rows"], json({{"plant:tx-hou", "4", "2", ""}, {"supplier:delta-tw", "1", "3", "0.5"}}));
}

TEST(ScenarioEditor, AValidEditIsSavedLoadableAndListed) {
  EditServer server;
  json tables = server.Tables();
  json edit = EditOne(tables, "demand", 1, "racks", "7");
  edit.update(EditOne(tables, "line_rates", 1, "racks_per_week", "9"));
  edit.update(EditOne(tables, "test_cells", 1, "test_cells", "3"));
  json disruptions = tables["disruptions"];
  disruptions["rows"].erase(0);
  edit["disruptions"] = {{"rows", disruptions["rows"]}};
  auto res = server.Save({{"copy_of", "tiny"}, {"name", "tiny-more"}, {"tables", edit}});
  ASSERT_EQ(res->status, 201) << res->body;
  EXPECT_EQ(json::parse(res->body)["id"], "tiny-more");
  const fs::path folder = server.scenarios() / "tiny-more";
  // The same loader reads the saved folder with the edits.
  const model::Scenario s = io::LoadScenario(folder.string());
  const model::Scenario tiny = io::LoadScenario(kTiny);
  EXPECT_EQ(s.lines[1].racks_per_week, 9);
  EXPECT_EQ(s.plants[1].test_cells, 3);
  ASSERT_EQ(s.disruptions.size(), 1u);
  EXPECT_EQ(s.disruptions[0].weeks, 3);
  double racks = 0, tiny_racks = 0;
  for (const auto& d : s.demand) racks += d.racks;
  for (const auto& d : tiny.demand) tiny_racks += d.racks;
  EXPECT_DOUBLE_EQ(racks, tiny_racks + 2);  // row 1: 5 -> 7 racks
  EXPECT_EQ(ReadAll(folder / "demand.csv").substr(0, 40), "site,design,week,racks,kind,probability\n");
  EXPECT_TRUE(IsEditedCopy(folder));
  // Tables not sent are copied unchanged; no temporary folder is left.
  EXPECT_EQ(ReadAll(folder / "offers.csv"), ReadAll(fs::path(kTiny) / "offers.csv"));
  EXPECT_EQ(Listing(server.scenarios()), std::vector<std::string>{"tiny-more"});
  const auto ids = server.Ids();
  EXPECT_EQ(ids, (std::vector<std::string>{"tiny", "tiny-more"}));
  // The new scenario is served like any other: its tables show the edit, and a plan starts.
  auto detail = server.Client().Get("/api/scenarios/tiny-more");
  ASSERT_EQ(detail->status, 200);
  EXPECT_TRUE(json::parse(detail->body)["edited_copy"]);
  auto plan = server.Client().Post("/api/scenarios/tiny-more/plan", "{}", "application/json");
  EXPECT_EQ(plan->status, 202) << plan->body;
}

TEST(ScenarioEditor, ABadCellIs422NamingFileLineAndValueAndSavesNothing) {
  EditServer server;
  const json tables = server.Tables();
  auto res = server.Save({{"copy_of", "tiny"}, {"name", "tiny-bad"}, {"tables", EditOne(tables, "demand", 2, "racks", "-3")}});
  ASSERT_EQ(res->status, 422) << res->body;
  json body = json::parse(res->body);
  ASSERT_EQ(body["problems"].size(), 1u) << res->body;
  EXPECT_EQ(body["problems"][0], json({{"file", "demand.csv"}, {"line", 4}, {"key", "racks"}, {"value", "-3"},
                                       {"message", "racks: -3 is negative"}, {"table", "demand"}, {"row", 2},
                                       {"column", "racks"}}));
  EXPECT_NE(body["error"].get<std::string>().find("nothing saved"), std::string::npos);
  EXPECT_TRUE(Listing(server.scenarios()).empty());
  // An unknown design id: the design cell of that row.
  res = server.Save({{"copy_of", "tiny"}, {"name", "tiny-bad"}, {"tables", EditOne(tables, "demand", 0, "design", "zeta")}});
  ASSERT_EQ(res->status, 422) << res->body;
  body = json::parse(res->body);
  ASSERT_FALSE(body["problems"].empty());
  EXPECT_EQ(body["problems"][0]["table"], "demand");
  EXPECT_EQ(body["problems"][0]["row"], 0);
  EXPECT_EQ(body["problems"][0]["column"], "design");
  EXPECT_EQ(body["problems"][0]["value"], "zeta");
  EXPECT_EQ(body["problems"][0]["line"], 2);
  // YAML tables: a line rate, a test-cell count and a disruption node map back to their rows.
  json edit = EditOne(tables, "line_rates", 2, "racks_per_week", "-5");
  edit.update(EditOne(tables, "test_cells", 0, "test_hours_per_cell_week", "lots"));
  edit.update(EditOne(tables, "disruptions", 1, "node", "plant:nowhere"));
  res = server.Save({{"copy_of", "tiny"}, {"name", "tiny-bad"}, {"tables", edit}});
  ASSERT_EQ(res->status, 422) << res->body;
  std::set<std::string> cells;
  const json problems = json::parse(res->body)["problems"];
  for (const json& p : problems) {
    cells.insert(p.value("table", "") + "/" + std::to_string(p.value("row", -1)) + "/" + p.value("column", ""));
  }
  EXPECT_EQ(cells, (std::set<std::string>{"line_rates/2/racks_per_week", "test_cells/0/test_hours_per_cell_week",
                                          "disruptions/1/node"}));
  EXPECT_TRUE(Listing(server.scenarios()).empty());
  EXPECT_EQ(server.Ids(), std::vector<std::string>{"tiny"});
}

TEST(ScenarioEditor, NamesThatLeaveTheFolderOrTakeAnotherAreRefused) {
  EditServer server;
  for (const std::string name : {"../evil", "a/b", ".hidden", "", "Upper", "..", "x\\y", "-lead"}) {
    auto res = server.Save({{"copy_of", "tiny"}, {"name", name}});
    EXPECT_EQ(res->status, 400) << name << ": " << res->body;
  }
  EXPECT_TRUE(Listing(server.scenarios()).empty());
  EXPECT_FALSE(fs::exists(server.scenarios().parent_path() / "evil"));
  // The id of a served scenario elsewhere.
  EXPECT_EQ(server.Save({{"copy_of", "tiny"}, {"name", "tiny"}})->status, 409);
  EXPECT_EQ(server.Save({{"copy_of", "nope"}, {"name", "x"}})->status, 404);
  // Bad bodies: unknown table, wrong cell count.
  EXPECT_EQ(server.Save({{"copy_of", "tiny"}, {"name", "x"}, {"tables", {{"sites", {{"rows", json::array()}}}}}})->status,
            400);
  EXPECT_EQ(server.Save({{"copy_of", "tiny"}, {"name", "x"}, {"tables", {{"demand", {{"rows", {{"a", "b"}}}}}}}})->status,
            400);
}

TEST(ScenarioEditor, OnlyDashboardCopiesAreReplacedAndOnlyWhenAsked) {
  EditServer server;
  const json tables = server.Tables();
  auto first = server.Save({{"copy_of", "tiny"}, {"name", "copy"}});
  ASSERT_EQ(first->status, 201);
  const std::string first_hash = json::parse(first->body)["scenario"]["input_hash"];
  auto again = server.Save({{"copy_of", "tiny"}, {"name", "copy"}, {"tables", EditOne(tables, "demand", 1, "racks", "8")}});
  EXPECT_EQ(again->status, 409) << again->body;
  auto replaced = server.Save(
      {{"copy_of", "tiny"}, {"name", "copy"}, {"replace", true}, {"tables", EditOne(tables, "demand", 1, "racks", "8")}});
  ASSERT_EQ(replaced->status, 201) << replaced->body;
  EXPECT_NE(ReadAll(server.scenarios() / "copy" / "demand.csv").find("abilene-tx,alpha,3,8,firm,"), std::string::npos);
  EXPECT_EQ(Listing(server.scenarios()), std::vector<std::string>{"copy"});
  // The server serves the replaced folder at once (a new content hash).
  const std::string new_hash = json::parse(replaced->body)["scenario"]["input_hash"];
  EXPECT_NE(new_hash, first_hash);
  EXPECT_EQ(json::parse(server.Client().Get("/api/scenarios/copy")->body)["input_hash"], new_hash);
  auto served = server.Client().Get("/api/scenarios/copy/tables");
  ASSERT_EQ(served->status, 200);
  EXPECT_EQ(json::parse(served->body)["tables"]["demand"]["rows"][1][3], "8");
  // A bad replacement leaves the saved copy as it was.
  auto bad = server.Save(
      {{"copy_of", "tiny"}, {"name", "copy"}, {"replace", true}, {"tables", EditOne(tables, "demand", 1, "racks", "-1")}});
  EXPECT_EQ(bad->status, 422);
  EXPECT_NE(ReadAll(server.scenarios() / "copy" / "demand.csv").find("abilene-tx,alpha,3,8,firm,"), std::string::npos);
  // A folder put there by hand is never replaced.
  fs::copy(kTiny, server.scenarios() / "hand", fs::copy_options::recursive);
  auto hand = server.Save({{"copy_of", "tiny"}, {"name", "hand"}, {"replace", true}});
  EXPECT_EQ(hand->status, 409) << hand->body;
  EXPECT_FALSE(IsEditedCopy(server.scenarios() / "hand"));
}

TEST(ScenarioEditor, NewChangedAndRemovedFoldersAreSeenWithoutARestart) {
  EditServer server;
  EXPECT_EQ(server.Ids(), std::vector<std::string>{"tiny"});
  const fs::path dropped = server.scenarios() / "dropped";
  fs::copy(kTiny, dropped, fs::copy_options::recursive);
  EXPECT_EQ(server.Ids(), (std::vector<std::string>{"tiny", "dropped"}));
  auto detail = server.Client().Get("/api/scenarios/dropped");
  ASSERT_EQ(detail->status, 200);
  EXPECT_EQ(json::parse(detail->body)["horizon_weeks"], 12);
  // Changed: a longer horizon is served on the next request.
  const std::string text = ReadAll(dropped / "scenario.yaml");
  const size_t at = text.find("horizon_weeks: 12");
  ASSERT_NE(at, std::string::npos);
  std::ofstream(dropped / "scenario.yaml") << text.substr(0, at) << "horizon_weeks: 14" << text.substr(at + 17);
  EXPECT_EQ(json::parse(server.Client().Get("/api/scenarios/dropped")->body)["horizon_weeks"], 14);
  // Broken: left out until it loads again; removed: gone.
  std::ofstream(dropped / "demand.csv", std::ios::app) << "nowhere,alpha,1,1,firm,\n";
  EXPECT_EQ(server.Client().Get("/api/scenarios/dropped")->status, 404);
  EXPECT_EQ(server.Ids(), std::vector<std::string>{"tiny"});
  fs::remove_all(dropped);
  EXPECT_EQ(server.Ids(), std::vector<std::string>{"tiny"});
}

TEST(ScenarioEditor, SavingNeedsAScenariosFolderAndTheToken) {
  EditServer plain(/*with_scenarios_dir=*/false);
  EXPECT_EQ(plain.Save({{"copy_of", "tiny"}, {"name", "x"}})->status, 403);
  EditServer guarded(true, "s3cret");
  httplib::Client anonymous("127.0.0.1", guarded.port());
  const std::string body = json({{"copy_of", "tiny"}, {"name", "x"}}).dump();
  EXPECT_EQ(anonymous.Post("/api/scenarios", body, "application/json")->status, 401);
  EXPECT_EQ(anonymous.Get("/api/scenarios/tiny/tables")->status, 401);
  EXPECT_TRUE(Listing(guarded.scenarios()).empty());
  EXPECT_EQ(guarded.Save({{"copy_of", "tiny"}, {"name", "x"}})->status, 201);
  // Bodies over 8 MiB are refused before they are read.
  const std::string big = "{\"copy_of\": \"tiny\", \"name\": \"y\", \"pad\": \"" + std::string(9u << 20, 'a') + "\"}";
  EXPECT_EQ(guarded.Client().Post("/api/scenarios", big, "application/json")->status, 413);
}

TEST(ScenarioEditorMapping, LoaderMessagesFindTheirCell) {
  const std::map<std::string, std::vector<int>> lines = {{"demand", {2, 3, 5}}, {"plants.lines", {0, 2}}};
  EditProblem p = MapDiagnostic({"/tmp/x/demand.csv", 5, "week: 60 is outside 0..11 (horizon_weeks 12)"}, "/tmp/x", lines);
  EXPECT_EQ(p.file, "demand.csv");
  EXPECT_EQ(p.table, "demand");
  EXPECT_EQ(p.row, 2);
  EXPECT_EQ(p.column, "week");
  EXPECT_EQ(p.value, "60");
  p = MapDiagnostic({"/tmp/x/demand.csv", 4, "site: 'Nowhere TX' is not a site in sites.csv"}, "/tmp/x", lines);
  EXPECT_EQ(p.row, 1);  // a quoted cell of row 1 spans lines 3 and 4
  EXPECT_EQ(p.value, "Nowhere TX");
  p = MapDiagnostic({"/tmp/x/plants.yaml", 14, "plants[1].lines[0].racks_per_week: -5 is negative"}, "/tmp/x", lines);
  EXPECT_EQ(p.table, "line_rates");
  EXPECT_EQ(p.row, 2);
  EXPECT_EQ(p.column, "racks_per_week");
  p = MapDiagnostic({"/tmp/x/lanes.csv", 0, "required file is missing"}, "/tmp/x", lines);
  EXPECT_EQ(p.table, "");
  EXPECT_EQ(p.row, -1);
}

}  // namespace
}  // namespace rackforge::server
