#include "risk/simulate.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <span>
#include <limits>
#include <stdexcept>

#include "model/availability.h"
#include "model/splitmix64.h"
#include "risk/nodes.h"
#include "risk/percentile.h"

namespace rackforge::risk {

namespace {

constexpr double kTol = 1e-6;
constexpr int kLanes = Simulator::kLanes;
static_assert(kLanes % 8 == 0, "the steps go over the lanes 2 or 4 (and 4 or 8 int32) at a time");
using Lanes = std::array<double, kLanes>;  // one value per lane

/// A plan quantity by week for the items of one step, in loop order: the dense values
/// [week][item] and, per week, the ascending items with a value other than 0. A step visits
/// those items and the ones that carry something over from earlier weeks; every other item
/// would only add 0 to its state.
struct WeekPlan {
  int32_t width = 0;
  std::vector<double> values;       // [week][item]
  std::vector<int32_t> item_begin;  // [week + 1]: into items
  std::vector<int32_t> items;

  const double* week(int32_t t) const { return values.data() + static_cast<size_t>(t) * width; }
  const int32_t* items_begin(int32_t t) const { return items.data() + item_begin[t]; }
  const int32_t* items_end(int32_t t) const { return items.data() + item_begin[t + 1]; }
};

/// Fills a WeekPlan of `width` items from value(t, i).
template <class Value>
WeekPlan MakeWeekPlan(int32_t weeks, size_t width, Value&& value) {
  WeekPlan plan;
  plan.width = static_cast<int32_t>(width);
  plan.values.assign(static_cast<size_t>(weeks) * width, 0.0);
  plan.item_begin.push_back(0);
  for (int32_t t = 0; t < weeks; ++t) {
    for (size_t i = 0; i < width; ++i) {
      plan.values[t * width + i] = value(t, i);
      if (plan.values[t * width + i] != 0) plan.items.push_back(static_cast<int32_t>(i));
    }
    plan.item_begin.push_back(static_cast<int32_t>(plan.items.size()));
  }
  return plan;
}

/// The items a step visits in week t, ascending: the plan's items of the week merged with
/// those carried over from earlier weeks (into `merged`, which has room for every item; when
/// nothing is carried over, the plan's list itself).
std::span<const int32_t> ItemsToVisit(const WeekPlan& plan, int32_t t, const std::vector<int32_t>& carried,
                                      std::vector<int32_t>& merged) {
  if (carried.empty()) return {plan.items_begin(t), plan.items_end(t)};
  merged.clear();
  std::set_union(plan.items_begin(t), plan.items_end(t), carried.begin(), carried.end(), std::back_inserter(merged));
  return merged;
}

struct BomItem {
  int32_t pool = 0;  // compact (plant, component) pool of the building plant
  double qty = 0;
};

/// The helpers below and the steps of the week loop are always inlined into it, so that they are
/// compiled once for each instruction set the loop is built for (PlayWeeks).
#define RACKFORGE_LANES_INLINE [[gnu::always_inline]] inline

// The AVX2 build of the week loop (PlayWeeksAvx2) where the compiler can target it per function
// (GCC's #pragma GCC target; Clang ignores that pragma, so it builds the baseline only).
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__) && !defined(__clang__)
#define RACKFORGE_SIMULATE_AVX2 1
#else
#define RACKFORGE_SIMULATE_AVX2 0
#endif
// The vectors of 4 doubles are passed in registers only inside the inlined loop: no ABI concern.
#pragma GCC diagnostic ignored "-Wpsabi"

/// W lanes of doubles in one vector (GCC/Clang vector extension) and its comparison masks (all
/// ones or all zeros per lane): W = 2 is one SSE2 register (the x86-64 baseline), W = 4 one AVX
/// register (the AVX2 build of the week loop, PlayWeeksAvx2). Every operation is a per-lane IEEE
/// one and neither build enables FMA (no contraction), so both give the same doubles. W = 4
/// without AVX is split by the compiler and measured twice as slow: the baseline build keeps W = 2.
template <int W>
struct Simd;
template <>
struct Simd<2> {
  using V = double __attribute__((vector_size(16)));
  using M = int64_t __attribute__((vector_size(16)));
  using I = int32_t __attribute__((vector_size(16)));  // 2·W lanes of int32
};
template <>
struct Simd<4> {
  using V = double __attribute__((vector_size(32)));
  using M = int64_t __attribute__((vector_size(32)));
  using I = int32_t __attribute__((vector_size(32)));
};

template <class V>
RACKFORGE_LANES_INLINE V LoadVec(const double* p) {
  V v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <class V>
RACKFORGE_LANES_INLINE void StoreVec(double* p, V v) {
  std::memcpy(p, &v, sizeof v);
}
template <class M>
RACKFORGE_LANES_INLINE M LoadMask(const int64_t* p) {
  M m;
  std::memcpy(&m, p, sizeof m);
  return m;
}
template <class V>
RACKFORGE_LANES_INLINE V Broadcast(double v) {
  V b;
  for (size_t i = 0; i < sizeof b / sizeof v; ++i) b[i] = v;
  return b;
}
/// Per lane m ? a : b (m all ones or all zeros).
template <class V, class M>
RACKFORGE_LANES_INLINE V Select(M m, V a, V b) {
  return (V)(((M)a & m) | ((M)b & ~m));
}
/// Per lane std::min(a, b) = b < a ? b : a and std::max(a, b) = a < b ? b : a (the same doubles).
template <class V>
RACKFORGE_LANES_INLINE V MinVec(V a, V b) {
  return Select(b < a, b, a);
}
template <class V>
RACKFORGE_LANES_INLINE V MaxVec(V a, V b) {
  return Select(a < b, b, a);
}
template <class M>
RACKFORGE_LANES_INLINE bool Any(M m) {
  if constexpr (sizeof m == 16) {
    return (m[0] | m[1]) != 0;
  } else {
    return ((m[0] | m[1]) | (m[2] | m[3])) != 0;
  }
}
template <class M>
RACKFORGE_LANES_INLINE bool All(M m) {
  if constexpr (sizeof m == 16) {
    return (m[0] & m[1]) == -1;
  } else {
    return ((m[0] & m[1]) & (m[2] & m[3])) == -1;
  }
}

/// True when x[r] · per_unit < limit[r] in every lane. Then limit[r] / per_unit > x[r] for the
/// exact values (the rounded product is below limit only if the exact one is), so the rounded
/// quotient is ≥ x[r] and min(x[r], limit[r] / per_unit) = x[r]: no division is needed.
template <int W>
RACKFORGE_LANES_INLINE bool AllBelow(const Lanes& x, double per_unit, const double* limit) {
  using V = typename Simd<W>::V;
  using M = typename Simd<W>::M;
  M not_below = {};
  for (int r = 0; r < kLanes; r += W) {
    V xv, lv;
    std::memcpy(&xv, x.data() + r, sizeof xv);
    std::memcpy(&lv, limit + r, sizeof lv);
    not_below |= ~(xv * per_unit < lv);
  }
  return !Any(not_below);
}

/// True when v[r] > 0 in some lane.
template <int W>
RACKFORGE_LANES_INLINE bool AnyPositive(const double* v) {
  using V = typename Simd<W>::V;
  using M = typename Simd<W>::M;
  M positive = {};
  for (int r = 0; r < kLanes; r += W) {
    V pv;
    std::memcpy(&pv, v + r, sizeof pv);
    positive |= pv > 0;
  }
  return Any(positive);
}

/// x[r] = min(x[r], limit[r] / per_unit) in every lane, dividing only where x[r] · per_unit <
/// limit[r] does not already show that the minimum is x[r] (see AllBelow).
template <int W>
RACKFORGE_LANES_INLINE void CapBy(Lanes& x, double per_unit, const double* limit) {
  using V = typename Simd<W>::V;
  using M = typename Simd<W>::M;
  if (AllBelow<W>(x, per_unit, limit)) return;
  for (int r = 0; r < kLanes; r += W) {  // W lanes at a time, dividing where a lane needs it
    const V xv = LoadVec<V>(x.data() + r), lv = LoadVec<V>(limit + r);
    const M divide = ~(xv * per_unit < lv);
    if (Any(divide)) StoreVec(x.data() + r, Select(divide, MinVec(xv, lv / per_unit), xv));
  }
}

/// x[r] capped by the parts in each lane r: min(x[r], pool(part) / qty(part)) over [begin, end)
/// in order, then max(x[r], 0). A part that cannot bind (CapBy) costs a multiplication and a
/// comparison per lane, no division. Once x[r] <= 0 further parts only lower it and the max
/// makes it 0, as when the loop stopped there (at most the sign of a zero differs). `pool` is
/// [pool][lane].
template <int W>
RACKFORGE_LANES_INLINE void CapByParts(Lanes& x, const BomItem* begin, const BomItem* end, const double* pool) {
  using V = typename Simd<W>::V;
  using M = typename Simd<W>::M;
  constexpr int kVecs = kLanes / W;
  std::array<V, kVecs> xv;  // x kept in registers over the parts
  std::memcpy(xv.data(), x.data(), sizeof xv);
  for (const BomItem* b = begin; b != end; ++b) {
    const double* at = pool + static_cast<size_t>(b->pool) * kLanes;
    const double qty = b->qty;
    std::array<V, kVecs> lv;
    std::array<M, kVecs> settled;  // the lanes where x·qty < pool settles the min (CapBy)
    M all = ~M{};
    for (int i = 0; i < kVecs; ++i) {
      lv[i] = LoadVec<V>(at + W * i);
      settled[i] = xv[i] * qty < lv[i];
      all &= settled[i];
    }
    if (All(all)) continue;
    for (int i = 0; i < kVecs; ++i) {
      if (!All(settled[i])) xv[i] = Select(settled[i], xv[i], MinVec(xv[i], lv[i] / qty));
    }
  }
  const V zero = {};
  for (int i = 0; i < kVecs; ++i) StoreVec(x.data() + W * i, MaxVec(xv[i], zero));  // std::max(x, 0.0)
}

/// Takes x[r] of every part from each lane's pools: pool(part) −= qty·x[r].
template <int W>
RACKFORGE_LANES_INLINE void TakeParts(const Lanes& x, const BomItem* begin, const BomItem* end, double* pool) {
  using V = typename Simd<W>::V;
  std::array<V, kLanes / W> xv;
  std::memcpy(xv.data(), x.data(), sizeof xv);
  for (const BomItem* b = begin; b != end; ++b) {
    double* at = pool + static_cast<size_t>(b->pool) * kLanes;
    for (int i = 0; i < kLanes / W; ++i) {
      V v;
      std::memcpy(&v, at + W * i, sizeof v);
      v -= b->qty * xv[i];
      std::memcpy(at + W * i, &v, sizeof v);
    }
  }
}

}  // namespace

struct Simulator::Data {
  struct SimLine {  // a rack line in loop order
    int32_t node = 0;
    int32_t plant = 0;  // its plant (= the plant's node: plants come first in loop order)
  };
  struct BuildEntry {  // one (line, design) the baseline builds, loop order
    int32_t line = 0;  // sim line; entries of a line (and of a plant) are contiguous
    int32_t plant = 0;
    int32_t inv_slot = 0;    // plant * G + design
    int32_t first_week = 0;  // available_from_week of the design
    int32_t last_week = 0;   // last_build_week of the design (INT32_MAX when none): U left after it is never built
    double test_hours = 0;
    int32_t bom_begin = 0, bom_end = 0;  // into bom
  };
  struct ShipEntry {  // one (lane, design, kind) the baseline ships on: per plant, design, kind, site
    int32_t plant = 0;
    int32_t inv_slot = 0;
    int32_t transit_weeks = 0;
    int32_t kind = 0;
  };
  struct OrderSlot {  // one (offer, plant) with a supply lane, plants in file order within an offer
    int32_t pool = 0;   // compact (plant, component) pool it delivers to
    int32_t delay = 0;  // lead_time_weeks + transit_weeks
  };
  struct SimOffer {  // an offer the baseline buys from
    int32_t node = 0;  // its supplier's node
    int32_t slot_begin = 0, slot_end = 0;
  };
  struct OrderEvent {  // buy[o,p,t] != 0 of one week, offers then plants in file order
    int32_t offer = 0;  // sim offer
    int32_t node = 0;   // its supplier's node
    int32_t slot = 0;
    int32_t cell = 0;  // where the units go when sent: the incoming cell of its arrival, or kDropped
    double units = 0;
  };
  struct SimTransfer {  // a transfers.csv row r = (p→q, c) the baseline uses, file order
    int32_t plant_node = 0;  // node of the from-plant p
    int32_t from_pool = 0, to_pool = 0;
    int32_t transit_weeks = 0;
  };
  struct SimCline {  // a component line the baseline makes on, loop order
    int32_t node = -1;       // its node (-1: not a risk node, never out by itself)
    int32_t plant_node = 0;  // node of its plant
  };
  struct MakeEntry {  // one (component line, component) the baseline makes, components order
    int32_t cline = 0;  // sim component line; entries of a line are contiguous
    int32_t pool = 0;   // pool(p, c) the units join
    int32_t parts_begin = 0, parts_end = 0;  // into bom: bom(c, part) from the plant's pools
  };

  int32_t weeks = 0;
  int32_t designs = 0;
  int32_t plants = 0;
  std::vector<std::string> node_names;
  std::vector<double> node_prob;
  // The draw's test u < p as integers: (next() >> 11) < ceil(p · 2^53), exact since u = (next() >> 11) · 2^-53.
  std::vector<uint64_t> node_threshold;
  std::vector<int32_t> node_recovery;
  std::vector<SimLine> lines;
  std::vector<BuildEntry> entries;
  std::vector<BomItem> bom;  // parts of the entries, by entry
  std::vector<ShipEntry> ships;
  std::vector<double> line_cap;    // [week][sim line]: racks_per_week * a(l,t)
  std::vector<double> plant_test;  // [week][plant]: test hours of the plan model
  WeekPlan make;                   // [week][entry]: make[l,g,t]
  WeekPlan ship;                   // [week][ship entry]: ship[p,g,d,k,t]
  std::vector<SimOffer> offers;
  std::vector<OrderSlot> slots;
  std::vector<OrderEvent> order_events;  // by week
  std::vector<int32_t> order_event_begin;  // [week + 1]: into order_events
  std::vector<int32_t> arrival_pools;       // by week: the pools that orders sent as planned reach that week
  std::vector<int32_t> arrival_begin;       // [week + 1]: into arrival_pools
  std::vector<double> spare_w;  // [week][sim offer]: max(0, capacity·m(s,t) − Σ_p buy[o,p,t])
  std::vector<SimCline> clines;
  std::vector<MakeEntry> centries;
  std::vector<double> cline_cap;  // [week][sim cline]: units_per_week * a(m,t)
  WeekPlan makec;                 // [week][make entry]: makec[m,c,t]
  std::vector<SimTransfer> transfers;
  WeekPlan xfer;                // [week][sim transfer]: xfer[r,t] (departure week)
  int32_t pools = 0;            // compact (plant, component) pools
  int32_t ring_mask = 0;        // parts in transit: ring of ring_mask + 1 weeks (a power of 2 above every delay)
  int32_t dropped_cell = 0;     // the cell after the ring: takes what is not sent (arrival after H-1, units <= 0)
  std::vector<double> on_hand;  // [pool]
  std::array<double, model::kDemandKinds> weighted_demand{};  // Σ_t (H - t) demand: Σ_t back with no shipments
  std::vector<double> planned_output;                         // [week]
};

/// One thread's state for kLanes runs played in lockstep, reused block after block (reset
/// with fill; the lists have their full capacity reserved, so a block allocates nothing).
/// Per-run state is laid out [item][lane]: run r of the block is lane r.
struct Simulator::Workspace {
  std::vector<double> pool, inv;
  std::vector<double> unbuilt;    // [entry][lane]: U[l,g]
  std::vector<double> unshipped;  // [ship entry][lane]: S[p,g,d,k]
  std::vector<double> unmade;     // [make entry][lane]: U[m,c]
  std::vector<double> waiting;    // [slot][lane]: Q[o,p]
  std::vector<double> unsent;     // [sim transfer][lane]: X[r]
  std::vector<double> incoming;   // [week & ring_mask][pool][lane]: parts sent, due that week
  // Cells of `incoming` other than the planned orders' (spare passes, transfers): per ring row the
  // pools written, and a mark [row][pool] so that each is listed once.
  std::vector<std::vector<int32_t>> extra_arrivals;
  std::vector<uint8_t> extra_marked;
  std::vector<int32_t> out_until;  // [node][lane]
  std::vector<uint8_t> out_any;    // [node]: out this week in some lane (set by step 1)
  std::vector<int64_t> out_mask;   // [node][lane]: -1 (all bits) when out this week, else 0 (set by step 1)
  std::vector<uint8_t> out_flag;   // [lane][node][week]
  std::vector<double> output;      // [lane][week]
  std::array<std::vector<int32_t>, kLanes> went_out;  // nodes that went out in the lane's run, in draw order
  std::vector<SplitMix64> rng = std::vector<SplitMix64>(kLanes, SplitMix64(0));  // one per lane's run
  std::array<std::array<double, kLanes>, model::kDemandKinds> backlog{};
  // What carries over into the next week in some lane, ascending: offers with a waiting order
  // > 0, entries with U > 0 that can still build, ship entries with S > 0 that can still
  // arrive, make entries with U > 0, transfers with X > 0 that can still arrive.
  std::vector<int32_t> waiting_offers, unbuilt_entries, unshipped_entries, unmade_entries, unsent_transfers;
  std::vector<int32_t> next;    // the list being built for the next week
  std::vector<int32_t> merged;  // ItemsToVisit's merge
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

// Component lines in loop order (per plant in file order: existing, then opened expansion
// component lines), each with the (line, component) pairs the baseline makes on, in the order
// of the line's `components` list; capacities and makec by week. Entries with no makec in any
// week are left out (their U stays 0 and they make nothing). D is Simulator::Data.
template <class D, class PoolOf>
void BuildComponentLines(const model::Scenario& s, const plan::PlanResult& b, const model::Availability& av,
                         const std::vector<int32_t>& cline_node, PoolOf&& pool, D& d) {
  const int32_t H = s.horizon_weeks;
  std::vector<int32_t> entry_line, entry_component, sim_line;
  for (int32_t p = 0; p < static_cast<int32_t>(s.plants.size()); ++p) {
    for (int32_t m : PlantComponentLinesInLoopOrder(s, b, p)) {
      const int32_t first_entry = static_cast<int32_t>(d.centries.size());
      for (int32_t c : s.component_lines[m].components) {
        double total = 0;
        for (int32_t t = 0; t < H; ++t) total += b.makec[b.MakecIndex(m, c, t)];
        if (total <= 0) continue;
        typename D::MakeEntry e;
        e.cline = static_cast<int32_t>(d.clines.size());
        e.pool = pool(p, c);
        e.parts_begin = static_cast<int32_t>(d.bom.size());
        for (const model::BomEntry& part : s.components[c].parts) d.bom.push_back({pool(p, part.component), part.qty});
        e.parts_end = static_cast<int32_t>(d.bom.size());
        d.centries.push_back(e);
        entry_line.push_back(m);
        entry_component.push_back(c);
      }
      if (static_cast<int32_t>(d.centries.size()) == first_entry) continue;
      d.clines.push_back({cline_node[m], p});  // plants come first in loop order
      sim_line.push_back(m);
    }
  }
  const size_t M = d.clines.size(), E = d.centries.size();
  d.cline_cap.assign(H * M, 0.0);
  for (int32_t t = 0; t < H; ++t) {
    for (size_t i = 0; i < M; ++i) {
      const int32_t m = sim_line[i];
      d.cline_cap[t * M + i] = s.component_lines[m].units_per_week * av.component_line_availability(m, t);
    }
  }
  d.makec = MakeWeekPlan(
      H, E, [&](int32_t t, size_t e) { return b.makec[b.MakecIndex(entry_line[e], entry_component[e], t)]; });
}

// Ship entries per plant: design, kind (evaluation, firm, option), site in file order; only
// those the baseline ships on. D is Simulator::Data.
template <class D>
void BuildShipEntries(const model::Scenario& s, const plan::PlanResult& b, D& d) {
  const int32_t H = s.horizon_weeks, G = static_cast<int32_t>(s.designs.size());
  std::vector<int32_t> ship_lane, ship_design, ship_kind;
  for (int32_t p = 0; p < static_cast<int32_t>(s.plants.size()); ++p) {
    std::vector<int32_t> lanes;
    for (int32_t ln = 0; ln < static_cast<int32_t>(s.lanes.size()); ++ln) {
      if (s.lanes[ln].plant == p) lanes.push_back(ln);
    }
    std::stable_sort(lanes.begin(), lanes.end(), [&](int32_t a, int32_t c) { return s.lanes[a].site < s.lanes[c].site; });
    for (int32_t g = 0; g < G; ++g) {
      for (int32_t k = 0; k < model::kDemandKinds; ++k) {
        for (int32_t ln : lanes) {
          double total = 0;
          for (int32_t t = 0; t < H; ++t) total += b.ship[b.ShipIndex(ln, g, k, t)];
          if (total <= 0) continue;
          d.ships.push_back({p, p * G + g, s.lanes[ln].transit_weeks, k});
          ship_lane.push_back(ln);
          ship_design.push_back(g);
          ship_kind.push_back(k);
        }
      }
    }
  }
  d.ship = MakeWeekPlan(
      H, d.ships.size(),
      [&](int32_t t, size_t i) { return b.ship[b.ShipIndex(ship_lane[i], ship_design[i], ship_kind[i], t)]; });
}

}  // namespace

Simulator::Simulator(const model::Scenario& scenario, const plan::PlanResult& baseline,
                     model::OptionDemandMode option_demand)
    : scenario_(scenario), data_(std::make_unique<Data>()) {
  CheckBaseline(scenario, baseline);
  Data& d = *data_;
  const int32_t H = scenario.horizon_weeks;
  const int32_t G = static_cast<int32_t>(scenario.designs.size());
  d.weeks = H;
  d.designs = G;
  d.plants = static_cast<int32_t>(scenario.plants.size());
  const model::Availability av(scenario, scenario.disruptions);

  // Nodes in loop order; map entities to node ids.
  const std::vector<model::NodeRef> nodes = RiskNodes(scenario, baseline);
  std::vector<int32_t> line_node(scenario.lines.size(), -1), supplier_node(scenario.suppliers.size(), -1);
  std::vector<int32_t> cline_node(scenario.component_lines.size(), -1);
  for (size_t n = 0; n < nodes.size(); ++n) {
    d.node_names.push_back(model::NodeName(scenario, nodes[n]));
    d.node_prob.push_back(model::NodeOutageProbPerWeek(scenario, nodes[n]));
    d.node_threshold.push_back(OutageDrawThreshold(d.node_prob.back()));
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

  // Lines in loop order and the (line, design) pairs the baseline builds; capacities by week.
  std::vector<int32_t> entry_line, entry_design, sim_line;  // baseline indices
  for (int32_t p = 0; p < d.plants; ++p) {
    for (int32_t l : PlantLinesInLoopOrder(scenario, baseline, p)) {
      const int32_t li = static_cast<int32_t>(d.lines.size());
      d.lines.push_back({line_node[l], p});
      sim_line.push_back(l);
      for (int32_t g : scenario.lines[l].designs) {
        double total = 0;
        for (int32_t t = 0; t < H; ++t) total += baseline.make[baseline.MakeIndex(l, g, t)];
        if (total <= 0) continue;
        Data::BuildEntry e;
        e.line = li;
        e.plant = p;
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
    }
  }
  const size_t L = d.lines.size(), P = d.plants;
  d.line_cap.assign(H * L, 0.0);
  d.plant_test.assign(H * P, 0.0);
  d.planned_output.assign(H, 0.0);
  for (int32_t t = 0; t < H; ++t) {
    for (int32_t p = 0; p < d.plants; ++p) {
      d.plant_test[t * P + p] = av.test_hours(p, model::TestCellsAt(scenario, p, t, baseline.opened), t);
    }
    for (size_t li = 0; li < L; ++li) {
      d.line_cap[t * L + li] = scenario.lines[sim_line[li]].racks_per_week * av.line_availability(sim_line[li], t);
    }
    for (size_t l = 0; l < scenario.lines.size(); ++l) {
      for (int32_t g = 0; g < G; ++g) d.planned_output[t] += baseline.make[baseline.MakeIndex(l, g, t)];
    }
  }
  d.make = MakeWeekPlan(
      H, d.entries.size(),
      [&](int32_t t, size_t e) { return baseline.make[baseline.MakeIndex(entry_line[e], entry_design[e], t)]; });

  BuildShipEntries(scenario, baseline, d);

  // Orders: offers in file order, each with its (plant, lane) slots in plant file order.
  std::vector<model::SupplyLane> lanes = model::SupplyLanes(scenario);
  std::stable_sort(lanes.begin(), lanes.end(), [](const model::SupplyLane& x, const model::SupplyLane& y) {
    return x.plant < y.plant;
  });
  std::vector<int32_t> slot_offer, slot_plant, slot_sim_offer;
  int32_t max_delay = 0;
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
      max_delay = std::max(max_delay, d.slots.back().delay);
      slot_offer.push_back(static_cast<int32_t>(o));
      slot_plant.push_back(lane.plant);
      slot_sim_offer.push_back(static_cast<int32_t>(d.offers.size()));
    }
    so.slot_end = static_cast<int32_t>(d.slots.size());
    if (so.slot_end > so.slot_begin) d.offers.push_back(so);
  }
  const size_t O = d.offers.size();
  d.spare_w.assign(H * O, 0.0);
  for (int32_t t = 0; t < H; ++t) {
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
  const bool has_xfer = baseline.xfer.size() == scenario.transfers.size() * H;
  for (size_t r = 0; r < scenario.transfers.size() && has_xfer; ++r) {
    const model::Transfer& x = scenario.transfers[r];
    double total = 0;
    for (int32_t t = 0; t < H; ++t) total += baseline.xfer[baseline.XferIndex(static_cast<int32_t>(r), t)];
    if (total <= 0) continue;
    d.transfers.push_back({x.from_plant, pool(x.from_plant, x.component), pool(x.to_plant, x.component), x.transit_weeks});
    max_delay = std::max(max_delay, x.transit_weeks);
    transfer_row.push_back(static_cast<int32_t>(r));
  }
  d.xfer = MakeWeekPlan(
      H, d.transfers.size(), [&](int32_t t, size_t i) { return baseline.xfer[baseline.XferIndex(transfer_row[i], t)]; });

  int32_t ring = 1;
  while (ring <= max_delay) ring *= 2;
  d.ring_mask = ring - 1;
  d.dropped_cell = ring * d.pools;

  // The orders of each week in loop order, with the incoming cell their units go to when sent.
  d.order_event_begin.push_back(0);
  for (int32_t t = 0; t < H; ++t) {
    for (size_t q = 0; q < d.slots.size(); ++q) {
      const double units = baseline.buy[baseline.BuyIndex(slot_offer[q], slot_plant[q], t)];
      if (units == 0) continue;
      const Data::OrderSlot& slot = d.slots[q];
      const int32_t arrival = t + slot.delay;
      const bool sent = units > 0 && arrival <= H - 1;  // later arrivals are dropped
      const int32_t cell = sent ? (arrival & d.ring_mask) * d.pools + slot.pool : d.dropped_cell;
      const int32_t offer = slot_sim_offer[q];
      d.order_events.push_back({offer, d.offers[offer].node, static_cast<int32_t>(q), cell, units});
    }
    d.order_event_begin.push_back(static_cast<int32_t>(d.order_events.size()));
  }
  std::vector<std::vector<int32_t>> arriving(H);
  for (int32_t t = 0; t < H; ++t) {
    for (int32_t e = d.order_event_begin[t]; e < d.order_event_begin[t + 1]; ++e) {
      const Data::OrderEvent& ev = d.order_events[e];
      if (ev.cell == d.dropped_cell) continue;
      arriving[t + d.slots[ev.slot].delay].push_back(d.slots[ev.slot].pool);
    }
  }
  d.arrival_begin.push_back(0);
  for (std::vector<int32_t>& pools : arriving) {
    std::sort(pools.begin(), pools.end());
    pools.erase(std::unique(pools.begin(), pools.end()), pools.end());
    d.arrival_pools.insert(d.arrival_pools.end(), pools.begin(), pools.end());
    d.arrival_begin.push_back(static_cast<int32_t>(d.arrival_pools.size()));
  }

  for (const model::Demand& dm : scenario.demand) {
    d.weighted_demand[static_cast<int>(dm.kind)] += (H - dm.week) * model::PlanDemandRacks(dm, option_demand);
  }
}

Simulator::~Simulator() = default;

const std::vector<std::string>& Simulator::node_names() const { return data_->node_names; }
const std::vector<double>& Simulator::planned_output_racks() const { return data_->planned_output; }

// Node n of lane r goes out in `week` (rare: kept out of the draw loop).
void Simulator::GoOut(int32_t week, int32_t n, int r, Workspace& ws) const {
  const Data& d = *data_;
  const int32_t H = d.weeks;
  int32_t& out_until = ws.out_until[static_cast<size_t>(n) * kLanes + r];
  const int32_t until = week + d.node_recovery[n];
  // First outage of the run (a node with recovery 0 is never out); capacity reserved: no allocation.
  if (out_until == 0 && until > week) ws.went_out[r].push_back(n);
  out_until = until;
  uint8_t* flag = ws.out_flag.data() + (static_cast<size_t>(r) * d.node_prob.size() + n) * H;
  std::fill(flag + week, flag + std::min(until, H), uint8_t{1});
}

template <int W>
RACKFORGE_LANES_INLINE void Simulator::DrawOutages(int32_t week, Workspace& ws) const {
  using M = typename Simd<W>::M;
  const Data& d = *data_;
  const int32_t N = static_cast<int32_t>(d.node_prob.size());
  const uint64_t* threshold = d.node_threshold.data();
  for (int r = 0; r < kLanes; ++r) {
    SplitMix64 rng = ws.rng[r];  // a local: the loop keeps it in a register
    const int32_t* out_until = ws.out_until.data() + r;
    for (int32_t n = 0; n < N; ++n) {
      if (week < out_until[static_cast<size_t>(n) * kLanes]) continue;  // out: draws nothing
      if ((rng.Next() >> 11) < threshold[n]) GoOut(week, n, r, ws);   // u < outage_prob_per_week
    }
    ws.rng[r] = rng;
  }
  for (int32_t n = 0; n < N; ++n) {
    const int32_t* out_until = ws.out_until.data() + static_cast<size_t>(n) * kLanes;
    M out = {};  // lanes out this week, 2·W at a time
    for (int r = 0; r < kLanes; r += 2 * W) {
      typename Simd<W>::I lanes;
      std::memcpy(&lanes, out_until + r, sizeof lanes);
      out |= (M)(lanes > week);
    }
    const bool any = Any(out);
    if (!any && ws.out_any[n] == 0) continue;  // the mask row is all 0 already
    int64_t* mask = ws.out_mask.data() + static_cast<size_t>(n) * kLanes;
    for (int r = 0; r < kLanes; ++r) mask[r] = week < out_until[r] ? -1 : 0;
    ws.out_any[n] = any ? 1 : 0;
  }
}

// Step 2 in one pass over the week's orders (offers, then plants, in file order). An offer with
// a waiting order (the list carried from last week) also gets its spare pass, right after its
// own orders of the week and before the next offer's; an offer with neither would only add 0.
// In a lane where the supplier is out the units join Q and 0 goes to the incoming cell, else
// the reverse: adding 0 changes nothing.
template <int W>
RACKFORGE_LANES_INLINE void Simulator::PlaceOrders(int32_t week, Workspace& ws) const {
  using V = typename Simd<W>::V;
  using M = typename Simd<W>::M;
  const Data& d = *data_;
  const int32_t H = d.weeks;
  const double* spare_w = d.spare_w.data() + week * d.offers.size();
  std::vector<int32_t>& next = ws.next;
  next.clear();
  auto keep_waiting = [&next](int32_t offer) __attribute__((always_inline)) {
    if (next.empty() || next.back() != offer) next.push_back(offer);
  };
  size_t k = 0;  // into ws.waiting_offers
  auto spare_passes_before = [&](int32_t offer_limit) __attribute__((always_inline)) {  // inlined: compiled for the caller's instruction set
    for (; k < ws.waiting_offers.size() && ws.waiting_offers[k] < offer_limit; ++k) {
      const int32_t i = ws.waiting_offers[k];
      const Data::SimOffer& offer = d.offers[i];
      Lanes spare;  // per lane, given to the slots in plant file order; 0 where the supplier is out
      const int64_t* out = ws.out_mask.data() + static_cast<size_t>(offer.node) * kLanes;
      const V offer_spare = Broadcast<V>(spare_w[i]), no_spare = {};
      for (int r = 0; r < kLanes; r += W) StoreVec(spare.data() + r, Select(LoadMask<M>(out + r), no_spare, offer_spare));
      bool waits = false;
      for (int32_t q = offer.slot_begin; q < offer.slot_end; ++q) {
        double* waiting = ws.waiting.data() + static_cast<size_t>(q) * kLanes;
        if (!AnyPositive<W>(waiting)) continue;  // z <= 0 in every lane: nothing sent, nothing waits
        const int32_t arrival = week + d.slots[q].delay;
        const int32_t row = arrival & d.ring_mask;
        double* cell = ws.incoming.data() + (static_cast<size_t>(row) * d.pools + d.slots[q].pool) * kLanes;
        // W lanes at a time: z = min(Q, spare) where spare > 0 and z > 0, else 0 (adds and takes 0).
        const V zero = {};
        M waits_mask = {};
        for (int r = 0; r < kLanes; r += W) {
          V w = LoadVec<V>(waiting + r), sp = LoadVec<V>(spare.data() + r);
          V z = MinVec(w, sp);
          z = Select((sp > 0) & (z > 0), z, zero);
          StoreVec(spare.data() + r, sp - z);
          w -= z;
          StoreVec(waiting + r, w);
          if (arrival <= H - 1) StoreVec(cell + r, LoadVec<V>(cell + r) + z);  // later arrivals are dropped
          waits_mask |= w > 0;
        }
        waits = waits || Any(waits_mask);
        if (arrival <= H - 1) MarkArrival(ws, row, d.slots[q].pool);
      }
      if (waits) keep_waiting(i);
    }
  };
  const Data::OrderEvent* end = d.order_events.data() + d.order_event_begin[week + 1];
  for (const Data::OrderEvent* ev = d.order_events.data() + d.order_event_begin[week]; ev != end; ++ev) {
    if (k < ws.waiting_offers.size() && ws.waiting_offers[k] < ev->offer) spare_passes_before(ev->offer);
    double* incoming = ws.incoming.data() + static_cast<size_t>(ev->cell) * kLanes;
    if (ws.out_any[ev->node] == 0) {  // the supplier is up in every lane: all sent, Q unchanged (+0 adds nothing)
      const double units = ev->units;
      for (int r = 0; r < kLanes; r += W) StoreVec(incoming + r, LoadVec<V>(incoming + r) + units);
      continue;
    }
    const int32_t* out_until = ws.out_until.data() + static_cast<size_t>(ev->node) * kLanes;
    double* waiting = ws.waiting.data() + static_cast<size_t>(ev->slot) * kLanes;
    bool waits = false;
    for (int r = 0; r < kLanes; ++r) {
      const bool out = week < out_until[r];  // supplier out: the order waits
      waiting[r] += out ? ev->units : 0.0;
      incoming[r] += out ? 0.0 : ev->units;
      waits = waits || (out && waiting[r] > 0);
    }
    if (waits) keep_waiting(ev->offer);
  }
  spare_passes_before(std::numeric_limits<int32_t>::max());
  ws.waiting_offers.swap(next);
}

void Simulator::MarkArrival(Workspace& ws, int32_t row, int32_t pool) const {
  uint8_t& marked = ws.extra_marked[static_cast<size_t>(row) * data_->pools + pool];
  if (marked != 0) return;
  marked = 1;
  ws.extra_arrivals[row].push_back(pool);
}

// Step 3 for the cells of this week's ring row that can hold something: the pools the week's
// planned orders reach and those marked by a spare pass or a transfer. Every other cell holds
// +0 (cleared when last received, never written since), which would add nothing.
template <int W>
RACKFORGE_LANES_INLINE void Simulator::ReceiveParts(int32_t week, Workspace& ws) const {
  using V = typename Simd<W>::V;
  const Data& d = *data_;
  const int32_t row = week & d.ring_mask;
  double* due = ws.incoming.data() + static_cast<size_t>(row) * d.pools * kLanes;
  auto receive = [&](int32_t pool) __attribute__((always_inline)) {
    double* to = ws.pool.data() + static_cast<size_t>(pool) * kLanes;
    double* from = due + static_cast<size_t>(pool) * kLanes;
    for (int i = 0; i < kLanes; i += W) {
      V a, b;
      std::memcpy(&a, to + i, sizeof a);
      std::memcpy(&b, from + i, sizeof b);
      a += b;
      std::memcpy(to + i, &a, sizeof a);
    }
    std::fill(from, from + kLanes, 0.0);  // the ring's row is free for week + ring size
  };
  for (int32_t i = d.arrival_begin[week]; i < d.arrival_begin[week + 1]; ++i) receive(d.arrival_pools[i]);
  for (const int32_t pool : ws.extra_arrivals[row]) {  // a pool also listed above now holds +0
    receive(pool);
    ws.extra_marked[static_cast<size_t>(row) * d.pools + pool] = 0;
  }
  ws.extra_arrivals[row].clear();
}

// Step 4: each component line in loop order makes, per component in `components` order,
// x = min(makec[m,c,t] + U[m,c], capacity left (0 while the line or its plant is out),
// min over c's parts of pool(p,part) / bom(c,part)); takes the parts, adds x to pool(p,c),
// U[m,c] += makec − x. A part made later in loop order is not yet in the pool. Entries
// with makec = 0 and U ≤ 0 in every lane make nothing and are not visited.
template <int W>
RACKFORGE_LANES_INLINE void Simulator::MakeComponents(int32_t week, Workspace& ws) const {
  const Data& d = *data_;
  const size_t M = d.clines.size();
  const double* makec = d.makec.week(week);
  int32_t line = -1;
  Lanes cap_left{};
  ws.next.clear();
  for (const int32_t e : ItemsToVisit(d.makec, week, ws.unmade_entries, ws.merged)) {
    const Data::MakeEntry& entry = d.centries[e];
    if (entry.cline != line) {
      line = entry.cline;
      const Data::SimCline& cl = d.clines[line];
      for (int r = 0; r < kLanes; ++r) {
        const bool out = week < ws.out_until[cl.plant_node * kLanes + r] ||
                         (cl.node >= 0 && week < ws.out_until[cl.node * kLanes + r]);
        cap_left[r] = out ? 0.0 : d.cline_cap[week * M + line];
      }
    }
    double* unmade = ws.unmade.data() + static_cast<size_t>(e) * kLanes;
    Lanes x;
    for (int r = 0; r < kLanes; ++r) x[r] = std::min(makec[e] + unmade[r], cap_left[r]);
    const BomItem* parts = d.bom.data();
    CapByParts<W>(x, parts + entry.parts_begin, parts + entry.parts_end, ws.pool.data());
    TakeParts<W>(x, parts + entry.parts_begin, parts + entry.parts_end, ws.pool.data());
    bool carry = false;
    for (int r = 0; r < kLanes; ++r) {
      cap_left[r] -= x[r];
      ws.pool[static_cast<size_t>(entry.pool) * kLanes + r] += x[r];
      unmade[r] += makec[e] - x[r];
      carry = carry || unmade[r] > 0;
    }
    if (carry) ws.next.push_back(e);
  }
  ws.unmade_entries.swap(ws.next);
}

// Step 5: each transfer in file order sends y = min(xfer[r,t] + X[r], pool(p,c)) when
// p is not out and t + τ_r ≤ H−1 (τ_r = 0: into pool(q,c) at once); X[r] += xfer − y.
// While p is out, xfer[r,t] joins X[r]. Transfers with xfer = 0 and X ≤ 0 send nothing.
template <int W>
RACKFORGE_LANES_INLINE void Simulator::SendTransfers(int32_t week, Workspace& ws) const {
  using V = typename Simd<W>::V;
  using M = typename Simd<W>::M;
  const Data& d = *data_;
  const int32_t H = d.weeks;
  const double* planned = d.xfer.week(week);
  ws.next.clear();
  for (const int32_t i : ItemsToVisit(d.xfer, week, ws.unsent_transfers, ws.merged)) {
    const Data::SimTransfer& x = d.transfers[i];
    if (week + x.transit_weeks > H - 1) continue;  // no xfer column: nothing planned, nothing sent, ever again
    double* unsent = ws.unsent.data() + static_cast<size_t>(i) * kLanes;
    double* from = ws.pool.data() + static_cast<size_t>(x.from_pool) * kLanes;
    double* to = x.transit_weeks == 0
                     ? ws.pool.data() + static_cast<size_t>(x.to_pool) * kLanes
                     : ws.incoming.data() +
                           (static_cast<size_t>((week + x.transit_weeks) & d.ring_mask) * d.pools + x.to_pool) * kLanes;
    if (x.transit_weeks > 0) MarkArrival(ws, (week + x.transit_weeks) & d.ring_mask, x.to_pool);
    // W lanes at a time; a lane where p is out sends y = 0: X += xfer, the pools add or take 0.
    const int64_t* out = ws.out_mask.data() + static_cast<size_t>(x.plant_node) * kLanes;
    const V zero = {};
    M carry_mask = {};
    for (int r = 0; r < kLanes; r += W) {
      V u = LoadVec<V>(unsent + r);
      const V y = Select(LoadMask<M>(out + r), zero, MaxVec(zero, MinVec(planned[i] + u, LoadVec<V>(from + r))));
      StoreVec(from + r, LoadVec<V>(from + r) - y);
      StoreVec(to + r, LoadVec<V>(to + r) + y);
      u += planned[i] - y;
      StoreVec(unsent + r, u);
      carry_mask |= u > 0;
    }
    const bool carry = Any(carry_mask);
    if (carry && week + 1 + x.transit_weeks <= H - 1) ws.next.push_back(i);
  }
  ws.unsent_transfers.swap(ws.next);
}

// Step 6, for the entries with make ≠ 0 this week or U > 0 in some lane that can still build
// (the others build nothing); a line's capacity and a plant's test hours are set at its first
// entry visited. output[r] = Σ x of lane r.
template <int W>
RACKFORGE_LANES_INLINE void Simulator::Build(int32_t week, Workspace& ws, Lanes& output) const {
  using V = typename Simd<W>::V;
  using M = typename Simd<W>::M;
  const Data& d = *data_;
  const size_t L = d.lines.size(), P = d.plants;
  const double* make = d.make.week(week);
  output.fill(0.0);
  int32_t plant = -1, line = -1;
  std::array<bool, kLanes> plant_out{};
  Lanes cap_left{}, test_left{};
  ws.next.clear();
  for (const int32_t e : ItemsToVisit(d.make, week, ws.unbuilt_entries, ws.merged)) {
    const Data::BuildEntry& entry = d.entries[e];
    if (entry.plant != plant) {
      plant = entry.plant;
      for (int r = 0; r < kLanes; ++r) plant_out[r] = week < ws.out_until[plant * kLanes + r];
      test_left.fill(d.plant_test[week * P + plant]);
    }
    if (entry.line != line) {
      line = entry.line;
      for (int r = 0; r < kLanes; ++r) {
        const bool out = plant_out[r] || week < ws.out_until[d.lines[line].node * kLanes + r];
        cap_left[r] = out ? 0.0 : d.line_cap[week * L + line];
      }
    }
    double* unbuilt = ws.unbuilt.data() + static_cast<size_t>(e) * kLanes;
    bool carry = false;
    if (week < entry.first_week || week > entry.last_week) {  // outside the design's build window
      for (int r = 0; r < kLanes; ++r) {
        unbuilt[r] += make[e];  // 0: the plan has no make column there
        carry = carry || unbuilt[r] > 0;
      }
    } else {
      Lanes x;
      for (int r = 0; r < kLanes; ++r) x[r] = std::min(make[e] + unbuilt[r], cap_left[r]);
      if (entry.test_hours > 0) CapBy<W>(x, entry.test_hours, test_left.data());
      const BomItem* parts = d.bom.data();
      CapByParts<W>(x, parts + entry.bom_begin, parts + entry.bom_end, ws.pool.data());
      TakeParts<W>(x, parts + entry.bom_begin, parts + entry.bom_end, ws.pool.data());
      double* inv = ws.inv.data() + static_cast<size_t>(entry.inv_slot) * kLanes;
      const double test_hours = entry.test_hours, planned = make[e];
      M carry_mask = {};
      for (int r = 0; r < kLanes; r += W) {  // x = 0 in a lane adds and takes 0
        const V xv = LoadVec<V>(x.data() + r);
        StoreVec(cap_left.data() + r, LoadVec<V>(cap_left.data() + r) - xv);
        StoreVec(test_left.data() + r, LoadVec<V>(test_left.data() + r) - xv * test_hours);
        StoreVec(inv + r, LoadVec<V>(inv + r) + xv);
        StoreVec(output.data() + r, LoadVec<V>(output.data() + r) + xv);
        const V u = LoadVec<V>(unbuilt + r) + (planned - xv);
        StoreVec(unbuilt + r, u);
        carry_mask |= u > 0;
      }
      carry = Any(carry_mask);
    }
    if (carry && week < entry.last_week) ws.next.push_back(e);
  }
  ws.unbuilt_entries.swap(ws.next);
}

// Step 7, for the ship entries with ship ≠ 0 this week or S > 0 in some lane (the others send 0).
template <int W>
RACKFORGE_LANES_INLINE void Simulator::Ship(int32_t week, Workspace& ws) const {
  using V = typename Simd<W>::V;
  using M = typename Simd<W>::M;
  const Data& d = *data_;
  const int32_t H = d.weeks;
  const double* ship = d.ship.week(week);
  auto backlog = ws.backlog;  // a local: the stores below cannot touch it
  ws.next.clear();
  for (const int32_t s : ItemsToVisit(d.ship, week, ws.unshipped_entries, ws.merged)) {
    const Data::ShipEntry& entry = d.ships[s];
    const int32_t arrival_week = week + entry.transit_weeks;
    if (arrival_week > H - 1) continue;  // no shipment can arrive within the horizon, now or later
    double* unshipped = ws.unshipped.data() + static_cast<size_t>(s) * kLanes;
    double* inv = ws.inv.data() + static_cast<size_t>(entry.inv_slot) * kLanes;
    // An arrival in week a reduces back[a..H-1]: H - a rack-weeks per rack.
    const double rack_weeks = static_cast<double>(H - arrival_week);
    const int64_t* out = ws.out_mask.data() + static_cast<size_t>(entry.plant) * kLanes;
    const V zero = {};
    M carry_mask = {};
    for (int r = 0; r < kLanes; r += W) {  // W lanes at a time; a plant that is out sends y = 0
      V u = LoadVec<V>(unshipped + r), v = LoadVec<V>(inv + r);
      const V y = Select(LoadMask<M>(out + r), zero, MaxVec(zero, MinVec(ship[s] + u, v)));
      StoreVec(inv + r, v - y);
      u += ship[s] - y;
      StoreVec(unshipped + r, u);
      StoreVec(backlog[entry.kind].data() + r, LoadVec<V>(backlog[entry.kind].data() + r) - rack_weeks * y);
      carry_mask |= u > 0;
    }
    const bool carry = Any(carry_mask);
    if (carry && arrival_week + 1 <= H - 1) ws.next.push_back(s);
  }
  ws.unshipped_entries.swap(ws.next);
  ws.backlog = backlog;
}

// Steps 1-7 of every week for the block's lanes, W lanes per vector operation; output[lane][week].
// Each step is a function of its own (a lambda, compiled for the instruction set of the function
// that holds it): measured faster than the whole loop inlined into one function.
#define RACKFORGE_PLAY_WEEKS(W)                                                           \
  const int32_t H = data_->weeks;                                                         \
  Lanes output;                                                                           \
  auto draw = [&](int32_t t) __attribute__((noinline)) { DrawOutages<W>(t, ws); };        \
  auto order = [&](int32_t t) __attribute__((noinline)) { PlaceOrders<W>(t, ws); };       \
  auto receive = [&](int32_t t) __attribute__((noinline)) { ReceiveParts<W>(t, ws); };    \
  auto make = [&](int32_t t) __attribute__((noinline)) { MakeComponents<W>(t, ws); };     \
  auto transfer = [&](int32_t t) __attribute__((noinline)) { SendTransfers<W>(t, ws); };  \
  auto build = [&](int32_t t) __attribute__((noinline)) { Build<W>(t, ws, output); };     \
  auto ship = [&](int32_t t) __attribute__((noinline)) { Ship<W>(t, ws); };               \
  for (int32_t t = 0; t < H; ++t) {                                                       \
    draw(t);                                                                              \
    order(t);                                                                             \
    receive(t);                                                                           \
    make(t);                                                                              \
    transfer(t);                                                                          \
    build(t);                                                                             \
    ship(t);                                                                              \
    for (int r = 0; r < kLanes; ++r) ws.output[static_cast<size_t>(r) * H + t] = output[r]; \
  }

void Simulator::PlayWeeksBaseline(Workspace& ws) const { RACKFORGE_PLAY_WEEKS(2) }

#if RACKFORGE_SIMULATE_AVX2
// The same steps compiled for AVX2 (inlined here, so the whole loop is; no FMA): run only where
// the CPU has AVX2 (UsesAvx2).
#pragma GCC push_options
#pragma GCC target("avx2")
void Simulator::PlayWeeksAvx2(Workspace& ws) const { RACKFORGE_PLAY_WEEKS(4) }
#pragma GCC pop_options

bool Simulator::UsesAvx2() const {
  static const bool cpu_has_avx2 = __builtin_cpu_supports("avx2") != 0;
  return vector_isa_ == VectorIsa::kBest && cpu_has_avx2;
}
#else
void Simulator::PlayWeeksAvx2(Workspace& ws) const { PlayWeeksBaseline(ws); }
bool Simulator::UsesAvx2() const { return false; }
#endif

void Simulator::PlayBlock(uint64_t seed, int64_t first_run, int64_t count, Workspace& ws, RunOutcomes& out,
                          int64_t first_slot) const {
  const Data& d = *data_;
  const int32_t H = d.weeks;
  for (size_t i = 0; i < d.on_hand.size(); ++i) {
    for (int r = 0; r < kLanes; ++r) ws.pool[i * kLanes + r] = d.on_hand[i];
  }
  std::fill(ws.inv.begin(), ws.inv.end(), 0.0);
  std::fill(ws.unbuilt.begin(), ws.unbuilt.end(), 0.0);
  std::fill(ws.unmade.begin(), ws.unmade.end(), 0.0);
  std::fill(ws.unshipped.begin(), ws.unshipped.end(), 0.0);
  std::fill(ws.waiting.begin(), ws.waiting.end(), 0.0);
  std::fill(ws.unsent.begin(), ws.unsent.end(), 0.0);
  std::fill(ws.incoming.begin(), ws.incoming.end(), 0.0);
  std::fill(ws.extra_marked.begin(), ws.extra_marked.end(), uint8_t{0});
  for (std::vector<int32_t>& pools : ws.extra_arrivals) pools.clear();
  std::fill(ws.out_until.begin(), ws.out_until.end(), 0);
  std::fill(ws.out_any.begin(), ws.out_any.end(), uint8_t{0});
  std::fill(ws.out_mask.begin(), ws.out_mask.end(), int64_t{0});
  std::fill(ws.out_flag.begin(), ws.out_flag.end(), uint8_t{0});
  ws.waiting_offers.clear();
  ws.unbuilt_entries.clear();
  ws.unshipped_entries.clear();
  ws.unmade_entries.clear();
  ws.unsent_transfers.clear();
  for (int r = 0; r < kLanes; ++r) {  // lanes past `count` play runs nobody reads
    ws.went_out[r].clear();
    ws.rng[r] = SplitMix64::ForRun(seed, static_cast<uint64_t>(first_run + r));
    for (int32_t k = 0; k < model::kDemandKinds; ++k) ws.backlog[k][r] = d.weighted_demand[k];
  }
  if (UsesAvx2()) {
    PlayWeeksAvx2(ws);
  } else {
    PlayWeeksBaseline(ws);
  }
  const size_t N = d.node_prob.size();
  for (int r = 0; r < count; ++r) {
    const int64_t slot = first_slot + r;
    const double* lane_output = ws.output.data() + static_cast<size_t>(r) * H;
    std::copy(lane_output, lane_output + H, out.output_racks.data() + slot * H);
    for (int32_t k = 0; k < model::kDemandKinds; ++k) out.backlog_rack_weeks[slot * model::kDemandKinds + k] = ws.backlog[k][r];
    uint8_t* loss = out.node_loss.data() + slot * N;
    uint16_t* short_weeks = out.node_short_weeks.data() + slot * N;
    const uint8_t* flag = ws.out_flag.data() + static_cast<size_t>(r) * N * H;
    std::fill(loss, loss + N, uint8_t{0});
    std::fill(short_weeks, short_weeks + N, uint16_t{0});
    for (int32_t n : ws.went_out[r]) {
      uint16_t weeks = 0;  // H <= 520
      for (int32_t t = 0; t < H; ++t) {
        if (flag[n * H + t] != 0 && d.planned_output[t] - lane_output[t] > kTol) ++weeks;
      }
      loss[n] = weeks > 0 ? 1 : 0;
      short_weeks[n] = weeks;
    }
  }
}

RunOutcomes Simulator::RunRange(uint64_t seed, int64_t first_run, int64_t last_run, int32_t threads) const {
  const Data& d = *data_;
  const int64_t count = std::max<int64_t>(0, last_run - first_run);
  const size_t N = d.node_prob.size();
  RunOutcomes out;
  out.weeks = d.weeks;
  out.nodes = static_cast<int32_t>(N);
  out.output_racks.assign(count * d.weeks, 0.0);
  out.backlog_rack_weeks.assign(count * model::kDemandKinds, 0.0);
  out.node_loss.assign(count * N, 0);
  out.node_short_weeks.assign(count * N, 0);
  auto make_workspace = [&d, N] {
    Workspace ws;
    ws.pool.assign(static_cast<size_t>(d.pools) * kLanes, 0.0);
    ws.waiting.assign(d.slots.size() * kLanes, 0.0);
    ws.unsent.assign(d.transfers.size() * kLanes, 0.0);
    ws.incoming.assign((static_cast<size_t>(d.dropped_cell) + 1) * kLanes, 0.0);
    ws.inv.assign(static_cast<size_t>(d.plants) * d.designs * kLanes, 0.0);
    ws.unbuilt.assign(d.entries.size() * kLanes, 0.0);
    ws.unmade.assign(d.centries.size() * kLanes, 0.0);
    ws.unshipped.assign(d.ships.size() * kLanes, 0.0);
    ws.out_until.assign(N * kLanes, 0);
    ws.out_any.assign(N, 0);
    ws.out_mask.assign(N * kLanes, 0);
    ws.extra_arrivals.assign(static_cast<size_t>(d.ring_mask) + 1, {});
    for (std::vector<int32_t>& pools : ws.extra_arrivals) pools.reserve(d.pools);
    ws.extra_marked.assign((static_cast<size_t>(d.ring_mask) + 1) * d.pools, 0);
    ws.out_flag.assign(N * d.weeks * kLanes, 0);
    ws.output.assign(static_cast<size_t>(d.weeks) * kLanes, 0.0);
    for (std::vector<int32_t>& w : ws.went_out) w.reserve(N);
    ws.waiting_offers.reserve(d.offers.size());
    ws.unbuilt_entries.reserve(d.entries.size());
    ws.unshipped_entries.reserve(d.ships.size());
    ws.unmade_entries.reserve(d.centries.size());
    ws.unsent_transfers.reserve(d.transfers.size());
    ws.next.reserve(std::max({d.offers.size(), d.entries.size(), d.ships.size(), d.centries.size(),
                              d.transfers.size()}));
    ws.merged.reserve(ws.next.capacity());
    return ws;
  };
  tbb::enumerable_thread_specific<Workspace> workspaces(make_workspace);
  tbb::task_arena arena(threads > 0 ? threads : tbb::task_arena::automatic);
  const int64_t blocks = (count + kLanes - 1) / kLanes;
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, blocks, 16), [&](const tbb::blocked_range<int64_t>& range) {
      Workspace& ws = workspaces.local();
      for (int64_t b = range.begin(); b < range.end(); ++b) {
        const int64_t first = b * kLanes;
        PlayBlock(seed, first_run + first, std::min<int64_t>(kLanes, count - first), ws, out, first);
      }
    });
  });
  return out;
}

SimulationResult Simulator::Summarize(const RunOutcomes& outcomes, uint64_t seed) const {
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
  for (int64_t run = 0; run < runs; ++run) {
    for (int32_t t = 0; t < H; ++t) {
      if (d.planned_output[t] - outcomes.output_racks[run * H + t] > kTol) ++r.shortfall_weeks;
    }
  }
  const size_t N = d.node_names.size();
  const bool have_weeks = outcomes.node_short_weeks.size() == outcomes.node_loss.size();
  struct Share {
    std::string node;
    double runs_share;
    double weeks_share;
  };
  std::vector<Share> shares;
  for (size_t n = 0; n < N; ++n) {
    int64_t lost = 0, weeks = 0;
    for (int64_t run = 0; run < runs; ++run) {
      lost += outcomes.node_loss[run * N + n];
      if (have_weeks) weeks += outcomes.node_short_weeks[run * N + n];
    }
    if (lost > 0) {
      shares.push_back({d.node_names[n], static_cast<double>(lost) / static_cast<double>(runs),
                        r.shortfall_weeks > 0 ? static_cast<double>(weeks) / static_cast<double>(r.shortfall_weeks)
                                              : 0.0});
    }
  }
  std::stable_sort(shares.begin(), shares.end(),
                   [](const Share& a, const Share& b) { return a.runs_share > b.runs_share; });
  for (const Share& share : shares) {
    r.top_loss_nodes.emplace_back(share.node, share.runs_share);
    r.loss_node_shortfall_week_share.push_back(share.weeks_share);
  }
  return r;
}

uint64_t OutageDrawThreshold(double p) {
  // k · 2^-53 < p iff k < p · 2^53 (a power-of-2 scaling, exact) iff k < ceil(p · 2^53) for an integer k.
  constexpr double kScale = 0x1.0p53;
  if (!(p > 0)) return 0;
  if (p >= 1) return static_cast<uint64_t>(kScale);
  return static_cast<uint64_t>(std::ceil(p * kScale));
}

SimulationResult Simulate(const Simulator& simulator, int64_t runs, uint64_t seed, int32_t threads) {
  return simulator.Summarize(simulator.RunRange(seed, 0, runs, threads), seed);
}

}  // namespace rackforge::risk
