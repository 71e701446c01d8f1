#pragma once
// A plan's decision quantities keyed by ids and ISO-8601 weeks instead of dense
// indices, so that a stored run can be compared with (and serve as the
// baseline of) a plan of another scenario version: other lines, offers or a
// later start week. Plain data; the run store keeps it, plan/baseline fills
// and reads it. Thread-safe as any value type.

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rackforge::model {

/// The quantity families a plan releases, in this fixed order.
enum class QuantityFamily : int32_t { kMake = 0, kMakec = 1, kBuy = 2, kXfer = 3, kShip = 4 };
inline constexpr int kQuantityFamilies = 5;
/// "make", "makec", "buy", "xfer", "ship": the names used in the store and in JSON.
inline constexpr std::array<const char*, kQuantityFamilies> kQuantityFamilyNames = {"make", "makec", "buy", "xfer",
                                                                                    "ship"};
/// The ids that make up a key of each family, joined by ',' (ids never contain one):
/// make line,design; makec component line,component; buy supplier,component,plant;
/// xfer from_plant,to_plant,component; ship plant,site,design,kind.
inline constexpr std::array<const char*, kQuantityFamilies> kQuantityKeyFields = {
    "line,design", "component_line,component", "supplier,component,plant", "from_plant,to_plant,component",
    "plant,site,design,kind"};

/// One key's cells: the ISO weeks where the plan had a column for it (first..last, inclusive;
/// the week is the order week of buy and the departure week of xfer and ship) and its non-zero
/// values by ISO week, in full double precision.
struct KeyedSeries {
  std::string first_week;  // "2026-W01"
  std::string last_week;
  std::map<std::string, double> values;  // ISO week -> value, non-zero only
  /// True when the plan had a cell of this key in `iso_week` ("YYYY-Www" sorts chronologically).
  bool has_cell(const std::string& iso_week) const { return first_week <= iso_week && iso_week <= last_week; }
  /// The value in `iso_week` (0 where nothing is stored).
  double at(const std::string& iso_week) const {
    const auto it = values.find(iso_week);
    return it == values.end() ? 0.0 : it->second;
  }
};

/// Every family's keys of one plan, and the weeks the plan covered.
struct KeyedQuantities {
  std::string start_week;  // ISO week of the plan's week 0
  int32_t weeks = 0;       // horizon: it covered start_week .. start_week + weeks - 1
  std::array<std::map<std::string, KeyedSeries>, kQuantityFamilies> families;

  std::map<std::string, KeyedSeries>& family(QuantityFamily f) { return families[static_cast<int>(f)]; }
  const std::map<std::string, KeyedSeries>& family(QuantityFamily f) const { return families[static_cast<int>(f)]; }
};

/// Joins ids into a key: JoinKey({"wi-l1", "gb300"}) == "wi-l1,gb300".
inline std::string JoinKey(const std::vector<std::string>& ids) {
  std::string key;
  for (size_t i = 0; i < ids.size(); ++i) key += (i ? "," : "") + ids[i];
  return key;
}

/// Splits a key into its ids (the inverse of JoinKey).
inline std::vector<std::string> SplitKey(const std::string& key) {
  std::vector<std::string> ids(1);
  for (char c : key) {
    if (c == ',') {
      ids.emplace_back();
    } else {
      ids.back() += c;
    }
  }
  return ids;
}

}  // namespace rackforge::model
