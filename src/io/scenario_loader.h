#pragma once
// Scenario loading: reads a scenario folder (docs/scenario-format.md),
// validates every file and resolves every id to the dense indices of
// model::Scenario. All problems of a load are collected and thrown together
// as one io::LoadError ("file:line: key: value problem"); no other exception
// escapes for any input (std::bad_alloc aside). Stateless and thread-safe.

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "io/errors.h"
#include "model/scenario.h"

namespace rackforge::io {

/// The texts of a scenario's files, keyed by their path relative to the
/// folder: "scenario.yaml", "offers.csv", "designs/gb200.yaml", ... A file
/// missing from the map is a missing file.
struct ScenarioTexts {
  std::string folder;  // prefixes file names in messages; "" for none
  std::map<std::string, std::string> files;
};

/// Loads the scenario folder: scenario.yaml, roadmap.yaml, designs/*.yaml
/// (by file name), components.csv, suppliers.csv, offers.csv, plants.yaml,
/// sites.csv, lanes.csv, demand.csv and the optional disruptions.yaml and
/// design_space.yaml. Throws LoadError listing every problem found.
model::Scenario LoadScenario(const std::string& folder);

/// Reads the scenario files of a folder into memory (no validation beyond
/// "is the file there and readable"); missing files are simply absent.
/// Throws LoadError for a folder path that is not valid UTF-8, a file that
/// is not a regular file or is larger than kMaxInputFileBytes (64 MiB), and
/// files that add up to more than kMaxScenarioBytes (512 MiB); see
/// io/input_file.h.
ScenarioTexts ReadScenarioFolder(const std::string& folder);

/// Loads a scenario from in-memory texts (same rules and messages as
/// LoadScenario; Scenario::folder is texts.folder). Throws LoadError.
model::Scenario LoadScenarioFromTexts(const ScenarioTexts& texts);

/// Reads a disruptions file (the format of disruptions.yaml) against a
/// loaded scenario, for --disruptions FILE: a regular file of at most 64 MiB
/// whose path is valid UTF-8 (io::ReadInputFile). Throws LoadError.
std::vector<model::Disruption> LoadDisruptions(const std::string& path, const model::Scenario& scenario);

/// Parses disruptions.yaml text; `file` names it in messages. Throws LoadError.
std::vector<model::Disruption> ParseDisruptionsYaml(const std::string& text, const std::string& file,
                                                    const model::Scenario& scenario);

/// Disruptions from a JSON array of {node, start_week, weeks, capacity_loss}
/// (server API). Throws common::UsageError naming every bad key, e.g.
/// "disruptions[1].capacity_loss: 1.5 is outside 0..1".
std::vector<model::Disruption> DisruptionsFromJson(const nlohmann::json& list, const model::Scenario& scenario);

/// The file names LoadScenario reads besides designs/*.yaml, required ones first.
const std::vector<std::string>& ScenarioFileNames();

}  // namespace rackforge::io
