// The stored form of a plan's quantities (one JSON text per run) and the
// per-line, per-week comparison of two runs' quantities (`runs diff`).
//
// Format 1: {"format": 1, "start_week": "2026-W01", "weeks": 56,
//            "make": {"wi-l1,gb300": {"first": "2026-W01", "last": "2027-W04",
//                                     "values": {"2026-W05": 40, ...}}, ...},
//            "makec": {...}, "buy": {...}, "xfer": {...}, "ship": {...}}
// Keys are the ids of model::kQuantityKeyFields joined by ','; only non-zero
// values are kept; numbers are written in round-trip precision (nlohmann).

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "model/iso_week.h"
#include "store/run_store.h"

namespace rackforge::store {

namespace {

constexpr int kFormat = 1;
constexpr double kChanged = 1e-6;

nlohmann::json SeriesJson(const model::KeyedSeries& series) {
  nlohmann::json values = nlohmann::json::object();
  for (const auto& [week, v] : series.values) values[week] = v;
  return {{"first", series.first_week}, {"last", series.last_week}, {"values", values}};
}

}  // namespace

std::string EncodeQuantities(const model::KeyedQuantities& q) {
  nlohmann::json out = {{"format", kFormat}, {"start_week", q.start_week}, {"weeks", q.weeks}};
  for (int f = 0; f < model::kQuantityFamilies; ++f) {
    nlohmann::json family = nlohmann::json::object();
    for (const auto& [key, series] : q.families[f]) family[key] = SeriesJson(series);
    out[model::kQuantityFamilyNames[f]] = std::move(family);
  }
  return out.dump();
}

model::KeyedQuantities DecodeQuantities(const std::string& text, const std::string& where) {
  const nlohmann::json in = nlohmann::json::parse(text, nullptr, false);
  if (!in.is_object() || in.value("format", 0) != kFormat) {
    throw StoreError(fmt::format("run store {}: stored plan quantities are not of format {}", where, kFormat));
  }
  try {
    model::KeyedQuantities q;
    q.start_week = in.at("start_week").get<std::string>();
    q.weeks = in.at("weeks").get<int32_t>();
    for (int f = 0; f < model::kQuantityFamilies; ++f) {
      const nlohmann::json& family = in.at(model::kQuantityFamilyNames[f]);
      for (const auto& [key, item] : family.items()) {
        model::KeyedSeries series;
        series.first_week = item.at("first").get<std::string>();
        series.last_week = item.at("last").get<std::string>();
        for (const auto& [week, v] : item.at("values").items()) series.values.emplace(week, v.get<double>());
        q.families[f].emplace(key, std::move(series));
      }
    }
    return q;
  } catch (const nlohmann::json::exception& e) {
    throw StoreError(fmt::format("run store {}: stored plan quantities cannot be read: {}", where, e.what()));
  }
}

namespace {

/// The ISO weeks a run covered: its first and last ("" when its start_week is not an ISO week).
std::pair<std::string, std::string> Coverage(const model::KeyedQuantities& q) {
  return {model::IsoWeekOf(q.start_week, 0), model::IsoWeekOf(q.start_week, std::max(0, q.weeks - 1))};
}

/// One compared cell (or sum): its ids, ISO week and the two runs' values.
struct Change {
  std::vector<std::string> ids;
  std::string week;
  double a = 0, b = 0;
  double delta() const { return b - a; }
};

bool Larger(const Change& x, const Change& y) {
  const double dx = std::abs(x.delta()), dy = std::abs(y.delta());
  if (dx != dy) return dx > dy;
  if (x.ids != y.ids) return x.ids < y.ids;
  return x.week < y.week;
}

}  // namespace

nlohmann::json DiffQuantities(const model::KeyedQuantities& a, const model::KeyedQuantities& b, size_t top) {
  const auto [a_first, a_last] = Coverage(a);
  const auto [b_first, b_last] = Coverage(b);
  const std::string first = std::max(a_first, b_first), last = std::min(a_last, b_last);
  nlohmann::json out = {{"weeks", nullptr},
                        {"racks_moved", 0.0},
                        {"build_plan_cells_changed", 0},
                        {"build_plan", nlohmann::json::array()},
                        {"purchases", nlohmann::json::array()}};
  if (a_first.empty() || b_first.empty() || first > last) return out;
  out["weeks"] = {{"first", first}, {"last", last}};
  auto in_common = [&](const std::string& week) { return first <= week && week <= last; };

  // Build plan: every (line, design, ISO week) either run has a value for.
  std::map<std::pair<std::string, std::string>, Change> cells;
  auto add_make = [&](const model::KeyedQuantities& q, bool is_b) {
    for (const auto& [key, series] : q.family(model::QuantityFamily::kMake)) {
      for (const auto& [week, v] : series.values) {
        if (!in_common(week)) continue;
        Change& c = cells[{key, week}];
        c.ids = model::SplitKey(key);
        c.week = week;
        (is_b ? c.b : c.a) = v;
      }
    }
  };
  add_make(a, false);
  add_make(b, true);
  std::vector<Change> changes;
  double moved = 0;
  for (auto& [cell, change] : cells) {
    moved += std::abs(change.delta());
    if (std::abs(change.delta()) > kChanged) changes.push_back(change);
  }
  std::sort(changes.begin(), changes.end(), Larger);
  out["racks_moved"] = moved;
  out["build_plan_cells_changed"] = changes.size();
  for (size_t i = 0; i < changes.size() && i < top; ++i) {
    const Change& c = changes[i];
    out["build_plan"].push_back({{"line", c.ids.at(0)},
                                 {"design", c.ids.size() > 1 ? c.ids[1] : ""},
                                 {"week", c.week},
                                 {"a", c.a},
                                 {"b", c.b},
                                 {"delta", c.delta()}});
  }

  // Purchases per supplier and component: Σ over plants and the common order weeks.
  std::map<std::pair<std::string, std::string>, Change> bought;
  auto add_buy = [&](const model::KeyedQuantities& q, bool is_b) {
    for (const auto& [key, series] : q.family(model::QuantityFamily::kBuy)) {
      const std::vector<std::string> ids = model::SplitKey(key);  // supplier, component, plant
      if (ids.size() < 2) continue;
      Change& c = bought[{ids[0], ids[1]}];
      c.ids = {ids[0], ids[1]};
      for (const auto& [week, v] : series.values) {
        if (in_common(week)) (is_b ? c.b : c.a) += v;
      }
    }
  };
  add_buy(a, false);
  add_buy(b, true);
  std::vector<Change> purchases;
  for (auto& [pair, change] : bought) {
    if (std::abs(change.delta()) > kChanged) purchases.push_back(change);
  }
  std::sort(purchases.begin(), purchases.end(), Larger);
  for (const Change& c : purchases) {
    out["purchases"].push_back({{"supplier", c.ids[0]},
                                {"component", c.ids[1]},
                                {"a_units", c.a},
                                {"b_units", c.b},
                                {"delta_units", c.delta()}});
  }
  return out;
}

}  // namespace rackforge::store
