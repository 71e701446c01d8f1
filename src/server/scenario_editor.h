#pragma once
// Scenario editing for the dashboard: the editable tables of a scenario
// folder as rows of text (demand.csv, offers.csv, the rack lines' rates and
// the plants' test cells from plants.yaml, disruptions.yaml), and saving an
// edited copy as a new folder that io::LoadScenario validates before it
// appears: the source folder is copied to a hidden temporary folder beside
// the target, the tables are written into it (CSV in the loader's column
// order, YAML through yaml-cpp), the copy is loaded, and only a copy that
// loads is renamed into place. A load error comes back as problems mapped
// to the table, row and column of the grid. See docs/dashboard.md.

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "io/errors.h"

namespace rackforge::server {

/// The file that marks a folder as a copy saved by the dashboard (JSON:
/// copy_of, saved_at). Only such folders may be replaced by a later save.
inline constexpr const char* kEditedCopyMarker = ".rackforge-edit.json";

/// True when `folder` holds kEditedCopyMarker. Never throws.
bool IsEditedCopy(const std::filesystem::path& folder);

/// One editable table: the columns (loader names) and rows of cell text.
struct EditTable {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

/// The table names, in the order the dashboard shows them:
/// demand, offers, line_rates, test_cells, disruptions.
const std::vector<std::string>& EditTableNames();

/// GET /api/scenarios/ID/tables: {"TABLE": {"file", "columns", "key_columns"
/// (cells that identify a row and cannot be edited), "rows_fixed" (rows
/// cannot be added or deleted), "rows": [[cell text, ...], ...]}, ...} read
/// from the folder's files. Throws io::LoadError when a file cannot be read
/// or parsed.
nlohmann::json ScenarioTablesJson(const std::filesystem::path& folder);

/// POST /api/scenarios body: {"copy_of": scenario id, "name": new folder
/// name, "replace": bool (default false), "tables": {TABLE: {"columns"
/// (optional; must equal the table's columns), "rows": [[cell, ...], ...]}}}.
/// Tables left out are copied unchanged; a cell is a string, a number or null
/// (empty). Throws common::UsageError naming the key (unknown keys and tables,
/// a row with the wrong number of cells, a bad name).
struct SaveScenarioRequest {
  std::string copy_of;
  std::string name;
  bool replace = false;
  std::map<std::string, EditTable> tables;
};
SaveScenarioRequest ParseSaveScenarioRequest(const nlohmann::json& body);

/// Throws common::UsageError unless `name` is 1..64 characters of a-z, 0-9 and
/// '-' starting with a letter or digit (so no '/', '.', '..' or hidden name).
void CheckScenarioName(const std::string& name);

/// A save that would overwrite a folder it may not (409).
class NameConflict : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One loader problem of a save, mapped back to the grid where it can be:
/// `table` is "" (and row/column -1/"") when the problem is in no table cell.
struct EditProblem {
  std::string file;     // relative to the scenario folder: "demand.csv", "plants.yaml"
  int line = 0;         // 1-based line in the written file, 0 for the whole file
  std::string key;      // the message's key: a CSV column or a YAML path
  std::string value;    // the bad value as the message quotes it ("" when it has none)
  std::string message;  // the loader's "KEY: VALUE problem"
  std::string table;
  int row = -1;         // 0-based row of that table
  std::string column;
};
nlohmann::json ToJson(const EditProblem& problem);

/// The outcome of a save: the folder it created, or the problems (nothing saved).
struct SaveOutcome {
  std::filesystem::path folder;
  std::vector<EditProblem> problems;
  bool saved() const { return problems.empty(); }
};

/// Saves `request` applied to a copy of `source` as `scenarios_dir`/name (see
/// the file comment). Throws common::UsageError for a bad name, NameConflict when
/// the target exists and is not an edited copy or `replace` is false, and
/// std::runtime_error when the file system fails; the temporary folder is
/// removed in every case. Not thread-safe for the same target (callers
/// serialise saves).
SaveOutcome SaveEditedScenario(const std::filesystem::path& scenarios_dir, const std::filesystem::path& source,
                               const std::string& source_id, const SaveScenarioRequest& request);

/// Maps one loader diagnostic of a folder whose tables were written as
/// `written` (per table, the 1-based line of each row) to the grid. `folder`
/// is the prefix the loader put on file names. Pure.
EditProblem MapDiagnostic(const io::Diagnostic& diagnostic, const std::string& folder,
                          const std::map<std::string, std::vector<int>>& written_lines);

}  // namespace rackforge::server
