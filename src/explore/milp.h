#pragma once
// The MILP over slot choices for design spaces too large to enumerate.
//
// One binary x[s,k] per slot option, Σ_k x[s,k] = 1 per slot. Every BOM sum is
// linear in x (base + Σ x·option contribution) and so is every design field a
// slot may `set` (only one slot sets a field). The rules become rows:
// - linear rules (busbar, air, weight, floor load, rack units, ports,
//   accelerators, rack power, date) are one row each, need <= (1 - ε)·have
//   (ε = a margin floor, 0 by default). A ratio with a set field in the
//   denominator (busbar voltage) gets one big-M row per option of that slot.
// - power: have = Σ q·capacity − R·(largest capacity in the BOM). "largest ≤ b"
//   holds iff every present component's capacity ≤ b, so the rule is exact as
//   one row for the base BOM plus one big-M row per option:
//   P − (1−ε)(PC − R·m_sk) ≤ M·(1 − x[s,k]).
// - liquid cooling: skipped when the capacity is 0; when the base has no
//   capacity, one big-M row per option that brings capacity.
// Where a rule is not representable this way (R, or both busbar factors, set by
// slots; a field set by two slots), the row is left out and every MILP answer
// is checked with the exact rule code (design/rules.h); a failing answer is cut
// off with a no-good cut and the MILP re-solved.
//
// Objectives, one at a time: cost (linear), domestic share (D/(D+F), by
// Dinkelbach's method), min suppliers (highest level L such that options with a
// component of fewer suppliers can be excluded), min margin (bisection on ε,
// within a time budget).
// The front: the optimum of each objective with lexicographic tie-breaks, and
// the least-cost variant at `epsilon_points` domestic-share levels between the
// least-cost and the most-domestic variant, then dominance-filtered. It is a
// subset of the true front (every point is Pareto-optimal, not every
// Pareto-optimal point is found).

#include <optional>
#include <vector>

#include "explore/explore.h"
#include "explore/space.h"

namespace rackforge::explore {

/// The objective a single MILP optimizes.
enum class MilpObjective { kCost, kDomesticShare, kMinSuppliers, kMinMargin };

/// The best passing variant for one objective (ties broken by cost, then
/// domestic share), or nullopt when no variant passes. `solves` counts MILPs.
/// `time_limit_s` bounds each solve and the margin bisection as a whole (the
/// margin optimum is then the best found, not proven).
std::optional<FrontVariant> MilpOptimum(const SpaceModel& model, MilpObjective objective, int32_t* solves = nullptr,
                                        double time_limit_s = 10);

/// Searches a space with the MILP (see above); method kMilp, variants_passing nullopt.
SpaceResult SolveSpaceMilp(const SpaceModel& model, const ExploreOptions& options);

}  // namespace rackforge::explore
