#pragma once
// Internal (not a public header): the schema of the scenario's CSV tables,
// shared by the loader (which columns exist, which are required) and the
// writer (the header it writes, in this order). A new column is added here,
// then read in load_tables.cc and written in scenario_writer.cc; the round
// trip tests (tests/unit/io/scenario_writer_test.cc) fail until both do.

#include <vector>

#include "model/scenario.h"

namespace rackforge::io::internal {

/// A column of a CSV schema.
struct CsvColumn {
  const char* name;
  bool required;
  /// The writer leaves the column out when no row has a value (an optional
  /// column most scenarios do not use, e.g. offers.csv's last_order_week).
  bool omit_when_empty = false;
};

/// One CSV file of a scenario and its columns, in the order the writer writes them.
struct CsvSchema {
  const char* file;
  std::vector<CsvColumn> columns;
};

inline const CsvSchema kComponentsCsv{"components.csv",
                                      {{"id", true},
                                       {"name", false},
                                       {"category", false},
                                       {"unit_cost_usd", false},
                                       {"holding_usd_per_week", false},
                                       {"power_w", false},
                                       {"heat_liquid_w", false},
                                       {"heat_air_w", false},
                                       {"weight_kg", false},
                                       {"height_u", false},
                                       {"accelerators", false},
                                       {"ports_required", false},
                                       {"ports_provided", false},
                                       {"power_capacity_w", false},
                                       {"cooling_capacity_w", false}}};
inline const CsvSchema kOnHandCsv{"on_hand.csv", {{"plant", true}, {"component", true}, {"units", true}}};
inline const CsvSchema kComponentBomsCsv{"component_boms.csv", {{"component", true}, {"part", true}, {"qty", true}}};
inline const CsvSchema kSuppliersCsv{"suppliers.csv",
                                     {{"id", true},
                                      {"company", false},
                                      {"country", false},
                                      {"us_state", false},
                                      {"recovery_weeks", false},
                                      {"outage_prob_per_week", false}}};
inline const CsvSchema kOffersCsv{"offers.csv",
                                  {{"supplier", true},
                                   {"component", true},
                                   {"unit_cost_usd", true},
                                   {"capacity_per_week", true},
                                   {"lead_time_weeks", false},
                                   {"available_from_week", false},
                                   {"last_order_week", false, true},
                                   {"tariff_rate", false}}};
inline const CsvSchema kSupplyLanesCsv{
    "supply_lanes.csv", {{"supplier", true}, {"plant", true}, {"transit_weeks", false}, {"cost_usd_per_unit", false}}};
inline const CsvSchema kTransfersCsv{"transfers.csv",
                                     {{"from_plant", true},
                                      {"to_plant", true},
                                      {"component", true},
                                      {"transit_weeks", false},
                                      {"cost_usd_per_unit", false}}};
inline const CsvSchema kSitesCsv{"sites.csv", {{"id", true}, {"name", false}, {"us_state", false}, {"customer", false}}};
inline const CsvSchema kLanesCsv{
    "lanes.csv", {{"plant", true}, {"site", true}, {"transit_weeks", false}, {"cost_usd_per_rack", false}}};
inline const CsvSchema kDemandCsv{"demand.csv",
                                  {{"site", true},
                                   {"design", true},
                                   {"week", true},
                                   {"racks", true},
                                   {"kind", true},
                                   {"probability", false}}};

/// The numeric fields of a design's sections (designs/*.yaml `electrical`,
/// `cooling`, `frame`), in the order they are written; also the keys a
/// design-space option may `set` as "section.key".
struct DesignSectionField {
  const char* section;
  const char* key;
  double model::Design::*member;
};
inline constexpr DesignSectionField kDesignSectionFields[] = {
    {"electrical", "busbar_voltage_v", &model::Design::busbar_voltage_v},
    {"electrical", "busbar_rating_a", &model::Design::busbar_rating_a},
    {"electrical", "redundant_power_shelves", &model::Design::redundant_power_shelves},
    {"cooling", "coolant_delta_t_c", &model::Design::coolant_delta_t_c},
    {"cooling", "max_air_heat_w", &model::Design::max_air_heat_w},
    {"frame", "rack_units", &model::Design::rack_units},
    {"frame", "max_weight_kg", &model::Design::max_weight_kg},
    {"frame", "footprint_m2", &model::Design::footprint_m2}};
inline constexpr const char* kDesignSections[] = {"electrical", "cooling", "frame"};

}  // namespace rackforge::io::internal
