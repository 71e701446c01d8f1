#include "server/scenario_editor.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <stdio.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "io/csv_reader.h"
#include "io/input_file.h"
#include "io/scenario_loader.h"

namespace rackforge::server {

namespace fs = std::filesystem;

namespace {

// How each table is stored. CSV columns are the loader's, in its order
// (src/io/load_tables.cc, LoadDemand and LoadOffers).
struct TableSpec {
  std::string name;
  std::string file;
  std::vector<std::string> columns;
  std::vector<std::string> key_columns;  // identify a row; not editable
  bool rows_fixed = false;               // rows come from the file's structure
};

const std::vector<TableSpec>& Specs() {
  static const std::vector<TableSpec> specs = {
      {"demand", "demand.csv", {"site", "design", "week", "racks", "kind", "probability"}, {}, false},
      {"offers",
       "offers.csv",
       {"supplier", "component", "unit_cost_usd", "capacity_per_week", "lead_time_weeks", "available_from_week",
        "last_order_week", "tariff_rate"},
       {},
       false},
      {"line_rates",
       "plants.yaml",
       {"plant", "line", "racks_per_week", "start_week", "ramp_weeks", "ramp_start_fraction", "cost_usd_per_rack"},
       {"plant", "line"},
       true},
      {"test_cells", "plants.yaml", {"plant", "test_cells", "test_hours_per_cell_week"}, {"plant"}, true},
      {"disruptions", "disruptions.yaml", {"node", "start_week", "weeks", "capacity_loss"}, {}, false},
  };
  return specs;
}

const TableSpec* SpecOf(const std::string& name) {
  for (const TableSpec& spec : Specs()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::string ReadText(const fs::path& path) {
  std::string problem;
  std::optional<std::string> text = io::ReadInputFile(path.string(), &problem);
  if (!text) throw io::LoadError({{path.string(), 0, problem}});
  return *text;
}

// A CSV file's rows in the spec's column order (a column the file lacks is "").
EditTable ReadCsvTable(const fs::path& path, const TableSpec& spec) {
  EditTable table{spec.columns, {}};
  if (!fs::exists(path)) return table;
  const std::string text = ReadText(path);
  std::vector<io::Diagnostic> errors;
  const io::CsvTable csv = io::ParseCsv(text, path.string(), &errors);
  if (!errors.empty()) throw io::LoadError(errors);
  std::vector<int> source(spec.columns.size(), -1);
  for (size_t c = 0; c < spec.columns.size(); ++c) {
    for (size_t h = 0; h < csv.header().size(); ++h) {
      if (csv.header()[h] == spec.columns[c]) source[c] = static_cast<int>(h);
    }
  }
  for (size_t r = 0; r < csv.rows(); ++r) {
    std::vector<std::string> row;
    for (int h : source) row.emplace_back(h < 0 ? std::string_view() : csv.cell(r, static_cast<size_t>(h)));
    table.rows.push_back(std::move(row));
  }
  return table;
}

YAML::Node ReadYaml(const fs::path& path) {
  const std::string text = ReadText(path);
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw io::LoadError({{path.string(), e.mark.line + 1, std::string("malformed YAML: ") + e.msg}});
  }
}

std::string ScalarText(const YAML::Node& map, const std::string& key) {
  if (!map.IsMap()) return "";
  const YAML::Node value = map[key];
  return value && value.IsScalar() ? value.Scalar() : "";
}

EditTable ReadPlantsTable(const YAML::Node& plants_yaml, const TableSpec& spec) {
  EditTable table{spec.columns, {}};
  const YAML::Node plants = plants_yaml["plants"];
  if (!plants || !plants.IsSequence()) return table;
  for (const YAML::Node& plant : plants) {
    const std::string plant_id = ScalarText(plant, "id");
    if (spec.name == "test_cells") {
      table.rows.push_back({plant_id, ScalarText(plant, "test_cells"), ScalarText(plant, "test_hours_per_cell_week")});
      continue;
    }
    const YAML::Node lines = plant["lines"];
    if (!lines || !lines.IsSequence()) continue;
    for (const YAML::Node& line : lines) {
      std::vector<std::string> row = {plant_id};
      for (size_t c = 1; c < spec.columns.size(); ++c) row.push_back(ScalarText(line, c == 1 ? "id" : spec.columns[c]));
      table.rows.push_back(std::move(row));
    }
  }
  return table;
}

EditTable ReadDisruptionsTable(const fs::path& path, const TableSpec& spec) {
  EditTable table{spec.columns, {}};
  if (!fs::exists(path)) return table;
  const YAML::Node list = ReadYaml(path)["disruptions"];
  if (!list || !list.IsSequence()) return table;
  for (const YAML::Node& item : list) {
    std::vector<std::string> row;
    for (const std::string& column : spec.columns) row.push_back(ScalarText(item, column));
    table.rows.push_back(std::move(row));
  }
  return table;
}

nlohmann::json TableJson(const TableSpec& spec, const EditTable& table) {
  return {{"file", spec.file},           {"columns", table.columns}, {"key_columns", spec.key_columns},
          {"rows_fixed", spec.rows_fixed}, {"rows", table.rows}};
}

// ---- writing ----

std::string CsvCell(const std::string& cell) {
  const bool quote = cell.find_first_of(",\"\r\n") != std::string::npos ||
                     (!cell.empty() && (cell.front() == ' ' || cell.back() == ' ' || cell.front() == '\t'));
  if (!quote) return cell;
  std::string out = "\"";
  for (char c : cell) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Writes the table and returns the 1-based line each row starts on.
std::vector<int> WriteCsvTable(const fs::path& path, const EditTable& table) {
  std::string text;
  int line = 1;
  for (size_t c = 0; c < table.columns.size(); ++c) text += (c ? "," : "") + table.columns[c];
  text += "\n";
  std::vector<int> lines;
  for (const auto& row : table.rows) {
    ++line;
    lines.push_back(line);
    for (size_t c = 0; c < row.size(); ++c) {
      text += (c ? "," : "") + CsvCell(row[c]);
      for (char ch : row[c]) line += ch == '\n' ? 1 : 0;
    }
    text += "\n";
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
  return lines;
}

// Sets map[key] to `text` as a plain scalar, or removes the key when empty.
void SetScalar(YAML::Node map, const std::string& key, const std::string& text) {
  if (text.empty()) {
    map.remove(key);
  } else {
    map[key] = text;
  }
}

void WriteYaml(const fs::path& path, const YAML::Node& node) {
  YAML::Emitter emitter;
  emitter << node;
  if (!emitter.good()) throw std::runtime_error("cannot write " + path.string() + ": " + emitter.GetLastError());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << emitter.c_str() << "\n";
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

// Applies line_rates and test_cells to plants.yaml. The rows must be those
// of the file (same plants and lines, same order): they are matched by id.
void ApplyPlantTables(const fs::path& path, const SaveScenarioRequest& request) {
  const auto line_rates = request.tables.find("line_rates");
  const auto test_cells = request.tables.find("test_cells");
  if (line_rates == request.tables.end() && test_cells == request.tables.end()) return;
  YAML::Node root = ReadYaml(path);
  YAML::Node plants = root["plants"];
  const TableSpec& lines_spec = *SpecOf("line_rates");
  if (line_rates != request.tables.end()) {
    const EditTable expected = ReadPlantsTable(root, lines_spec);
    const auto& rows = line_rates->second.rows;
    if (rows.size() != expected.rows.size()) {
      throw common::UsageError(fmt::format("tables.line_rates: {} rows, but plants.yaml has {} rack lines", rows.size(),
                                       expected.rows.size()));
    }
    size_t r = 0;
    for (YAML::Node plant : plants) {
      if (!plant["lines"]) continue;
      for (YAML::Node line : plant["lines"]) {
        const auto& row = rows[r];
        if (row[0] != expected.rows[r][0] || row[1] != expected.rows[r][1]) {
          throw common::UsageError(fmt::format("tables.line_rates.rows[{}]: plant '{}', line '{}' is not line {} of "
                                           "plants.yaml (plant '{}', line '{}'); rows cannot be added or moved",
                                           r, row[0], row[1], r, expected.rows[r][0], expected.rows[r][1]));
        }
        for (size_t c = 2; c < lines_spec.columns.size(); ++c) SetScalar(line, lines_spec.columns[c], row[c]);
        ++r;
      }
    }
  }
  if (test_cells != request.tables.end()) {
    const auto& rows = test_cells->second.rows;
    if (rows.size() != plants.size()) {
      throw common::UsageError(
          fmt::format("tables.test_cells: {} rows, but plants.yaml has {} plants", rows.size(), plants.size()));
    }
    for (size_t p = 0; p < plants.size(); ++p) {
      YAML::Node plant = plants[p];
      if (rows[p][0] != ScalarText(plant, "id")) {
        throw common::UsageError(fmt::format("tables.test_cells.rows[{}]: plant '{}' is not plant {} of plants.yaml ('{}')",
                                         p, rows[p][0], p, ScalarText(plant, "id")));
      }
      SetScalar(plant, "test_cells", rows[p][1]);
      SetScalar(plant, "test_hours_per_cell_week", rows[p][2]);
    }
  }
  WriteYaml(path, root);
}

void ApplyDisruptions(const fs::path& path, const EditTable& table) {
  if (table.rows.empty() && !fs::exists(path)) return;
  YAML::Node list(YAML::NodeType::Sequence);
  for (const auto& row : table.rows) {
    YAML::Node item(YAML::NodeType::Map);
    for (size_t c = 0; c < table.columns.size(); ++c) {
      if (!row[c].empty()) item[table.columns[c]] = row[c];
    }
    item.SetStyle(YAML::EmitterStyle::Flow);
    list.push_back(item);
  }
  YAML::Node root;
  root["disruptions"] = list;
  WriteYaml(path, root);
}

std::string CellText(const nlohmann::json& cell, const std::string& where) {
  if (cell.is_string()) return cell.get<std::string>();
  if (cell.is_null()) return "";
  if (cell.is_number()) return cell.dump();
  throw common::UsageError(where + ": " + cell.dump() + " is not a cell (a string, a number or null)");
}

// The key and the quoted value of a loader message "KEY: VALUE problem".
void SplitMessage(const std::string& message, std::string* key, std::string* value) {
  const size_t colon = message.find(": ");
  if (colon == std::string::npos || message.substr(0, colon).find(' ') != std::string::npos) return;
  *key = message.substr(0, colon);
  const std::string rest = message.substr(colon + 2);
  if (rest.empty()) return;
  if (rest[0] == '\'') {
    const size_t close = rest.find('\'', 1);
    if (close != std::string::npos) *value = rest.substr(1, close - 1);
  } else if (rest.find(' ') != std::string::npos) {
    const std::string word = rest.substr(0, rest.find(' '));
    if (word.find_first_of("0123456789") != std::string::npos) *value = word;  // a number as written
  }
}

std::string Now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

// Swaps two paths atomically (Linux renameat2 RENAME_EXCHANGE).
bool ExchangePaths(const fs::path& a, const fs::path& b) {
  return ::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0;
}

// Renames `from` to `to` unless `to` exists (atomically: RENAME_NOREPLACE).
bool RenameNoReplace(const fs::path& from, const fs::path& to) {
  return ::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0;
}

}  // namespace

bool IsEditedCopy(const fs::path& folder) {
  std::error_code ec;
  return fs::is_regular_file(folder / kEditedCopyMarker, ec);
}

const std::vector<std::string>& EditTableNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const TableSpec& spec : Specs()) out.push_back(spec.name);
    return out;
  }();
  return names;
}

nlohmann::json ScenarioTablesJson(const fs::path& folder) {
  nlohmann::json out = nlohmann::json::object();
  const YAML::Node plants = ReadYaml(folder / "plants.yaml");
  for (const TableSpec& spec : Specs()) {
    EditTable table;
    if (spec.file == "plants.yaml") {
      table = ReadPlantsTable(plants, spec);
    } else if (spec.name == "disruptions") {
      table = ReadDisruptionsTable(folder / spec.file, spec);
    } else {
      table = ReadCsvTable(folder / spec.file, spec);
    }
    out[spec.name] = TableJson(spec, table);
  }
  return out;
}

void CheckScenarioName(const std::string& name) {
  static const std::regex kName("[a-z0-9][a-z0-9-]{0,63}");
  if (!std::regex_match(name, kName)) {
    throw common::UsageError("name: " + nlohmann::json(name).dump() +
                         " is not a scenario name (1-64 characters a-z, 0-9 and '-', starting with a letter or digit)");
  }
}

SaveScenarioRequest ParseSaveScenarioRequest(const nlohmann::json& body) {
  static const std::set<std::string> kKeys = {"copy_of", "name", "replace", "tables"};
  for (const auto& [key, value] : body.items()) {
    if (kKeys.count(key) == 0) throw common::UsageError("unknown key '" + key + "' (known: copy_of, name, replace, tables)");
  }
  SaveScenarioRequest request;
  for (const char* key : {"copy_of", "name"}) {
    if (!body.contains(key) || !body[key].is_string()) {
      throw common::UsageError(std::string(key) + ": required (a string)" +
                           (body.contains(key) ? ", got " + body[key].dump() : ""));
    }
  }
  request.copy_of = body["copy_of"].get<std::string>();
  request.name = body["name"].get<std::string>();
  CheckScenarioName(request.name);
  if (body.contains("replace")) {
    if (!body["replace"].is_boolean()) throw common::UsageError("replace: " + body["replace"].dump() + " is not true or false");
    request.replace = body["replace"].get<bool>();
  }
  if (!body.contains("tables")) return request;
  const nlohmann::json& tables = body["tables"];
  if (!tables.is_object()) throw common::UsageError("tables: " + std::string(tables.type_name()) + " is not an object");
  for (const auto& [name, table] : tables.items()) {
    const TableSpec* spec = SpecOf(name);
    if (spec == nullptr) {
      std::string known;
      for (const std::string& n : EditTableNames()) known += (known.empty() ? "" : ", ") + n;
      throw common::UsageError("tables: unknown table '" + name + "' (known: " + known + ")");
    }
    const std::string where = "tables." + name;
    if (!table.is_object() || !table.contains("rows") || !table["rows"].is_array()) {
      throw common::UsageError(where + ": needs \"rows\": a list of rows");
    }
    for (const auto& [key, value] : table.items()) {
      if (key != "rows" && key != "columns") throw common::UsageError(where + ": unknown key '" + key + "' (known: columns, rows)");
    }
    if (table.contains("columns") && table["columns"] != nlohmann::json(spec->columns)) {
      throw common::UsageError(where + ".columns: " + table["columns"].dump() + " are not the table's columns " +
                           nlohmann::json(spec->columns).dump());
    }
    EditTable edit{spec->columns, {}};
    const nlohmann::json& rows = table["rows"];
    for (size_t r = 0; r < rows.size(); ++r) {
      const std::string row_where = fmt::format("{}.rows[{}]", where, r);
      if (!rows[r].is_array() || rows[r].size() != spec->columns.size()) {
        throw common::UsageError(fmt::format("{}: has {} cells, the table has {} columns", row_where,
                                         rows[r].is_array() ? rows[r].size() : 0, spec->columns.size()));
      }
      std::vector<std::string> row;
      for (size_t c = 0; c < rows[r].size(); ++c) {
        row.push_back(CellText(rows[r][c], fmt::format("{}[{}]", row_where, c)));
      }
      edit.rows.push_back(std::move(row));
    }
    request.tables[name] = std::move(edit);
  }
  return request;
}

nlohmann::json ToJson(const EditProblem& p) {
  nlohmann::json out = {{"file", p.file}, {"line", p.line}, {"key", p.key}, {"value", p.value}, {"message", p.message}};
  if (!p.table.empty()) {
    out["table"] = p.table;
    out["row"] = p.row;
    out["column"] = p.column;
  }
  return out;
}

EditProblem MapDiagnostic(const io::Diagnostic& d, const std::string& folder,
                          const std::map<std::string, std::vector<int>>& written_lines) {
  EditProblem p;
  p.file = d.file;
  const std::string prefix = (fs::path(folder) / "").string();
  if (!folder.empty() && p.file.rfind(prefix, 0) == 0) p.file = p.file.substr(prefix.size());
  p.line = d.line;
  p.message = d.message;
  SplitMessage(d.message, &p.key, &p.value);
  std::smatch m;
  for (const TableSpec& spec : Specs()) {
    if (spec.file != p.file || spec.file.ends_with(".yaml")) continue;
    const auto lines = written_lines.find(spec.name);
    if (lines == written_lines.end() || p.line <= 1) break;
    // The row that starts on the problem's line, or before it (a quoted cell may span lines).
    const auto after = std::upper_bound(lines->second.begin(), lines->second.end(), p.line);
    if (after == lines->second.begin()) break;
    p.table = spec.name;
    p.row = static_cast<int>(after - lines->second.begin()) - 1;
    for (const std::string& column : spec.columns) {
      if (column == p.key) p.column = column;
    }
  }
  static const std::regex kLine(R"(plants\[(\d+)\]\.lines\[(\d+)\]\.(\w+))");
  static const std::regex kPlant(R"(plants\[(\d+)\]\.(test_cells|test_hours_per_cell_week))");
  static const std::regex kDisruption(R"(disruptions\[(\d+)\]\.(\w+))");
  if (p.file == "plants.yaml" && std::regex_match(p.key, m, kPlant)) {
    p.table = "test_cells";
    p.row = std::stoi(m[1]);
    p.column = m[2];
  } else if (p.file == "plants.yaml" && std::regex_match(p.key, m, kLine)) {
    // Rows of line_rates run over the plants' lines in file order.
    const auto offsets = written_lines.find("plants.lines");
    const int plant = std::stoi(m[1]);
    if (offsets != written_lines.end() && plant < static_cast<int>(offsets->second.size())) {
      p.table = "line_rates";
      p.row = offsets->second[plant] + std::stoi(m[2]);
      p.column = m[3] == "id" ? "line" : m[3].str();
    }
  } else if (p.file == "disruptions.yaml" && std::regex_match(p.key, m, kDisruption)) {
    p.table = "disruptions";
    p.row = std::stoi(m[1]);
    p.column = m[2];
  }
  if (!p.table.empty()) {
    const auto& columns = SpecOf(p.table)->columns;
    if (std::find(columns.begin(), columns.end(), p.column) == columns.end()) p.column = "";
  }
  return p;
}

SaveOutcome SaveEditedScenario(const fs::path& scenarios_dir, const fs::path& source, const std::string& source_id,
                               const SaveScenarioRequest& request) {
  CheckScenarioName(request.name);
  const fs::path target = scenarios_dir / request.name;
  std::error_code ec;
  const bool exists = fs::exists(fs::symlink_status(target, ec));
  if (exists && !request.replace) {
    throw NameConflict("name: '" + request.name + "' already exists in the scenarios folder (pick another name" +
                       (IsEditedCopy(target) ? ", or save with replace" : "") + ")");
  }
  if (exists && (fs::is_symlink(target, ec) || !IsEditedCopy(target))) {
    throw NameConflict("name: '" + request.name + "' is a scenario folder not saved by the dashboard; it is never "
                       "replaced (pick another name)");
  }
  static std::atomic<int> counter{0};
  const fs::path temp = scenarios_dir / fmt::format(".edit-{}-{}-{}", request.name, ::getpid(), counter++);
  struct Cleanup {
    fs::path path;
    ~Cleanup() {
      std::error_code e;
      fs::remove_all(path, e);
    }
  } cleanup{temp};
  fs::copy(source, temp, fs::copy_options::recursive);
  fs::remove(temp / kEditedCopyMarker, ec);

  std::map<std::string, std::vector<int>> written;
  for (const auto& [name, table] : request.tables) {
    const TableSpec& spec = *SpecOf(name);
    if (spec.file.ends_with(".csv")) written[name] = WriteCsvTable(temp / spec.file, table);
    if (name == "disruptions") ApplyDisruptions(temp / spec.file, table);
  }
  ApplyPlantTables(temp / "plants.yaml", request);
  {
    // Where each plant's lines start among the line_rates rows.
    const YAML::Node plants = ReadYaml(temp / "plants.yaml")["plants"];
    std::vector<int> offsets;
    int rows = 0;
    if (plants && plants.IsSequence()) {
      for (const YAML::Node& plant : plants) {
        offsets.push_back(rows);
        if (plant.IsMap() && plant["lines"] && plant["lines"].IsSequence()) rows += static_cast<int>(plant["lines"].size());
      }
    }
    written["plants.lines"] = offsets;
  }
  const nlohmann::json marker = {{"copy_of", source_id}, {"saved_at", Now()}, {"tables", [&] {
                                   nlohmann::json names = nlohmann::json::array();
                                   for (const auto& [name, table] : request.tables) names.push_back(name);
                                   return names;
                                 }()}};
  {
    std::ofstream out(temp / kEditedCopyMarker, std::ios::trunc);
    out << marker.dump(2) << "\n";
    if (!out.flush()) throw std::runtime_error("cannot write " + (temp / kEditedCopyMarker).string());
  }

  SaveOutcome outcome;
  try {
    io::LoadScenario(temp.string());
  } catch (const io::LoadError& e) {
    for (const io::Diagnostic& d : e.diagnostics()) outcome.problems.push_back(MapDiagnostic(d, temp.string(), written));
    return outcome;
  }
  if (exists) {
    if (!ExchangePaths(temp, target)) {
      throw std::runtime_error(fmt::format("cannot replace {}: {}", target.string(), std::strerror(errno)));
    }
  } else {
    if (!RenameNoReplace(temp, target)) {  // fails (nothing replaced) when a folder of that name appeared meanwhile
      throw NameConflict("name: '" + request.name + "' cannot be created: " + std::strerror(errno));
    }
  }
  outcome.folder = target;
  return outcome;
}

}  // namespace rackforge::server
