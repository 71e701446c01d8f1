#include "unit/risk/reference_simulator.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "model/availability.h"
#include "risk/nodes.h"
#include "risk/percentile.h"
#include "model/splitmix64.h"

namespace rackforge::risk::reference {

namespace {
constexpr double kTol = 1e-6;
}  // namespace

struct ReferenceSimulator::Data {
  struct SimPlant {
    int32_t node = 0;
    int32_t line_begin = 0, line_end = 0;  // into lines
    int32_t ship_begin = 0, ship_end = 0;  // into ships
  };
  struct SimLine {
    int32_t node = 0;
    int32_t entry_begin = 0, entry_end = 0;  // into entries
  };
  struct BuildEntry {      // one (line, design) the baseline builds
    int32_t inv_slot = 0;  // plant * G + design
    int32_t first_week = 0;  // available_from_week of the design
    int32_t last_week = 0;   // last_build_week of the design (INT32_MAX when none): U left after it is never built
    double test_hours = 0;
    int32_t bom_begin = 0, bom_end = 0;  // into bom
  };
  struct BomItem {
    int32_t pool = 0;  // compact (plant, component) pool of the building plant
    double qty = 0;
  };
  struct ShipEntry {  // one (lane, design, kind) the baseline ships on
    int32_t inv_slot = 0;
    int32_t transit_weeks = 0;
    int32_t kind = 0;
  };
  struct OrderSlot {  // one (offer, plant) with a supply lane, plants in file order within an offer
    int32_t pool = 0;   // compact (plant, component) pool it delivers to
    int32_t delay = 0;  // lead_time_weeks + transit_weeks
  };
  struct SimTransfer {  // a transfers.csv row r = (p→q, c) the baseline uses, file order
    int32_t plant_node = 0;  // node of the from-plant p
    int32_t from_pool = 0, to_pool = 0;
    int32_t transit_weeks = 0;
  };
  struct SimCline {  // a component line the baseline makes on, loop order
    int32_t node = -1;       // its node (-1: not a risk node, never out by itself)
    int32_t plant_node = 0;  // node of its plant
    int32_t entry_begin = 0, entry_end = 0;  // into centries
  };
  struct MakeEntry {  // one (component line, component) the baseline makes, components order
    int32_t pool = 0;  // pool(p, c) the units join
    int32_t parts_begin = 0, parts_end = 0;  // into bom: bom(c, part) from the plant's pools
  };
  struct SimOffer {  // an offer the baseline buys from
    int32_t node = 0;  // its supplier's node
    int32_t slot_begin = 0, slot_end = 0;
  };

  int32_t weeks = 0;
  int32_t designs = 0;
  std::vector<std::string> node_names;
  std::vector<double> node_prob;
  std::vector<int32_t> node_recovery;
  std::vector<SimPlant> plants;
  std::vector<SimLine> lines;
  std::vector<BuildEntry> entries;
  std::vector<BomItem> bom;
  std::vector<ShipEntry> ships;
  std::vector<double> line_cap;        // [week][sim line]: racks_per_week * a(l,t)
  std::vector<double> plant_test;      // [week][plant]: test hours of the plan model
  std::vector<double> make_w;          // [week][entry]
  std::vector<double> ship_w;          // [week][ship entry]
  std::vector<SimOffer> offers;
  std::vector<OrderSlot> slots;
  std::vector<double> order_w;  // [week][slot]: the baseline's buy[o,p,t]
  std::vector<double> spare_w;  // [week][sim offer]: max(0, capacity·m(s,t) − Σ_p buy[o,p,t])
  std::vector<SimCline> clines;
  std::vector<MakeEntry> centries;
  std::vector<double> cline_cap;  // [week][sim cline]: units_per_week * a(m,t)
  std::vector<double> makec_w;    // [week][make entry]: the baseline's makec[m,c,t]
  std::vector<SimTransfer> transfers;
  std::vector<double> xfer_w;   // [week][sim transfer]: the baseline's xfer[r,t] (departure week)
  int32_t pools = 0;            // compact (plant, component) pools
  std::vector<double> on_hand;  // [pool]
  std::array<double, model::kDemandKinds> weighted_demand{};  // Σ_t (H - t) demand: Σ_t back with no shipments
  std::vector<double> planned_output;                         // [week]
};

struct ReferenceSimulator::Workspace {
  std::vector<double> pool, inv, unbuilt, unshipped;
  std::vector<double> unmade;    // [make entry]: U[m,c]
  std::vector<double> waiting;   // [slot]: Q[o,p]
  std::vector<double> unsent;    // [sim transfer]: X[r]
  std::vector<double> incoming;  // [week][pool]: parts sent, due that week
  std::vector<int32_t> out_until;
  std::vector<uint8_t> out_flag;  // [node][week]
  std::vector<int32_t> went_out;  // nodes that went out this run, in draw order
  std::array<double, model::kDemandKinds> backlog{};
};

namespace {

void CheckBaseline(const model::Scenario& s, const plan::PlanResult& b) {
  const size_t H = s.horizon_weeks, G = s.designs.size(), K = model::kDemandKinds;
  const bool ok = b.has_solution && b.weeks == s.horizon_weeks && b.designs == static_cast<int32_t>(G) &&
                  b.make.size() == s.lines.size() * G * H && b.ship.size() == s.lanes.size() * G * K * H &&
                  b.plants == static_cast<int32_t>(s.plants.size()) &&
                  b.buy.size() == s.offers.size() * s.plants.size() * H && b.opened.size() == s.expansions.size() &&
                  (s.component_lines.empty() ||
                   (b.components == static_cast<int32_t>(s.components.size()) &&
                    b.makec.size() == s.component_lines.size() * s.components.size() * H));
  if (!ok) throw std::invalid_argument("simulate: the baseline plan has no solution or does not match the scenario");
}

double PlantTestHours(const model::Scenario& s, const plan::PlanResult& b, const model::Availability& av, int32_t plant,
                      int32_t week) {
  const model::Plant& p = s.plants[plant];
  double cells = p.test_cells;
  for (size_t e = 0; e < s.expansions.size(); ++e) {
    const model::Expansion& x = s.expansions[e];
    if (x.plant == plant && x.kind == model::ExpansionKind::kTestCells && b.opened[e] != 0 &&
        week >= x.active_from_week()) {
      cells += x.cells;
    }
  }
  return p.test_hours_per_cell_week * cells * av.plant_multiplier(plant, week);
}

// Component lines in loop order (per plant in file order: existing, then opened expansion
// component lines), each with the (line, component) pairs the baseline makes on, in the order
// of the line's `components` list; capacities and makec by week. Entries with no makec in any
// week are left out (their U stays 0 and they make nothing). D is ReferenceSimulator::Data.
template <class D, class PoolOf>
void BuildComponentLines(const model::Scenario& s, const plan::PlanResult& b, const model::Availability& av,
                         const std::vector<int32_t>& cline_node, PoolOf&& pool, D& d) {
  const int32_t H = s.horizon_weeks;
  std::vector<int32_t> entry_line, entry_component, sim_line;
  for (int32_t p = 0; p < static_cast<int32_t>(s.plants.size()); ++p) {
    for (int32_t m : PlantComponentLinesInLoopOrder(s, b, p)) {
      typename D::SimCline sc;
      sc.node = cline_node[m];
      sc.plant_node = p;  // plants come first in loop order
      sc.entry_begin = static_cast<int32_t>(d.centries.size());
      for (int32_t c : s.component_lines[m].components) {
        double total = 0;
        for (int32_t t = 0; t < H; ++t) total += b.makec[b.MakecIndex(m, c, t)];
        if (total <= 0) continue;
        typename D::MakeEntry e;
        e.pool = pool(p, c);
        e.parts_begin = static_cast<int32_t>(d.bom.size());
        for (const model::BomEntry& part : s.components[c].parts) d.bom.push_back({pool(p, part.component), part.qty});
        e.parts_end = static_cast<int32_t>(d.bom.size());
        d.centries.push_back(e);
        entry_line.push_back(m);
        entry_component.push_back(c);
      }
      sc.entry_end = static_cast<int32_t>(d.centries.size());
      if (sc.entry_end == sc.entry_begin) continue;
      d.clines.push_back(sc);
      sim_line.push_back(m);
    }
  }
  const size_t M = d.clines.size(), E = d.centries.size();
  d.cline_cap.assign(H * M, 0.0);
  d.makec_w.assign(H * E, 0.0);
  for (int32_t t = 0; t < H; ++t) {
    for (size_t i = 0; i < M; ++i) {
      const int32_t m = sim_line[i];
      d.cline_cap[t * M + i] = s.component_lines[m].units_per_week * av.component_line_availability(m, t);
    }
    for (size_t e = 0; e < E; ++e) d.makec_w[t * E + e] = b.makec[b.MakecIndex(entry_line[e], entry_component[e], t)];
  }
}

}  // namespace

ReferenceSimulator::ReferenceSimulator(const model::Scenario& scenario, const plan::PlanResult& baseline,
                     model::OptionDemandMode option_demand)
    : scenario_(scenario), data_(std::make_unique<Data>()) {
  CheckBaseline(scenario, baseline);
  Data& d = *data_;
  const int32_t H = scenario.horizon_weeks;
  const int32_t G = static_cast<int32_t>(scenario.designs.size());
  d.weeks = H;
  d.designs = G;
  const model::Availability av(scenario, scenario.disruptions);

  // Nodes in loop order; map entities to node ids.
  const std::vector<model::NodeRef> nodes = RiskNodes(scenario, baseline);
  std::vector<int32_t> line_node(scenario.lines.size(), -1), supplier_node(scenario.suppliers.size(), -1);
  std::vector<int32_t> cline_node(scenario.component_lines.size(), -1);
  for (size_t n = 0; n < nodes.size(); ++n) {
    d.node_names.push_back(model::NodeName(scenario, nodes[n]));
    d.node_prob.push_back(model::NodeOutageProbPerWeek(scenario, nodes[n]));
    d.node_recovery.push_back(model::NodeRecoveryWeeks(scenario, nodes[n]));
    if (nodes[n].kind == model::NodeKind::kLine) line_node[nodes[n].index] = static_cast<int32_t>(n);
    if (nodes[n].kind == model::NodeKind::kSupplier) supplier_node[nodes[n].index] = static_cast<int32_t>(n);
    if (nodes[n].kind == model::NodeKind::kComponentLine) cline_node[nodes[n].index] = static_cast<int32_t>(n);
  }

  // Compact parts pools: one per (plant, component) that holds stock, receives orders or feeds a build.
  const size_t C = scenario.components.size();
  std::vector<int32_t> pool_of(scenario.plants.size() * C, -1);
  auto pool = [&](int32_t plant, int32_t component) {
    int32_t& at = pool_of[static_cast<size_t>(plant) * C + component];
    if (at < 0) {
      at = d.pools++;
      d.on_hand.push_back(0.0);
    }
    return at;
  };
  for (const model::OnHand& h : scenario.on_hand) d.on_hand[pool(h.plant, h.component)] += h.units;

  // Plants, lines and the (line, design) pairs the baseline builds.
  std::vector<int32_t> entry_line;  // baseline line index per entry
  std::vector<int32_t> entry_design;
  for (int32_t p = 0; p < static_cast<int32_t>(scenario.plants.size()); ++p) {
    Data::SimPlant sp;
    sp.node = p;  // plants come first in loop order
    sp.line_begin = static_cast<int32_t>(d.lines.size());
    for (int32_t l : PlantLinesInLoopOrder(scenario, baseline, p)) {
      Data::SimLine sl;
      sl.node = line_node[l];
      sl.entry_begin = static_cast<int32_t>(d.entries.size());
      for (int32_t g : scenario.lines[l].designs) {
        double total = 0;
        for (int32_t t = 0; t < H; ++t) total += baseline.make[baseline.MakeIndex(l, g, t)];
        if (total <= 0) continue;
        Data::BuildEntry e;
        e.inv_slot = p * G + g;
        e.first_week = scenario.designs[g].available_from_week;
        e.last_week = scenario.designs[g].last_build_week.value_or(std::numeric_limits<int32_t>::max());
        e.test_hours = scenario.designs[g].test_hours;
        e.bom_begin = static_cast<int32_t>(d.bom.size());
        for (const model::BomEntry& be : scenario.designs[g].bom) {
          if (be.qty > 0) d.bom.push_back({pool(p, be.component), be.qty});
        }
        e.bom_end = static_cast<int32_t>(d.bom.size());
        d.entries.push_back(e);
        entry_line.push_back(l);
        entry_design.push_back(g);
      }
      sl.entry_end = static_cast<int32_t>(d.entries.size());
      d.lines.push_back(sl);
    }
    sp.line_end = static_cast<int32_t>(d.lines.size());
    d.plants.push_back(sp);
  }

  // Ship entries per plant: design, kind (evaluation, firm, option), site in file order.
  std::vector<int32_t> ship_lane, ship_design, ship_kind;
  for (int32_t p = 0; p < static_cast<int32_t>(scenario.plants.size()); ++p) {
    std::vector<int32_t> lanes;
    for (int32_t ln = 0; ln < static_cast<int32_t>(scenario.lanes.size()); ++ln) {
      if (scenario.lanes[ln].plant == p) lanes.push_back(ln);
    }
    std::stable_sort(lanes.begin(), lanes.end(),
                     [&](int32_t a, int32_t b) { return scenario.lanes[a].site < scenario.lanes[b].site; });
    d.plants[p].ship_begin = static_cast<int32_t>(d.ships.size());
    for (int32_t g = 0; g < G; ++g) {
      for (int32_t k = 0; k < model::kDemandKinds; ++k) {
        for (int32_t ln : lanes) {
          double total = 0;
          for (int32_t t = 0; t < H; ++t) total += baseline.ship[baseline.ShipIndex(ln, g, k, t)];
          if (total <= 0) continue;
          d.ships.push_back({p * G + g, scenario.lanes[ln].transit_weeks, k});
          ship_lane.push_back(ln);
          ship_design.push_back(g);
          ship_kind.push_back(k);
        }
      }
    }
    d.plants[p].ship_end = static_cast<int32_t>(d.ships.size());
  }

  // Week-by-week capacities and plan values, [week][item].
  const size_t L = d.lines.size(), P = d.plants.size(), E = d.entries.size(), S = d.ships.size();
  d.line_cap.assign(H * L, 0.0);
  d.plant_test.assign(H * P, 0.0);
  d.make_w.assign(H * E, 0.0);
  d.ship_w.assign(H * S, 0.0);
  d.planned_output.assign(H, 0.0);
  for (int32_t t = 0; t < H; ++t) {
    size_t li = 0;
    for (int32_t p = 0; p < static_cast<int32_t>(P); ++p) {
      d.plant_test[t * P + p] = PlantTestHours(scenario, baseline, av, p, t);
      for (int32_t l : PlantLinesInLoopOrder(scenario, baseline, p)) {
        d.line_cap[t * L + li++] = scenario.lines[l].racks_per_week * av.line_availability(l, t);
      }
    }
    for (size_t e = 0; e < E; ++e)
      d.make_w[t * E + e] = baseline.make[baseline.MakeIndex(entry_line[e], entry_design[e], t)];
    for (size_t s = 0; s < S; ++s) {
      d.ship_w[t * S + s] = baseline.ship[baseline.ShipIndex(ship_lane[s], ship_design[s], ship_kind[s], t)];
    }
    for (size_t l = 0; l < scenario.lines.size(); ++l) {
      for (int32_t g = 0; g < G; ++g) d.planned_output[t] += baseline.make[baseline.MakeIndex(l, g, t)];
    }
  }

  // Orders: offers in file order, each with its (plant, lane) slots in plant file order.
  std::vector<model::SupplyLane> lanes = model::SupplyLanes(scenario);
  std::stable_sort(lanes.begin(), lanes.end(), [](const model::SupplyLane& x, const model::SupplyLane& y) {
    return x.plant < y.plant;
  });
  std::vector<int32_t> slot_offer, slot_plant;
  for (size_t o = 0; o < scenario.offers.size(); ++o) {
    const model::Offer& offer = scenario.offers[o];
    Data::SimOffer so;
    so.node = supplier_node[offer.supplier];
    so.slot_begin = static_cast<int32_t>(d.slots.size());
    for (const model::SupplyLane& lane : lanes) {
      if (lane.supplier != offer.supplier) continue;
      double total = 0;
      for (int32_t t = 0; t < H; ++t) total += baseline.buy[baseline.BuyIndex(static_cast<int32_t>(o), lane.plant, t)];
      if (total <= 0) continue;
      d.slots.push_back({pool(lane.plant, offer.component), offer.lead_time_weeks + lane.transit_weeks});
      slot_offer.push_back(static_cast<int32_t>(o));
      slot_plant.push_back(lane.plant);
    }
    so.slot_end = static_cast<int32_t>(d.slots.size());
    if (so.slot_end > so.slot_begin) d.offers.push_back(so);
  }
  const size_t O = d.offers.size(), Q = d.slots.size();
  d.order_w.assign(H * Q, 0.0);
  d.spare_w.assign(H * O, 0.0);
  for (int32_t t = 0; t < H; ++t) {
    for (size_t q = 0; q < Q; ++q) d.order_w[t * Q + q] = baseline.buy[baseline.BuyIndex(slot_offer[q], slot_plant[q], t)];
    for (size_t i = 0; i < O; ++i) {
      const int32_t o = slot_offer[d.offers[i].slot_begin];
      const model::Offer& offer = scenario.offers[o];
      const double cap = offer.capacity_per_week * av.supplier_multiplier(offer.supplier, t);
      d.spare_w[t * O + i] = std::max(0.0, cap - baseline.BuyAllPlants(o, t));
    }
  }

  BuildComponentLines(scenario, baseline, av, cline_node, pool, d);

  // Transfers in file order (rows the baseline never uses send nothing: X[r] stays 0).
  std::vector<int32_t> transfer_row;
  for (size_t r = 0; r < scenario.transfers.size(); ++r) {
    const model::Transfer& x = scenario.transfers[r];
    double total = 0;
    for (int32_t t = 0; t < H && baseline.xfer.size() == scenario.transfers.size() * H; ++t) {
      total += baseline.xfer[baseline.XferIndex(static_cast<int32_t>(r), t)];
    }
    if (total <= 0) continue;
    d.transfers.push_back({x.from_plant, pool(x.from_plant, x.component), pool(x.to_plant, x.component), x.transit_weeks});
    transfer_row.push_back(static_cast<int32_t>(r));
  }
  const size_t R = d.transfers.size();
  d.xfer_w.assign(H * R, 0.0);
  for (int32_t t = 0; t < H; ++t) {
    for (size_t i = 0; i < R; ++i) d.xfer_w[t * R + i] = baseline.xfer[baseline.XferIndex(transfer_row[i], t)];
  }

  for (const model::Demand& dm : scenario.demand) {
    d.weighted_demand[static_cast<int>(dm.kind)] += (H - dm.week) * model::PlanDemandRacks(dm, option_demand);
  }
}

ReferenceSimulator::~ReferenceSimulator() = default;


void ReferenceSimulator::DrawOutages(int32_t week, SplitMix64& rng, Workspace& ws) const {
  const Data& d = *data_;
  const int32_t H = d.weeks;
  const size_t N = d.node_prob.size();
  for (size_t n = 0; n < N; ++n) {
    if (week < ws.out_until[n]) continue;  // out: draws nothing
    if (rng.Uniform() < d.node_prob[n]) {
      const int32_t until = week + d.node_recovery[n];
      // First outage of the run (a node with recovery 0 is never out); capacity reserved: no allocation.
      if (ws.out_until[n] == 0 && until > week) ws.went_out.push_back(static_cast<int32_t>(n));
      ws.out_until[n] = until;
      const int32_t last = std::min(until, H);
      for (int32_t w = week; w < last; ++w) ws.out_flag[n * H + w] = 1;
    }
  }
}

void ReferenceSimulator::PlaceOrders(int32_t week, Workspace& ws) const {
  const Data& d = *data_;
  const int32_t H = d.weeks;
  const size_t O = d.offers.size(), Q = d.slots.size();
  const double* placed = d.order_w.data() + week * Q;
  auto send = [&](const Data::OrderSlot& slot, double units) {
    const int32_t arrival = week + slot.delay;
    if (arrival <= H - 1) ws.incoming[static_cast<size_t>(arrival) * d.pools + slot.pool] += units;  // later: dropped
  };
  for (size_t i = 0; i < O; ++i) {
    const Data::SimOffer& offer = d.offers[i];
    if (week < ws.out_until[offer.node]) {  // supplier out: this week's orders wait
      for (int32_t q = offer.slot_begin; q < offer.slot_end; ++q) ws.waiting[q] += placed[q];
      continue;
    }
    for (int32_t q = offer.slot_begin; q < offer.slot_end; ++q) {
      if (placed[q] > 0) send(d.slots[q], placed[q]);
    }
    double spare = d.spare_w[week * O + i];
    for (int32_t q = offer.slot_begin; q < offer.slot_end && spare > 0; ++q) {
      const double z = std::min(ws.waiting[q], spare);
      if (z <= 0) continue;
      spare -= z;
      ws.waiting[q] -= z;
      send(d.slots[q], z);
    }
  }
}

void ReferenceSimulator::ReceiveParts(int32_t week, Workspace& ws) const {
  const Data& d = *data_;
  const double* due = ws.incoming.data() + static_cast<size_t>(week) * d.pools;
  for (int32_t i = 0; i < d.pools; ++i) ws.pool[i] += due[i];
}

// Step 4: each component line in loop order makes, per component in `components` order,
// x = min(makec[m,c,t] + U[m,c], capacity left (0 while the line or its plant is out),
// min over c's parts of pool(p,part) / bom(c,part)); takes the parts, adds x to pool(p,c),
// U[m,c] += makec − x. A part made later in loop order is not yet in the pool.
void ReferenceSimulator::MakeComponents(int32_t week, Workspace& ws) const {
  const Data& d = *data_;
  const size_t M = d.clines.size(), E = d.centries.size();
  const double* makec = d.makec_w.data() + week * E;
  for (size_t i = 0; i < M; ++i) {
    const Data::SimCline& line = d.clines[i];
    const bool out = week < ws.out_until[line.plant_node] || (line.node >= 0 && week < ws.out_until[line.node]);
    double cap_left = out ? 0.0 : d.cline_cap[week * M + i];
    for (int32_t e = line.entry_begin; e < line.entry_end; ++e) {
      const Data::MakeEntry& entry = d.centries[e];
      double x = std::min(makec[e] + ws.unmade[e], cap_left);
      for (int32_t b = entry.parts_begin; b < entry.parts_end && x > 0; ++b) {
        x = std::min(x, ws.pool[d.bom[b].pool] / d.bom[b].qty);
      }
      x = std::max(x, 0.0);
      if (x > 0) {
        cap_left -= x;
        for (int32_t b = entry.parts_begin; b < entry.parts_end; ++b) ws.pool[d.bom[b].pool] -= d.bom[b].qty * x;
        ws.pool[entry.pool] += x;
      }
      ws.unmade[e] += makec[e] - x;
    }
  }
}

// Step 5: each transfer in file order sends y = min(xfer[r,t] + X[r], pool(p,c)) when
// p is not out and t + τ_r ≤ H−1 (τ_r = 0: into pool(q,c) at once); X[r] += xfer − y.
// While p is out, xfer[r,t] joins X[r].
void ReferenceSimulator::SendTransfers(int32_t week, Workspace& ws) const {
  const Data& d = *data_;
  const int32_t H = d.weeks;
  const size_t R = d.transfers.size();
  const double* planned = d.xfer_w.data() + week * R;
  for (size_t i = 0; i < R; ++i) {
    const Data::SimTransfer& x = d.transfers[i];
    if (week + x.transit_weeks > H - 1) continue;  // no xfer column: nothing planned, nothing sent
    if (week < ws.out_until[x.plant_node]) {
      ws.unsent[i] += planned[i];
      continue;
    }
    const double y = std::max(0.0, std::min(planned[i] + ws.unsent[i], ws.pool[x.from_pool]));
    ws.pool[x.from_pool] -= y;
    if (x.transit_weeks == 0) {
      ws.pool[x.to_pool] += y;
    } else {
      ws.incoming[static_cast<size_t>(week + x.transit_weeks) * d.pools + x.to_pool] += y;
    }
    ws.unsent[i] += planned[i] - y;
  }
}

double ReferenceSimulator::Build(int32_t week, Workspace& ws) const {
  const Data& d = *data_;
  const size_t L = d.lines.size(), P = d.plants.size(), E = d.entries.size();
  const double* make = d.make_w.data() + week * E;
  double output = 0;
  for (size_t p = 0; p < P; ++p) {
    const Data::SimPlant& plant = d.plants[p];
    const bool plant_out = week < ws.out_until[plant.node];
    double test_left = d.plant_test[week * P + p];
    for (int32_t li = plant.line_begin; li < plant.line_end; ++li) {
      const Data::SimLine& line = d.lines[li];
      const bool out = plant_out || week < ws.out_until[line.node];
      double cap_left = out ? 0.0 : d.line_cap[week * L + li];
      for (int32_t e = line.entry_begin; e < line.entry_end; ++e) {
        const Data::BuildEntry& entry = d.entries[e];
        if (week < entry.first_week || week > entry.last_week) {  // outside the design's build window
          ws.unbuilt[e] += make[e];  // 0: the plan has no make column there
          continue;
        }
        double x = std::min(make[e] + ws.unbuilt[e], cap_left);
        if (entry.test_hours > 0) x = std::min(x, test_left / entry.test_hours);
        for (int32_t b = entry.bom_begin; b < entry.bom_end && x > 0; ++b) {
          x = std::min(x, ws.pool[d.bom[b].pool] / d.bom[b].qty);
        }
        x = std::max(x, 0.0);
        if (x > 0) {
          cap_left -= x;
          test_left -= x * entry.test_hours;
          for (int32_t b = entry.bom_begin; b < entry.bom_end; ++b) ws.pool[d.bom[b].pool] -= d.bom[b].qty * x;
          ws.inv[entry.inv_slot] += x;
          output += x;
        }
        ws.unbuilt[e] += make[e] - x;
      }
    }
  }
  return output;
}

void ReferenceSimulator::Ship(int32_t week, Workspace& ws) const {
  const Data& d = *data_;
  const int32_t H = d.weeks;
  const size_t S = d.ships.size();
  const double* ship = d.ship_w.data() + week * S;
  for (const Data::SimPlant& plant : d.plants) {
    const bool out = week < ws.out_until[plant.node];
    for (int32_t s = plant.ship_begin; s < plant.ship_end; ++s) {
      const Data::ShipEntry& entry = d.ships[s];
      const int32_t arrival_week = week + entry.transit_weeks;
      if (arrival_week > H - 1) continue;  // no shipment can arrive within the horizon
      double y = 0;
      if (!out) y = std::max(0.0, std::min(ship[s] + ws.unshipped[s], ws.inv[entry.inv_slot]));
      ws.inv[entry.inv_slot] -= y;
      ws.unshipped[s] += ship[s] - y;
      // An arrival in week a reduces back[a..H-1]: H - a rack-weeks per rack.
      ws.backlog[entry.kind] -= static_cast<double>(H - arrival_week) * y;
    }
  }
}

void ReferenceSimulator::PlayRun(uint64_t seed, int64_t run, Workspace& ws, RunOutcomes& out, int64_t slot) const {
  const Data& d = *data_;
  const int32_t H = d.weeks;
  std::copy(d.on_hand.begin(), d.on_hand.end(), ws.pool.begin());
  std::fill(ws.inv.begin(), ws.inv.end(), 0.0);
  std::fill(ws.unbuilt.begin(), ws.unbuilt.end(), 0.0);
  std::fill(ws.unmade.begin(), ws.unmade.end(), 0.0);
  std::fill(ws.unshipped.begin(), ws.unshipped.end(), 0.0);
  std::fill(ws.waiting.begin(), ws.waiting.end(), 0.0);
  std::fill(ws.unsent.begin(), ws.unsent.end(), 0.0);
  std::fill(ws.incoming.begin(), ws.incoming.end(), 0.0);
  std::fill(ws.out_until.begin(), ws.out_until.end(), 0);
  std::fill(ws.out_flag.begin(), ws.out_flag.end(), uint8_t{0});
  ws.went_out.clear();
  ws.backlog = d.weighted_demand;
  SplitMix64 rng = SplitMix64::ForRun(seed, static_cast<uint64_t>(run));
  double* output = out.output_racks.data() + slot * H;
  for (int32_t t = 0; t < H; ++t) {
    DrawOutages(t, rng, ws);
    PlaceOrders(t, ws);
    ReceiveParts(t, ws);
    MakeComponents(t, ws);
    SendTransfers(t, ws);
    output[t] = Build(t, ws);
    Ship(t, ws);
  }
  for (int32_t k = 0; k < model::kDemandKinds; ++k)
    out.backlog_rack_weeks[slot * model::kDemandKinds + k] = ws.backlog[k];
  const size_t N = d.node_prob.size();
  uint8_t* loss = out.node_loss.data() + slot * N;
  std::fill(loss, loss + N, uint8_t{0});
  for (int32_t n : ws.went_out) {
    for (int32_t t = 0; t < H && loss[n] == 0; ++t) {
      loss[n] = ws.out_flag[n * H + t] != 0 && d.planned_output[t] - output[t] > kTol;
    }
  }
}

RunOutcomes ReferenceSimulator::RunRange(uint64_t seed, int64_t first_run, int64_t last_run) const {
  const Data& d = *data_;
  const int64_t count = std::max<int64_t>(0, last_run - first_run);
  const size_t N = d.node_prob.size();
  RunOutcomes out;
  out.weeks = d.weeks;
  out.nodes = static_cast<int32_t>(N);
  out.output_racks.assign(count * d.weeks, 0.0);
  out.backlog_rack_weeks.assign(count * model::kDemandKinds, 0.0);
  out.node_loss.assign(count * N, 0);
  auto make_workspace = [&d, N] {
    Workspace ws;
    ws.pool.assign(d.pools, 0.0);
    ws.waiting.assign(d.slots.size(), 0.0);
    ws.unsent.assign(d.transfers.size(), 0.0);
    ws.incoming.assign(static_cast<size_t>(d.weeks) * d.pools, 0.0);
    ws.inv.assign(d.plants.size() * d.designs, 0.0);
    ws.unbuilt.assign(d.entries.size(), 0.0);
    ws.unmade.assign(d.centries.size(), 0.0);
    ws.unshipped.assign(d.ships.size(), 0.0);
    ws.out_until.assign(N, 0);
    ws.out_flag.assign(N * d.weeks, 0);
    ws.went_out.reserve(N);
    return ws;
  };
  Workspace ws = make_workspace();
  for (int64_t i = 0; i < count; ++i) PlayRun(seed, first_run + i, ws, out, i);
  return out;
}

SimulationResult ReferenceSimulator::Summarize(const RunOutcomes& outcomes, uint64_t seed) const {
  const Data& d = *data_;
  const int64_t runs = outcomes.runs();
  const int32_t H = d.weeks;
  SimulationResult r;
  r.runs = runs;
  r.seed = seed;
  r.weeks = H;
  if (runs == 0) return r;
  std::vector<double> column(runs);
  auto pct = [&column] {
    Percentiles p;
    p.p5 = NearestRankPercentile(column, 5);
    p.p50 = NearestRankPercentile(column, 50);
    p.p95 = NearestRankPercentile(column, 95);
    return p;
  };
  for (int32_t t = 0; t < H; ++t) {
    const double target = model::TargetAt(scenario_.target, t);
    int64_t met = 0;
    for (int64_t run = 0; run < runs; ++run) {
      column[run] = outcomes.output_racks[run * H + t];
      met += column[run] >= target - 1e-9 ? 1 : 0;  // model::MeetsTarget, target hoisted
    }
    r.p_target_met_by_week.push_back(static_cast<double>(met) / static_cast<double>(runs));
    r.output_racks_by_week.push_back(pct());
  }
  for (int32_t k = 0; k < model::kDemandKinds; ++k) {
    for (int64_t run = 0; run < runs; ++run) column[run] = outcomes.backlog_rack_weeks[run * model::kDemandKinds + k];
    r.backlog_rack_weeks_pct[k] = pct();
  }
  const size_t N = d.node_names.size();
  std::vector<std::pair<std::string, double>> shares;
  for (size_t n = 0; n < N; ++n) {
    int64_t lost = 0;
    for (int64_t run = 0; run < runs; ++run) lost += outcomes.node_loss[run * N + n];
    if (lost > 0) shares.emplace_back(d.node_names[n], static_cast<double>(lost) / static_cast<double>(runs));
  }
  std::stable_sort(shares.begin(), shares.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  r.top_loss_nodes = std::move(shares);
  return r;
}
}  // namespace rackforge::risk::reference
