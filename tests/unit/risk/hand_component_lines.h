#pragma once
// Component lines added to a scenario by hand, with makec taken from a plan
// that has none: per plant one line making the plant's chosen components from
// one bought raw part each, with makec = the plan's use of each component at
// that plant (so the simulator has in-house production to follow). Shared by
// the Monte Carlo golden test and bench/risk_bench.cc. Header-only.

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "model/scenario.h"
#include "plan/plan.h"

namespace rackforge::risk::testing {

struct HandComponentLines {
  std::function<bool(const model::Component&, int32_t index)> made;  // which components the plants make
  double part_qty = 1;            // bom(c, raw part)
  double units_per_week = 1e6;    // capacity of each plant's line
  double stock_share = 1;         // raw parts on hand: part_qty * stock_share * the horizon's use
};

/// Adds the lines to `s` and their makec to `b` (b must be a plan of s).
inline void AddHandComponentLines(model::Scenario& s, plan::PlanResult& b, const HandComponentLines& o) {
  const int32_t C = static_cast<int32_t>(s.components.size()), H = s.horizon_weeks;
  std::vector<std::vector<double>> use(s.plants.size(), std::vector<double>(static_cast<size_t>(C) * H, 0.0));
  for (size_t l = 0; l < s.lines.size(); ++l) {
    for (int32_t g : s.lines[l].designs) {
      for (const model::BomEntry& e : s.designs[g].bom) {
        for (int32_t t = 0; t < H; ++t)
          use[s.lines[l].plant][e.component * H + t] += e.qty * b.make[b.MakeIndex(l, g, t)];
      }
    }
  }
  std::vector<int32_t> raw(C, -1);
  for (int32_t c = 0; c < C; ++c) {
    if (!o.made(s.components[c], c)) continue;
    model::Component part;
    part.id = "raw-" + s.components[c].id;
    raw[c] = static_cast<int32_t>(s.components.size());
    s.components.push_back(part);
    s.components[c].parts = {{raw[c], o.part_qty}};
  }
  std::vector<std::pair<int32_t, int32_t>> made;  // (line, component)
  for (int32_t p = 0; p < static_cast<int32_t>(s.plants.size()); ++p) {
    model::ComponentLine line;
    line.id = "cl-" + s.plants[p].id;
    line.plant = p;
    line.units_per_week = o.units_per_week;
    for (int32_t c = 0; c < C; ++c) {
      double total = 0;
      for (int32_t t = 0; t < H; ++t) total += use[p][c * H + t];
      if (raw[c] < 0 || total <= 0) continue;
      line.components.push_back(c);
      s.on_hand.push_back({p, raw[c], o.part_qty * total * o.stock_share});
    }
    const int32_t m = static_cast<int32_t>(s.component_lines.size());
    for (int32_t c : line.components) {
      s.components[c].made_by.push_back(m);
      made.emplace_back(m, c);
    }
    s.plants[p].component_lines.push_back(m);
    s.component_lines.push_back(std::move(line));
  }
  b.components = static_cast<int32_t>(s.components.size());
  b.makec.assign(s.component_lines.size() * s.components.size() * H, 0.0);
  for (const auto& [m, c] : made) {
    for (int32_t t = 0; t < H; ++t) b.makec[b.MakecIndex(m, c, t)] = use[s.component_lines[m].plant][c * H + t];
  }
}

}  // namespace rackforge::risk::testing
