#pragma once
// Internal: the per-file readers of the scenario loader and the state they
// share (ids resolved so far). Not a public header.

#include <string>
#include <vector>

#include "io/load_context.h"
#include "model/scenario.h"

namespace rackforge::io::internal {

/// A BOM entry whose component must have a row in offers.csv.
struct BomRef {
  std::string file;
  int line = 0;
  std::string key;
  int32_t component = -1;
};

/// Everything a load builds up, file by file.
struct LoadState {
  LoadContext ctx;
  model::Scenario scenario;
  IdTable requirements, designs, components, suppliers, plants, lines, expansions, sites;
  IdTable component_lines;  // component line ids -> Scenario::component_lines
  IdTable line_ids;         // every line id (rack and component lines): the uniqueness check
  std::vector<BomRef> bom_refs;
  bool offers_loaded = false;
  std::vector<int> first_offer_line;  // [supplier]: offers.csv line of its first usable offer, 0 when none
};

/// The id tables a disruption node can name (`line:ID` names a rack line or a component line).
struct NodeTables {
  const IdTable* plants;
  const IdTable* lines;
  const IdTable* suppliers;
  const IdTable* component_lines = nullptr;  // nullptr: no component lines
};

/// Resolves "plant:ID" | "line:ID" | "supplier:ID"; `line:ID` resolves to a rack line
/// (NodeKind::kLine) or else a component line (NodeKind::kComponentLine). On failure
/// returns nullopt and sets `error` ("" when the table it names was not loaded).
std::optional<model::NodeRef> ResolveNode(std::string_view text, const NodeTables& tables, std::string* error);

/// Id tables of a loaded scenario (for LoadDisruptions and the JSON API).
struct ScenarioIds {
  IdTable plants, lines, suppliers, component_lines;
  explicit ScenarioIds(const model::Scenario& scenario);
  NodeTables tables() const { return {&plants, &lines, &suppliers, &component_lines}; }
};

void LoadScenarioYaml(LoadState& st, const std::string& text);
void LoadRoadmap(LoadState& st, const std::string& text);
void LoadDesign(LoadState& st, const std::string& name, const std::string& text);
void LoadComponents(LoadState& st, const std::string& text);
void LoadSuppliers(LoadState& st, const std::string& text);
void LoadOffers(LoadState& st, const std::string& text);
/// At the end of a load: every component used in a BOM (designs, design space) or as a part in
/// component_boms.csv must be buyable (a usable offer) or made by some component line.
void CheckBomOffers(LoadState& st);
/// plants.yaml: plants, their rack and component lines, expansions; fills Component::made_by.
void LoadPlants(LoadState& st, const std::string& text);
/// component_boms.csv (optional): component,part,qty; (component, part) unique, qty > 0, no cycle.
void LoadComponentBoms(LoadState& st, const std::string& text);
/// on_hand.csv (optional): plant,component,units.
void LoadOnHand(LoadState& st, const std::string& text);
/// supply_lanes.csv (optional): supplier,plant,transit_weeks,cost_usd_per_unit; then every
/// supplier with a usable offer needs a lane.
void LoadSupplyLanes(LoadState& st, const std::string& text);
/// transfers.csv (optional): from_plant,to_plant,component,transit_weeks,cost_usd_per_unit.
void LoadTransfers(LoadState& st, const std::string& text);
void LoadSites(LoadState& st, const std::string& text);
void LoadLanes(LoadState& st, const std::string& text);
void LoadDemand(LoadState& st, const std::string& text);
void LoadDesignSpace(LoadState& st, const std::string& text);

/// Reads a disruptions document (root key `disruptions`).
std::vector<model::Disruption> ReadDisruptions(const std::string& text, const std::string& file, int32_t horizon,
                                               const NodeTables& tables, Diagnostics* diag);

/// "'acme' is not a supplier in suppliers.csv" style reference check: returns
/// the index, or -1 after reporting (nothing reported when the table was not loaded).
int32_t ResolveRef(const IdTable& table, std::string_view id, std::string_view key, const char* what,
                   const std::function<void(std::string)>& report);

/// Registers an id; reports a duplicate ("key: 'x' is a duplicate id (first on line N)").
void AddId(IdTable& table, std::string_view id, int32_t index, int line, std::string_view key,
           const std::function<void(std::string)>& report);

}  // namespace rackforge::io::internal
