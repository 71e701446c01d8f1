#pragma once
// Writes a model::Scenario in the scenario format (docs/scenario-format.md):
// the inverse of the loader, sharing its CSV schema (io/scenario_schema.h).
// Loading the written files gives back the same scenario, with three
// documented losses: offers the loader ignores (available_from_week >=
// horizon) are not in the model, demand rows the loader summed stay summed,
// and surrounding blanks of CSV text cells are trimmed by the reader.
// Pure and thread-safe.

#include <map>
#include <string>

#include "model/scenario.h"

namespace rackforge::io {

/// What the model does not hold: comment lines at the top of a file.
struct ScenarioWriteOptions {
  /// File name ("scenario.yaml", "designs/g01.yaml", ...) -> comment text;
  /// each line of it is written as "# line" before the file's content
  /// (YAML files only; CSV files have no comments).
  std::map<std::string, std::string> comments;
};

/// The files of the scenario, keyed like io::ScenarioTexts::files:
/// scenario.yaml, roadmap.yaml, designs/ID.yaml per design, components.csv,
/// suppliers.csv, offers.csv, plants.yaml, sites.csv, lanes.csv, demand.csv,
/// and the optional files only when the scenario has their data
/// (on_hand.csv, component_boms.csv, supply_lanes.csv, transfers.csv,
/// disruptions.yaml, design_space.yaml). Numbers are written in shortest
/// round-trip form (whole numbers without a decimal point). Every index in
/// the scenario must be valid (a loaded or generated scenario).
std::map<std::string, std::string> ScenarioFiles(const model::Scenario& scenario,
                                                 const ScenarioWriteOptions& options = {});

/// One design as designs/*.yaml text, preceded by `comment` as "# ..." lines.
std::string DesignYaml(const model::Scenario& scenario, const model::Design& design, const std::string& comment = "");

}  // namespace rackforge::io
