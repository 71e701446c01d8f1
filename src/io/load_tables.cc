// The CSV tables of a scenario: components, suppliers, offers, sites, lanes, demand.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>
#include <unordered_map>

#include "io/loader_parts.h"

namespace rackforge::io::internal {

namespace {

// Parses a CSV file and binds it to its schema; `loaded` marks the id table usable.
struct BoundCsv {
  CsvTable table;
  std::optional<CsvRows> rows;
};

// `extra` columns are known to the loader only (never written).
BoundCsv Bind(LoadState& st, const CsvSchema& schema, const std::string& text, std::vector<CsvColumn> extra = {}) {
  BoundCsv out;
  const std::string file = st.ctx.FilePath(schema.file);
  std::vector<CsvColumn> columns = schema.columns;
  columns.insert(columns.end(), extra.begin(), extra.end());
  std::vector<Diagnostic> problems;
  out.table = ParseCsv(text, file, &problems);
  st.ctx.diag.AddAll(std::move(problems));
  out.rows.emplace(&st.ctx, file, &out.table, std::move(columns));
  return out;
}

std::function<void(std::string)> RowReporter(CsvRows& rows, size_t r) {
  return [&rows, r](std::string msg) { rows.Error(r, std::move(msg)); };
}

/// Index of the id in column `col` of row r in `table`, or -1 when the cell is
/// empty or bad or the id unknown (each reported as "KEY: 'x' is not WHAT").
int32_t RefCell(CsvRows& rows, size_t r, size_t col, std::string_view key, const IdTable& table, const char* what) {
  const auto id = rows.Id(r, col);
  return id ? ResolveRef(table, *id, key, what, RowReporter(rows, r)) : -1;
}

/// The id in column 0 of row r, registered in `table` as entry `index` (a
/// duplicate is reported; a bad or empty id leaves *id empty).
void ReadRowId(CsvRows& rows, size_t r, IdTable& table, size_t index, std::string* id) {
  const auto text = rows.Id(r, 0);
  if (!text) return;
  *id = *text;
  AddId(table, *id, static_cast<int32_t>(index), rows.line(r), "id", RowReporter(rows, r));
}

void SetNumber(std::optional<double> v, double* out) {
  if (v) *out = *v;
}

// The first line of each key of a table keyed by up to three resolved ids
// (on_hand, supply_lanes, transfers, lanes): one duplicate check for them all.
class KeyLines {
 public:
  // Returns true for a new key; otherwise reports row r as "<label>: ('a', 'b'[, 'c']) <what> (first on line
  // N)", quoting the cells of `cols`, and returns false.
  bool Unique(CsvRows& rows, size_t r, std::array<int32_t, 3> key, std::initializer_list<size_t> cols,
              std::string_view label, std::string_view what) {
    auto [it, inserted] = first_.emplace(key, rows.line(r));
    if (inserted) return true;
    std::string cells;
    for (size_t c : cols) cells += (cells.empty() ? "" : ", ") + Quote(rows.Cell(r, c));
    rows.Error(r, fmt::format("{}: ({}) {} (first on line {})", label, cells, what, it->second));
    return false;
  }

 private:
  struct Hash {
    size_t operator()(const std::array<int32_t, 3>& k) const {
      uint64_t h = static_cast<uint32_t>(k[0]);
      h = h * 0x9E3779B97F4A7C15ULL ^ static_cast<uint32_t>(k[1]);
      h = h * 0x9E3779B97F4A7C15ULL ^ static_cast<uint32_t>(k[2]);
      return static_cast<size_t>(h ^ (h >> 29));
    }
  };
  std::unordered_map<std::array<int32_t, 3>, int, Hash> first_;
};

}  // namespace

void LoadComponents(LoadState& st, const std::string& text) {
  // on_hand is known only to point at on_hand.csv (below).
  BoundCsv csv = Bind(st, kComponentsCsv, text, {{"on_hand", false}});
  for (const std::string& name : csv.table.header()) {
    if (name != "on_hand") continue;
    st.ctx.diag.Add(st.ctx.FilePath("components.csv"), csv.table.header_line(),
                    "on_hand: the column is no longer read here; stock is per plant in on_hand.csv "
                    "(plant,component,units)");
  }
  CsvRows& rows = *csv.rows;
  st.components.loaded = true;
  auto& out = st.scenario.components;
  out.reserve(rows.rows());
  for (size_t r = 0; r < rows.rows(); ++r) {
    model::Component c;
    ReadRowId(rows, r, st.components, out.size(), &c.id);
    c.name = rows.Cell(r, 1);
    c.category = rows.Cell(r, 2);
    double* fields[] = {&c.unit_cost_usd,  &c.holding_usd_per_week, &c.power_w,
                        &c.heat_liquid_w,  &c.heat_air_w,     &c.weight_kg,            &c.height_u,
                        &c.accelerators,   &c.ports_required, &c.ports_provided,       &c.power_capacity_w,
                        &c.cooling_capacity_w};
    for (size_t k = 0; k < std::size(fields); ++k) SetNumber(rows.Number(r, 3 + k, NumRule::kNonNegative), fields[k]);
    out.push_back(std::move(c));
  }
}

void LoadSuppliers(LoadState& st, const std::string& text) {
  BoundCsv csv = Bind(st, kSuppliersCsv, text);
  CsvRows& rows = *csv.rows;
  st.suppliers.loaded = true;
  auto& out = st.scenario.suppliers;
  for (size_t r = 0; r < rows.rows(); ++r) {
    model::Supplier s;
    ReadRowId(rows, r, st.suppliers, out.size(), &s.id);
    s.company = rows.Cell(r, 1);
    s.country = rows.Cell(r, 2);
    s.us_state = rows.Cell(r, 3);
    if (auto w = rows.Week(r, 4, WeekRule::kWeek)) s.recovery_weeks = *w;
    SetNumber(rows.Number(r, 5, NumRule::kFraction), &s.outage_prob_per_week);
    out.push_back(std::move(s));
  }
}

void LoadOffers(LoadState& st, const std::string& text) {
  BoundCsv csv = Bind(st, kOffersCsv, text);
  CsvRows& rows = *csv.rows;
  st.offers_loaded = true;
  model::Scenario& s = st.scenario;
  // (supplier, component) -> first line, for duplicates.
  std::unordered_map<int64_t, int> seen;
  for (size_t r = 0; r < rows.rows(); ++r) {
    model::Offer o;
    bool ok = true;
    o.supplier = RefCell(rows, r, 0, "supplier", st.suppliers, "a supplier in suppliers.csv");
    o.component = RefCell(rows, r, 1, "component", st.components, "a component in components.csv");
    auto cost = rows.Number(r, 2, NumRule::kNonNegative);
    auto capacity = rows.Number(r, 3, NumRule::kNonNegative);
    auto lead = rows.Week(r, 4, WeekRule::kWeek);
    auto from = rows.Week(r, 5, WeekRule::kWeek);
    std::optional<int32_t> last_order;  // empty cell = no last order week
    bool last_order_ok = true;
    if (!rows.Cell(r, 6).empty()) {
      last_order = rows.Week(r, 6, WeekRule::kWeek);
      last_order_ok = last_order.has_value();
      if (last_order && from && *last_order < *from) {
        rows.Error(r, "last_order_week: " + std::to_string(*last_order) + " is before available_from_week " +
                          std::to_string(*from) + " (the last order week cannot precede the first)");
        last_order_ok = false;
      }
    }
    auto tariff = rows.Number(r, 7, NumRule::kNonNegative);
    if (!cost || !capacity || !lead || !from || !tariff || !last_order_ok || o.supplier < 0 || o.component < 0) {
      ok = false;
    }
    if (o.supplier >= 0 && o.component >= 0) {
      const int64_t key = (static_cast<int64_t>(o.supplier) << 32) | o.component;
      auto [it, inserted] = seen.emplace(key, rows.line(r));
      if (!inserted) {
        rows.Error(r, "supplier, component: (" + Quote(rows.Cell(r, 0)) + ", " + Quote(rows.Cell(r, 1)) +
                          ") already has an offer (first on line " + std::to_string(it->second) + ")");
        ok = false;
      }
    }
    if (!ok) continue;
    o.unit_cost_usd = *cost;
    o.capacity_per_week = *capacity;
    o.lead_time_weeks = *lead;
    o.available_from_week = *from;
    o.last_order_week = last_order;
    o.tariff_rate = *tariff;
    model::Component& c = s.components[o.component];
    ++c.offer_rows_in_file;
    if (st.ctx.horizon >= 0 && o.available_from_week >= st.ctx.horizon) continue;  // never usable
    if (st.first_offer_line.size() < s.suppliers.size()) st.first_offer_line.resize(s.suppliers.size(), 0);
    if (st.first_offer_line[o.supplier] == 0) st.first_offer_line[o.supplier] = rows.line(r);
    c.offers.push_back(static_cast<int32_t>(s.offers.size()));
    s.offers.push_back(o);
  }
}

void CheckBomOffers(LoadState& st) {
  // Without suppliers.csv no offer row resolves, without plants.yaml no line makes anything:
  // "neither bought nor made" would be a cascade.
  if (!st.offers_loaded || !st.suppliers.loaded || !st.component_lines.loaded) return;
  for (const BomRef& ref : st.bom_refs) {
    if (ref.component < 0) continue;
    const model::Component& c = st.scenario.components[ref.component];
    if (!c.offers.empty() || !c.made_by.empty()) continue;
    const std::string offers = c.offer_rows_in_file == 0
                                   ? "no row in offers.csv"
                                   : "no offer in offers.csv with available_from_week < horizon_weeks";
    st.ctx.diag.Add(ref.file, ref.line,
                    ref.key + ": " + Quote(c.id) + " is neither bought (" + offers +
                        ") nor made (no component line in plants.yaml makes it)");
  }
  st.bom_refs.clear();
}

namespace {

/// Reports every cycle of component_boms.csv once, on the line of the row that closes it:
/// "cycle a -> b -> a". Depth-first from each component in row order; `edges[c]` = (part, data row).
void ReportBomCycles(LoadState& st, CsvRows& rows, const std::vector<std::vector<std::pair<int32_t, size_t>>>& edges) {
  const auto& comps = st.scenario.components;
  std::vector<uint8_t> state(comps.size(), 0);  // 0 new, 1 on the path, 2 done
  std::vector<int32_t> path;
  std::vector<std::pair<int32_t, size_t>> stack;  // (component, next edge)
  for (size_t root = 0; root < comps.size(); ++root) {
    if (state[root] != 0 || edges[root].empty()) continue;
    stack.push_back({static_cast<int32_t>(root), 0});
    path.push_back(static_cast<int32_t>(root));
    state[root] = 1;
    while (!stack.empty()) {
      auto& [c, next] = stack.back();
      if (next == edges[c].size()) {
        state[c] = 2;
        path.pop_back();
        stack.pop_back();
        continue;
      }
      const auto [part, row] = edges[c][next++];
      if (state[part] == 1) {
        std::string names;
        const auto from = std::find(path.begin(), path.end(), part);
        for (auto it = from; it != path.end(); ++it) names += comps[*it].id + " -> ";
        rows.Error(row, "cycle " + names + comps[part].id + " (a component cannot be made from itself)");
      } else if (state[part] == 0) {
        state[part] = 1;
        path.push_back(part);
        stack.push_back({part, 0});
      }
    }
  }
}

}  // namespace

void LoadComponentBoms(LoadState& st, const std::string& text) {
  BoundCsv csv = Bind(st, kComponentBomsCsv, text);
  CsvRows& rows = *csv.rows;
  model::Scenario& s = st.scenario;
  KeyLines seen;  // (component, part) -> first line
  std::vector<std::vector<std::pair<int32_t, size_t>>> edges(s.components.size());
  for (size_t r = 0; r < rows.rows(); ++r) {
    const int32_t c = RefCell(rows, r, 0, "component", st.components, "a component in components.csv");
    const int32_t part = RefCell(rows, r, 1, "part", st.components, "a component in components.csv");
    auto qty = rows.Number(r, 2, NumRule::kNonNegative);
    if (qty && *qty <= 0) {
      rows.Error(r, "qty: " + Shown(rows.Cell(r, 2)) + " is not positive (a bom row uses some of the part)");
      qty.reset();
    }
    if (c < 0 || part < 0 || !qty) continue;
    if (!seen.Unique(rows, r, {c, part, 0}, {0, 1}, "component, part", "already has a row")) continue;
    s.components[c].parts.push_back({part, *qty});
    edges[c].push_back({part, r});
    st.bom_refs.push_back({rows.file(), rows.line(r), "part", part});
  }
  ReportBomCycles(st, rows, edges);
}

void LoadOnHand(LoadState& st, const std::string& text) {
  BoundCsv csv = Bind(st, kOnHandCsv, text);
  CsvRows& rows = *csv.rows;
  KeyLines seen;  // (plant, component) -> first line
  for (size_t r = 0; r < rows.rows(); ++r) {
    model::OnHand h;
    h.plant = RefCell(rows, r, 0, "plant", st.plants, "a plant in plants.yaml");
    h.component = RefCell(rows, r, 1, "component", st.components, "a component in components.csv");
    auto units = rows.Number(r, 2, NumRule::kNonNegative);
    if (h.plant < 0 || h.component < 0 || !units) continue;
    if (!seen.Unique(rows, r, {h.plant, h.component, 0}, {0, 1}, "plant, component", "already has a row")) continue;
    h.units = *units;
    st.scenario.on_hand.push_back(h);
  }
}

void LoadSupplyLanes(LoadState& st, const std::string& text) {
  BoundCsv csv = Bind(st, kSupplyLanesCsv, text);
  CsvRows& rows = *csv.rows;
  model::Scenario& s = st.scenario;
  s.supply_lanes.emplace();
  KeyLines seen;  // (supplier, plant) -> first line
  std::vector<uint8_t> has_lane(s.suppliers.size(), 0);
  for (size_t r = 0; r < rows.rows(); ++r) {
    model::SupplyLane lane;
    lane.supplier = RefCell(rows, r, 0, "supplier", st.suppliers, "a supplier in suppliers.csv");
    lane.plant = RefCell(rows, r, 1, "plant", st.plants, "a plant in plants.yaml");
    auto transit = rows.Week(r, 2, WeekRule::kWeek);
    auto cost = rows.Number(r, 3, NumRule::kNonNegative);
    if (lane.supplier >= 0) has_lane[lane.supplier] = 1;  // a bad cell is reported once, not as a missing lane too
    if (lane.supplier < 0 || lane.plant < 0 || !transit || !cost) continue;
    if (!seen.Unique(rows, r, {lane.supplier, lane.plant, 0}, {0, 1}, "supplier, plant", "is a duplicate supply lane")) {
      continue;
    }
    lane.transit_weeks = *transit;
    lane.cost_usd_per_unit = *cost;
    s.supply_lanes->push_back(lane);
  }
  if (!st.suppliers.loaded || !st.offers_loaded || !st.plants.loaded) return;
  for (size_t sup = 0; sup < st.first_offer_line.size() && sup < s.suppliers.size(); ++sup) {
    if (st.first_offer_line[sup] == 0 || has_lane[sup] != 0) continue;
    st.ctx.diag.Add(rows.file(), 0,
                    "supplier " + Quote(s.suppliers[sup].id) + " has an offer (offers.csv line " +
                        std::to_string(st.first_offer_line[sup]) +
                        ") but no supply lane (with supply_lanes.csv, a supplier delivers only to the plants listed "
                        "for it)");
  }
}

void LoadTransfers(LoadState& st, const std::string& text) {
  BoundCsv csv = Bind(st, kTransfersCsv, text);
  CsvRows& rows = *csv.rows;
  KeyLines seen;  // (from_plant, to_plant, component) -> first line
  for (size_t r = 0; r < rows.rows(); ++r) {
    model::Transfer x;
    x.from_plant = RefCell(rows, r, 0, "from_plant", st.plants, "a plant in plants.yaml");
    x.to_plant = RefCell(rows, r, 1, "to_plant", st.plants, "a plant in plants.yaml");
    x.component = RefCell(rows, r, 2, "component", st.components, "a component in components.csv");
    auto transit = rows.Week(r, 3, WeekRule::kWeek);
    auto cost = rows.Number(r, 4, NumRule::kNonNegative);
    if (x.from_plant >= 0 && x.from_plant == x.to_plant) {
      rows.Error(r, "to_plant: " + Quote(rows.Cell(r, 1)) + " is the from_plant (a transfer moves parts between two plants)");
      continue;
    }
    if (x.from_plant < 0 || x.to_plant < 0 || x.component < 0 || !transit || !cost) continue;
    if (!seen.Unique(rows, r, {x.from_plant, x.to_plant, x.component}, {0, 1, 2}, "from_plant, to_plant, component",
                     "is a duplicate transfer")) {
      continue;
    }
    x.transit_weeks = *transit;
    x.cost_usd_per_unit = *cost;
    st.scenario.transfers.push_back(x);
  }
}

void LoadSites(LoadState& st, const std::string& text) {
  BoundCsv csv = Bind(st, kSitesCsv, text);
  CsvRows& rows = *csv.rows;
  st.sites.loaded = true;
  auto& out = st.scenario.sites;
  for (size_t r = 0; r < rows.rows(); ++r) {
    model::Site site;
    ReadRowId(rows, r, st.sites, out.size(), &site.id);
    site.name = rows.Cell(r, 1);
    site.us_state = rows.Cell(r, 2);
    site.customer = rows.Cell(r, 3);
    out.push_back(std::move(site));
  }
}

void LoadLanes(LoadState& st, const std::string& text) {
  BoundCsv csv = Bind(st, kLanesCsv, text);
  CsvRows& rows = *csv.rows;
  KeyLines seen;  // (plant, site) -> first line
  for (size_t r = 0; r < rows.rows(); ++r) {
    model::Lane lane;
    lane.plant = RefCell(rows, r, 0, "plant", st.plants, "a plant in plants.yaml");
    lane.site = RefCell(rows, r, 1, "site", st.sites, "a site in sites.csv");
    auto transit = rows.Week(r, 2, WeekRule::kWeek);
    auto cost = rows.Number(r, 3, NumRule::kNonNegative);
    if (lane.plant < 0 || lane.site < 0 || !transit || !cost) continue;
    if (!seen.Unique(rows, r, {lane.plant, lane.site, 0}, {0, 1}, "plant, site", "is a duplicate lane")) continue;
    lane.transit_weeks = *transit;
    lane.cost_usd_per_rack = *cost;
    st.scenario.lanes.push_back(lane);
  }
}

namespace {

std::optional<model::DemandKind> ParseKind(std::string_view text) {
  for (int k = 0; k < model::kDemandKinds; ++k) {
    if (text == model::kDemandKindNames[k]) return static_cast<model::DemandKind>(k);
  }
  return std::nullopt;
}

// Sums demand rows with the same (site, design, week, kind); option rows keep
// the racks-weighted mean probability.
class DemandSummer {
 public:
  explicit DemandSummer(std::vector<model::Demand>* out) : out_(out) {}
  /// Adds a row read on data row `row`.
  void Add(const model::Demand& d, size_t row) {
    const Key key{d.site, d.design, d.week, static_cast<int32_t>(d.kind)};
    auto [it, inserted] = index_.emplace(key, out_->size());
    if (inserted) {
      out_->push_back(d);
      weighted_.push_back(d.probability * d.racks);
      plain_.push_back({d.probability, 1});
      first_row_.push_back(row);
      return;
    }
    const size_t i = it->second;
    model::Demand& cell = (*out_)[i];
    cell.racks += d.racks;
    weighted_[i] += d.probability * d.racks;
    plain_[i].first += d.probability;
    plain_[i].second += 1;
  }
  /// Computes option probabilities; a summed cell beyond the number range is
  /// reported on its first row (each row alone was within it).
  void Finish(CsvRows& rows) {
    for (size_t i = 0; i < out_->size(); ++i) {
      model::Demand& cell = (*out_)[i];
      if (cell.racks > model::kMaxAbsNumber) {
        rows.Error(first_row_[i],
                   fmt::format("racks: the rows of (site {}, design {}, week {}, {}) sum to {:g} racks, "
                               "more than 1e12",
                               Quote(rows.Cell(first_row_[i], 0)), Quote(rows.Cell(first_row_[i], 1)), cell.week,
                               model::kDemandKindNames[static_cast<int>(cell.kind)], cell.racks));
      }
      // A cell of one row keeps its probability as written (p * r / r may be an ulp off p).
      if (cell.kind != model::DemandKind::kOption || plain_[i].second == 1) continue;
      cell.probability = cell.racks > 0 ? weighted_[i] / cell.racks : plain_[i].first / plain_[i].second;
    }
  }

 private:
  struct Key {
    int32_t site, design, week, kind;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      uint64_t h = (static_cast<uint64_t>(static_cast<uint32_t>(k.site)) << 32) | static_cast<uint32_t>(k.design);
      h ^= ((static_cast<uint64_t>(static_cast<uint32_t>(k.week)) << 2) | static_cast<uint32_t>(k.kind)) *
           0x9E3779B97F4A7C15ULL;
      return std::hash<uint64_t>{}(h ^ (h >> 29));
    }
  };
  std::vector<model::Demand>* out_;
  std::unordered_map<Key, size_t, KeyHash> index_;
  std::vector<double> weighted_;
  std::vector<std::pair<double, int>> plain_;
  std::vector<size_t> first_row_;
};

/// The probability of a demand row of `kind` (column 5): required (0..1) on
/// option rows, absent (1) on the others; nullopt after reporting a problem.
std::optional<double> DemandProbability(CsvRows& rows, size_t r, model::DemandKind kind) {
  const std::string_view text = rows.Cell(r, 5);
  if (kind == model::DemandKind::kOption) {
    if (!text.empty()) return rows.Number(r, 5, NumRule::kFraction);
    rows.Error(r, "probability: missing on an option row (required, 0..1)");
    return std::nullopt;
  }
  if (text.empty()) return 1.0;
  const bool evaluation = kind == model::DemandKind::kEvaluation;
  rows.Error(r, "probability: " + Shown(text) + " given on " + (evaluation ? "an evaluation" : "a firm") +
                    " row (only option rows have a probability)");
  return std::nullopt;
}

}  // namespace

void LoadDemand(LoadState& st, const std::string& text) {
  BoundCsv csv = Bind(st, kDemandCsv, text);
  CsvRows& rows = *csv.rows;
  DemandSummer summer(&st.scenario.demand);
  for (size_t r = 0; r < rows.rows(); ++r) {
    model::Demand d;
    d.site = RefCell(rows, r, 0, "site", st.sites, "a site in sites.csv");
    d.design = RefCell(rows, r, 1, "design", st.designs, "a design in designs/*.yaml");
    auto week = rows.Week(r, 2, WeekRule::kInHorizon);
    auto racks = rows.Number(r, 3, NumRule::kNonNegative);
    std::optional<model::DemandKind> kind;
    if (auto text_kind = rows.Text(r, 4)) {
      kind = ParseKind(*text_kind);
      if (!kind) rows.Error(r, "kind: " + Quote(*text_kind) + " is not one of evaluation, firm, option");
    }
    const std::optional<double> probability = kind ? DemandProbability(rows, r, *kind) : std::nullopt;
    if (d.site < 0 || d.design < 0 || !week || !racks || !kind || !probability) continue;
    d.week = *week;
    d.racks = *racks;
    d.kind = *kind;
    d.probability = *probability;
    summer.Add(d, r);
  }
  summer.Finish(rows);
}

}  // namespace rackforge::io::internal
