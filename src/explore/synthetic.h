#pragma once
// A reproducible synthetic scenario with one design and a design space of a
// given size, for property tests and benchmarks of the explorer. Not a
// planning scenario: it has no plants, sites or demand.

#include <cstdint>

#include "model/scenario.h"

namespace rackforge::explore {

/// One design "syn" (meets requirement "req") with `slots` slots of `options`
/// options each. Every option is its own component with random physics and
/// 1-3 offers from 3 US and 3 foreign suppliers; slot 0 holds power shelves
/// (so the largest-shelf redundancy term varies), one option of slot 1 sets
/// electrical.busbar_voltage_v and one of slot 2 sets frame.max_weight_kg.
/// Limits sit near the mean variant, so some variants fail. Same seed, same scenario.
/// With `in_house`, two plants are added and most option components also get
/// component lines (none, one plant, one plant with a two-part BOM of bought
/// raw parts, or both plants), from a separate random stream: the offers and
/// physics are those of the same seed without in-house sources.
model::Scenario SyntheticSpaceScenario(uint32_t seed, int32_t slots, int32_t options, bool in_house = false);

}  // namespace rackforge::explore
