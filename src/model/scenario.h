#pragma once
// Plain, validated scenario types. Everything the engines read lives here:
// ids are resolved once by the loader into dense int32 indices, units are in
// the field names, and vectors keep file order (loops that depend on order,
// such as the Monte Carlo, rely on it). No behaviour beyond small helpers.

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rackforge::model {

/// Demand kinds, in the fixed order evaluation, firm, option.
enum class DemandKind : int32_t { kEvaluation = 0, kFirm = 1, kOption = 2 };
inline constexpr int kDemandKinds = 3;
inline constexpr std::array<const char*, kDemandKinds> kDemandKindNames = {"evaluation", "firm", "option"};

/// How option demand enters the plan: probability x racks, racks, or 0.
enum class OptionDemandMode : int32_t { kExpected, kAll, kNone };
const char* ToString(OptionDemandMode mode);
/// Parses "expected" | "all" | "none"; nullopt otherwise.
std::optional<OptionDemandMode> ParseOptionDemandMode(const std::string& text);

/// policy.quantities: continuous plan quantities, or whole racks, units and orders (DESIGN.md "Whole quantities").
enum class Quantities : int32_t { kContinuous, kWhole };
const char* ToString(Quantities quantities);  // "continuous" | "whole"
/// "continuous" | "whole"; none otherwise.
std::optional<Quantities> ParseQuantities(const std::string& text);

/// Nodes that can fail (disruptions, risk, Monte Carlo). Rack lines and
/// component lines share the node name `line:ID` (ids are unique over both);
/// kLine indexes Scenario::lines, kComponentLine Scenario::component_lines.
enum class NodeKind : int32_t { kPlant, kLine, kSupplier, kComponentLine };

/// A reference to a plant, line, component line or supplier by dense index.
struct NodeRef {
  NodeKind kind = NodeKind::kPlant;
  int32_t index = -1;
  bool operator==(const NodeRef&) const = default;
};

struct Requirement {
  std::string id;
  std::string generation;
  int32_t needed_by_week = 0;
  double min_accelerators = 0;
  double max_power_kw = 0;
  double max_floor_load_kg_m2 = 0;
};

struct BomEntry {
  int32_t component = -1;  // index into Scenario::components
  double qty = 0;
};

struct Design {
  std::string id;
  std::string name;
  int32_t meets = -1;  // index into Scenario::requirements
  int32_t available_from_week = 0;
  std::optional<int32_t> last_build_week;  // last production week (phase-out); absent = no last week
  double build_hours = 0;  // informational, not in the plan model
  double test_hours = 0;
  std::vector<BomEntry> bom;  // file order, components unique
  // electrical
  double busbar_voltage_v = 0;
  double busbar_rating_a = 0;
  double redundant_power_shelves = 0;
  // cooling
  double coolant_delta_t_c = 0;
  double max_air_heat_w = 0;
  // frame
  double rack_units = 0;
  double max_weight_kg = 0;
  double footprint_m2 = 0;
  std::string file;  // path of its designs/*.yaml, for messages
  /// True when the design may be built in week t: available_from_week <= t <= last_build_week.
  bool buildable_in(int32_t week) const {
    return available_from_week <= week && week <= last_build_week.value_or(std::numeric_limits<int32_t>::max());
  }
};

struct Component {
  std::string id;
  std::string name;
  std::string category;
  double unit_cost_usd = 0;  // informational list price; the model prices from offers
  double holding_usd_per_week = 0;
  double power_w = 0;
  double heat_liquid_w = 0;
  double heat_air_w = 0;
  double weight_kg = 0;
  double height_u = 0;
  double accelerators = 0;
  double ports_required = 0;
  double ports_provided = 0;
  double power_capacity_w = 0;
  double cooling_capacity_w = 0;
  std::vector<int32_t> offers;  // indices into Scenario::offers (usable ones, file order)
  /// component_boms.csv: the parts one unit of this component uses when made
  /// in-house, bom(c, part), in file order (parts unique, qty > 0). Empty when
  /// the component has no rows (a made component with no parts needs none).
  std::vector<BomEntry> parts;
  /// Component lines (existing and expansion) that make it, in Scenario::component_lines order.
  std::vector<int32_t> made_by;
  int32_t offer_rows_in_file = 0;  // rows in offers.csv, including ignored ones (the share row counts these)
};

struct Supplier {
  std::string id;
  std::string company;
  std::string country;   // ISO-like code; domestic iff exactly "US"
  std::string us_state;  // may be empty
  int32_t recovery_weeks = 0;
  double outage_prob_per_week = 0;
  bool domestic() const { return country == "US"; }
};

/// A usable offer. Rows of offers.csv with available_from_week >= H are
/// validated and then left out of Scenario::offers ("ignored everywhere").
struct Offer {
  int32_t supplier = -1;
  int32_t component = -1;
  double unit_cost_usd = 0;  // cost_o, pre-tariff
  double capacity_per_week = 0;
  int32_t lead_time_weeks = 0;
  int32_t available_from_week = 0;
  double tariff_rate = 0;  // fraction, 0.25 = 25 %
  std::optional<int32_t> last_order_week;  // last order week (last-time buy); absent = no last week
  /// True when the offer takes orders in week t: available_from_week <= t <= last_order_week.
  bool orderable_in(int32_t week) const {
    return available_from_week <= week && week <= last_order_week.value_or(std::numeric_limits<int32_t>::max());
  }
};

/// A production line. Existing lines come first in Scenario::lines (plants in
/// file order, each plant's lines in file order), then expansion lines in the
/// file order of plants.yaml's expansions.
struct Line {
  std::string id;
  int32_t plant = -1;
  std::vector<int32_t> designs;  // order of the `designs` list
  double racks_per_week = 0;
  int32_t start_week = 0;  // for an expansion line: earliest_week + lead_time_weeks
  int32_t ramp_weeks = 0;
  double ramp_start_fraction = 1;
  double cost_usd_per_rack = 0;
  int32_t expansion = -1;  // index into Scenario::expansions, -1 for an existing line
};

/// A component line (power shelves, CDUs, manifolds, cable cartridges...).
/// Existing component lines come first in Scenario::component_lines (plants in
/// file order, each plant's component lines in file order), then expansion
/// component lines in the file order of plants.yaml's expansions.
struct ComponentLine {
  std::string id;
  int32_t plant = -1;
  std::vector<int32_t> components;  // C(m), order of the `components` list
  double units_per_week = 0;
  int32_t start_week = 0;  // for an expansion line: earliest_week + lead_time_weeks
  int32_t ramp_weeks = 0;
  double ramp_start_fraction = 1;
  double cost_usd_per_unit = 0;
  int32_t expansion = -1;  // index into Scenario::expansions, -1 for an existing line
};

struct Plant {
  std::string id;
  std::string us_state;
  double test_cells = 0;
  double test_hours_per_cell_week = 0;
  int32_t recovery_weeks = 0;
  double outage_prob_per_week = 0;
  std::vector<int32_t> lines;            // existing lines, file order
  std::vector<int32_t> expansion_lines;  // lines added by expansions, expansion file order
  std::vector<int32_t> component_lines;            // existing component lines, file order
  std::vector<int32_t> expansion_component_lines;  // component lines added by expansions, expansion file order
};

enum class ExpansionKind : int32_t { kLine, kTestCells, kComponentLine };

struct Expansion {
  std::string id;
  int32_t plant = -1;
  ExpansionKind kind = ExpansionKind::kLine;
  double capex_usd = 0;
  int32_t earliest_week = 0;
  int32_t lead_time_weeks = 0;
  int32_t line = -1;  // kind line: index into Scenario::lines (line id == expansion id)
  double cells = 0;   // kind test_cells
  int32_t component_line = -1;  // kind component_line: index into Scenario::component_lines (id == expansion id)
  /// First week the expansion's capacity exists.
  int32_t active_from_week() const { return earliest_week + lead_time_weeks; }
};

/// supply_lanes.csv: a supplier delivers to a plant, with transit and a cost per unit.
struct SupplyLane {
  int32_t supplier = -1;
  int32_t plant = -1;
  int32_t transit_weeks = 0;
  double cost_usd_per_unit = 0;
};

/// transfers.csv: a component moved from one plant to another; it leaves the
/// from-plant in week t and arrives at the to-plant in week t + transit_weeks.
struct Transfer {
  int32_t from_plant = -1;
  int32_t to_plant = -1;
  int32_t component = -1;
  int32_t transit_weeks = 0;
  double cost_usd_per_unit = 0;
};

/// on_hand.csv: parts in stock at a plant before week 0.
struct OnHand {
  int32_t plant = -1;
  int32_t component = -1;
  double units = 0;
};

struct Site {
  std::string id;
  std::string name;
  std::string us_state;
  std::string customer;
};

struct Lane {
  int32_t plant = -1;
  int32_t site = -1;
  int32_t transit_weeks = 0;
  double cost_usd_per_rack = 0;
};

/// One demand cell after summing rows with the same (site, design, week, kind).
struct Demand {
  int32_t site = -1;
  int32_t design = -1;
  int32_t week = 0;
  DemandKind kind = DemandKind::kFirm;
  double racks = 0;
  /// Option rows: the racks-weighted mean probability of the summed rows, so
  /// that probability * racks equals the sum of probability_i * racks_i. 1 otherwise.
  double probability = 1;
};

struct Disruption {
  NodeRef node;
  int32_t start_week = 0;
  int32_t weeks = 0;
  double capacity_loss = 1;
  bool covers(int32_t week) const { return start_week <= week && week < start_week + weeks; }
};

struct TargetPoint {
  int32_t week = 0;
  double racks_per_week = 0;
};

struct BacklogPenalty {
  std::array<double, kDemandKinds> usd_per_rack_week{};  // by DemandKind
};

struct Policy {
  double domestic_content_min = 0;
  double max_supplier_share = 1;
  std::optional<double> capex_budget_usd;  // absent = no budget row
  OptionDemandMode option_demand = OptionDemandMode::kExpected;
  BacklogPenalty backlog_penalty;
  /// end_backlog_penalty_usd_per_rack: cost of a rack still owed at the end of week H-1, by DemandKind (0 each).
  std::array<double, kDemandKinds> end_backlog_penalty_usd_per_rack{};
  double rack_holding_usd_per_week = 0;
  Quantities quantities = Quantities::kContinuous;  // policy.quantities
};

/// design_space.yaml: one option of a slot.
struct SlotOption {
  std::vector<BomEntry> bom;
  /// Overrides of design fields, key as written ("electrical.busbar_voltage_v").
  std::vector<std::pair<std::string, double>> set;
};

struct Slot {
  std::string slot;
  std::vector<int32_t> replaces;  // component indices, all in the design's BOM
  std::vector<SlotOption> options;
};

struct DesignSpace {
  int32_t design = -1;
  std::vector<Slot> slots;  // file order
};

struct Scenario {
  std::string folder;  // path it was loaded from (empty when built in code)
  std::string name;
  std::string start_week;  // ISO week of week 0, "2026-W01"
  int32_t horizon_weeks = 0;
  Policy policy;
  int32_t risk_start_week = 0;
  std::vector<TargetPoint> target;  // sorted by week

  std::vector<Requirement> requirements;
  std::vector<Design> designs;
  std::vector<Component> components;
  std::vector<Supplier> suppliers;
  std::vector<Offer> offers;
  std::vector<Plant> plants;
  std::vector<Line> lines;
  std::vector<ComponentLine> component_lines;
  std::vector<Expansion> expansions;
  std::vector<Site> sites;
  std::vector<Lane> lanes;
  /// supply_lanes.csv in file order; absent (nullopt) = every supplier delivers to every
  /// plant with transit 0 and cost 0 (use SupplyLanes() below, which expands that).
  std::optional<std::vector<SupplyLane>> supply_lanes;
  /// transfers.csv in file order, (from_plant, to_plant, component) unique, from != to; empty when absent.
  std::vector<Transfer> transfers;
  std::vector<OnHand> on_hand;  // on_hand.csv in file order, (plant, component) unique; empty when absent
  std::vector<Demand> demand;
  std::vector<Disruption> disruptions;  // disruptions.yaml, empty when absent
  std::vector<DesignSpace> design_spaces;  // design_space.yaml, empty when absent
};

/// The supply lanes in effect: supply_lanes.csv's rows, or every (supplier,
/// plant) pair with transit 0 and cost 0 when the file is absent (suppliers in
/// file order, then plants in file order).
inline std::vector<SupplyLane> SupplyLanes(const Scenario& s) {
  if (s.supply_lanes) return *s.supply_lanes;
  std::vector<SupplyLane> all;
  all.reserve(s.suppliers.size() * s.plants.size());
  for (size_t sup = 0; sup < s.suppliers.size(); ++sup) {
    for (size_t p = 0; p < s.plants.size(); ++p) all.push_back({static_cast<int32_t>(sup), static_cast<int32_t>(p), 0, 0});
  }
  return all;
}

/// Units of component c in stock at plant p before week 0 (0 when not listed).
inline double OnHandUnits(const Scenario& s, int32_t plant, int32_t component) {
  for (const OnHand& h : s.on_hand) {
    if (h.plant == plant && h.component == component) return h.units;
  }
  return 0;
}

}  // namespace rackforge::model
