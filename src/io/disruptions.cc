// Disruptions: disruptions.yaml, --disruptions FILE and the server's JSON list.
#include "io/input_file.h"
#include "io/loader_parts.h"
#include "io/scenario_loader.h"

namespace rackforge::io {

namespace internal {

std::optional<model::NodeRef> ResolveNode(std::string_view text, const NodeTables& tables, std::string* error) {
  error->clear();
  const size_t colon = text.find(':');
  const std::string_view prefix = colon == std::string_view::npos ? std::string_view() : text.substr(0, colon);
  const std::string_view id = colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
  struct Kind {
    const char* prefix;
    model::NodeKind kind;
    const IdTable* table;
    const char* where;
  };
  const Kind kinds[] = {{"plant", model::NodeKind::kPlant, tables.plants, "a plant in plants.yaml"},
                        {"line", model::NodeKind::kLine, tables.lines, "a line in plants.yaml"},
                        {"supplier", model::NodeKind::kSupplier, tables.suppliers, "a supplier in suppliers.csv"}};
  for (const Kind& k : kinds) {
    if (prefix != k.prefix) continue;
    const int32_t index = k.table->Find(id);
    if (index >= 0) return model::NodeRef{k.kind, index};
    if (k.kind == model::NodeKind::kLine && tables.component_lines != nullptr) {  // line ids cover both kinds
      const int32_t m = tables.component_lines->Find(id);
      if (m >= 0) return model::NodeRef{model::NodeKind::kComponentLine, m};
    }
    if (k.table->loaded) *error = Quote(text) + " names no " + std::string(k.where + 2);
    return std::nullopt;
  }
  *error = Quote(text) + " is not plant:ID, line:ID or supplier:ID";
  return std::nullopt;
}

ScenarioIds::ScenarioIds(const model::Scenario& scenario) {
  for (size_t i = 0; i < scenario.plants.size(); ++i) plants.Add(scenario.plants[i].id, static_cast<int32_t>(i), 0);
  for (size_t i = 0; i < scenario.lines.size(); ++i) lines.Add(scenario.lines[i].id, static_cast<int32_t>(i), 0);
  for (size_t i = 0; i < scenario.suppliers.size(); ++i) {
    suppliers.Add(scenario.suppliers[i].id, static_cast<int32_t>(i), 0);
  }
  for (size_t i = 0; i < scenario.component_lines.size(); ++i) {
    component_lines.Add(scenario.component_lines[i].id, static_cast<int32_t>(i), 0);
  }
  plants.loaded = lines.loaded = suppliers.loaded = component_lines.loaded = true;
}

std::vector<model::Disruption> ReadDisruptions(const std::string& text, const std::string& file, int32_t horizon,
                                               const NodeTables& tables, Diagnostics* diag) {
  std::vector<model::Disruption> out;
  ReadYamlMapping(text, file, diag, horizon, [&](YamlFile& f, MapReader& m) {
    std::optional<YAML::Node> list = m.List("disruptions", true);
    m.Finish("disruptions");
    if (!list) return;
    ForEachItem(f, *list, m.ValueLine("disruptions"), [&](const YAML::Node& item, size_t i, int line) {
      MapReader d(f, item, "disruptions[" + std::to_string(i) + "]", line);
      if (!d.ok()) return;
      model::Disruption x;
      bool ok = true;
      if (auto node = d.String("node", true)) {
        std::string error;
        std::optional<model::NodeRef> ref = ResolveNode(*node, tables, &error);
        if (ref) {
          x.node = *ref;
        } else {
          ok = false;
          if (!error.empty()) f.Error(d.ValueLine("node"), d.Key("node") + ": " + error);
        }
      } else {
        ok = false;
      }
      auto start = d.Week("start_week", true, WeekRule::kInHorizon);
      auto weeks = d.Week("weeks", true, WeekRule::kWeek);
      std::optional<double> loss = 1.0;
      if (d.Get("capacity_loss", false)) loss = d.Number("capacity_loss", false, NumRule::kFraction);
      d.Finish("node, start_week, weeks, capacity_loss");
      if (!ok || !start || !weeks || !loss) return;
      x.start_week = *start;
      x.weeks = *weeks;
      x.capacity_loss = *loss;
      out.push_back(x);
    });
  });
  return out;
}

}  // namespace internal

std::vector<model::Disruption> ParseDisruptionsYaml(const std::string& text, const std::string& file,
                                                    const model::Scenario& scenario) {
  internal::Diagnostics diag;
  std::vector<model::Disruption> out;
  try {
    internal::ScenarioIds ids(scenario);
    if (internal::CheckFileBytes(text, file, &diag)) {
      out = internal::ReadDisruptions(text, file, scenario.horizon_weeks, ids.tables(), &diag);
    }
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    diag.Add(file, 0, std::string("internal error while loading: ") + e.what());
  }
  if (!diag.empty()) throw LoadError(diag.Take());
  return out;
}

std::vector<model::Disruption> LoadDisruptions(const std::string& path, const model::Scenario& scenario) {
  // The path is stored with the run (JSON): it must be text too.
  if (!internal::IsCleanText(path)) throw LoadError({{internal::Quote(path), 0, "the file name is not valid UTF-8"}});
  std::string problem;
  std::optional<std::string> text = ReadInputFile(path, &problem);
  if (!text) throw LoadError({{path, 0, problem}});
  return ParseDisruptionsYaml(*text, path, scenario);
}

namespace {

// One JSON field as a number: its text for messages, or a "not a number" problem.
std::optional<double> JsonNumber(const nlohmann::json& value, const std::string& key, std::string* raw,
                                 std::vector<std::string>* problems) {
  *raw = value.dump();
  if (!value.is_number()) {
    problems->push_back(key + ": " + *raw + " is not a number");
    return std::nullopt;
  }
  return value.get<double>();
}

std::optional<int32_t> JsonWeek(const nlohmann::json& item, const std::string& prefix, const char* key,
                                internal::WeekRule rule, int32_t horizon, std::vector<std::string>* problems) {
  const std::string full = prefix + "." + key;
  if (!item.contains(key) || item[key].is_null()) {
    problems->push_back(full + ": missing (required)");
    return std::nullopt;
  }
  std::string raw;
  std::optional<double> v = JsonNumber(item[key], full, &raw, problems);
  if (!v) return std::nullopt;
  std::string message = internal::CheckWeek(full, raw, *v, rule, horizon);
  if (!message.empty()) {
    problems->push_back(std::move(message));
    return std::nullopt;
  }
  return static_cast<int32_t>(*v);
}

/// capacity_loss of a JSON disruption: 1 when absent or null, else a number
/// in 0..1; nullopt (with the problem appended) for anything else.
std::optional<double> JsonCapacityLoss(const nlohmann::json& item, const std::string& prefix,
                                       std::vector<std::string>* problems) {
  if (!item.contains("capacity_loss") || item["capacity_loss"].is_null()) return 1.0;
  std::string raw;
  const std::string key = prefix + ".capacity_loss";
  const std::optional<double> loss = JsonNumber(item["capacity_loss"], key, &raw, problems);
  if (!loss) return std::nullopt;
  std::string message = internal::CheckNumber(key, raw, *loss, internal::NumRule::kFraction);
  if (message.empty()) return loss;
  problems->push_back(std::move(message));
  return std::nullopt;
}

std::optional<model::Disruption> JsonDisruption(const nlohmann::json& item, const std::string& prefix,
                                                const model::Scenario& scenario, const internal::NodeTables& tables,
                                                std::vector<std::string>* problems) {
  if (!item.is_object()) {
    problems->push_back(prefix + ": expected an object, got " + item.dump());
    return std::nullopt;
  }
  for (const auto& [key, value] : item.items()) {
    if (key != "node" && key != "start_week" && key != "weeks" && key != "capacity_loss") {
      problems->push_back(prefix + "." + key + ": unknown key (node, start_week, weeks, capacity_loss)");
    }
  }
  model::Disruption x;
  bool ok = true;
  if (!item.contains("node") || !item["node"].is_string()) {
    problems->push_back(prefix + ".node: " + (item.contains("node") ? item["node"].dump() + " is not a string" : "missing (required)"));
    ok = false;
  } else {
    std::string error;
    std::optional<model::NodeRef> ref = internal::ResolveNode(item["node"].get<std::string>(), tables, &error);
    if (ref) {
      x.node = *ref;
    } else {
      problems->push_back(prefix + ".node: " + error);
      ok = false;
    }
  }
  auto start = JsonWeek(item, prefix, "start_week", internal::WeekRule::kInHorizon, scenario.horizon_weeks, problems);
  auto weeks = JsonWeek(item, prefix, "weeks", internal::WeekRule::kWeek, scenario.horizon_weeks, problems);
  const std::optional<double> loss = JsonCapacityLoss(item, prefix, problems);
  if (!ok || !start || !weeks || !loss) return std::nullopt;
  x.start_week = *start;
  x.weeks = *weeks;
  x.capacity_loss = *loss;
  return x;
}

}  // namespace

std::vector<model::Disruption> DisruptionsFromJson(const nlohmann::json& list, const model::Scenario& scenario) {
  if (!list.is_array()) throw common::UsageError("disruptions: expected a list, got " + list.dump().substr(0, 80));
  internal::ScenarioIds ids(scenario);
  std::vector<std::string> problems;
  std::vector<model::Disruption> out;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string prefix = "disruptions[" + std::to_string(i) + "]";
    if (auto d = JsonDisruption(list[i], prefix, scenario, ids.tables(), &problems)) out.push_back(*d);
  }
  if (!problems.empty()) {
    std::string message;
    for (const std::string& p : problems) message += (message.empty() ? "" : "; ") + p;
    throw common::UsageError(message);
  }
  return out;
}

}  // namespace rackforge::io
