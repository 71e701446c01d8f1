#pragma once
// The estimate that chooses which nodes ComputeNodeFigures tries together in
// group LPs (docs/model.md "Risk figures"): whether the rest of the network has,
// week by week from t0 on, enough supply that the baseline leaves unused to
// replace every part a supplier or component line provides in the baseline.
// It only chooses candidates: every figure is proven by an LP's plan, so an
// estimate that is wrong costs time (a group LP that misses a cap), never a
// different figure. Pure, cheap (no LP), built once per risk run.

#include <cstdint>
#include <optional>
#include <vector>

#include "model/scenario.h"
#include "plan/plan.h"

namespace rackforge::risk {

/// The parts a supplier or component line provides (its offers' components, its
/// components), sorted and unique; empty for plants and rack lines.
std::vector<int32_t> NodeParts(const model::Scenario& s, model::NodeRef node);

/// Where the estimate found a part short: from t0 up to and including `week`,
/// the node's units of `component` exceed the spare units (cumulative) plus the
/// baseline's stock at the end of that week, all plants together.
struct Shortfall {
  int32_t component = -1;  // -1: not a supplier or component line, or the baseline lacks a family
  int32_t week = -1;
  double need_units = 0;
  double spare_units = 0;
};

/// The baseline's unused supply from t0 on and the test of a node against it,
/// per part c the node provides, over all plants together (a part short at one
/// plant can be made up at another by a transfer or by building the racks
/// there), by arrival week, cumulative from t0 on:
///   need(t): the node's units of c (its offers' buys for every plant, arriving
///     lead time plus transit later; the makec of a component line);
///   spare(t): other suppliers' offers of c (capacity minus what the baseline
///     orders from them, arriving over their shortest lane), other component
///     lines making c (units_per_week · a(m,t), opened expansions only, minus
///     what the baseline makes on them), and for every component c2 made
///     in-house from c (bom(c2, c) = k), k units per unit of c2 that other
///     suppliers' offers of c2 could deliver instead, up to the baseline's
///     makec of c2 in that week;
/// and Σ_{t0..t} need ≤ Σ_{t0..t} spare + Σ_p cinv[c,p,t] of the baseline for
/// every week t (the baseline's stock falls by the units missing so far and
/// must stay ≥ 0). Capacity that several parts could use counts for each.
class SpareSupply {
 public:
  SpareSupply(const model::Scenario& s, const plan::PlanResult& baseline, int32_t t0);

  /// Empty when node n (a supplier or component line) is likely replaceable;
  /// otherwise the first (part, week) found short in NodeParts order.
  std::optional<Shortfall> FirstShortfall(model::NodeRef node) const;

  bool LikelyReplaceable(model::NodeRef node) const { return !FirstShortfall(node).has_value(); }

 private:
  size_t Week(int32_t i, int32_t t) const { return static_cast<size_t>(i) * weeks_ + t; }
  /// need (the node's offers) and spare (the other offers) of part c by arrival week.
  void AddOfferArrivals(model::NodeRef node, int32_t c, std::vector<double>* need, std::vector<double>& spare) const;

  const model::Scenario& s_;
  const plan::PlanResult& b_;
  int32_t t0_ = 0, weeks_ = 0, plants_ = 0;
  bool complete_ = false;             // the baseline has every family the estimate reads
  std::vector<int32_t> transit_;      // [supplier][plant], -1 = no lane
  std::vector<double> offer_spare_;   // [offer][order week], 0 before t0 and where it takes no orders
  std::vector<double> cline_spare_;   // [component line][week], 0 before t0 and where it is not in the plan
  std::vector<double> stock_;         // [component][week]: Σ_p cinv
  std::vector<double> made_;          // [component][week]: Σ_m makec
};

}  // namespace rackforge::risk
