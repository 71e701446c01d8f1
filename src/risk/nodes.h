#pragma once
// The nodes of DESIGN.md "Risk" in loop order: every plant (file order), then
// every line (per plant: its rack lines in file order, its component lines in
// file order, then the expansions of the plant that are lines of either kind
// and that the baseline opens, in expansion file order), then every supplier
// with at least one usable offer.

#include <vector>

#include "model/scenario.h"
#include "plan/plan.h"

namespace rackforge::risk {

/// True when the line exists or is an expansion line the baseline opens.
bool LineInPlan(const model::Scenario& scenario, const plan::PlanResult& baseline, int32_t line);

/// The lines of a plant in loop order (existing, then opened expansion lines).
std::vector<int32_t> PlantLinesInLoopOrder(const model::Scenario& scenario, const plan::PlanResult& baseline,
                                           int32_t plant);

/// True when the component line exists or is an expansion component line the baseline opens.
bool ComponentLineInPlan(const model::Scenario& scenario, const plan::PlanResult& baseline, int32_t cline);

/// The line nodes of a plant in loop order: rack lines, component lines, then opened expansions
/// of either kind (expansion file order).
std::vector<model::NodeRef> PlantLineNodesInLoopOrder(const model::Scenario& scenario, const plan::PlanResult& baseline,
                                                      int32_t plant);

/// All risk nodes in loop order: plants, lines, suppliers. `baseline.opened` must
/// be sized to the expansions (or empty, meaning nothing opened).
std::vector<model::NodeRef> RiskNodes(const model::Scenario& scenario, const plan::PlanResult& baseline);

}  // namespace rackforge::risk
