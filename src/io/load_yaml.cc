// The YAML files of a scenario: designs/*.yaml, plants.yaml, design_space.yaml.
#include <algorithm>
#include <unordered_map>

#include "io/loader_parts.h"

namespace rackforge::io::internal {

namespace {

std::string Indexed(const std::string& key, size_t i) { return key + "[" + std::to_string(i) + "]"; }

std::function<void(std::string)> Reporter(const YamlFile& f, int line) {
  return [&f, line](std::string msg) { f.Error(line, std::move(msg)); };
}

// Reads [{component, qty}] into `out`; duplicate components are errors.
// Every resolved component is queued for the "has a row in offers.csv" check.
void ReadBom(LoadState& st, const YamlFile& f, const YAML::Node& list, const std::string& key, int line,
             std::vector<model::BomEntry>* out) {
  std::unordered_map<int32_t, int> first_line;  // component -> line of its first entry
  ForEachItem(f, list, line, [&](const YAML::Node& item, size_t i, int item_line) {
    MapReader m(f, item, Indexed(key, i), item_line);
    if (!m.ok()) return;
    model::BomEntry entry;
    if (auto id = m.Id("component", true)) {
      const int at = m.ValueLine("component");
      entry.component = ResolveRef(st.components, *id, m.Key("component"), "a component in components.csv",
                                   Reporter(f, at));
      if (entry.component >= 0) {
        auto [it, inserted] = first_line.emplace(entry.component, at);
        if (!inserted) {
          f.Error(at, m.Key("component") + ": " + Quote(*id) + " appears twice in the same bom (first on line " +
                          std::to_string(it->second) + ")");
          entry.component = -1;
        }
      }
      if (entry.component >= 0) st.bom_refs.push_back({f.file, at, m.Key("component"), entry.component});
    }
    if (auto qty = m.Number("qty", true, NumRule::kNonNegative)) entry.qty = *qty;
    m.Finish("component, qty");
    if (entry.component < 0) return;
    out->push_back(entry);
  });
}

// One of the design's sections (kDesignSectionFields): its numbers, each optional.
void ReadSection(const YamlFile& f, MapReader& parent, const char* section, model::Design* design) {
  std::optional<YAML::Node> node = parent.Get(section, false);
  if (!node) return;
  MapReader m(f, *node, section, parent.line());
  if (!m.ok()) return;
  std::string known;
  for (const DesignSectionField& field : kDesignSectionFields) {
    if (std::string_view(field.section) != section) continue;
    if (auto v = m.Number(field.key, false, NumRule::kNonNegative)) design->*field.member = *v;
    known += (known.empty() ? "" : ", ") + std::string(field.key);
  }
  m.Finish(known);
}

}  // namespace

void LoadDesign(LoadState& st, const std::string& name, const std::string& text) {
  const std::string file = st.ctx.FilePath(name);
  ReadYamlMapping(text, file, &st.ctx.diag, st.ctx.horizon, [&](YamlFile& f, MapReader& m) {
    model::Design d;
    d.file = file;
    if (auto id = m.Id("id", true)) {
      d.id = *id;
      const int line = m.ValueLine("id");
      const int first = st.designs.Add(d.id, static_cast<int32_t>(st.scenario.designs.size()), line);
      if (first > 0) f.Error(line, "id: " + Quote(d.id) + " is already the id of another design file");
    }
    if (auto v = m.String("name", false)) d.name = *v;
    if (auto id = m.Id("meets", true)) {
      d.meets = ResolveRef(st.requirements, *id, "meets", "a requirement in roadmap.yaml",
                           Reporter(f, m.ValueLine("meets")));
    }
    if (auto w = m.Week("available_from_week", false, WeekRule::kWeek)) d.available_from_week = *w;
    if (auto w = m.Week("last_build_week", false, WeekRule::kWeek)) {
      if (*w < d.available_from_week) {
        f.Error(m.ValueLine("last_build_week"), "last_build_week: " + std::to_string(*w) +
                                                    " is before available_from_week " +
                                                    std::to_string(d.available_from_week) +
                                                    " (the last production week cannot precede the first)");
      } else {
        d.last_build_week = *w;
      }
    }
    if (auto v = m.Number("build_hours", false, NumRule::kNonNegative)) d.build_hours = *v;
    if (auto v = m.Number("test_hours", false, NumRule::kNonNegative)) d.test_hours = *v;
    if (std::optional<YAML::Node> bom = m.List("bom", true)) {
      if (bom->size() == 0) f.Error(m.ValueLine("bom"), "bom: empty list (a design needs at least one component)");
      ReadBom(st, f, *bom, "bom", m.ValueLine("bom"), &d.bom);
    }
    for (const char* section : kDesignSections) ReadSection(f, m, section, &d);
    m.Finish(
        "id, name, meets, available_from_week, last_build_week, build_hours, test_hours, bom, electrical, cooling, "
        "frame");
    st.scenario.designs.push_back(std::move(d));
  });
}

// ---- plants.yaml ------------------------------------------------------------

namespace {

constexpr const char* kLineKeys = "id, designs, racks_per_week, start_week, ramp_weeks, ramp_start_fraction, cost_usd_per_rack";
constexpr const char* kLineExpansionKeys =
    "id, plant, kind, capex_usd, earliest_week, lead_time_weeks, designs, racks_per_week, ramp_weeks, "
    "ramp_start_fraction, cost_usd_per_rack";
constexpr const char* kCellsExpansionKeys = "id, plant, kind, capex_usd, earliest_week, lead_time_weeks, cells";

// The fields a line has wherever it is declared (plant line or expansion).
void ReadLineFields(LoadState& st, const YamlFile& f, MapReader& m, model::Line* line) {
  if (std::optional<YAML::Node> list = m.List("designs", true)) {
    if (list->size() == 0) f.Error(m.ValueLine("designs"), m.Key("designs") + ": empty list (a line builds designs)");
    for (const auto& [id, at] : IdList(f, *list, m.Key("designs"), m.ValueLine("designs"))) {
      const int32_t g = ResolveRef(st.designs, id, m.Key("designs"), "a design in designs/*.yaml", Reporter(f, at));
      if (g < 0) continue;
      if (std::find(line->designs.begin(), line->designs.end(), g) != line->designs.end()) {
        f.Error(at, m.Key("designs") + ": " + Quote(id) + " is listed twice");
        continue;
      }
      line->designs.push_back(g);
    }
  }
  if (auto v = m.Number("racks_per_week", true, NumRule::kNonNegative)) line->racks_per_week = *v;
  if (auto w = m.Week("ramp_weeks", false, WeekRule::kWeek)) line->ramp_weeks = *w;
  if (auto v = m.Number("ramp_start_fraction", false, NumRule::kFraction)) line->ramp_start_fraction = *v;
  if (auto v = m.Number("cost_usd_per_rack", false, NumRule::kNonNegative)) line->cost_usd_per_rack = *v;
}

// Registers a line id (rack or component line: they share the id space and the node name line:ID)
// in `table` and in the uniqueness check over every line id.
void AddLineId(LoadState& st, const YamlFile& f, MapReader& m, const std::string& id, int32_t index, IdTable& table) {
  const int at = m.ValueLine("id");
  const int first = st.line_ids.Add(id, index, at);
  if (first > 0) {
    f.Error(at, m.Key("id") + ": " + Quote(id) + " is a duplicate line id (first on line " + std::to_string(first) +
                    "; line ids are unique over rack lines, component lines and expansions)");
    return;
  }
  table.Add(id, index, at);
}

constexpr const char* kComponentLineKeys =
    "id, components, units_per_week, start_week, ramp_weeks, ramp_start_fraction, cost_usd_per_unit";
constexpr const char* kComponentLineExpansionKeys =
    "id, plant, kind, capex_usd, earliest_week, lead_time_weeks, components, units_per_week, ramp_weeks, "
    "ramp_start_fraction, cost_usd_per_unit";

// The fields a component line has wherever it is declared (plant or expansion).
void ReadComponentLineFields(LoadState& st, const YamlFile& f, MapReader& m, model::ComponentLine* line) {
  if (std::optional<YAML::Node> list = m.List("components", true)) {
    if (list->size() == 0) {
      f.Error(m.ValueLine("components"), m.Key("components") + ": empty list (a component line makes components)");
    }
    for (const auto& [id, at] : IdList(f, *list, m.Key("components"), m.ValueLine("components"))) {
      const int32_t c =
          ResolveRef(st.components, id, m.Key("components"), "a component in components.csv", Reporter(f, at));
      if (c < 0) continue;
      if (std::find(line->components.begin(), line->components.end(), c) != line->components.end()) {
        f.Error(at, m.Key("components") + ": " + Quote(id) + " is listed twice");
        continue;
      }
      line->components.push_back(c);
    }
  }
  if (auto v = m.Number("units_per_week", true, NumRule::kNonNegative)) line->units_per_week = *v;
  if (auto w = m.Week("ramp_weeks", false, WeekRule::kWeek)) line->ramp_weeks = *w;
  if (auto v = m.Number("ramp_start_fraction", false, NumRule::kFraction)) line->ramp_start_fraction = *v;
  if (auto v = m.Number("cost_usd_per_unit", false, NumRule::kNonNegative)) line->cost_usd_per_unit = *v;
}

void ReadPlant(LoadState& st, const YamlFile& f, const YAML::Node& item, size_t i, int item_line) {
  MapReader m(f, item, Indexed("plants", i), item_line);
  if (!m.ok()) return;
  model::Scenario& s = st.scenario;
  const int32_t p = static_cast<int32_t>(s.plants.size());
  model::Plant plant;
  if (auto id = m.Id("id", true)) {
    plant.id = *id;
    AddId(st.plants, plant.id, p, m.ValueLine("id"), m.Key("id"), Reporter(f, m.ValueLine("id")));
  }
  if (auto v = m.String("us_state", false)) plant.us_state = *v;
  if (auto v = m.Number("test_cells", false, NumRule::kNonNegative)) plant.test_cells = *v;
  if (auto v = m.Number("test_hours_per_cell_week", false, NumRule::kNonNegative)) plant.test_hours_per_cell_week = *v;
  if (auto w = m.Week("recovery_weeks", false, WeekRule::kWeek)) plant.recovery_weeks = *w;
  if (auto v = m.Number("outage_prob_per_week", false, NumRule::kFraction)) plant.outage_prob_per_week = *v;
  if (std::optional<YAML::Node> lines = m.List("lines", false)) {
    ForEachItem(f, *lines, m.ValueLine("lines"), [&](const YAML::Node& node, size_t j, int line_at) {
      MapReader lm(f, node, m.Key(Indexed("lines", j)), line_at);
      if (!lm.ok()) return;
      model::Line line;
      line.plant = p;
      const int32_t l = static_cast<int32_t>(s.lines.size());
      if (auto id = lm.Id("id", true)) {
        line.id = *id;
        AddLineId(st, f, lm, line.id, l, st.lines);
      }
      if (auto w = lm.Week("start_week", false, WeekRule::kWeek)) line.start_week = *w;
      ReadLineFields(st, f, lm, &line);
      lm.Finish(kLineKeys);
      plant.lines.push_back(l);
      s.lines.push_back(std::move(line));
    });
  }
  if (std::optional<YAML::Node> clines = m.List("component_lines", false)) {
    ForEachItem(f, *clines, m.ValueLine("component_lines"), [&](const YAML::Node& node, size_t j, int line_at) {
      MapReader lm(f, node, m.Key(Indexed("component_lines", j)), line_at);
      if (!lm.ok()) return;
      model::ComponentLine line;
      line.plant = p;
      const int32_t cl = static_cast<int32_t>(s.component_lines.size());
      if (auto id = lm.Id("id", true)) {
        line.id = *id;
        AddLineId(st, f, lm, line.id, cl, st.component_lines);
      }
      if (auto w = lm.Week("start_week", false, WeekRule::kWeek)) line.start_week = *w;
      ReadComponentLineFields(st, f, lm, &line);
      lm.Finish(kComponentLineKeys);
      plant.component_lines.push_back(cl);
      s.component_lines.push_back(std::move(line));
    });
  }
  m.Finish(
      "id, us_state, test_cells, test_hours_per_cell_week, recovery_weeks, outage_prob_per_week, lines, "
      "component_lines");
  s.plants.push_back(std::move(plant));
}

std::optional<model::ExpansionKind> ReadExpansionKind(const YamlFile& f, MapReader& m) {
  std::optional<std::string> kind = m.String("kind", true);
  if (!kind) return std::nullopt;
  if (*kind == "line") return model::ExpansionKind::kLine;
  if (*kind == "test_cells") return model::ExpansionKind::kTestCells;
  if (*kind == "component_line") return model::ExpansionKind::kComponentLine;
  f.Error(m.ValueLine("kind"), m.Key("kind") + ": " + Quote(*kind) + " is not one of line, test_cells, component_line");
  return std::nullopt;
}

void ReadExpansion(LoadState& st, const YamlFile& f, IdTable& expansion_ids, const YAML::Node& item, size_t i,
                   int item_line) {
  MapReader m(f, item, Indexed("expansions", i), item_line);
  if (!m.ok()) return;
  model::Scenario& s = st.scenario;
  const int32_t e = static_cast<int32_t>(s.expansions.size());
  model::Expansion x;
  if (auto id = m.Id("id", true)) {
    x.id = *id;
    AddId(expansion_ids, x.id, e, m.ValueLine("id"), m.Key("id"), Reporter(f, m.ValueLine("id")));
  }
  if (auto id = m.Id("plant", true)) {
    x.plant = ResolveRef(st.plants, *id, m.Key("plant"), "a plant in plants.yaml", Reporter(f, m.ValueLine("plant")));
  }
  if (auto v = m.Number("capex_usd", false, NumRule::kNonNegative)) x.capex_usd = *v;
  if (auto w = m.Week("earliest_week", false, WeekRule::kWeek)) x.earliest_week = *w;
  if (auto w = m.Week("lead_time_weeks", false, WeekRule::kWeek)) x.lead_time_weeks = *w;
  if (m.Get("start_week", false)) {
    f.Error(m.ValueLine("start_week"), m.Key("start_week") + ": " + Shown(m.String("start_week", false).value_or("...")) +
                                           " is not allowed: an expansion starts at earliest_week + lead_time_weeks");
  }
  std::optional<model::ExpansionKind> kind = ReadExpansionKind(f, m);
  if (!kind) return;  // unknown kind: which other keys are allowed is unclear
  x.kind = *kind;
  if (x.kind == model::ExpansionKind::kTestCells) {
    if (auto v = m.Number("cells", true, NumRule::kNonNegative)) x.cells = *v;
    m.Finish(std::string("a test_cells expansion has ") + kCellsExpansionKeys);
  } else if (x.kind == model::ExpansionKind::kComponentLine) {
    model::ComponentLine line;
    line.id = x.id;
    line.plant = x.plant;
    line.expansion = e;
    line.start_week = x.active_from_week();
    const int32_t cl = static_cast<int32_t>(s.component_lines.size());
    if (!x.id.empty()) AddLineId(st, f, m, x.id, cl, st.component_lines);
    ReadComponentLineFields(st, f, m, &line);
    m.Finish(std::string("a component_line expansion has ") + kComponentLineExpansionKeys);
    x.component_line = cl;
    if (x.plant >= 0) s.plants[x.plant].expansion_component_lines.push_back(cl);
    s.component_lines.push_back(std::move(line));
  } else {
    model::Line line;
    line.id = x.id;
    line.plant = x.plant;
    line.expansion = e;
    line.start_week = x.active_from_week();
    const int32_t l = static_cast<int32_t>(s.lines.size());
    if (!x.id.empty()) AddLineId(st, f, m, x.id, l, st.lines);
    ReadLineFields(st, f, m, &line);
    m.Finish(std::string("a line expansion has ") + kLineExpansionKeys);
    x.line = l;
    if (x.plant >= 0) s.plants[x.plant].expansion_lines.push_back(l);
    s.lines.push_back(std::move(line));
  }
  s.expansions.push_back(std::move(x));
}

}  // namespace

void LoadPlants(LoadState& st, const std::string& text) {
  const std::string file = st.ctx.FilePath("plants.yaml");
  ReadYamlMapping(text, file, &st.ctx.diag, st.ctx.horizon, [&](YamlFile& f, MapReader& m) {
    st.plants.loaded = true;
    st.lines.loaded = true;
    st.component_lines.loaded = true;
    if (std::optional<YAML::Node> plants = m.List("plants", true)) {
      ForEachItem(f, *plants, m.ValueLine("plants"),
                  [&](const YAML::Node& item, size_t i, int line) { ReadPlant(st, f, item, i, line); });
    }
    IdTable expansion_ids;
    if (std::optional<YAML::Node> expansions = m.List("expansions", false)) {
      ForEachItem(f, *expansions, m.ValueLine("expansions"), [&](const YAML::Node& item, size_t i, int line) {
        ReadExpansion(st, f, expansion_ids, item, i, line);
      });
    }
    m.Finish("plants, expansions");
    // Component::made_by: every component line (existing, then expansion) that makes the component.
    for (size_t cl = 0; cl < st.scenario.component_lines.size(); ++cl) {
      for (int32_t c : st.scenario.component_lines[cl].components) {
        st.scenario.components[c].made_by.push_back(static_cast<int32_t>(cl));
      }
    }
  });
}

// ---- design_space.yaml ------------------------------------------------------

namespace {

bool IsSettableKey(std::string_view key) {
  if (key == "available_from_week" || key == "test_hours" || key == "build_hours") return true;
  for (const DesignSectionField& field : kDesignSectionFields) {
    const std::string_view section = field.section;
    if (key.size() == section.size() + 1 + std::string_view(field.key).size() && key.starts_with(section) &&
        key[section.size()] == '.' && key.substr(section.size() + 1) == field.key) {
      return true;
    }
  }
  return false;
}

// Reads an option's `set` mapping; `owner` records which slot set each key first.
void ReadSet(const YamlFile& f, MapReader& m, size_t slot, std::vector<std::pair<std::string, size_t>>* owner,
             model::SlotOption* option) {
  std::optional<YAML::Node> node = m.Get("set", false);
  if (!node) return;
  constexpr size_t kMaxSetKeys = 64;  // only 11 keys can be set; more is a mistake (and keeps this linear)
  if (node->IsMap() && node->size() > kMaxSetKeys) {
    f.Error(m.ValueLine("set"), m.Key("set") + ": " + std::to_string(node->size()) + " keys (at most 11 can be set)");
    return;
  }
  MapReader set(f, *node, m.Key("set"), m.line());
  if (!set.ok()) return;
  std::vector<std::string> keys;
  for (auto it = node->begin(); it != node->end(); ++it) {
    if (it->first.IsScalar()) keys.push_back(it->first.Scalar());
  }
  for (const std::string& key : keys) {
    const int at = set.ValueLine(key);
    if (!IsSettableKey(key)) {
      set.Allow(key);
      f.Error(at, set.Key(key) + ": " + Quote(key) +
                      " cannot be set (only available_from_week, test_hours, build_hours, electrical.*, cooling.*, "
                      "frame.* fields)");
      continue;
    }
    std::optional<double> value = key == "available_from_week"
                                      ? std::optional<double>(set.Week(key, true, WeekRule::kWeek))
                                      : set.Number(key, true, NumRule::kNonNegative);
    auto prev = std::find_if(owner->begin(), owner->end(), [&](const auto& o) { return o.first == key; });
    if (prev != owner->end() && prev->second != slot) {
      f.Error(at, set.Key(key) + ": " + Quote(key) + " is also set by an option of slots[" +
                      std::to_string(prev->second) + "] (options of different slots may not set the same key)");
    } else if (prev == owner->end()) {
      owner->emplace_back(key, slot);
    }
    if (value) option->set.emplace_back(key, *value);
  }
}

void ReadSlot(LoadState& st, const YamlFile& f, const model::Design* design, const YAML::Node& item,
              const std::string& key, int item_line, size_t slot_index, std::vector<std::pair<int32_t, int>>* replaced,
              std::vector<std::pair<std::string, size_t>>* set_owner, model::Slot* slot) {
  MapReader m(f, item, key, item_line);
  if (!m.ok()) return;
  if (auto name = m.Id("slot", true)) slot->slot = *name;
  if (std::optional<YAML::Node> list = m.List("replaces", false)) {
    for (const auto& [id, at] : IdList(f, *list, m.Key("replaces"), m.ValueLine("replaces"))) {
      const int32_t c =
          ResolveRef(st.components, id, m.Key("replaces"), "a component in components.csv", Reporter(f, at));
      if (c < 0) continue;
      if (design != nullptr && std::none_of(design->bom.begin(), design->bom.end(),
                                            [c](const model::BomEntry& b) { return b.component == c; })) {
        f.Error(at, m.Key("replaces") + ": " + Quote(id) + " is not in the bom of design " + Quote(design->id));
        continue;
      }
      auto prev = std::find_if(replaced->begin(), replaced->end(), [c](const auto& r) { return r.first == c; });
      if (prev != replaced->end()) {
        f.Error(at, m.Key("replaces") + ": " + Quote(id) + " is already replaced by another slot (line " +
                        std::to_string(prev->second) + ")");
        continue;
      }
      replaced->emplace_back(c, at);
      slot->replaces.push_back(c);
    }
  }
  if (std::optional<YAML::Node> options = m.List("options", true)) {
    if (options->size() == 0) f.Error(m.ValueLine("options"), m.Key("options") + ": empty list (a slot needs options)");
    ForEachItem(f, *options, m.ValueLine("options"), [&](const YAML::Node& node, size_t k, int at) {
      MapReader om(f, node, m.Key(Indexed("options", k)), at);
      if (!om.ok()) return;
      model::SlotOption option;
      if (std::optional<YAML::Node> bom = om.List("bom", false)) {
        ReadBom(st, f, *bom, om.Key("bom"), om.ValueLine("bom"), &option.bom);
      }
      ReadSet(f, om, slot_index, set_owner, &option);
      om.Finish("bom, set");
      slot->options.push_back(std::move(option));
    });
  }
  m.Finish("slot, replaces, options");
}

void ReadSpace(LoadState& st, const YamlFile& f, IdTable& spaces, const YAML::Node& item, size_t i, int line) {
  MapReader m(f, item, Indexed("spaces", i), line);
  if (!m.ok()) return;
  model::DesignSpace space;
  const model::Design* design = nullptr;
  if (auto id = m.Id("design", true)) {
    const int at = m.ValueLine("design");
    space.design = ResolveRef(st.designs, *id, m.Key("design"), "a design in designs/*.yaml", Reporter(f, at));
    if (space.design >= 0) {
      design = &st.scenario.designs[space.design];
      const int first = spaces.Add(*id, static_cast<int32_t>(i), at);
      if (first > 0) {
        f.Error(at, m.Key("design") + ": " + Quote(*id) + " already has a space (first on line " +
                        std::to_string(first) + ")");
      }
    }
  }
  std::vector<std::pair<int32_t, int>> replaced;
  std::vector<std::pair<std::string, size_t>> set_owner;
  IdTable slot_names;
  if (std::optional<YAML::Node> slots = m.List("slots", true)) {
    ForEachItem(f, *slots, m.ValueLine("slots"), [&](const YAML::Node& node, size_t k, int at) {
      model::Slot slot;
      ReadSlot(st, f, design, node, m.Key(Indexed("slots", k)), at, k, &replaced, &set_owner, &slot);
      if (!slot.slot.empty()) {
        AddId(slot_names, slot.slot, static_cast<int32_t>(k), at, m.Key(Indexed("slots", k)) + ".slot",
              Reporter(f, at));
      }
      space.slots.push_back(std::move(slot));
    });
  }
  m.Finish("design, slots");
  st.scenario.design_spaces.push_back(std::move(space));
}

}  // namespace

void LoadDesignSpace(LoadState& st, const std::string& text) {
  const std::string file = st.ctx.FilePath("design_space.yaml");
  ReadYamlMapping(text, file, &st.ctx.diag, st.ctx.horizon, [&](YamlFile& f, MapReader& m) {
    IdTable spaces;
    if (std::optional<YAML::Node> list = m.List("spaces", true)) {
      ForEachItem(f, *list, m.ValueLine("spaces"),
                  [&](const YAML::Node& item, size_t i, int line) { ReadSpace(st, f, spaces, item, i, line); });
    }
    m.Finish("spaces");
  });
}

}  // namespace rackforge::io::internal
