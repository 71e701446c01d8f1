#pragma once
// Writes a design (e.g. an explore variant) as designs/*.yaml text in the
// scenario format, so the loader reads it back as a normal design. Pure.

#include <string>

#include "model/scenario.h"

namespace rackforge::explore {

/// The design as designs/*.yaml text: id, name, meets, available_from_week,
/// build_hours, test_hours, bom, electrical, cooling, frame (numbers in
/// shortest round-trip form), preceded by `comment` as "# ..." lines.
std::string DesignYaml(const model::Scenario& scenario, const model::Design& design, const std::string& comment);

}  // namespace rackforge::explore
