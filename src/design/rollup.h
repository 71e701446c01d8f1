#pragma once
// Bill-of-materials roll-ups of DESIGN.md "Design rules" and "Design space":
// per-component facts from the offers (computed once per scenario), the
// linear sums over a BOM, and the design fields the rules read. The same
// types serve `check` (one design) and `explore` (many variants), so that
// every rule has exactly one implementation (design/rules.h).

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/scenario.h"

namespace rackforge::design {

/// What the sources of one component say about it: its usable offers and the
/// component lines (existing and expansion) that make it in-house. Immutable per scenario.
struct ComponentFacts {
  bool priced = false;                    // has a price: a usable offer, or a line whose parts all have one
  /// price(c): the least of (1 + tariff_o)·cost_o over usable offers and, per line m
  /// making c, cost_usd_per_unit + Σ_part bom(c,part)·price(part).
  double landed_cost_usd = 0;
  /// Cheapest pre-tariff cost: the least of cost_o over usable offers and the
  /// in-house cost cost_usd_per_unit + Σ_part bom(c,part)·(part's cheapest pre-tariff cost).
  double cheapest_cost_usd = 0;
  bool has_domestic_source = false;       // a usable offer from a US supplier, or a component line making c
  /// The least domestic cost: US offers' cost_o and the in-house pre-tariff cost.
  double cheapest_domestic_cost_usd = 0;
  /// Distinct sources: suppliers with a usable offer plus plants with a component line making c.
  int32_t suppliers = 0;
  int32_t in_house_plants = 0;            // distinct plants with a component line making c (counted in suppliers)
  std::optional<double> in_house_cost_usd;  // least in-house price over the lines making c (parts at price)
  /// Herfindahl index of capacity over the sources (Σ share²): each usable offer
  /// with its capacity_per_week, each plant making c with the units_per_week of
  /// its lines making c; nullopt when the component has no source or the total capacity is 0.
  std::optional<double> hhi;
};

/// Facts for every component of the scenario (index = component index).
/// Reads Scenario::offers (the usable ones), component_lines and the components'
/// parts (component_boms.csv), recursively with memoization; a cycle (a load
/// error, so never in a loaded scenario) leaves the line that closes it unpriced.
std::vector<ComponentFacts> ComputeComponentFacts(const model::Scenario& scenario);

/// The linear sums over a BOM (q = quantity), in a fixed order.
enum class Sum : int32_t {
  kPowerW,            // Σ q·power_w (IT power)
  kHeatLiquidW,       // Σ q·heat_liquid_w
  kHeatAirW,          // Σ q·heat_air_w
  kWeightKg,          // Σ q·weight_kg
  kHeightU,           // Σ q·height_u
  kAccelerators,      // Σ q·accelerators
  kPortsRequired,     // Σ q·ports_required
  kPortsProvided,     // Σ q·ports_provided
  kPowerCapacityW,    // Σ q·power_capacity_w
  kCoolingCapacityW,  // Σ q·cooling_capacity_w
  kCostUsd,           // Σ q·landed cost over priced components
  kDomesticUsd,       // D: Σ q·cheapest domestic cost over components with a domestic source
  kForeignUsd,        // F: Σ q·cheapest cost over the other priced components
  kCount
};
inline constexpr int kSumCount = static_cast<int>(Sum::kCount);

/// min_suppliers of an empty BOM part (no component with q > 0 yet).
inline constexpr int32_t kNoComponents = std::numeric_limits<int32_t>::max();

/// Sums plus the two extremes a BOM contributes. Combining two parts of a
/// BOM (Merge) gives the totals of their union with quantities summed.
struct BomTotals {
  std::array<double, kSumCount> sum{};
  double max_power_capacity_w = 0;        // largest power_capacity_w among components with q > 0
  int32_t min_suppliers = kNoComponents;  // min suppliers among components with q > 0
  int32_t unpriced_components = 0;        // components with q > 0 and no price (no source)

  double operator[](Sum s) const { return sum[static_cast<int>(s)]; }
  /// Adds q of one component.
  void AddEntry(const model::Component& component, const ComponentFacts& facts, double qty);
  /// Adds another BOM part (its components must not overlap this part's for
  /// unpriced_components to stay exact; the sums and extremes are always exact).
  void Merge(const BomTotals& other);
};

/// Totals of a whole BOM.
BomTotals TotalsOf(const model::Scenario& scenario, const std::vector<ComponentFacts>& facts,
                   const std::vector<model::BomEntry>& bom);

/// The design fields the rules read (and design_space.yaml may `set`).
enum class Field : int32_t {
  kAvailableFromWeek,
  kBuildHours,
  kTestHours,
  kBusbarVoltageV,
  kBusbarRatingA,
  kRedundantPowerShelves,
  kCoolantDeltaTC,
  kMaxAirHeatW,
  kRackUnits,
  kMaxWeightKg,
  kFootprintM2,
  kCount
};
inline constexpr int kFieldCount = static_cast<int>(Field::kCount);
using DesignFields = std::array<double, kFieldCount>;

/// The fields of a design.
DesignFields FieldsOf(const model::Design& design);
/// Writes one field into a design (week fields are rounded to the nearest integer).
void SetField(model::Design& design, Field field, double value);
/// The YAML key of a field as written in `set`: "electrical.busbar_voltage_v", "available_from_week", ...
const char* FieldKey(Field field);
/// Parses a `set` key; nullopt for keys that may not be set.
std::optional<Field> ParseFieldKey(std::string_view key);

/// Coolant flow in L/min for a liquid heat load (water-like coolant):
/// kW·60 / (4.18·ΔT); nullopt when ΔT <= 0.
std::optional<double> CoolantFlowLPerMin(double heat_liquid_w, double coolant_delta_t_c);

/// Domestic share D / (D + F); 0 when D + F = 0.
double DomesticShare(const BomTotals& totals);

}  // namespace rackforge::design
