#include "io/scenario_loader.h"

#include <algorithm>
#include <filesystem>
#include <regex>
#include <unordered_map>

#include "io/input_file.h"
#include "io/loader_parts.h"

namespace rackforge::io {

namespace internal {

int32_t ResolveRef(const IdTable& table, std::string_view id, std::string_view key, const char* what,
                   const std::function<void(std::string)>& report) {
  const int32_t index = table.Find(id);
  if (index < 0 && table.loaded) report(std::string(key) + ": " + Quote(id) + " is not " + what);
  return index;
}

void AddId(IdTable& table, std::string_view id, int32_t index, int line, std::string_view key,
           const std::function<void(std::string)>& report) {
  const int first = table.Add(id, index, line);
  if (first > 0) report(std::string(key) + ": " + Quote(id) + " is a duplicate id (first on line " + std::to_string(first) + ")");
}

namespace {

bool IsIsoWeek(const std::string& text) {
  static const std::regex kIsoWeek("^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$");
  return text.size() == 8 && std::regex_match(text, kIsoWeek);
}

// Number of ISO-8601 weeks of a year: 53 when it starts on a Thursday, or is
// a leap year starting on a Wednesday; else 52.
int IsoWeeksInYear(int year) {
  auto floor_div = [](int a, int b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); };
  // Weekday of 31 December (0 = Sunday ... 4 = Thursday) of year y.
  auto dec31 = [&](int y) { return ((y + floor_div(y, 4) - floor_div(y, 100) + floor_div(y, 400)) % 7 + 7) % 7; };
  return dec31(year) == 4 || dec31(year - 1) == 3 ? 53 : 52;
}

// Message for a start_week that is not an existing ISO week, or "".
std::string CheckIsoWeek(const std::string& text) {
  if (!IsIsoWeek(text)) return "start_week: " + Quote(text) + " is not an ISO week like 2026-W01";
  const int year = std::stoi(text.substr(0, 4));
  const int week = std::stoi(text.substr(6, 2));
  const int weeks = IsoWeeksInYear(year);
  if (week > weeks) {
    return "start_week: " + Quote(text) + " does not exist (" + text.substr(0, 4) + " has " + std::to_string(weeks) +
           " ISO weeks)";
  }
  return "";
}

void ReadPenalties(const YamlFile& f, MapReader& policy, model::Policy* out) {
  std::optional<YAML::Node> node = policy.Get("backlog_penalty_usd_per_rack_week", true);
  if (!node) return;
  MapReader m(f, *node, policy.Key("backlog_penalty_usd_per_rack_week"), policy.line());
  if (!m.ok()) return;
  for (int k = 0; k < model::kDemandKinds; ++k) {
    if (auto v = m.Number(model::kDemandKindNames[k], true, NumRule::kNonNegative)) {
      out->backlog_penalty.usd_per_rack_week[k] = *v;
    }
  }
  m.Finish("evaluation, firm, option");
}

// end_backlog_penalty_usd_per_rack {evaluation, firm, option}: optional, each kind 0 when absent.
void ReadEndPenalties(const YamlFile& f, MapReader& policy, model::Policy* out) {
  std::optional<YAML::Node> node = policy.Get("end_backlog_penalty_usd_per_rack", false);
  if (!node) return;
  MapReader m(f, *node, policy.Key("end_backlog_penalty_usd_per_rack"), policy.line());
  if (!m.ok()) return;
  for (int k = 0; k < model::kDemandKinds; ++k) {
    if (auto v = m.Number(model::kDemandKindNames[k], false, NumRule::kNonNegative)) {
      out->end_backlog_penalty_usd_per_rack[k] = *v;
    }
  }
  m.Finish("evaluation, firm, option");
}

void ReadPolicy(const YamlFile& f, MapReader& root, model::Policy* out) {
  std::optional<YAML::Node> node = root.Get("policy", true);
  if (!node) return;
  MapReader m(f, *node, "policy", root.line());
  if (!m.ok()) return;
  if (auto v = m.Number("domestic_content_min", false, NumRule::kFraction)) out->domestic_content_min = *v;
  if (auto v = m.Number("max_supplier_share", false, NumRule::kFraction)) out->max_supplier_share = *v;
  if (auto v = m.Number("capex_budget_usd", false, NumRule::kNonNegative)) out->capex_budget_usd = *v;
  if (auto v = m.String("option_demand", false)) {
    if (auto mode = model::ParseOptionDemandMode(*v)) {
      out->option_demand = *mode;
    } else {
      f.Error(m.ValueLine("option_demand"),
              "policy.option_demand: " + Quote(*v) + " is not one of expected, all, none");
    }
  }
  if (auto v = m.String("quantities", false)) {
    if (auto q = model::ParseQuantities(*v)) {
      out->quantities = *q;
    } else {
      f.Error(m.ValueLine("quantities"), "policy.quantities: " + Quote(*v) + " is not one of continuous, whole");
    }
  }
  ReadPenalties(f, m, out);
  ReadEndPenalties(f, m, out);
  if (auto v = m.Number("rack_holding_usd_per_week", false, NumRule::kNonNegative)) {
    out->rack_holding_usd_per_week = *v;
  }
  m.Finish();
}

void ReadTarget(const YamlFile& f, MapReader& root, std::vector<model::TargetPoint>* out) {
  std::optional<YAML::Node> list = root.List("target", false);
  if (!list) return;
  std::unordered_map<int32_t, int> first_line;  // week -> line where it was first given
  ForEachItem(f, *list, root.line(), [&](const YAML::Node& item, size_t i, int line) {
    MapReader m(f, item, "target[" + std::to_string(i) + "]", line);
    if (!m.ok()) return;
    auto week = m.Week("week", true, WeekRule::kWeek);
    auto racks = m.Number("racks_per_week", true, NumRule::kNonNegative);
    m.Finish("week, racks_per_week");
    if (!week || !racks) return;
    auto [it, inserted] = first_line.emplace(*week, m.ValueLine("week"));
    if (!inserted) {
      f.Error(m.ValueLine("week"), m.Key("week") + ": " + std::to_string(*week) +
                                       " appears twice in target (first on line " + std::to_string(it->second) + ")");
      return;
    }
    out->push_back({*week, *racks});
  });
  std::stable_sort(out->begin(), out->end(),
                   [](const model::TargetPoint& a, const model::TargetPoint& b) { return a.week < b.week; });
}

}  // namespace

void LoadScenarioYaml(LoadState& st, const std::string& text) {
  const std::string file = st.ctx.FilePath("scenario.yaml");
  ReadYamlMapping(text, file, &st.ctx.diag, -1, [&](YamlFile& f, MapReader& m) {
    model::Scenario& s = st.scenario;
    if (auto h = m.Week("horizon_weeks", true, WeekRule::kHorizon)) {
      s.horizon_weeks = *h;
      st.ctx.horizon = *h;
      f.horizon = *h;
    }
    if (auto name = m.String("name", false)) s.name = *name;
    if (auto week = m.String("start_week", true)) {
      std::string message = CheckIsoWeek(*week);
      if (message.empty()) {
        s.start_week = *week;
      } else {
        f.Error(m.ValueLine("start_week"), std::move(message));
      }
    }
    ReadPolicy(f, m, &s.policy);
    if (std::optional<YAML::Node> risk = m.Get("risk", false)) {
      MapReader r(f, *risk, "risk", m.line());
      if (r.ok()) {
        if (auto w = r.Week("start_week", false, WeekRule::kInHorizon)) s.risk_start_week = *w;
        r.Finish("start_week");
      }
    }
    ReadTarget(f, m, &s.target);
    m.Finish("name, start_week, horizon_weeks, policy, risk, target");
  });
}

void LoadRoadmap(LoadState& st, const std::string& text) {
  const std::string file = st.ctx.FilePath("roadmap.yaml");
  ReadYamlMapping(text, file, &st.ctx.diag, st.ctx.horizon, [&](YamlFile& f, MapReader& m) {
    st.requirements.loaded = true;
    std::optional<YAML::Node> list = m.List("requirements", true);
    m.Finish("requirements");
    if (!list) return;
    ForEachItem(f, *list, m.line(), [&](const YAML::Node& item, size_t i, int line) {
      MapReader r(f, item, "requirements[" + std::to_string(i) + "]", line);
      if (!r.ok()) return;
      model::Requirement req;
      if (auto id = r.Id("id", true)) {
        req.id = *id;
        AddId(st.requirements, req.id, static_cast<int32_t>(st.scenario.requirements.size()), r.ValueLine("id"),
              r.Key("id"), [&](std::string msg) { f.Error(r.ValueLine("id"), std::move(msg)); });
      }
      if (auto g = r.String("generation", false)) req.generation = *g;
      if (auto w = r.Week("needed_by_week", true, WeekRule::kWeek)) req.needed_by_week = *w;
      if (auto v = r.Number("min_accelerators", false, NumRule::kNonNegative)) req.min_accelerators = *v;
      if (auto v = r.Number("max_power_kw", false, NumRule::kNonNegative)) req.max_power_kw = *v;
      if (auto v = r.Number("max_floor_load_kg_m2", false, NumRule::kNonNegative)) req.max_floor_load_kg_m2 = *v;
      r.Finish("id, generation, needed_by_week, min_accelerators, max_power_kw, max_floor_load_kg_m2");
      st.scenario.requirements.push_back(std::move(req));
    });
  });
}

}  // namespace internal

namespace {

using internal::LoadState;

// Files read by name, in load order; the flag says whether the file is required.
struct FileStep {
  const char* name;
  bool required;
  void (*load)(LoadState&, const std::string&);
};

const std::vector<FileStep>& Steps() {
  static const std::vector<FileStep> steps = {
      {"scenario.yaml", true, internal::LoadScenarioYaml},
      {"roadmap.yaml", true, internal::LoadRoadmap},
      {"components.csv", true, internal::LoadComponents},
      {"suppliers.csv", true, internal::LoadSuppliers},
      {"designs/", true, nullptr},
      {"offers.csv", true, internal::LoadOffers},
      {"plants.yaml", true, internal::LoadPlants},
      {"component_boms.csv", false, internal::LoadComponentBoms},
      {"on_hand.csv", false, internal::LoadOnHand},
      {"supply_lanes.csv", false, internal::LoadSupplyLanes},
      {"transfers.csv", false, internal::LoadTransfers},
      {"sites.csv", true, internal::LoadSites},
      {"lanes.csv", true, internal::LoadLanes},
      {"demand.csv", true, internal::LoadDemand},
      {"disruptions.yaml", false, nullptr},
      {"design_space.yaml", false, internal::LoadDesignSpace},
  };
  return steps;
}

bool IsDesignFile(const std::string& name) {
  return name.size() > 13 && name.compare(0, 8, "designs/") == 0 && name.find('/', 8) == std::string::npos &&
         name.compare(name.size() - 5, 5, ".yaml") == 0;
}

void LoadDesigns(LoadState& st, const ScenarioTexts& texts) {
  bool any = false;
  bool all_read = true;
  for (const auto& [name, text] : texts.files) {  // std::map: sorted by file name
    if (!IsDesignFile(name)) continue;
    any = true;
    if (!internal::CheckFileBytes(text, st.ctx.FilePath(name), &st.ctx.diag)) {
      all_read = false;
      continue;
    }
    internal::LoadDesign(st, name, text);
  }
  if (!any) st.ctx.diag.Add(st.ctx.FilePath("designs/"), 0, "no design files (designs/*.yaml) found");
  st.designs.loaded = all_read;  // a design file left unread: references to designs are not checked
}

void LoadScenarioDisruptions(LoadState& st, const std::string& text) {
  internal::NodeTables tables{&st.plants, &st.lines, &st.suppliers, &st.component_lines};
  st.scenario.disruptions = internal::ReadDisruptions(text, st.ctx.FilePath("disruptions.yaml"), st.ctx.horizon,
                                                      tables, &st.ctx.diag);
}

void RunSteps(LoadState& st, const ScenarioTexts& texts) {
  for (const FileStep& step : Steps()) {
    const std::string name = step.name;
    if (name == "designs/") {
      LoadDesigns(st, texts);
      continue;
    }
    auto it = texts.files.find(name);
    if (it == texts.files.end()) {
      if (step.required) st.ctx.diag.Add(st.ctx.FilePath(name), 0, "required file is missing");
      continue;
    }
    // Bytes that would break JSON output later: the file is reported and not parsed.
    if (!internal::CheckFileBytes(it->second, st.ctx.FilePath(name), &st.ctx.diag)) continue;
    if (name == "disruptions.yaml") {
      LoadScenarioDisruptions(st, it->second);
    } else {
      step.load(st, it->second);
    }
  }
  internal::CheckBomOffers(st);
}

}  // namespace

const std::vector<std::string>& ScenarioFileNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const FileStep& step : Steps()) {
      if (std::string(step.name) != "designs/") out.push_back(step.name);
    }
    return out;
  }();
  return names;
}

ScenarioTexts ReadScenarioFolder(const std::string& folder) {
  namespace fs = std::filesystem;
  if (!internal::IsCleanText(folder)) {  // the path is stored with runs and shown as JSON
    throw LoadError({{internal::Quote(folder), 0, "the folder name is not valid UTF-8"}});
  }
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    throw LoadError({{folder, 0, "is not a scenario folder (no such directory)"}});
  }
  internal::LoadContext names;
  names.folder = folder;
  std::vector<Diagnostic> problems;
  // The files to read (absent ones are "required file is missing" or optional).
  std::vector<std::pair<fs::path, std::string>> files;
  for (const std::string& name : ScenarioFileNames()) {
    const fs::path path = fs::path(folder) / name;
    if (PathExists(path.string())) files.emplace_back(path, name);
  }
  const fs::path designs = fs::path(folder) / "designs";
  if (fs::is_directory(designs, ec)) {
    for (const fs::directory_entry& entry : fs::directory_iterator(designs, ec)) {
      const std::string name = "designs/" + entry.path().filename().string();
      if (!IsDesignFile(name)) continue;
      if (!internal::IsCleanText(name)) {
        problems.push_back({names.FilePath(internal::Quote(name)), 0, "the file name is not valid UTF-8"});
      } else if (PathExists(entry.path().string())) {
        files.emplace_back(entry.path(), name);
      }
    }
  }
  // The sizes together are bounded before anything is read (and again as read:
  // files may grow).
  const std::string too_much =
      "the scenario's files add up to more than " + std::to_string(kMaxScenarioBytes >> 20) + " MiB";
  uintmax_t total_bytes = 0;
  for (const auto& [path, name] : files) {
    const uintmax_t size = fs::is_regular_file(path, ec) ? fs::file_size(path, ec) : 0;
    if (!ec) total_bytes += size;
  }
  if (total_bytes > kMaxScenarioBytes) throw LoadError({{folder, 0, too_much}});
  ScenarioTexts texts;
  texts.folder = folder;
  total_bytes = 0;
  for (const auto& [path, name] : files) {
    std::string problem;
    std::optional<std::string> text = ReadInputFile(path.string(), &problem);
    if (!text) {
      problems.push_back({names.FilePath(name), 0, problem});
      continue;
    }
    total_bytes += text->size();
    if (total_bytes > kMaxScenarioBytes) throw LoadError({{folder, 0, too_much}});
    texts.files[name] = std::move(*text);
  }
  if (!problems.empty()) throw LoadError(std::move(problems));
  return texts;
}

model::Scenario LoadScenarioFromTexts(const ScenarioTexts& texts) {
  LoadState st;
  st.ctx.folder = texts.folder;
  try {
    RunSteps(st, texts);
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {  // a bug in a reader must not escape as something else
    st.ctx.diag.Add(texts.folder.empty() ? "(scenario)" : texts.folder, 0,
                    std::string("internal error while loading: ") + e.what());
  }
  std::vector<Diagnostic> problems = st.ctx.diag.Take();
  if (!problems.empty()) throw LoadError(std::move(problems));
  st.scenario.folder = texts.folder;
  if (st.scenario.name.empty() && !texts.folder.empty()) {
    std::filesystem::path path = std::filesystem::path(texts.folder).lexically_normal();
    if (!path.has_filename()) path = path.parent_path();
    st.scenario.name = path.filename().string();
  }
  return std::move(st.scenario);
}

model::Scenario LoadScenario(const std::string& folder) { return LoadScenarioFromTexts(ReadScenarioFolder(folder)); }

}  // namespace rackforge::io
