// The scenario writer (see scenario_writer.h). Layout of each file: block
// mappings for the scenario's sections, one flow mapping per list item where
// items are small (lines, expansions, bom entries, target points), CSV
// headers from io/scenario_schema.h.

#include "io/scenario_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <functional>
#include <iterator>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "io/scenario_schema.h"

namespace rackforge::io {
namespace {

using internal::CsvSchema;
using internal::kDesignSectionFields;
using internal::kDesignSections;

// ------------------------------------------------------------------ scalars

/// Shortest round-trip text of a number; whole numbers print without a point ("12", "0.25").
std::string Num(double x) {
  if (x == std::floor(x) && std::fabs(x) < 1e15) return fmt::format("{}", static_cast<int64_t>(x));
  return fmt::format("{}", x);
}

/// A YAML scalar for a text: plain when it is a word that YAML reads back as
/// the same string (letters, digits, . _ -, starting with a letter, not a
/// YAML 1.1 boolean or null), else double-quoted (JSON escapes are YAML's).
std::string YamlText(const std::string& text) {
  static constexpr std::array<std::string_view, 11> kSpecial = {"y",     "n",   "yes", "no",   "true", "false",
                                                                "on",    "off", "null", "nan", "inf"};
  bool plain = !text.empty() && std::isalpha(static_cast<unsigned char>(text[0]));
  for (char ch : text) {
    plain = plain && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '_' || ch == '-');
  }
  if (plain) {
    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
    plain = std::find(kSpecial.begin(), kSpecial.end(), lower) == kSpecial.end();
  }
  return plain ? text : nlohmann::json(text).dump();
}

/// A CSV cell: quoted (quotes doubled) when it holds a comma, a quote or a line break.
std::string CsvText(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char ch : text) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

/// "# line\n" for every line of `comment` ("" for none).
std::string Comment(const std::string& comment) {
  std::string out;
  size_t start = 0;
  while (!comment.empty() && start <= comment.size()) {
    const size_t end = comment.find('\n', start);
    out += "# " + comment.substr(start, end == std::string::npos ? std::string::npos : end - start) + "\n";
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

std::string CommentOf(const ScenarioWriteOptions& options, const std::string& file) {
  auto it = options.comments.find(file);
  return it == options.comments.end() ? std::string() : Comment(it->second);
}

/// "[a, b, c]" of ids.
template <typename Ids>
std::string IdList(const Ids& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ", ") + YamlText(id);
  return "[" + out + "]";
}

// ---------------------------------------------------------------------- CSV

/// Writes one CSV table: the schema's header (less omit_when_empty columns
/// that `used` says no row fills), then rows with one cell per schema column.
class CsvWriter {
 public:
  CsvWriter(const CsvSchema& schema, const std::function<bool(size_t column)>& used = {})
      : keep_(schema.columns.size(), true) {
    std::string header;
    for (size_t c = 0; c < schema.columns.size(); ++c) {
      if (schema.columns[c].omit_when_empty && used && !used(c)) keep_[c] = false;
      if (keep_[c]) header += (header.empty() ? "" : ",") + std::string(schema.columns[c].name);
    }
    out_ = header + "\n";
  }
  /// Cells in schema order, already in CSV text form (see Cell).
  void Row(std::initializer_list<std::string> cells) {
    if (cells.size() != keep_.size()) throw std::logic_error("CsvWriter: a row does not match its schema");
    bool first = true;
    size_t c = 0;
    for (const std::string& cell : cells) {
      if (keep_[c++]) {
        if (!first) out_ += ',';
        out_ += cell;
        first = false;
      }
    }
    out_ += '\n';
  }
  std::string Take() { return std::move(out_); }

 private:
  std::vector<bool> keep_;
  std::string out_;
};

// -------------------------------------------------------------- YAML files

std::string ScenarioYaml(const model::Scenario& s, const std::string& comment) {
  const model::Policy& p = s.policy;
  std::string out = comment;
  out += fmt::format("name: {}\nstart_week: {}\nhorizon_weeks: {}\n", YamlText(s.name),
                     nlohmann::json(s.start_week).dump(), s.horizon_weeks);
  out += fmt::format("policy:\n  domestic_content_min: {}\n  max_supplier_share: {}\n", Num(p.domestic_content_min),
                     Num(p.max_supplier_share));
  if (p.capex_budget_usd) out += fmt::format("  capex_budget_usd: {}\n", Num(*p.capex_budget_usd));
  out += fmt::format("  option_demand: {}\n  backlog_penalty_usd_per_rack_week:\n", model::ToString(p.option_demand));
  for (int k = 0; k < model::kDemandKinds; ++k) {
    out += fmt::format("    {}: {}\n", model::kDemandKindNames[k], Num(p.backlog_penalty.usd_per_rack_week[k]));
  }
  const auto& end = p.end_backlog_penalty_usd_per_rack;
  if (std::any_of(end.begin(), end.end(), [](double v) { return v != 0; })) {
    out += "  end_backlog_penalty_usd_per_rack:\n";
    for (int k = 0; k < model::kDemandKinds; ++k) {
      out += fmt::format("    {}: {}\n", model::kDemandKindNames[k], Num(end[k]));
    }
  }
  out += fmt::format("  rack_holding_usd_per_week: {}\n", Num(p.rack_holding_usd_per_week));
  if (p.quantities != model::Quantities::kContinuous) out += fmt::format("  quantities: {}\n", ToString(p.quantities));
  out += fmt::format("risk:\n  start_week: {}\n", s.risk_start_week);
  if (!s.target.empty()) {
    out += "target:\n";
    for (const model::TargetPoint& t : s.target) {
      out += fmt::format("  - {{week: {}, racks_per_week: {}}}\n", t.week, Num(t.racks_per_week));
    }
  }
  return out;
}

std::string RoadmapYaml(const model::Scenario& s, const std::string& comment) {
  std::string out = comment + "requirements:\n";
  for (const model::Requirement& r : s.requirements) {
    fmt::format_to(std::back_inserter(out),
                   "  - id: {}\n    generation: {}\n    needed_by_week: {}\n"
                   "    min_accelerators: {}\n    max_power_kw: {}\n    max_floor_load_kg_m2: {}\n",
                   YamlText(r.id), nlohmann::json(r.generation).dump(), r.needed_by_week, Num(r.min_accelerators),
                   Num(r.max_power_kw), Num(r.max_floor_load_kg_m2));
  }
  return out;
}

std::string BomFlow(const model::Scenario& s, const std::vector<model::BomEntry>& bom) {
  std::string out;
  for (const model::BomEntry& e : bom) {
    out += fmt::format("{}{{component: {}, qty: {}}}", out.empty() ? "" : ", ", YamlText(s.components[e.component].id),
                       Num(e.qty));
  }
  return "[" + out + "]";
}

std::string LineFields(const model::Scenario& s, const model::Line& l) {
  std::vector<std::string> designs;
  for (int32_t g : l.designs) designs.push_back(s.designs[g].id);
  return fmt::format("designs: {}, racks_per_week: {}, ramp_weeks: {}, ramp_start_fraction: {}, cost_usd_per_rack: {}",
                     IdList(designs), Num(l.racks_per_week), l.ramp_weeks, Num(l.ramp_start_fraction),
                     Num(l.cost_usd_per_rack));
}

std::string ComponentLineFields(const model::Scenario& s, const model::ComponentLine& m) {
  std::vector<std::string> components;
  for (int32_t c : m.components) components.push_back(s.components[c].id);
  return fmt::format(
      "components: {}, units_per_week: {}, ramp_weeks: {}, ramp_start_fraction: {}, cost_usd_per_unit: {}",
      IdList(components), Num(m.units_per_week), m.ramp_weeks, Num(m.ramp_start_fraction), Num(m.cost_usd_per_unit));
}

const char* KindName(model::ExpansionKind kind) {
  switch (kind) {
    case model::ExpansionKind::kLine: return "line";
    case model::ExpansionKind::kTestCells: return "test_cells";
    case model::ExpansionKind::kComponentLine: return "component_line";
  }
  return "line";
}

std::string PlantsYaml(const model::Scenario& s, const std::string& comment) {
  std::string out = comment + "plants:\n";
  for (const model::Plant& p : s.plants) {
    fmt::format_to(std::back_inserter(out),
                   "  - id: {}\n    us_state: {}\n    test_cells: {}\n    test_hours_per_cell_week: {}\n"
                   "    recovery_weeks: {}\n    outage_prob_per_week: {}\n",
                   YamlText(p.id), YamlText(p.us_state), Num(p.test_cells), Num(p.test_hours_per_cell_week),
                   p.recovery_weeks, Num(p.outage_prob_per_week));
    if (!p.lines.empty()) out += "    lines:\n";
    for (int32_t l : p.lines) {
      const model::Line& line = s.lines[l];
      fmt::format_to(std::back_inserter(out), "      - {{id: {}, start_week: {}, {}}}\n", YamlText(line.id),
                     line.start_week, LineFields(s, line));
    }
    if (!p.component_lines.empty()) out += "    component_lines:\n";
    for (int32_t m : p.component_lines) {
      const model::ComponentLine& line = s.component_lines[m];
      fmt::format_to(std::back_inserter(out), "      - {{id: {}, start_week: {}, {}}}\n", YamlText(line.id),
                     line.start_week, ComponentLineFields(s, line));
    }
  }
  if (!s.expansions.empty()) out += "expansions:\n";
  for (const model::Expansion& x : s.expansions) {
    fmt::format_to(std::back_inserter(out),
                   "  - {{id: {}, plant: {}, kind: {}, capex_usd: {}, earliest_week: {}, lead_time_weeks: {}, ",
                   YamlText(x.id), YamlText(s.plants[x.plant].id), KindName(x.kind), Num(x.capex_usd), x.earliest_week,
                   x.lead_time_weeks);
    switch (x.kind) {
      case model::ExpansionKind::kLine: out += LineFields(s, s.lines[x.line]); break;
      case model::ExpansionKind::kTestCells: out += "cells: " + Num(x.cells); break;
      case model::ExpansionKind::kComponentLine:
        out += ComponentLineFields(s, s.component_lines[x.component_line]);
        break;
    }
    out += "}\n";
  }
  return out;
}

std::string DisruptionsYaml(const model::Scenario& s, const std::string& comment) {
  std::string out = comment + "disruptions:\n";
  for (const model::Disruption& d : s.disruptions) {
    std::string node;
    switch (d.node.kind) {
      case model::NodeKind::kPlant: node = "plant:" + s.plants[d.node.index].id; break;
      case model::NodeKind::kLine: node = "line:" + s.lines[d.node.index].id; break;
      case model::NodeKind::kComponentLine: node = "line:" + s.component_lines[d.node.index].id; break;
      case model::NodeKind::kSupplier: node = "supplier:" + s.suppliers[d.node.index].id; break;
    }
    fmt::format_to(std::back_inserter(out), "  - {{node: {}, start_week: {}, weeks: {}, capacity_loss: {}}}\n",
                   YamlText(node), d.start_week, d.weeks, Num(d.capacity_loss));
  }
  return out;
}

std::string DesignSpaceYaml(const model::Scenario& s, const std::string& comment) {
  std::string out = comment + "spaces:\n";
  for (const model::DesignSpace& space : s.design_spaces) {
    fmt::format_to(std::back_inserter(out), "  - design: {}\n    slots:\n", YamlText(s.designs[space.design].id));
    for (const model::Slot& slot : space.slots) {
      std::vector<std::string> replaces;
      for (int32_t c : slot.replaces) replaces.push_back(s.components[c].id);
      fmt::format_to(std::back_inserter(out), "      - slot: {}\n        replaces: {}\n        options:\n",
                     YamlText(slot.slot), IdList(replaces));
      for (const model::SlotOption& option : slot.options) {
        std::string set;
        for (const auto& [key, value] : option.set) set += fmt::format("{}{}: {}", set.empty() ? "" : ", ", key, Num(value));
        if (option.bom.empty() && option.set.empty()) {
          out += "          - {}\n";
        } else if (option.bom.empty()) {
          out += "          - set: {" + set + "}\n";
        } else {
          out += "          - bom: " + BomFlow(s, option.bom) + "\n";
          if (!set.empty()) out += "            set: {" + set + "}\n";
        }
      }
    }
  }
  return out;
}

// -------------------------------------------------------------- CSV files

std::string ComponentsCsv(const model::Scenario& s) {
  CsvWriter csv(internal::kComponentsCsv);
  for (const model::Component& c : s.components) {
    csv.Row({CsvText(c.id), CsvText(c.name), CsvText(c.category), Num(c.unit_cost_usd), Num(c.holding_usd_per_week),
             Num(c.power_w), Num(c.heat_liquid_w), Num(c.heat_air_w), Num(c.weight_kg), Num(c.height_u),
             Num(c.accelerators), Num(c.ports_required), Num(c.ports_provided), Num(c.power_capacity_w),
             Num(c.cooling_capacity_w)});
  }
  return csv.Take();
}

std::string OnHandCsv(const model::Scenario& s) {
  CsvWriter csv(internal::kOnHandCsv);
  for (const model::OnHand& h : s.on_hand) {
    csv.Row({CsvText(s.plants[h.plant].id), CsvText(s.components[h.component].id), Num(h.units)});
  }
  return csv.Take();
}

/// Rows grouped by component (components in file order, each one's parts in file order).
std::string ComponentBomsCsv(const model::Scenario& s) {
  CsvWriter csv(internal::kComponentBomsCsv);
  for (const model::Component& c : s.components) {
    for (const model::BomEntry& part : c.parts) {
      csv.Row({CsvText(c.id), CsvText(s.components[part.component].id), Num(part.qty)});
    }
  }
  return csv.Take();
}

std::string SuppliersCsv(const model::Scenario& s) {
  CsvWriter csv(internal::kSuppliersCsv);
  for (const model::Supplier& x : s.suppliers) {
    csv.Row({CsvText(x.id), CsvText(x.company), CsvText(x.country), CsvText(x.us_state),
             std::to_string(x.recovery_weeks), Num(x.outage_prob_per_week)});
  }
  return csv.Take();
}

std::string OffersCsv(const model::Scenario& s) {
  const bool last_orders =
      std::any_of(s.offers.begin(), s.offers.end(), [](const model::Offer& o) { return o.last_order_week.has_value(); });
  CsvWriter csv(internal::kOffersCsv, [&](size_t) { return last_orders; });
  for (const model::Offer& o : s.offers) {
    csv.Row({CsvText(s.suppliers[o.supplier].id), CsvText(s.components[o.component].id), Num(o.unit_cost_usd),
             Num(o.capacity_per_week), std::to_string(o.lead_time_weeks), std::to_string(o.available_from_week),
             o.last_order_week ? std::to_string(*o.last_order_week) : std::string(), Num(o.tariff_rate)});
  }
  return csv.Take();
}

std::string SupplyLanesCsv(const model::Scenario& s) {
  CsvWriter csv(internal::kSupplyLanesCsv);
  for (const model::SupplyLane& l : *s.supply_lanes) {
    csv.Row({CsvText(s.suppliers[l.supplier].id), CsvText(s.plants[l.plant].id), std::to_string(l.transit_weeks),
             Num(l.cost_usd_per_unit)});
  }
  return csv.Take();
}

std::string TransfersCsv(const model::Scenario& s) {
  CsvWriter csv(internal::kTransfersCsv);
  for (const model::Transfer& x : s.transfers) {
    csv.Row({CsvText(s.plants[x.from_plant].id), CsvText(s.plants[x.to_plant].id),
             CsvText(s.components[x.component].id), std::to_string(x.transit_weeks), Num(x.cost_usd_per_unit)});
  }
  return csv.Take();
}

std::string SitesCsv(const model::Scenario& s) {
  CsvWriter csv(internal::kSitesCsv);
  for (const model::Site& x : s.sites) csv.Row({CsvText(x.id), CsvText(x.name), CsvText(x.us_state), CsvText(x.customer)});
  return csv.Take();
}

std::string LanesCsv(const model::Scenario& s) {
  CsvWriter csv(internal::kLanesCsv);
  for (const model::Lane& l : s.lanes) {
    csv.Row({CsvText(s.plants[l.plant].id), CsvText(s.sites[l.site].id), std::to_string(l.transit_weeks),
             Num(l.cost_usd_per_rack)});
  }
  return csv.Take();
}

std::string DemandCsv(const model::Scenario& s) {
  CsvWriter csv(internal::kDemandCsv);
  for (const model::Demand& d : s.demand) {
    const bool option = d.kind == model::DemandKind::kOption;
    csv.Row({CsvText(s.sites[d.site].id), CsvText(s.designs[d.design].id), std::to_string(d.week), Num(d.racks),
             model::kDemandKindNames[static_cast<int>(d.kind)], option ? Num(d.probability) : std::string()});
  }
  return csv.Take();
}

}  // namespace

std::string DesignYaml(const model::Scenario& s, const model::Design& d, const std::string& comment) {
  std::string out = Comment(comment);
  fmt::format_to(std::back_inserter(out), "id: {}\nname: {}\nmeets: {}\navailable_from_week: {}\n", YamlText(d.id),
                 nlohmann::json(d.name).dump(), d.meets >= 0 ? YamlText(s.requirements[d.meets].id) : "\"\"",
                 d.available_from_week);
  if (d.last_build_week) fmt::format_to(std::back_inserter(out), "last_build_week: {}\n", *d.last_build_week);
  fmt::format_to(std::back_inserter(out), "build_hours: {}\ntest_hours: {}\nbom:\n", Num(d.build_hours),
                 Num(d.test_hours));
  for (const model::BomEntry& e : d.bom) {
    fmt::format_to(std::back_inserter(out), "  - {{component: {}, qty: {}}}\n", YamlText(s.components[e.component].id),
                   Num(e.qty));
  }
  for (const char* section : kDesignSections) {
    out += std::string(section) + ":\n";
    for (const internal::DesignSectionField& field : kDesignSectionFields) {
      if (std::string_view(field.section) == section) {
        fmt::format_to(std::back_inserter(out), "  {}: {}\n", field.key, Num(d.*field.member));
      }
    }
  }
  return out;
}

std::map<std::string, std::string> ScenarioFiles(const model::Scenario& s, const ScenarioWriteOptions& options) {
  std::map<std::string, std::string> files;
  files["scenario.yaml"] = ScenarioYaml(s, CommentOf(options, "scenario.yaml"));
  files["roadmap.yaml"] = RoadmapYaml(s, CommentOf(options, "roadmap.yaml"));
  for (const model::Design& d : s.designs) {
    const std::string name = "designs/" + d.id + ".yaml";
    auto it = options.comments.find(name);
    files[name] = DesignYaml(s, d, it == options.comments.end() ? std::string() : it->second);
  }
  files["components.csv"] = ComponentsCsv(s);
  if (!s.on_hand.empty()) files["on_hand.csv"] = OnHandCsv(s);
  if (std::any_of(s.components.begin(), s.components.end(), [](const model::Component& c) { return !c.parts.empty(); })) {
    files["component_boms.csv"] = ComponentBomsCsv(s);
  }
  files["suppliers.csv"] = SuppliersCsv(s);
  files["offers.csv"] = OffersCsv(s);
  if (s.supply_lanes) files["supply_lanes.csv"] = SupplyLanesCsv(s);
  if (!s.transfers.empty()) files["transfers.csv"] = TransfersCsv(s);
  files["plants.yaml"] = PlantsYaml(s, CommentOf(options, "plants.yaml"));
  files["sites.csv"] = SitesCsv(s);
  files["lanes.csv"] = LanesCsv(s);
  files["demand.csv"] = DemandCsv(s);
  if (!s.disruptions.empty()) files["disruptions.yaml"] = DisruptionsYaml(s, CommentOf(options, "disruptions.yaml"));
  if (!s.design_spaces.empty()) {
    files["design_space.yaml"] = DesignSpaceYaml(s, CommentOf(options, "design_space.yaml"));
  }
  return files;
}

}  // namespace rackforge::io
