#include "plan/contingencies.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "common/errors.h"
#include "model/availability.h"

namespace rackforge::plan {

ContingencySpec ParseContingencySpec(const std::string& text) {
  ContingencySpec spec;
  if (text == "plants") return spec;
  if (text == "lines") return {ContingencySpec::Set::kLines, {}};
  if (text == "suppliers") return {ContingencySpec::Set::kSuppliers, {}};
  if (text == "all") return {ContingencySpec::Set::kAll, {}};
  spec.set = ContingencySpec::Set::kNamed;
  size_t from = 0;
  while (true) {
    const size_t comma = text.find(',', from);
    const std::string name = text.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
    if (name.empty()) {
      throw common::UsageError(
          fmt::format("--contingencies: '{}' is not plants, lines, suppliers, all or a list "
                      "NODE,NODE… of plant:ID, line:ID, supplier:ID (empty name)",
                      text));
    }
    spec.names.push_back(name);
    if (comma == std::string::npos) break;
    from = comma + 1;
  }
  return spec;
}

std::vector<model::NodeRef> ResolveContingencies(const model::Scenario& s, const PlanResult& ordinary,
                                                 const ContingencySpec& spec) {
  using model::NodeKind;
  auto opened = [&](int32_t e) { return static_cast<size_t>(e) < ordinary.opened.size() && ordinary.opened[e] != 0; };
  std::vector<model::NodeRef> plants, lines, suppliers;
  for (size_t p = 0; p < s.plants.size(); ++p) {
    const int32_t pi = static_cast<int32_t>(p);
    plants.push_back({NodeKind::kPlant, pi});
    for (int32_t l : s.plants[p].lines) lines.push_back({NodeKind::kLine, l});
    for (int32_t m : s.plants[p].component_lines) lines.push_back({NodeKind::kComponentLine, m});
    for (size_t e = 0; e < s.expansions.size(); ++e) {
      const model::Expansion& x = s.expansions[e];
      if (x.plant != pi || !opened(static_cast<int32_t>(e))) continue;
      if (x.kind == model::ExpansionKind::kLine) lines.push_back({NodeKind::kLine, x.line});
      if (x.kind == model::ExpansionKind::kComponentLine) lines.push_back({NodeKind::kComponentLine, x.component_line});
    }
  }
  std::vector<uint8_t> has_offer(s.suppliers.size(), 0);
  for (const model::Offer& o : s.offers) has_offer.at(o.supplier) = 1;
  for (size_t i = 0; i < s.suppliers.size(); ++i) {
    if (has_offer[i]) suppliers.push_back({NodeKind::kSupplier, static_cast<int32_t>(i)});
  }
  switch (spec.set) {
    case ContingencySpec::Set::kPlants:
      return plants;
    case ContingencySpec::Set::kLines:
      return lines;
    case ContingencySpec::Set::kSuppliers:
      return suppliers;
    case ContingencySpec::Set::kAll: {
      std::vector<model::NodeRef> all = plants;
      all.insert(all.end(), lines.begin(), lines.end());
      all.insert(all.end(), suppliers.begin(), suppliers.end());
      return all;
    }
    case ContingencySpec::Set::kNamed:
      break;
  }
  // Named nodes: any plant, line (rack or component, existing or expansion) or supplier.
  std::vector<model::NodeRef> every;
  for (size_t i = 0; i < s.plants.size(); ++i) every.push_back({NodeKind::kPlant, static_cast<int32_t>(i)});
  for (size_t i = 0; i < s.lines.size(); ++i) every.push_back({NodeKind::kLine, static_cast<int32_t>(i)});
  for (size_t i = 0; i < s.component_lines.size(); ++i) {
    every.push_back({NodeKind::kComponentLine, static_cast<int32_t>(i)});
  }
  for (size_t i = 0; i < s.suppliers.size(); ++i) every.push_back({NodeKind::kSupplier, static_cast<int32_t>(i)});
  std::vector<model::NodeRef> named;
  for (const std::string& name : spec.names) {
    const auto it = std::find_if(every.begin(), every.end(),
                                 [&](const model::NodeRef& n) { return model::NodeName(s, n) == name; });
    if (it == every.end()) {
      throw common::UsageError(
          fmt::format("--contingencies: '{}' names no plant, line or supplier of the scenario (plant:ID, line:ID, "
                      "supplier:ID)",
                      name));
    }
    if (std::find(named.begin(), named.end(), *it) != named.end()) {
      throw common::UsageError(fmt::format("--contingencies: '{}' is listed twice", name));
    }
    named.push_back(*it);
  }
  return named;
}

}  // namespace rackforge::plan
