// Synthetic scenario generator (see generate.h). The scenario is built in
// plain structs first (sizing every design so that its rules pass, with the
// generator's own facts: category pools, shelf voltages, stock to cover), then
// turned into a model::Scenario that io::ScenarioFiles writes.

#include "io/generate.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <tuple>
#include <utility>
#include <vector>

#include "io/errors.h"
#include "io/input_file.h"
#include "io/scenario_loader.h"
#include "io/scenario_writer.h"
#include "model/splitmix64.h"

namespace rackforge::io {
namespace {

namespace fs = std::filesystem;

// ------------------------------------------------------------------ random

/// SplitMix64 (model/splitmix64.h) with hand-written distributions: identical on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() { return state_.Next(); }
  /// Uniform in [0, 1).
  double Unit() { return state_.Uniform(); }
  /// Uniform in [lo, hi).
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Unit(); }
  /// Uniform integer in [lo, hi] (modulo bias is negligible for these ranges).
  int64_t Int(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo + 1)); }

 private:
  model::SplitMix64 state_;
};

/// x rounded to a multiple of step; steps below 1 divide by an integer so that
/// 31.4 prints as "31.4", not "31.400000000000002".
double Round(double x, double step) {
  if (step < 1) {
    const double inverse = std::round(1 / step);
    return std::round(x * inverse) / inverse;
  }
  return std::round(x / step) * step;
}
double RoundUp(double x, double step) { return std::ceil(x / step - 1e-9) * step; }

std::string PaddedId(const std::string& prefix, int32_t index, int32_t count) {
  const int width = static_cast<int>(std::to_string(count).size());
  return fmt::format("{}{:0{}}", prefix, index + 1, std::max(width, 2));
}

// ------------------------------------------------------------------- model

enum class Cat : int32_t {
  kComputeTray,
  kSwitchTray,
  kPowerShelf,
  kBusbar,
  kCdu,
  kManifold,
  kQuickDisconnect,
  kCableCartridge,
  kOptics,
  kFrame,
  kMisc
};
constexpr std::array<Cat, 9> kSharedCats = {Cat::kSwitchTray, Cat::kPowerShelf,      Cat::kBusbar,         Cat::kCdu,
                                            Cat::kManifold,   Cat::kQuickDisconnect, Cat::kCableCartridge, Cat::kOptics,
                                            Cat::kFrame};
constexpr std::array<const char*, 11> kCatNames = {
    "compute_tray",     "switch_tray",     "power_shelf", "busbar", "cdu", "manifold",
    "quick_disconnect", "cable_cartridge", "optics",      "frame",  "misc"};
constexpr std::array<const char*, 6> kMiscCats = {"cable",      "management", "bbu",
                                                  "cold_plate", "mechanical", "cooling_accessory"};

struct GComponent {
  std::string id, name, category;
  Cat cat = Cat::kMisc;
  double cost = 0, on_hand = 0, holding = 0;
  double power = 0, heat_liquid = 0, heat_air = 0, weight = 0, height = 0;
  double accelerators = 0, ports_required = 0, ports_provided = 0, power_capacity = 0, cooling_capacity = 0;
  double volts = 0;  // power shelves: the busbar voltage they feed
  std::vector<int32_t> offers;
};

struct GDesign {
  std::string id, name, requirement;
  int32_t available_from_week = 0, needed_by_week = 0;
  int32_t last_build_week = -1;  // -1 = none
  double test_hours = 0, build_hours = 0;
  std::vector<std::pair<int32_t, double>> bom;  // component index, qty
  double volts = 0, rating_a = 0, redundant = 0, delta_t = 10, max_air_w = 0;
  double rack_units = 0, max_weight_kg = 0, footprint_m2 = 0;
  double min_accelerators = 0, max_power_kw = 0, max_floor_load = 0;
};

struct GLine {
  std::string id;
  std::vector<int32_t> designs;
  double racks_per_week = 0, ramp_start_fraction = 1, cost_per_rack = 0;
  int32_t start_week = 0, ramp_weeks = 0;
};

struct GPlant {
  std::string id, state;
  double cells = 0;
  int32_t recovery_weeks = 0;
  double outage_prob = 0;
  std::vector<GLine> lines;
};

struct GExpansion {
  std::string id;
  int32_t plant = 0;
  bool is_line = true;
  double capex = 0, cells = 0;
  int32_t earliest = 0, lead = 0;
  GLine line;  // kind line
};

struct GComponentLine {
  std::string id;
  int32_t plant = 0;
  std::vector<int32_t> components;
  double units_per_week = 0, ramp_start_fraction = 1, cost_per_unit = 0;
  int32_t start_week = 0, ramp_weeks = 0;
};

struct World {
  const GenerateOptions* options = nullptr;
  std::vector<GComponent> components;
  std::vector<std::vector<int32_t>> pools;  // by Cat: component indices
  std::vector<GDesign> designs;
  std::vector<model::Supplier> suppliers;
  std::vector<model::Offer> offers;
  std::vector<GPlant> plants;
  std::vector<GExpansion> expansions;
  std::vector<std::vector<GComponentLine>> component_lines;  // [plant]
  struct ComponentLineExpansion {
    std::string id;
    int32_t plant = 0;
    double capex = 0;
    int32_t earliest = 0, lead = 0;
    GComponentLine line;
  };
  std::vector<ComponentLineExpansion> component_line_expansions;
  struct BomRow {
    int32_t component, part;
    double qty;
  };
  std::vector<BomRow> component_boms;
  std::vector<std::string> site_ids;
  std::vector<double> site_share;
  std::vector<model::Lane> lanes;
  std::vector<model::Demand> demand;
  std::vector<double> target_week0_full;  // {capacity at week 0, capacity with every expansion}
};

constexpr std::array<const char*, 12> kStates = {"TX", "OH", "WI", "VA", "IN", "MI",
                                                 "NM", "AZ", "GA", "NC", "TN", "CA"};
constexpr double kTestHoursPerCellWeek = 1140;  // 8 rack bays x 168 h x ~85 %

double TariffOf(const std::string& country) {
  static const std::vector<std::pair<std::string, double>> kTariffs = {
      {"US", 0.0},  {"MX", 0.0},  {"TW", 0.20}, {"CN", 0.45}, {"VN", 0.20}, {"TH", 0.19},
      {"MY", 0.19}, {"KR", 0.15}, {"JP", 0.15}, {"DE", 0.15}, {"IN", 0.25}, {"PL", 0.15}};
  for (const auto& [code, rate] : kTariffs) {
    if (code == country) return rate;
  }
  return 0.1;
}

// -------------------------------------------------------------- components

void SetHeat(GComponent& c, double power_w, double liquid_fraction) {
  c.power = Round(power_w, 1);
  c.heat_liquid = Round(c.power * liquid_fraction, 1);
  c.heat_air = c.power - c.heat_liquid;
}

GComponent MakeComponent(Cat cat, int32_t index_in_cat, Rng& rng) {
  GComponent c;
  c.cat = cat;
  c.category = kCatNames[static_cast<int>(cat)];
  switch (cat) {
    case Cat::kComputeTray:
      SetHeat(c, rng.Uniform(5000, 10500), rng.Uniform(0.86, 0.95));
      c.weight = Round(rng.Uniform(28, 40), 0.1);
      c.height = 1;
      c.accelerators = rng.Int(0, 1) == 0 ? 4 : 8;
      c.ports_required = static_cast<double>(rng.Int(4, 8));
      c.cost = Round(rng.Uniform(120000, 300000), 100);
      break;
    case Cat::kSwitchTray:
      SetHeat(c, rng.Uniform(1200, 2200), rng.Uniform(0.8, 0.9));
      c.weight = Round(rng.Uniform(16, 22), 0.1);
      c.height = 1;
      c.ports_required = 2;
      c.cost = Round(rng.Uniform(25000, 45000), 100);
      break;
    case Cat::kPowerShelf: {
      const bool hv = index_in_cat % 2 == 1;
      c.power_capacity = hv ? 110000 : 33000;
      c.volts = hv ? 800 : 54;
      c.weight = hv ? 35 : 16;
      c.height = hv ? 2 : 1;
      c.ports_required = 1;
      c.cost = Round((hv ? 30000 : 9500) * rng.Uniform(0.95, 1.1), 10);
      break;
    }
    case Cat::kBusbar:
      c.weight = Round(rng.Uniform(12, 30), 0.1);
      c.cost = Round(rng.Uniform(3500, 6500), 10);
      break;
    case Cat::kCdu: {
      const bool big = index_in_cat % 2 == 1;
      c.cooling_capacity = big ? 250000 : 150000;
      SetHeat(c, big ? 2500 : 1500, 0.8);
      c.weight = big ? 115 : 80;
      c.height = big ? 6 : 4;
      c.ports_required = 1;
      c.cost = Round((big ? 70000 : 45000) * rng.Uniform(0.95, 1.1), 10);
      break;
    }
    case Cat::kManifold:
      c.weight = Round(rng.Uniform(15, 22), 0.1);
      c.cost = Round(rng.Uniform(7500, 12500), 10);
      break;
    case Cat::kQuickDisconnect:
      c.weight = 0.25;
      c.cost = Round(rng.Uniform(120, 210), 1);
      break;
    case Cat::kCableCartridge:
      c.weight = Round(rng.Uniform(15, 20), 0.1);
      c.cost = Round(rng.Uniform(8000, 12000), 10);
      break;
    case Cat::kOptics:
      SetHeat(c, rng.Uniform(15, 25), 0);
      c.weight = 0.02;
      c.ports_provided = 2;
      c.cost = Round(rng.Uniform(600, 1100), 1);
      break;
    case Cat::kFrame:
      c.weight = Round(rng.Uniform(130, 150), 0.1);
      c.cost = Round(rng.Uniform(4000, 7000), 10);
      break;
    case Cat::kMisc:
      c.category = kMiscCats[index_in_cat % kMiscCats.size()];
      SetHeat(c, rng.Int(0, 2) == 0 ? 0.0 : rng.Uniform(5, 60), 0);
      c.weight = Round(rng.Uniform(0.2, 3), 0.01);
      c.cost = Round(rng.Uniform(20, 2000), 1);
      break;
  }
  c.holding = Round(c.cost * 0.0025, 0.01);
  return c;
}

void MakeComponents(World& w, Rng& rng) {
  const GenerateOptions& o = *w.options;
  const int32_t rest = o.components - o.designs;
  const int32_t shared_each = std::max(1, std::min(o.designs, rest / 12));
  w.pools.assign(static_cast<size_t>(Cat::kMisc) + 1, {});
  std::vector<Cat> cats(static_cast<size_t>(o.designs), Cat::kComputeTray);
  for (Cat cat : kSharedCats) cats.insert(cats.end(), static_cast<size_t>(shared_each), cat);
  cats.resize(static_cast<size_t>(o.components), Cat::kMisc);
  for (size_t i = 0; i < cats.size(); ++i) {
    auto& pool = w.pools[static_cast<size_t>(cats[i])];
    GComponent c = MakeComponent(cats[i], static_cast<int32_t>(pool.size()), rng);
    c.id = PaddedId("c", static_cast<int32_t>(i), o.components);
    c.name = fmt::format("{} {}", c.category, pool.size() + 1);
    pool.push_back(static_cast<int32_t>(i));
    w.components.push_back(std::move(c));
  }
}

// ----------------------------------------------------------------- designs

struct Sums {
  double power = 0, liquid = 0, air = 0, weight = 0, height = 0, acc = 0, preq = 0, pprov = 0, pcap = 0, ccap = 0;
  double max_pcap = 0;
};

Sums SumBom(const World& w, const GDesign& d) {
  Sums s;
  for (const auto& [ci, q] : d.bom) {
    const GComponent& c = w.components[static_cast<size_t>(ci)];
    s.power += q * c.power;
    s.liquid += q * c.heat_liquid;
    s.air += q * c.heat_air;
    s.weight += q * c.weight;
    s.height += q * c.height;
    s.acc += q * c.accelerators;
    s.preq += q * c.ports_required;
    s.pprov += q * c.ports_provided;
    s.pcap += q * c.power_capacity;
    s.ccap += q * c.cooling_capacity;
    if (q > 0) s.max_pcap = std::max(s.max_pcap, c.power_capacity);
  }
  return s;
}

int32_t PoolPick(const World& w, Cat cat, int32_t g) {
  const auto& pool = w.pools[static_cast<size_t>(cat)];
  return pool[static_cast<size_t>(g) % pool.size()];
}

/// Adds the liquid loop, power and optics sized from the BOM so far, then
/// sets every design field and requirement with a margin of 5-20 %.
void SizeDesign(World& w, GDesign& d, int32_t g, Rng& rng) {
  const int32_t cdu = PoolPick(w, Cat::kCdu, g);
  const GComponent& cdu_c = w.components[static_cast<size_t>(cdu)];
  Sums s = SumBom(w, d);
  const double n_cdu = std::ceil(1.2 * (s.liquid + 4 * cdu_c.heat_liquid) / cdu_c.cooling_capacity);
  d.bom.push_back({cdu, n_cdu});
  const int32_t optics = PoolPick(w, Cat::kOptics, g);
  const int32_t shelf = PoolPick(w, Cat::kPowerShelf, g);
  const GComponent& shelf_c = w.components[static_cast<size_t>(shelf)];
  s = SumBom(w, d);
  const double shelf_need = std::ceil(1.15 * (s.power + 400 * 25) / shelf_c.power_capacity);
  const double n_shelf = shelf_need + 1;
  const double n_optics = std::ceil(1.1 * (s.preq + n_shelf) / 2);
  d.bom.push_back({optics, n_optics});
  d.bom.push_back({shelf, n_shelf});
  s = SumBom(w, d);
  d.volts = shelf_c.volts;
  d.redundant = 1;
  d.rating_a = RoundUp(s.power / d.volts * rng.Uniform(1.1, 1.3), 50);
  d.max_air_w = RoundUp(s.air * rng.Uniform(1.1, 1.3), 500);
  d.rack_units = std::ceil(s.height * rng.Uniform(1.05, 1.15)) + 1;
  d.max_weight_kg = RoundUp(s.weight * rng.Uniform(1.05, 1.15), 10);
  d.footprint_m2 = s.weight > 2000 ? 1.44 : 0.72;
  d.min_accelerators = s.acc;
  d.max_power_kw = RoundUp(s.power / 1000 * rng.Uniform(1.05, 1.2), 1);
  d.max_floor_load = RoundUp(s.weight / d.footprint_m2 * rng.Uniform(1.05, 1.2), 50);
}

void MakeDesigns(World& w, Rng& rng) {
  const GenerateOptions& o = *w.options;
  const auto& misc = w.pools[static_cast<size_t>(Cat::kMisc)];
  for (int32_t g = 0; g < o.designs; ++g) {
    GDesign d;
    d.id = PaddedId("g", g, o.designs);
    d.requirement = PaddedId("req-g", g, o.designs);
    d.name = fmt::format("Synthetic rack generation {}", g + 1);
    d.available_from_week = g == 0 ? 0 : static_cast<int32_t>(static_cast<int64_t>(g) * o.weeks / (2 * o.designs));
    d.needed_by_week = d.available_from_week + static_cast<int32_t>(rng.Int(0, 4));
    d.test_hours = static_cast<double>(rng.Int(24, 72));
    d.build_hours = static_cast<double>(rng.Int(24, 48));
    const double trays = 18, switches = 9;
    d.bom.push_back({w.pools[static_cast<size_t>(Cat::kComputeTray)][static_cast<size_t>(g)], trays});
    d.bom.push_back({PoolPick(w, Cat::kSwitchTray, g), switches});
    d.bom.push_back({PoolPick(w, Cat::kBusbar, g), 1});
    d.bom.push_back({PoolPick(w, Cat::kManifold, g), 1});
    d.bom.push_back({PoolPick(w, Cat::kQuickDisconnect, g), 2 * (trays + switches) + 4});
    d.bom.push_back({PoolPick(w, Cat::kCableCartridge, g), 4});
    d.bom.push_back({PoolPick(w, Cat::kFrame, g), 1});
    for (size_t m = static_cast<size_t>(g); m < misc.size(); m += static_cast<size_t>(o.designs)) {
      d.bom.push_back({misc[m], static_cast<double>(rng.Int(1, 4))});
    }
    SizeDesign(w, d, g, rng);
    w.designs.push_back(std::move(d));
  }
}

// --------------------------------------------------------- plants and sites

double RampAt(const GLine& l, int32_t t) {
  if (t < l.start_week) return 0;
  if (t >= l.start_week + l.ramp_weeks) return 1;
  return l.ramp_start_fraction + (1 - l.ramp_start_fraction) * (t - l.start_week) / l.ramp_weeks;
}

double MaxTestHours(const World& w, const GLine& l) {
  double h = 0;
  for (int32_t g : l.designs) h = std::max(h, w.designs[static_cast<size_t>(g)].test_hours);
  return h;
}

GLine MakeLine(const World& w, int32_t global_index, int32_t line_count, Rng& rng) {
  const int32_t designs = w.options->designs;
  GLine l;
  for (int32_t g = 0; g < designs; ++g) {
    if (g % line_count == global_index % line_count || g == (global_index + 1) % designs) l.designs.push_back(g);
  }
  l.racks_per_week = Round(rng.Uniform(80, 250), 10);
  l.cost_per_rack = Round(rng.Uniform(12000, 18000), 100);
  return l;
}

void MakePlants(World& w, Rng& rng) {
  const GenerateOptions& o = *w.options;
  std::vector<int32_t> line_counts;
  int32_t total_lines = 0;
  for (int32_t p = 0; p < o.plants; ++p) {
    line_counts.push_back(static_cast<int32_t>(rng.Int(1, 3)));
    total_lines += line_counts.back();
  }
  int32_t k = 0;
  double cap0 = 0, cap_full = 0;
  for (int32_t p = 0; p < o.plants; ++p) {
    GPlant plant;
    plant.id = PaddedId("plant-", p, o.plants);
    plant.state = kStates[static_cast<size_t>(p) % kStates.size()];
    plant.recovery_weeks = static_cast<int32_t>(rng.Int(3, 8));
    plant.outage_prob = Round(rng.Uniform(0.002, 0.006), 0.0001);
    double test_hours = 0;
    for (int32_t i = 0; i < line_counts[static_cast<size_t>(p)]; ++i, ++k) {
      GLine l = MakeLine(w, k, total_lines, rng);
      l.id = fmt::format("{}-l{}", plant.id, i + 1);
      if (rng.Int(0, 2) == 0) {
        l.ramp_weeks = static_cast<int32_t>(rng.Int(4, 10));
        l.ramp_start_fraction = Round(rng.Uniform(0.3, 0.7), 0.05);
      }
      test_hours += l.racks_per_week * MaxTestHours(w, l);
      cap0 += l.racks_per_week * RampAt(l, 0);
      cap_full += l.racks_per_week;
      plant.lines.push_back(std::move(l));
    }
    plant.cells = std::ceil(1.05 * test_hours / kTestHoursPerCellWeek);
    w.plants.push_back(std::move(plant));
  }
  for (int32_t p = 0; p < o.plants; ++p, ++k) {
    GExpansion x;
    x.id = fmt::format("{}-x1", w.plants[static_cast<size_t>(p)].id);
    x.plant = p;
    x.line = MakeLine(w, k, total_lines, rng);
    x.line.id = x.id;
    x.line.ramp_weeks = static_cast<int32_t>(rng.Int(4, 10));
    x.line.ramp_start_fraction = 0.3;
    x.capex = Round(rng.Uniform(35e6, 70e6), 1e6);
    x.earliest = static_cast<int32_t>(rng.Int(0, std::max(1, o.weeks / 8)));
    x.lead = static_cast<int32_t>(rng.Int(std::max(1, o.weeks / 8), std::max(2, o.weeks / 4)));
    cap_full += x.line.racks_per_week;
    GExpansion cells;
    cells.id = fmt::format("{}-tc1", w.plants[static_cast<size_t>(p)].id);
    cells.plant = p;
    cells.is_line = false;
    cells.cells = std::ceil(1.05 * x.line.racks_per_week * MaxTestHours(w, x.line) / kTestHoursPerCellWeek);
    cells.capex = cells.cells * 2.5e6;
    cells.earliest = x.earliest;
    cells.lead = std::max(1, x.lead - 2);
    w.expansions.push_back(std::move(x));
    w.expansions.push_back(std::move(cells));
  }
  w.target_week0_full = {cap0, cap_full};
}

void MakeSitesAndLanes(World& w, Rng& rng) {
  const GenerateOptions& o = *w.options;
  double total = 0;
  for (int32_t d = 0; d < o.sites; ++d) {
    w.site_ids.push_back(PaddedId("site-", d, o.sites));
    w.site_share.push_back(rng.Uniform(0.5, 1.5));
    total += w.site_share.back();
  }
  for (double& s : w.site_share) s /= total;
  for (int32_t p = 0; p < o.plants; ++p) {
    for (int32_t d = 0; d < o.sites; ++d) {
      if (p > 0 && (p + d) % 7 == 6) continue;  // plant 0 serves every site; others miss about one in seven
      const double miles = rng.Uniform(5, 1800);
      const int32_t transit = miles <= 400 ? 0 : (miles <= 1200 ? 1 : 2);
      w.lanes.push_back({p, d, transit, Round(800 + 3.5 * miles, 10)});
    }
  }
}

// ------------------------------------------------------------------ demand

/// Adds one line's capacity in week t, split evenly over its designs that are
/// available by then, to cap_by_design.
void AddLineCapacity(const World& w, const GLine& l, int32_t t, std::vector<double>& cap_by_design) {
  std::vector<int32_t> active;
  for (int32_t g : l.designs) {
    if (w.designs[static_cast<size_t>(g)].available_from_week <= t) active.push_back(g);
  }
  for (int32_t g : active) cap_by_design[static_cast<size_t>(g)] += l.racks_per_week * RampAt(l, t) / active.size();
}

/// Line capacity per design in week t, every expansion open.
std::vector<double> CapacityByDesign(const World& w, int32_t t) {
  std::vector<double> cap(w.designs.size(), 0.0);
  for (const GPlant& p : w.plants) {
    for (const GLine& l : p.lines) AddLineCapacity(w, l, t, cap);
  }
  for (const GExpansion& x : w.expansions) {
    if (!x.is_line) continue;
    GLine l = x.line;
    l.start_week = x.earliest + x.lead;
    AddLineCapacity(w, l, t, cap);
  }
  return cap;
}

void MakeDemand(World& w, Rng& rng) {
  const GenerateOptions& o = *w.options;
  const int32_t weeks = o.weeks;
  for (int32_t t = 0; t < weeks; ++t) {
    // Firm demand: 85 % of the line capacity that can build each design.
    const std::vector<double> cap = CapacityByDesign(w, t);
    for (int32_t g = 0; g < o.designs; ++g) {
      for (int32_t d = 0; d < o.sites; ++d) {
        const double racks = Round(0.85 * cap[static_cast<size_t>(g)] * w.site_share[static_cast<size_t>(d)], 1);
        if (racks > 0) w.demand.push_back({d, g, t, model::DemandKind::kFirm, racks, 1});
      }
    }
  }
  for (int32_t g = 0; g < o.designs; ++g) {
    const GDesign& design = w.designs[static_cast<size_t>(g)];
    const int32_t site = g % o.sites;
    for (int32_t t = design.available_from_week; t < std::min(weeks, design.available_from_week + 4); ++t) {
      w.demand.push_back({site, g, t, model::DemandKind::kEvaluation, static_cast<double>(rng.Int(2, 8)), 1});
    }
    const int32_t from = design.available_from_week + (weeks - design.available_from_week) / 2;
    const double probability = Round(rng.Uniform(0.3, 0.7), 0.05);
    for (int32_t t = from; t < weeks; ++t) {
      for (int32_t d = g % 2; d < o.sites; d += 2) {
        w.demand.push_back({d, g, t, model::DemandKind::kOption, static_cast<double>(rng.Int(2, 12)), probability});
      }
    }
  }
  std::stable_sort(w.demand.begin(), w.demand.end(), [](const model::Demand& a, const model::Demand& b) {
    return std::tie(a.week, a.kind, a.design, a.site) < std::tie(b.week, b.kind, b.design, b.site);
  });
}

// ------------------------------------------------------- suppliers, offers

void MakeSuppliers(World& w, Rng& rng) {
  static const std::array<const char*, 11> kForeign = {"TW", "MX", "CN", "VN", "TH", "MY",
                                                       "KR", "JP", "DE", "IN", "PL"};
  const GenerateOptions& o = *w.options;
  for (int32_t s = 0; s < o.suppliers; ++s) {
    model::Supplier sup;
    sup.id = PaddedId("s", s, o.suppliers);
    sup.company = fmt::format("Supplier {}", s + 1);
    if (s % 3 == 0) {
      sup.country = "US";
      sup.us_state = kStates[static_cast<size_t>(rng.Int(0, kStates.size() - 1))];
    } else {
      sup.country = kForeign[static_cast<size_t>(rng.Int(0, kForeign.size() - 1))];
    }
    sup.recovery_weeks = static_cast<int32_t>(rng.Int(2, 8));
    sup.outage_prob_per_week = Round(rng.Uniform(0.001, 0.006), 0.0001);
    w.suppliers.push_back(std::move(sup));
  }
}

/// Weekly need of every component (plan demand, options at their expected value).
std::vector<std::vector<double>> ComponentNeed(const World& w) {
  const size_t weeks = static_cast<size_t>(w.options->weeks);
  std::vector<std::vector<double>> racks(w.designs.size(), std::vector<double>(weeks, 0.0));
  for (const model::Demand& d : w.demand) {
    racks[static_cast<size_t>(d.design)][static_cast<size_t>(d.week)] +=
        d.racks * (d.kind == model::DemandKind::kOption ? d.probability : 1);
  }
  std::vector<std::vector<double>> need(w.components.size(), std::vector<double>(weeks, 0.0));
  for (size_t g = 0; g < w.designs.size(); ++g) {
    for (const auto& [c, q] : w.designs[g].bom) {
      for (size_t t = 0; t < weeks; ++t) need[static_cast<size_t>(c)][t] += q * racks[g][t];
    }
  }
  return need;
}

/// First week any design using component c is available (0 when unused).
std::vector<int32_t> FirstUseWeek(const World& w) {
  std::vector<int32_t> first(w.components.size(), w.options->weeks);
  for (const GDesign& d : w.designs) {
    for (const auto& [c, q] : d.bom) {
      first[static_cast<size_t>(c)] = std::min(first[static_cast<size_t>(c)], d.available_from_week);
    }
  }
  for (int32_t& f : first) {
    if (f == w.options->weeks) f = 0;
  }
  return first;
}

void MakeOffers(World& w, Rng& rng) {
  const int32_t n_sup = w.options->suppliers;
  const auto need = ComponentNeed(w);
  const auto first_use = FirstUseWeek(w);
  const int32_t us_count = (n_sup + 2) / 3;  // suppliers 0, 3, 6, ... are US
  for (size_t c = 0; c < w.components.size(); ++c) {
    GComponent& comp = w.components[c];
    const double peak = std::max(1.0, *std::max_element(need[c].begin(), need[c].end()));
    const int32_t count = static_cast<int32_t>(std::min<int64_t>(rng.Int(1, 3), n_sup));
    const bool tray = comp.cat == Cat::kComputeTray;
    const int32_t first =
        tray ? 3 * static_cast<int32_t>(rng.Int(0, us_count - 1)) : static_cast<int32_t>(rng.Int(0, n_sup - 1));
    const int32_t step = n_sup > 1 ? static_cast<int32_t>(rng.Int(1, n_sup - 1)) : 1;
    const bool binding = rng.Unit() < 0.05 && !tray;  // a few parts bind; trays keep domestic content feasible
    std::vector<double> shares;
    double total = 0;
    std::vector<int32_t> chosen;
    for (int32_t i = 0; i < count; ++i) {
      int32_t s = (first + i * step) % n_sup;
      while (std::find(chosen.begin(), chosen.end(), s) != chosen.end()) s = (s + 1) % n_sup;
      chosen.push_back(s);
      shares.push_back(tray && i == 0 ? rng.Uniform(0.6, 0.9) : rng.Uniform(0.3, 1.0));
      total += shares.back();
    }
    const double wanted = binding ? 1.0 : std::max(total, 1.25);
    int32_t cover_lead = -1;  // longest lead among offers open at week 0: stock covers until all deliver
    for (int32_t i = 0; i < count; ++i) {
      const model::Supplier& sup = w.suppliers[static_cast<size_t>(chosen[static_cast<size_t>(i)])];
      model::Offer offer;
      offer.supplier = chosen[static_cast<size_t>(i)];
      offer.component = static_cast<int32_t>(c);
      const bool us = sup.country == "US";
      offer.unit_cost_usd = Round(comp.cost * rng.Uniform(0.92, 1.08) * (us ? 1.05 : 1.0), comp.cost >= 1000 ? 1 : 0.01);
      offer.capacity_per_week = std::max(1.0, std::round(shares[static_cast<size_t>(i)] * wanted / total * peak));
      offer.lead_time_weeks = static_cast<int32_t>(us ? rng.Int(1, 2) : rng.Int(2, 6));
      offer.available_from_week = std::max(0, first_use[c] - static_cast<int32_t>(rng.Int(4, 8)));
      offer.tariff_rate = tray || comp.cat == Cat::kSwitchTray ? 0.0 : TariffOf(sup.country);
      if (offer.available_from_week == 0) cover_lead = std::max(cover_lead, offer.lead_time_weeks);
      comp.offers.push_back(static_cast<int32_t>(w.offers.size()));
      w.offers.push_back(offer);
    }
    if (cover_lead >= 0) {
      double stock = 0;
      for (size_t t = 0; t <= static_cast<size_t>(cover_lead) && t < need[c].size(); ++t) stock += need[c][t];
      comp.on_hand = std::ceil(stock);
    }
  }
}

// ---------------------------------------------------------- component lines

/// --component-lines N, without drawing from the generator (other files stay byte-identical): line
/// k (id PLANT-cK) at plant k % P makes the j-th component (j = k / 5) of the k % 5-th category of
/// power shelf, CDU, cable cartridge, manifold, busbar (a component the designs use), from 2 misc
/// parts each (qty 1 and 2) that have offers; line 0 also makes its component's first part from a
/// third misc part (two levels). Capacity: half the component's peak weekly need (at least 10);
/// cost 20 % of its list price. Made components are never parts, so component_boms.csv has no cycle.
void MakeComponentLines(World& w) {
  const int32_t n = w.options->component_lines;
  if (n <= 0) return;
  w.component_lines.assign(w.plants.size(), {});
  const std::array<Cat, 5> cats = {Cat::kPowerShelf, Cat::kCdu, Cat::kCableCartridge, Cat::kManifold, Cat::kBusbar};
  const std::vector<int32_t>& misc = w.pools[static_cast<size_t>(Cat::kMisc)];
  const auto need = ComponentNeed(w);
  std::vector<uint8_t> has_bom(w.components.size(), 0);
  auto add_parts = [&](int32_t made, size_t first_misc) {
    if (has_bom[static_cast<size_t>(made)] || misc.size() < 2) return;
    has_bom[static_cast<size_t>(made)] = 1;
    for (size_t i = 0; i < 2; ++i) {
      w.component_boms.push_back({made, misc[(first_misc + i) % misc.size()], static_cast<double>(i + 1)});
    }
  };
  std::vector<int32_t> per_plant(w.plants.size(), 0);
  for (int32_t k = 0; k < n; ++k) {
    const std::vector<int32_t>& pool = w.pools[static_cast<size_t>(cats[static_cast<size_t>(k % 5)])];
    if (pool.empty()) continue;
    const int32_t c = pool[static_cast<size_t>(k / 5) % pool.size()];
    const size_t p = static_cast<size_t>(k) % w.plants.size();
    GComponentLine m;
    m.id = fmt::format("{}-c{}", w.plants[p].id, ++per_plant[p]);
    m.plant = static_cast<int32_t>(p);
    m.components = {c};
    const double peak = *std::max_element(need[static_cast<size_t>(c)].begin(), need[static_cast<size_t>(c)].end());
    m.units_per_week = std::max(10.0, std::round(0.5 * peak));
    m.cost_per_unit = Round(0.2 * w.components[static_cast<size_t>(c)].cost, 0.01);
    m.start_week = k % 4;
    m.ramp_weeks = 4;
    m.ramp_start_fraction = 0.5;
    add_parts(c, 2 * static_cast<size_t>(k));
    if (k == 0 && misc.size() >= 3) {  // two levels: the first part is made here too, from a third misc part
      const int32_t part = misc[0];
      m.components.push_back(part);
      w.component_boms.push_back({part, misc[2], 3});
      has_bom[static_cast<size_t>(part)] = 1;
    }
    w.component_lines[p].push_back(std::move(m));
  }
  if (!w.component_lines[0].empty()) {
    World::ComponentLineExpansion x;
    x.id = w.plants[0].id + "-cx1";
    x.plant = 0;
    x.line = w.component_lines[0].front();
    x.line.id = x.id;
    x.line.components.resize(1);
    x.capex = Round(20 * x.line.units_per_week * x.line.cost_per_unit, 1e5) + 1e5;
    x.earliest = std::max(1, w.options->weeks / 8);
    x.lead = std::max(1, w.options->weeks / 8);
    w.component_line_expansions.push_back(std::move(x));
  }
}

// ------------------------------------------------------------------ output
// The world becomes a model::Scenario (indices of the world's vectors are the
// scenario's), written by io::ScenarioFiles like any other scenario.

/// Plants whose existing lines build a design that uses component c.
std::vector<int32_t> PlantsUsing(const World& w, int32_t c) {
  std::vector<int32_t> out;
  for (size_t p = 0; p < w.plants.size(); ++p) {
    bool uses = false;
    for (const GLine& l : w.plants[p].lines) {
      for (int32_t g : l.designs) {
        for (const auto& [comp, qty] : w.designs[static_cast<size_t>(g)].bom) uses = uses || (comp == c && qty > 0);
      }
    }
    if (uses) out.push_back(static_cast<int32_t>(p));
  }
  return out;
}

/// Replaceable BOM entries of a design: the power shelf and CDU first (their
/// options change the rules' outcome most), then the others in BOM order;
/// the compute tray is never replaced.
std::vector<size_t> SlotEntries(const World& w, const GDesign& d) {
  std::vector<size_t> first, rest;
  for (size_t i = 0; i < d.bom.size(); ++i) {
    const Cat cat = w.components[static_cast<size_t>(d.bom[i].first)].cat;
    if (cat == Cat::kComputeTray) continue;
    (cat == Cat::kPowerShelf || cat == Cat::kCdu ? first : rest).push_back(i);
  }
  std::sort(first.begin(), first.end(), [&](size_t a, size_t b) {
    return w.components[static_cast<size_t>(d.bom[a].first)].cat == Cat::kPowerShelf &&
           w.components[static_cast<size_t>(d.bom[b].first)].cat != Cat::kPowerShelf;
  });
  first.insert(first.end(), rest.begin(), rest.end());
  return first;
}

/// Option m of a power-shelf slot (base shelf c, quantity q): 0 the base;
/// 1 a shelf of the other voltage class (re-sized, `set` the busbar voltage:
/// 54 -> 800 V passes, 800 -> 54 V overloads the busbar); 2 too few shelves
/// (fails the power rule); from 3 on, one more redundant shelf each.
model::SlotOption PowerShelfOption(const World& w, const GDesign& d, int32_t c, double q, int32_t m) {
  const GComponent& base = w.components[static_cast<size_t>(c)];
  const auto& pool = w.pools[static_cast<size_t>(Cat::kPowerShelf)];
  int32_t alt = c;
  for (int32_t x : pool) {
    if (w.components[static_cast<size_t>(x)].volts != base.volts) alt = x;
  }
  model::SlotOption option;
  double qty = q;
  int32_t id = c;
  if (m == 1 && alt != c) {
    const GComponent& a = w.components[static_cast<size_t>(alt)];
    id = alt;
    qty = std::ceil(q * base.power_capacity / a.power_capacity);
    option.set.emplace_back("electrical.busbar_voltage_v", a.volts);
  } else if (m == 2 || (m == 1 && alt == c)) {
    qty = std::max(1.0, std::floor(SumBom(w, d).power / base.power_capacity));
  } else if (m >= 3) {
    qty = q + (m - 2);
  }
  option.bom.push_back({id, qty});
  return option;
}

/// Option m of any other slot (BOM entry c, q): 0 the base; others take
/// another component of the same category (a CDU re-sized to the same
/// cooling capacity), or more of the same one when the category has no other.
model::SlotOption OtherSlotOption(const World& w, int32_t c, double q, int32_t m) {
  const GComponent& base = w.components[static_cast<size_t>(c)];
  const auto& pool = w.pools[static_cast<size_t>(base.cat)];
  std::vector<int32_t> same;
  for (int32_t x : pool) {
    if (w.components[static_cast<size_t>(x)].category == base.category) same.push_back(x);
  }
  const size_t at = static_cast<size_t>(std::find(same.begin(), same.end(), c) - same.begin());
  const int32_t alt = same[(at + static_cast<size_t>(m)) % same.size()];
  const GComponent& a = w.components[static_cast<size_t>(alt)];
  double qty = alt == c && m > 0 ? q + m : q;
  if (base.cat == Cat::kCdu && alt != c) qty = std::ceil(q * base.cooling_capacity / a.cooling_capacity);
  model::SlotOption option;
  option.bom.push_back({alt, qty});
  return option;
}

/// --design-space-slots: one space over the first design.
model::DesignSpace MakeDesignSpace(const World& w) {
  const GenerateOptions& o = *w.options;
  const GDesign& d = w.designs.front();
  model::DesignSpace space;
  space.design = 0;
  const std::vector<size_t> entries = SlotEntries(w, d);
  for (int32_t k = 0; k < o.design_space_slots; ++k) {
    const auto& [c, q] = d.bom[entries[static_cast<size_t>(k)]];
    model::Slot slot;
    slot.slot = fmt::format("s{}", k + 1);
    slot.replaces = {c};
    const bool shelf = w.components[static_cast<size_t>(c)].cat == Cat::kPowerShelf;
    for (int32_t m = 0; m < o.design_space_options; ++m) {
      slot.options.push_back(shelf ? PowerShelfOption(w, d, c, q, m) : OtherSlotOption(w, c, q, m));
    }
    space.slots.push_back(std::move(slot));
  }
  return space;
}

/// --phase-out: the first design stops at weeks / 2 (its demand too), and its
/// compute tray (used by no other design) takes its last orders 4 weeks
/// before that. No random draws, so the other files stay as without the flag.
void ApplyPhaseOut(World& w) {
  if (!w.options->phase_out || w.designs.size() < 2) return;
  GDesign& d = w.designs.front();
  d.last_build_week = std::max(d.available_from_week, w.options->weeks / 2);
  std::erase_if(w.demand, [&](const model::Demand& x) { return x.design == 0 && x.week > d.last_build_week; });
  for (const auto& [c, qty] : d.bom) {
    if (w.components[static_cast<size_t>(c)].cat != Cat::kComputeTray) continue;
    for (model::Offer& o : w.offers) {
      if (o.component == c) o.last_order_week = std::max(o.available_from_week, d.last_build_week - 4);
    }
  }
}

void AddPolicy(const World& w, model::Scenario& s) {
  const GenerateOptions& o = *w.options;
  double capex = 0;
  for (const GExpansion& x : w.expansions) capex += x.capex;
  model::Policy& p = s.policy;
  p.domestic_content_min = 0.25;
  p.max_supplier_share = 0.9;
  p.capex_budget_usd = Round(0.8 * capex, 1e6);
  p.option_demand = model::OptionDemandMode::kExpected;
  p.backlog_penalty.usd_per_rack_week = {2000000, 1000000, 400000};
  if (o.end_penalty_weeks > 0) {
    for (int k = 0; k < model::kDemandKinds; ++k) {
      p.end_backlog_penalty_usd_per_rack[k] = o.end_penalty_weeks * p.backlog_penalty.usd_per_rack_week[k];
    }
  }
  p.rack_holding_usd_per_week = 5000;
  s.risk_start_week = o.weeks / 4;
  const double cap0 = w.target_week0_full[0], cap_full = w.target_week0_full[1];
  s.target = {{0, Round(0.8 * cap0, 10)}, {o.weeks - 1, Round(0.8 * cap_full, 10)}};
}

void AddDesigns(const World& w, model::Scenario& s) {
  for (size_t g = 0; g < w.designs.size(); ++g) {
    const GDesign& d = w.designs[g];
    s.requirements.push_back({d.requirement, "synthetic " + d.id, d.needed_by_week, d.min_accelerators,
                              d.max_power_kw, d.max_floor_load});
    model::Design x;
    x.id = d.id;
    x.name = d.name;
    x.meets = static_cast<int32_t>(g);
    x.available_from_week = d.available_from_week;
    if (d.last_build_week >= 0) x.last_build_week = d.last_build_week;
    x.build_hours = d.build_hours;
    x.test_hours = d.test_hours;
    for (const auto& [c, q] : d.bom) x.bom.push_back({c, q});
    x.busbar_voltage_v = d.volts;
    x.busbar_rating_a = d.rating_a;
    x.redundant_power_shelves = d.redundant;
    x.coolant_delta_t_c = d.delta_t;
    x.max_air_heat_w = d.max_air_w;
    x.rack_units = d.rack_units;
    x.max_weight_kg = d.max_weight_kg;
    x.footprint_m2 = d.footprint_m2;
    x.file = "designs/" + d.id + ".yaml";
    s.designs.push_back(std::move(x));
  }
}

void AddComponentsAndSupply(const World& w, model::Scenario& s) {
  for (const GComponent& c : w.components) {
    model::Component x;
    x.id = c.id;
    x.name = c.name;
    x.category = c.category;
    x.unit_cost_usd = c.cost;
    x.holding_usd_per_week = c.holding;
    x.power_w = c.power;
    x.heat_liquid_w = c.heat_liquid;
    x.heat_air_w = c.heat_air;
    x.weight_kg = c.weight;
    x.height_u = c.height;
    x.accelerators = c.accelerators;
    x.ports_required = c.ports_required;
    x.ports_provided = c.ports_provided;
    x.power_capacity_w = c.power_capacity;
    x.cooling_capacity_w = c.cooling_capacity;
    x.offers = c.offers;
    x.offer_rows_in_file = static_cast<int32_t>(c.offers.size());
    s.components.push_back(std::move(x));
  }
  for (const World::BomRow& row : w.component_boms) s.components[row.component].parts.push_back({row.part, row.qty});
  s.suppliers = w.suppliers;
  s.offers = w.offers;
  // on_hand.csv: a component's week-0 stock split evenly (rounded up) over the plants that use it.
  for (size_t c = 0; c < w.components.size(); ++c) {
    if (w.components[c].on_hand <= 0) continue;
    const std::vector<int32_t> plants = PlantsUsing(w, static_cast<int32_t>(c));
    for (int32_t p : plants) {
      s.on_hand.push_back({p, static_cast<int32_t>(c), std::ceil(w.components[c].on_hand / static_cast<double>(plants.size()))});
    }
  }
}

model::Line ToLine(const GLine& l, int32_t plant) {
  model::Line x;
  x.id = l.id;
  x.plant = plant;
  x.designs = l.designs;
  x.racks_per_week = l.racks_per_week;
  x.start_week = l.start_week;
  x.ramp_weeks = l.ramp_weeks;
  x.ramp_start_fraction = l.ramp_start_fraction;
  x.cost_usd_per_rack = l.cost_per_rack;
  return x;
}

model::ComponentLine ToComponentLine(const GComponentLine& m) {
  model::ComponentLine x;
  x.id = m.id;
  x.plant = m.plant;
  x.components = m.components;
  x.units_per_week = m.units_per_week;
  x.start_week = m.start_week;
  x.ramp_weeks = m.ramp_weeks;
  x.ramp_start_fraction = m.ramp_start_fraction;
  x.cost_usd_per_unit = m.cost_per_unit;
  return x;
}

/// The fields every kind of generated expansion shares (a GExpansion or a ComponentLineExpansion).
template <typename GeneratedExpansion>
model::Expansion ExpansionHead(const GeneratedExpansion& e, model::ExpansionKind kind) {
  model::Expansion x;
  x.id = e.id;
  x.plant = e.plant;
  x.kind = kind;
  x.capex_usd = e.capex;
  x.earliest_week = e.earliest;
  x.lead_time_weeks = e.lead;
  return x;
}


/// Plants, then (as the loader orders them) existing lines before expansion lines.
void AddPlants(const World& w, model::Scenario& s) {
  for (size_t p = 0; p < w.plants.size(); ++p) {
    const GPlant& plant = w.plants[p];
    model::Plant x;
    x.id = plant.id;
    x.us_state = plant.state;
    x.test_cells = plant.cells;
    x.test_hours_per_cell_week = kTestHoursPerCellWeek;
    x.recovery_weeks = plant.recovery_weeks;
    x.outage_prob_per_week = plant.outage_prob;
    for (const GLine& l : plant.lines) {
      x.lines.push_back(static_cast<int32_t>(s.lines.size()));
      s.lines.push_back(ToLine(l, static_cast<int32_t>(p)));
    }
    if (p < w.component_lines.size()) {
      for (const GComponentLine& m : w.component_lines[p]) {
        x.component_lines.push_back(static_cast<int32_t>(s.component_lines.size()));
        s.component_lines.push_back(ToComponentLine(m));
      }
    }
    s.plants.push_back(std::move(x));
  }
  for (const GExpansion& e : w.expansions) {
    model::Expansion x =
        ExpansionHead(e, e.is_line ? model::ExpansionKind::kLine : model::ExpansionKind::kTestCells);
    x.cells = e.cells;
    if (e.is_line) {
      model::Line line = ToLine(e.line, e.plant);
      line.start_week = x.active_from_week();
      line.expansion = static_cast<int32_t>(s.expansions.size());
      x.line = static_cast<int32_t>(s.lines.size());
      s.plants[static_cast<size_t>(e.plant)].expansion_lines.push_back(x.line);
      s.lines.push_back(std::move(line));
    }
    s.expansions.push_back(std::move(x));
  }
  for (const World::ComponentLineExpansion& e : w.component_line_expansions) {
    model::Expansion x = ExpansionHead(e, model::ExpansionKind::kComponentLine);
    model::ComponentLine line = ToComponentLine(e.line);
    line.start_week = x.active_from_week();
    line.expansion = static_cast<int32_t>(s.expansions.size());
    x.component_line = static_cast<int32_t>(s.component_lines.size());
    s.plants[static_cast<size_t>(e.plant)].expansion_component_lines.push_back(x.component_line);
    s.component_lines.push_back(std::move(line));
    s.expansions.push_back(std::move(x));
  }
  for (size_t m = 0; m < s.component_lines.size(); ++m) {
    for (int32_t c : s.component_lines[m].components) s.components[c].made_by.push_back(static_cast<int32_t>(m));
  }
}

/// supply_lanes.csv (--supply-lanes): US suppliers reach every plant; a foreign supplier s skips plant p
/// when (s + p) % 4 == 0 (never its only plant). Transit (s + p) % 3 weeks, cost 2 + (7s + 3p) % 10 USD/unit.
std::vector<model::SupplyLane> SupplyLanes(const World& w) {
  std::vector<model::SupplyLane> out;
  const size_t P = w.plants.size();
  for (size_t i = 0; i < w.suppliers.size(); ++i) {
    const bool us = w.suppliers[i].country == "US";
    for (size_t p = 0; p < P; ++p) {
      if (!us && P > 1 && (i + p) % 4 == 0) continue;
      out.push_back({static_cast<int32_t>(i), static_cast<int32_t>(p), static_cast<int32_t>((i + p) % 3),
                     static_cast<double>(2 + (7 * i + 3 * p) % 10)});
    }
  }
  return out;
}

/// transfers.csv (--transfers): for each plant i = 1..min(P-1, 4), one row from the first plant to i
/// of the first component (from index 7i on, wrapping) that plant i uses; transit i % 3 weeks,
/// cost i USD/unit. Few rows: enough to exercise transfers in benchmarks and scale tests.
std::vector<model::Transfer> Transfers(const World& w) {
  std::vector<model::Transfer> out;
  const size_t P = w.plants.size(), C = w.components.size();
  for (size_t i = 1; i < P && i <= 4; ++i) {
    for (size_t k = 0; k < C; ++k) {
      const size_t c = (7 * i + k) % C;
      const std::vector<int32_t> users = PlantsUsing(w, static_cast<int32_t>(c));
      if (std::find(users.begin(), users.end(), static_cast<int32_t>(i)) == users.end()) continue;
      out.push_back({0, static_cast<int32_t>(i), static_cast<int32_t>(c), static_cast<int32_t>(i % 3),
                     static_cast<double>(i)});
      break;
    }
  }
  return out;
}

void AddSitesAndDemand(const World& w, model::Scenario& s) {
  for (size_t d = 0; d < w.site_ids.size(); ++d) {
    s.sites.push_back({w.site_ids[d], fmt::format("Data center {}", d + 1), kStates[d % kStates.size()],
                       fmt::format("buyer-{}", static_cast<char>('a' + d % 3))});
  }
  s.lanes = w.lanes;
  s.demand = w.demand;
}

GeneratedScenario ToScenario(const World& w) {
  const GenerateOptions& o = *w.options;
  GeneratedScenario out;
  model::Scenario& s = out.scenario;
  s.name = fmt::format("synthetic-{}p-{}g-{}c-{}s-{}w-{}d-seed{}", o.plants, o.designs, o.components, o.suppliers,
                       o.weeks, o.sites, o.seed);
  s.start_week = "2026-W01";
  s.horizon_weeks = o.weeks;
  AddPolicy(w, s);
  AddDesigns(w, s);
  AddComponentsAndSupply(w, s);
  AddPlants(w, s);
  if (o.supply_lanes) s.supply_lanes = SupplyLanes(w);
  if (o.transfers && w.plants.size() >= 2) s.transfers = Transfers(w);
  AddSitesAndDemand(w, s);
  if (o.design_space_slots > 0) s.design_spaces.push_back(MakeDesignSpace(w));
  auto& comments = out.write.comments;
  comments["scenario.yaml"] = fmt::format(
      "{}\nSeed {}: {} plants, {} designs, {} components, {} suppliers, {} weeks, {} sites.",
      std::string_view(kGeneratedHeader).substr(2), o.seed, o.plants, o.designs, o.components, o.suppliers, o.weeks,
      o.sites);
  comments["roadmap.yaml"] = "One requirement per synthetic design, each met with a margin.";
  if (o.design_space_slots > 0) {
    comments["design_space.yaml"] = fmt::format("{} slots x {} options over design {}.", o.design_space_slots,
                                                o.design_space_options, w.designs.front().id);
  }
  return out;
}

void CheckRange(const char* flag, int64_t value, int64_t lo, int64_t hi) {
  if (value < lo) throw common::UsageError(fmt::format("{}: {} is too small (at least {})", flag, value, lo));
  if (value > hi) throw common::UsageError(fmt::format("{}: {} is too large (at most {})", flag, value, hi));
}

/// Files a generated scenario may hold (besides designs/*.yaml).
const std::vector<std::string>& GeneratedFileNames() {
  static const std::vector<std::string> kNames = {
      "scenario.yaml",    "roadmap.yaml", "components.csv",   "suppliers.csv", "offers.csv",
      "plants.yaml",      "sites.csv",    "lanes.csv",        "demand.csv",    "design_space.yaml",
      "disruptions.yaml", "on_hand.csv",  "supply_lanes.csv", "transfers.csv", "component_boms.csv"};
  return kNames;
}

bool WrittenByGenerator(const fs::path& dir) {
  std::ifstream in(dir / "scenario.yaml");
  std::string first;
  return in && std::getline(in, first) && first == kGeneratedHeader;
}

void ClearGenerated(const fs::path& dir) {
  std::error_code ec;
  for (const std::string& name : GeneratedFileNames()) fs::remove(dir / name, ec);
  if (fs::is_directory(dir / "designs", ec)) {
    for (const auto& entry : fs::directory_iterator(dir / "designs", ec)) {
      if (entry.path().extension() == ".yaml") fs::remove(entry.path(), ec);
    }
  }
}

}  // namespace

void ValidateGenerateOptions(const GenerateOptions& o) {
  CheckRange("--plants", o.plants, 1, 200);
  CheckRange("--designs", o.designs, 1, 100);
  if (o.components < o.designs + 9) {
    throw common::UsageError(
        fmt::format("--components: {} is too small (at least designs + 9 = {})", o.components, o.designs + 9));
  }
  CheckRange("--components", o.components, o.designs + 9, 100000);
  CheckRange("--suppliers", o.suppliers, 1, 20000);
  CheckRange("--weeks", o.weeks, 4, 520);
  CheckRange("--sites", o.sites, 1, 2000);
  CheckRange("--design-space-slots", o.design_space_slots, 0, 1000);
  if (o.design_space_slots == 0 && o.design_space_options != 0) {
    throw common::UsageError(fmt::format("--design-space-options: {} needs --design-space-slots > 0", o.design_space_options));
  }
  if (o.design_space_slots > 0) CheckRange("--design-space-options", o.design_space_options, 1, 20);
  CheckRange("--end-penalty-weeks", o.end_penalty_weeks, 0, 520);
  CheckRange("--component-lines", o.component_lines, 0, 1000);
}

GeneratedScenario GenerateScenarioModel(const GenerateOptions& options) {
  ValidateGenerateOptions(options);
  World w;
  w.options = &options;
  Rng rng(options.seed);
  MakeComponents(w, rng);
  MakeDesigns(w, rng);
  if (options.design_space_slots > 0) {
    const size_t replaceable = SlotEntries(w, w.designs.front()).size();
    if (static_cast<size_t>(options.design_space_slots) > replaceable) {
      throw common::UsageError(fmt::format("--design-space-slots: {} exceeds the {} replaceable BOM components of design {}",
                                   options.design_space_slots, replaceable, w.designs.front().id));
    }
  }
  MakePlants(w, rng);
  MakeSitesAndLanes(w, rng);
  MakeDemand(w, rng);
  MakeSuppliers(w, rng);
  MakeOffers(w, rng);
  ApplyPhaseOut(w);
  MakeComponentLines(w);
  return ToScenario(w);
}

std::map<std::string, std::string> GenerateScenarioFiles(const GenerateOptions& options) {
  const GeneratedScenario generated = GenerateScenarioModel(options);
  return ScenarioFiles(generated.scenario, generated.write);
}

model::Scenario LoadGeneratedScenario(const GenerateOptions& options) {
  ScenarioTexts texts;
  texts.folder = "generated";
  texts.files = GenerateScenarioFiles(options);
  return LoadScenarioFromTexts(texts);
}

void WriteScenarioFiles(const std::map<std::string, std::string>& files, const std::string& out_dir) {
  // What the loader would refuse is not written: generated scenarios always load.
  for (const auto& [name, text] : files) {
    if (text.size() > kMaxInputFileBytes) {
      throw common::UsageError(
          fmt::format("{} would be {} bytes, more than the {} MiB a scenario file may have (use fewer "
                      "--sites, --designs or --weeks); nothing written",
                      name, text.size(), kMaxInputFileBytes >> 20));
    }
  }
  size_t total_bytes = 0;
  for (const auto& [name, text] : files) total_bytes += text.size();
  if (total_bytes > kMaxScenarioBytes) {
    throw common::UsageError(
        fmt::format("the files would add up to {} bytes, more than the {} MiB a scenario may have (use "
                    "fewer --sites, --designs or --weeks); nothing written",
                    total_bytes, kMaxScenarioBytes >> 20));
  }
  const fs::path dir(out_dir);
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) throw common::UsageError(fmt::format("{}: exists and is not a folder", out_dir));
    if (!fs::is_empty(dir, ec)) {
      if (!WrittenByGenerator(dir)) {
        throw common::UsageError(fmt::format("{}: folder is not empty and was not written by rackforge generate", out_dir));
      }
      ClearGenerated(dir);
    }
  }
  fs::create_directories(dir / "designs", ec);
  if (ec) throw common::UsageError(fmt::format("{}: cannot create folder: {}", (dir / "designs").string(), ec.message()));
  for (const auto& [name, text] : files) {
    const fs::path path = dir / name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw common::UsageError(fmt::format("{}: cannot write file", path.string()));
  }
}

void GenerateScenario(const GenerateOptions& options, const std::string& out_dir) {
  WriteScenarioFiles(GenerateScenarioFiles(options), out_dir);
}

}  // namespace rackforge::io
