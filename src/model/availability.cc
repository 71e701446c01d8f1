#include "model/availability.h"

#include <algorithm>

namespace rackforge::model {

const char* ToString(OptionDemandMode mode) {
  switch (mode) {
    case OptionDemandMode::kExpected: return "expected";
    case OptionDemandMode::kAll: return "all";
    case OptionDemandMode::kNone: return "none";
  }
  return "expected";
}

std::optional<OptionDemandMode> ParseOptionDemandMode(const std::string& text) {
  if (text == "expected") return OptionDemandMode::kExpected;
  if (text == "all") return OptionDemandMode::kAll;
  if (text == "none") return OptionDemandMode::kNone;
  return std::nullopt;
}

const char* ToString(Quantities quantities) {
  return quantities == Quantities::kWhole ? "whole" : "continuous";
}

std::optional<Quantities> ParseQuantities(const std::string& text) {
  if (text == "continuous") return Quantities::kContinuous;
  if (text == "whole") return Quantities::kWhole;
  return std::nullopt;
}

double Multiplier(const std::vector<Disruption>& disruptions, NodeRef node, int32_t week) {
  double m = 1.0;
  for (const Disruption& d : disruptions) {
    if (d.node == node && d.covers(week)) m *= (1.0 - d.capacity_loss);
  }
  return m;
}

double Availability::Ramp(int32_t start_week, int32_t ramp_weeks, double ramp_start_fraction, int32_t week) {
  if (week < start_week) return 0.0;
  if (week < start_week + ramp_weeks) {
    const double f = ramp_start_fraction;
    return f + (1.0 - f) * static_cast<double>(week - start_week) / static_cast<double>(ramp_weeks);
  }
  return 1.0;
}

Availability::Availability(const Scenario& scenario, const std::vector<Disruption>& disruptions)
    : weeks_(scenario.horizon_weeks) {
  const size_t H = static_cast<size_t>(weeks_);
  plant_m_.assign(scenario.plants.size() * H, 1.0);
  line_m_.assign(scenario.lines.size() * H, 1.0);
  supplier_m_.assign(scenario.suppliers.size() * H, 1.0);
  cline_m_.assign(scenario.component_lines.size() * H, 1.0);
  for (const Disruption& d : disruptions) {
    std::vector<double>* target = nullptr;
    switch (d.node.kind) {
      case NodeKind::kPlant: target = &plant_m_; break;
      case NodeKind::kLine: target = &line_m_; break;
      case NodeKind::kSupplier: target = &supplier_m_; break;
      case NodeKind::kComponentLine: target = &cline_m_; break;
    }
    const int32_t from = std::max(0, d.start_week);
    const int32_t to = std::min(weeks_, d.start_week + d.weeks);
    for (int32_t t = from; t < to; ++t) (*target)[Index(d.node.index, t)] *= (1.0 - d.capacity_loss);
  }
  line_a_.assign(scenario.lines.size() * H, 0.0);
  for (size_t l = 0; l < scenario.lines.size(); ++l) {
    const Line& line = scenario.lines[l];
    for (int32_t t = 0; t < weeks_; ++t) {
      const size_t i = Index(static_cast<int32_t>(l), t);
      line_a_[i] = Ramp(line, t) * plant_m_[Index(line.plant, t)] * line_m_[i];
    }
  }
  test_hours_per_cell_week_.reserve(scenario.plants.size());
  for (const Plant& p : scenario.plants) test_hours_per_cell_week_.push_back(p.test_hours_per_cell_week);
  cline_a_.assign(scenario.component_lines.size() * H, 0.0);
  for (size_t m = 0; m < scenario.component_lines.size(); ++m) {
    const ComponentLine& line = scenario.component_lines[m];
    for (int32_t t = 0; t < weeks_; ++t) {
      const size_t i = Index(static_cast<int32_t>(m), t);
      cline_a_[i] = Ramp(line, t) * plant_m_[Index(line.plant, t)] * cline_m_[i];
    }
  }
}

bool AddsTestCells(const Expansion& x, int32_t plant, int32_t week) {
  return x.kind == ExpansionKind::kTestCells && x.plant == plant && week >= x.active_from_week();
}

double TestCellsAt(const Scenario& scenario, int32_t plant, int32_t week, const std::vector<uint8_t>& opened) {
  double cells = scenario.plants.at(plant).test_cells;
  for (size_t e = 0; e < opened.size() && e < scenario.expansions.size(); ++e) {
    if (opened[e] != 0 && AddsTestCells(scenario.expansions[e], plant, week)) cells += scenario.expansions[e].cells;
  }
  return cells;
}

double PlanDemandRacks(const Demand& demand, OptionDemandMode mode) {
  if (demand.kind != DemandKind::kOption) return demand.racks;
  switch (mode) {
    case OptionDemandMode::kExpected: return demand.probability * demand.racks;
    case OptionDemandMode::kAll: return demand.racks;
    case OptionDemandMode::kNone: return 0.0;
  }
  return 0.0;
}

double TargetAt(const std::vector<TargetPoint>& target, int32_t week) {
  if (target.empty()) return 0.0;
  if (week <= target.front().week) return target.front().racks_per_week;
  if (week >= target.back().week) return target.back().racks_per_week;
  for (size_t i = 1; i < target.size(); ++i) {
    const TargetPoint& a = target[i - 1];
    const TargetPoint& b = target[i];
    if (week <= b.week) {
      if (b.week == a.week) return b.racks_per_week;
      const double x = static_cast<double>(week - a.week) / static_cast<double>(b.week - a.week);
      return a.racks_per_week + x * (b.racks_per_week - a.racks_per_week);
    }
  }
  return target.back().racks_per_week;
}

bool MeetsTarget(const std::vector<TargetPoint>& target, int32_t week, double output_racks) {
  return output_racks >= TargetAt(target, week) - 1e-9;
}

std::string NodeName(const Scenario& scenario, NodeRef node) {
  switch (node.kind) {
    case NodeKind::kPlant: return "plant:" + scenario.plants.at(node.index).id;
    case NodeKind::kLine: return "line:" + scenario.lines.at(node.index).id;
    case NodeKind::kSupplier: return "supplier:" + scenario.suppliers.at(node.index).id;
    case NodeKind::kComponentLine: return "line:" + scenario.component_lines.at(node.index).id;
  }
  return "";
}

int32_t NodeRecoveryWeeks(const Scenario& scenario, NodeRef node) {
  switch (node.kind) {
    case NodeKind::kPlant: return scenario.plants.at(node.index).recovery_weeks;
    case NodeKind::kLine: return scenario.plants.at(scenario.lines.at(node.index).plant).recovery_weeks;
    case NodeKind::kSupplier: return scenario.suppliers.at(node.index).recovery_weeks;
    case NodeKind::kComponentLine:
      return scenario.plants.at(scenario.component_lines.at(node.index).plant).recovery_weeks;
  }
  return 0;
}

double NodeOutageProbPerWeek(const Scenario& scenario, NodeRef node) {
  switch (node.kind) {
    case NodeKind::kPlant: return scenario.plants.at(node.index).outage_prob_per_week;
    case NodeKind::kLine: return scenario.plants.at(scenario.lines.at(node.index).plant).outage_prob_per_week;
    case NodeKind::kSupplier: return scenario.suppliers.at(node.index).outage_prob_per_week;
    case NodeKind::kComponentLine:
      return scenario.plants.at(scenario.component_lines.at(node.index).plant).outage_prob_per_week;
  }
  return 0.0;
}

}  // namespace rackforge::model
