// The plan's CSV/xlsx tables (non-zero rows only) and WritePlanOutputs.

#include <fmt/format.h>

#include <algorithm>

#include "model/iso_week.h"
#include "report/output_folder.h"
#include "report/plan_report.h"

namespace rackforge::report {

namespace {

constexpr double kZero = 1e-9;

// Value at a flat index, 0 when the array is shorter (no solution).
double Value(const std::vector<double>& values, size_t index) { return index < values.size() ? values[index] : 0.0; }

std::string KindName(int kind) { return model::kDemandKindNames[kind]; }

Table BuildPlanTable(const model::Scenario& s, const plan::PlanResult& r) {
  Table table{"build_plan", {"line", "plant", "design", "week", "racks"}, {}};
  for (size_t l = 0; l < s.lines.size(); ++l) {
    for (int32_t g = 0; g < r.designs; ++g) {
      for (int32_t t = 0; t < r.weeks; ++t) {
        const double racks = Value(r.make, r.MakeIndex(static_cast<int32_t>(l), g, t));
        if (std::abs(racks) <= kZero) continue;
        table.rows.push_back({s.lines[l].id, s.plants[s.lines[l].plant].id, s.designs[g].id, double(t), racks});
      }
    }
  }
  return table;
}

Table ComponentBuildsTable(const model::Scenario& s, const plan::PlanResult& r) {
  Table table{"component_builds", {"line", "plant", "component", "week", "units", "cost_usd"}, {}};
  for (size_t m = 0; m < s.component_lines.size(); ++m) {
    const model::ComponentLine& line = s.component_lines[m];
    for (int32_t c : line.components) {  // the order of the line's components list
      for (int32_t t = 0; t < r.weeks; ++t) {
        const double units = Value(r.makec, r.MakecIndex(static_cast<int32_t>(m), c, t));
        if (std::abs(units) <= kZero) continue;
        table.rows.push_back(
            {line.id, s.plants[line.plant].id, s.components[c].id, double(t), units, units * line.cost_usd_per_unit});
      }
    }
  }
  return table;
}

Table ShipmentsTable(const model::Scenario& s, const plan::PlanResult& r) {
  Table table{"shipments", {"plant", "site", "design", "kind", "week", "arrival_week", "racks", "cost_usd"}, {}};
  for (size_t lane = 0; lane < s.lanes.size(); ++lane) {
    const model::Lane& ln = s.lanes[lane];
    for (int32_t g = 0; g < r.designs; ++g) {
      for (int k = 0; k < model::kDemandKinds; ++k) {
        for (int32_t t = 0; t < r.weeks; ++t) {
          const double racks = Value(r.ship, r.ShipIndex(static_cast<int32_t>(lane), g, k, t));
          if (std::abs(racks) <= kZero) continue;
          table.rows.push_back({s.plants[ln.plant].id, s.sites[ln.site].id, s.designs[g].id, KindName(k), double(t),
                                double(t + ln.transit_weeks), racks, racks * ln.cost_usd_per_rack});
        }
      }
    }
  }
  return table;
}

Table PurchasesTable(const model::Scenario& s, const plan::PlanResult& r) {
  Table table{"purchases",
              {"supplier", "component", "plant", "order_week", "arrival_week", "units", "cost_usd", "tariff_usd",
               "freight_usd", "domestic"},
              {}};
  const std::vector<model::SupplyLane> lanes = model::SupplyLanes(s);
  for (size_t o = 0; o < s.offers.size(); ++o) {
    const model::Offer& offer = s.offers[o];
    const model::Supplier& supplier = s.suppliers[offer.supplier];
    for (const model::SupplyLane& lane : lanes) {  // plants in file order for each supplier
      if (lane.supplier != offer.supplier || lane.plant >= r.plants) continue;
      for (int32_t t = 0; t < r.weeks; ++t) {
        const double units = Value(r.buy, r.BuyIndex(static_cast<int32_t>(o), lane.plant, t));
        if (std::abs(units) <= kZero) continue;
        const double cost = units * offer.unit_cost_usd;
        table.rows.push_back({supplier.id, s.components[offer.component].id, s.plants[lane.plant].id, double(t),
                              double(t + offer.lead_time_weeks + lane.transit_weeks), units, cost,
                              cost * offer.tariff_rate, units * lane.cost_usd_per_unit,
                              std::string(supplier.domestic() ? "yes" : "no")});
      }
    }
  }
  return table;
}

Table TransfersTable(const model::Scenario& s, const plan::PlanResult& r) {
  Table table{"transfers_plan", {"from_plant", "to_plant", "component", "week", "arrival_week", "units", "cost_usd"}, {}};
  for (size_t x = 0; x < s.transfers.size(); ++x) {  // file order
    const model::Transfer& tr = s.transfers[x];
    for (int32_t t = 0; t < r.weeks; ++t) {
      const double units = Value(r.xfer, r.XferIndex(static_cast<int32_t>(x), t));
      if (std::abs(units) <= kZero) continue;
      table.rows.push_back({s.plants[tr.from_plant].id, s.plants[tr.to_plant].id, s.components[tr.component].id,
                            double(t), double(t + tr.transit_weeks), units, units * tr.cost_usd_per_unit});
    }
  }
  return table;
}

Table RackInventoryTable(const model::Scenario& s, const plan::PlanResult& r) {
  Table table{"rack_inventory", {"plant", "design", "week", "racks"}, {}};
  for (size_t p = 0; p < s.plants.size(); ++p) {
    for (int32_t g = 0; g < r.designs; ++g) {
      for (int32_t t = 0; t < r.weeks; ++t) {
        const double racks = Value(r.inv, r.InvIndex(static_cast<int32_t>(p), g, t));
        if (std::abs(racks) > kZero) table.rows.push_back({s.plants[p].id, s.designs[g].id, double(t), racks});
      }
    }
  }
  return table;
}

Table ComponentInventoryTable(const model::Scenario& s, const plan::PlanResult& r) {
  Table table{"component_inventory", {"plant", "component", "week", "units"}, {}};
  for (int32_t p = 0; p < r.plants; ++p) {
    for (size_t c = 0; c < s.components.size(); ++c) {
      for (int32_t t = 0; t < r.weeks; ++t) {
        const double units = Value(r.cinv, r.CinvIndex(static_cast<int32_t>(c), p, t));
        if (std::abs(units) > kZero) table.rows.push_back({s.plants[p].id, s.components[c].id, double(t), units});
      }
    }
  }
  return table;
}

Table BacklogTable(const model::Scenario& s, const plan::PlanResult& r) {
  Table table{"backlog", {"site", "design", "kind", "week", "racks"}, {}};
  for (size_t d = 0; d < s.sites.size(); ++d) {
    for (int32_t g = 0; g < r.designs; ++g) {
      for (int k = 0; k < model::kDemandKinds; ++k) {
        for (int32_t t = 0; t < r.weeks; ++t) {
          const double racks = Value(r.back, r.BackIndex(static_cast<int32_t>(d), g, k, t));
          if (std::abs(racks) > kZero) {
            table.rows.push_back({s.sites[d].id, s.designs[g].id, KindName(k), double(t), racks});
          }
        }
      }
    }
  }
  return table;
}

// DESIGN.md's pegging columns, then the ISO week and Monday of the demand and arrival weeks.
Table PeggingTable(const model::Scenario& s, const plan::PlanResult& r) {
  Table table{"pegging",
              {"site", "design", "kind", "demand_week", "plant", "ship_week", "arrival_week", "racks", "weeks_late",
               "demand_iso_week", "demand_date", "arrival_iso_week", "arrival_date"},
              {}};
  const std::string none;
  for (const plan::PeggingRow& row : r.pegging) {
    const bool served = row.served();
    table.rows.push_back(
        {s.sites[row.site].id, s.designs[row.design].id, KindName(static_cast<int>(row.kind)), double(row.demand_week),
         served ? Cell(s.plants[row.plant].id) : Cell(none), served ? Cell(double(row.ship_week)) : Cell(none),
         served ? Cell(double(row.arrival_week)) : Cell(none), row.racks, double(row.weeks_late),
         model::IsoWeekOf(s.start_week, row.demand_week), model::IsoMondayOf(s.start_week, row.demand_week),
         served ? model::IsoWeekOf(s.start_week, row.arrival_week) : none,
         served ? model::IsoMondayOf(s.start_week, row.arrival_week) : none});
  }
  return table;
}

// Key/value rows of the xlsx summary sheet.
Table SummaryTable(const model::Scenario& s, const plan::PlanResult& r) {
  Table table{"summary", {"item", "value"}, {}};
  table.rows.push_back({std::string("scenario"), s.name});
  table.rows.push_back({std::string("status"), std::string(solver::ToString(r.status))});
  table.rows.push_back({std::string("objective_usd"), r.objective_usd});
  table.rows.push_back({std::string("gap"), r.gap});
  table.rows.push_back({std::string("quantities"), std::string(r.whole ? "whole" : "continuous")});
  if (r.whole) {
    table.rows.push_back({std::string("continuous_bound_usd"), r.continuous_bound_usd});
    table.rows.push_back({std::string("whole_gap"), r.whole_gap});
  }
  const std::pair<const char*, double> parts[] = {
      {"components_usd", r.cost.components}, {"tariffs_usd", r.cost.tariffs},
      {"production_usd", r.cost.production}, {"transport_usd", r.cost.transport},
      {"holding_usd", r.cost.holding},       {"backlog_penalty_usd", r.cost.backlog_penalty},
      {"capex_usd", r.cost.capex}};
  for (const auto& [name, usd] : parts) table.rows.push_back({std::string(name), usd});
  table.rows.push_back({std::string("racks_built"), r.racks_built});
  table.rows.push_back({std::string("domestic_content"), r.domestic_content});
  table.rows.push_back({std::string("domestic_content_min"), s.policy.domestic_content_min});
  for (int k = 0; k < model::kDemandKinds; ++k) {
    table.rows.push_back({"backlog_rack_weeks_" + KindName(k), r.backlog_rack_weeks[k]});
  }
  for (int k = 0; k < model::kDemandKinds; ++k) {
    table.rows.push_back({"backlog_at_end_racks_" + KindName(k), r.backlog_at_end_racks[k]});
  }
  for (const std::string& e : r.expansions_opened) table.rows.push_back({std::string("expansion_opened"), e});
  return table;
}

Table BottleneckTable(const plan::PlanResult& r) {
  Table table{"bottlenecks",
              {"kind", "node", "first_week", "last_week", "dual_usd_per_unit", "weekly_usd_per_unit",
               "relief_expansion", "relief_capex_usd", "relief_saving_usd", "text"},
              {}};
  for (const plan::Bottleneck& b : r.bottlenecks) {
    const bool relief = b.relief.has_value();
    table.rows.push_back({std::string(plan::ToString(b.kind)), b.node, double(b.first_week), double(b.last_week),
                          b.dual_usd_per_unit, b.weekly_usd_per_unit, relief ? b.relief->expansion : std::string(),
                          relief ? b.relief->capex_usd : 0.0, relief ? b.relief->saving_usd : 0.0, b.text});
  }
  return table;
}

Table LateDemandTable(const plan::PlanResult& r) {
  Table table{"late_demand",
              {"site", "design", "kind", "racks_late", "rack_weeks", "latest_demand_week", "latest_promised_week",
               "latest_racks", "latest_weeks_late", "held_back_by", "text"},
              {}};
  for (const plan::LateDemand& l : r.late_demand) {
    std::vector<std::string> causes;
    for (size_t i = 0; i < l.held_back_by.size() && i < 3; ++i) {
      causes.push_back(fmt::format("{} ({:.0f} %)", l.held_back_by[i], l.held_back_share[i] * 100.0));
    }
    const bool latest = l.latest.has_value();
    table.rows.push_back({l.site, l.design, KindName(static_cast<int>(l.kind)), l.late_racks, l.rack_weeks,
                          latest ? Cell(double(l.latest->demand_week)) : Cell(std::string()),
                          latest && l.latest->promised_week >= 0 ? Cell(double(l.latest->promised_week))
                                                                 : Cell(std::string("not in horizon")),
                          latest ? Cell(l.latest->racks) : Cell(std::string()),
                          latest ? Cell(double(l.latest->weeks_late)) : Cell(std::string()),
                          fmt::format("{}", fmt::join(causes, ", ")), l.text});
  }
  return table;
}

/// For the workbook: after each week column ("week", "*_week" holding plan-week numbers) a column
/// "<name>_iso" with the ISO week and its Monday ("2026-W05 (2026-01-26)"); tables unchanged when
/// start_week is not usable.
Table WithIsoWeeks(const Table& table, const std::string& start_week) {
  if (model::IsoWeekOf(start_week, 0).empty()) return table;
  std::vector<size_t> weeks;
  for (size_t c = 0; c < table.columns.size(); ++c) {
    const std::string& name = table.columns[c];
    if (name == "week" || (name.size() > 5 && name.compare(name.size() - 5, 5, "_week") == 0)) weeks.push_back(c);
  }
  if (weeks.empty()) return table;
  Table out{table.name, {}, {}};
  for (size_t c = 0; c < table.columns.size(); ++c) {
    out.columns.push_back(table.columns[c]);
    if (std::find(weeks.begin(), weeks.end(), c) != weeks.end()) out.columns.push_back(table.columns[c] + "_iso");
  }
  for (const std::vector<Cell>& row : table.rows) {
    std::vector<Cell> cells;
    for (size_t c = 0; c < row.size(); ++c) {
      cells.push_back(row[c]);
      if (std::find(weeks.begin(), weeks.end(), c) == weeks.end()) continue;
      const double* week = std::get_if<double>(&row[c]);
      cells.push_back(week == nullptr ? std::string()
                                      : fmt::format("{} ({})", model::IsoWeekOf(start_week, static_cast<int32_t>(*week)),
                                                    model::IsoMondayOf(start_week, static_cast<int32_t>(*week))));
    }
    out.rows.push_back(std::move(cells));
  }
  return out;
}

}  // namespace

std::vector<Table> PlanTables(const model::Scenario& scenario, const plan::PlanResult& result) {
  return {BuildPlanTable(scenario, result),
          ComponentBuildsTable(scenario, result),
          ShipmentsTable(scenario, result),
          PurchasesTable(scenario, result),
          TransfersTable(scenario, result),
          RackInventoryTable(scenario, result),
          ComponentInventoryTable(scenario, result),
          BacklogTable(scenario, result),
          PeggingTable(scenario, result)};
}

void WritePlanOutputs(const std::string& dir, const model::Scenario& scenario, const plan::PlanResult& result,
                      const PlanOutputExtras* extras) {
  OutputFolder out(dir);
  const std::vector<Table> tables = PlanTables(scenario, result);
  out.WriteCsv(tables);
  nlohmann::json json = PlanToJson(scenario, result);
  if (extras != nullptr) json.update(extras->json);
  out.WriteText("plan.json", json.dump(2) + "\n");
  std::vector<Table> sheets = {SummaryTable(scenario, result)};
  for (const Table& table : tables) sheets.push_back(WithIsoWeeks(table, scenario.start_week));
  sheets.push_back(WithIsoWeeks(LateDemandTable(result), scenario.start_week));
  sheets.push_back(WithIsoWeeks(BottleneckTable(result), scenario.start_week));
  out.WriteXlsx("plan.xlsx", sheets);
  out.WriteText("report.html", PlanHtml(scenario, result, extras));
  out.Commit();
}

}  // namespace rackforge::report
