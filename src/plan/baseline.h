#pragma once
// Re-planning against a stored run (DESIGN.md "Whole quantities, pegging and
// re-planning", third bullet): what the caller asks for (the stored run's
// quantities, the frozen weeks, the change penalty) and what the plan reports
// about it. Weeks are matched by ISO-8601 week, so the stored run's start_week
// and the new scenario's may differ. Plain data; the model side lives in
// plan/baseline_model.h.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/keyed_quantities.h"

namespace rackforge::plan {

/// plan --baseline-run ID --freeze-weeks N [--change-penalty USD].
struct BaselineRequest {
  std::string run_id;                        // the stored run (for messages and the result)
  model::KeyedQuantities stored;             // its make, makec, buy, xfer and ship by ids and ISO weeks
  int32_t freeze_weeks = 0;                  // N: weeks 0..N-1 of the new scenario are fixed (0..H)
  std::optional<double> change_penalty_usd;  // USD per rack of |make − stored make| in weeks N..H-1 (>= 0)
};

/// A frozen quantity the new scenario cannot meet (from a relaxation with slack on the frozen cells).
struct FrozenConflict {
  model::QuantityFamily family = model::QuantityFamily::kMake;
  std::string key;       // ids joined by ',' (model::kQuantityKeyFields)
  int32_t week = 0;      // plan week of the new scenario
  std::string iso_week;  // "2027-W05"
  double frozen = 0;     // the stored value
  double allowed = 0;    // the closest value the relaxation found
  std::string text;      // "line wi-l1 design gb300 week 3 (2027-W05): frozen 40 racks, capacity and parts allow 20"
};

/// What the re-plan did with the stored run.
struct BaselineReport {
  std::string run_id;
  int32_t freeze_weeks = 0;
  std::optional<double> change_penalty_usd;
  int32_t frozen_cells = 0;     // cells fixed to the stored values (both runs have them)
  int32_t penalized_cells = 0;  // make cells of weeks N..H-1 with deviation columns
  int32_t common_weeks = 0;     // weeks of the new scenario the stored run covered
  /// Stored ids (and frozen cells) this scenario no longer has: listed, then dropped.
  std::vector<std::string> dropped;
  /// Set when the frozen weeks cannot be met (status infeasible), strongest first.
  std::vector<FrozenConflict> conflicts;
  /// Σ |make − stored make| over (line, design, ISO week) of the weeks both runs cover (absent = 0).
  double racks_moved = 0;
};

}  // namespace rackforge::plan
