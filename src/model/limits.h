#pragma once
// What the engines can take: the ranges ../shared/DESIGN.md ("Scenario
// format", data rules) fixes for every number of a scenario. The loader
// rejects values outside them with FILE:LINE errors, and the server applies
// the same ranges to numbers in request bodies.

#include <cstdint>

namespace rackforge::model {

/// Largest absolute value of any number (money, quantities, capacities, penalties, capex).
inline constexpr double kMaxAbsNumber = 1e12;
/// Largest horizon_weeks.
inline constexpr int32_t kMaxHorizonWeeks = 520;
/// Largest value of any other week-counting field.
inline constexpr int32_t kMaxWeekField = 100000;

}  // namespace rackforge::model
