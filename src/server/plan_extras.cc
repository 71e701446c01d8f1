#include "server/plan_extras.h"

#include <vector>

namespace rackforge::server {

namespace {

nlohmann::json OutputByPlantWeek(const model::Scenario& s, const plan::PlanResult& r) {
  std::vector<std::vector<double>> by_plant(s.plants.size(), std::vector<double>(r.weeks, 0.0));
  for (size_t l = 0; l < s.lines.size(); ++l) {
    for (int32_t g = 0; g < r.designs; ++g) {
      for (int32_t t = 0; t < r.weeks; ++t) {
        by_plant[s.lines[l].plant][t] += r.make[r.MakeIndex(static_cast<int32_t>(l), g, t)];
      }
    }
  }
  nlohmann::json out = nlohmann::json::object();
  for (size_t p = 0; p < s.plants.size(); ++p) out[s.plants[p].id] = by_plant[p];
  return out;
}

nlohmann::json SpendBySupplier(const model::Scenario& s, const plan::PlanResult& r) {
  std::vector<double> spend(s.suppliers.size(), 0.0);
  for (size_t o = 0; o < s.offers.size(); ++o) {
    for (int32_t t = 0; t < r.weeks; ++t) {
      spend[s.offers[o].supplier] += s.offers[o].unit_cost_usd * r.BuyAllPlants(static_cast<int32_t>(o), t);
    }
  }
  nlohmann::json out = nlohmann::json::object();
  for (size_t i = 0; i < s.suppliers.size(); ++i) {
    if (spend[i] > 0) out[s.suppliers[i].id] = spend[i];
  }
  return out;
}

}  // namespace

nlohmann::json PlanExtrasJson(const model::Scenario& scenario, const plan::PlanResult& result) {
  if (!result.has_solution) {
    return {{"racks_built_by_plant_week", nlohmann::json::object()}, {"spend_usd_by_supplier", nlohmann::json::object()}};
  }
  return {{"racks_built_by_plant_week", OutputByPlantWeek(scenario, result)},
          {"spend_usd_by_supplier", SpendBySupplier(scenario, result)}};
}

}  // namespace rackforge::server
