#include "explore/design_yaml.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace rackforge::explore {

namespace {

std::string Number(double value) { return fmt::format("{}", value); }

}  // namespace

std::string DesignYaml(const model::Scenario& scenario, const model::Design& d, const std::string& comment) {
  std::string out;
  size_t start = 0;
  while (start <= comment.size() && !comment.empty()) {
    const size_t end = comment.find('\n', start);
    out += "# " + comment.substr(start, end == std::string::npos ? std::string::npos : end - start) + "\n";
    if (end == std::string::npos) break;
    start = end + 1;
  }
  const std::string meets = d.meets >= 0 ? scenario.requirements[d.meets].id : std::string();
  out += fmt::format("id: {}\nname: {}\nmeets: {}\n", d.id, nlohmann::json(d.name).dump(), meets);
  out += fmt::format("available_from_week: {}\n", d.available_from_week);
  if (d.last_build_week) out += fmt::format("last_build_week: {}\n", *d.last_build_week);
  out += fmt::format("build_hours: {}\ntest_hours: {}\nbom:\n", Number(d.build_hours), Number(d.test_hours));
  for (const model::BomEntry& e : d.bom) {
    out += fmt::format("  - {{component: {}, qty: {}}}\n", scenario.components[e.component].id, Number(e.qty));
  }
  out += fmt::format("electrical:\n  busbar_voltage_v: {}\n  busbar_rating_a: {}\n  redundant_power_shelves: {}\n",
                     Number(d.busbar_voltage_v), Number(d.busbar_rating_a), Number(d.redundant_power_shelves));
  out += fmt::format("cooling:\n  coolant_delta_t_c: {}\n  max_air_heat_w: {}\n", Number(d.coolant_delta_t_c),
                     Number(d.max_air_heat_w));
  out += fmt::format("frame:\n  rack_units: {}\n  max_weight_kg: {}\n  footprint_m2: {}\n", Number(d.rack_units),
                     Number(d.max_weight_kg), Number(d.footprint_m2));
  return out;
}

}  // namespace rackforge::explore
