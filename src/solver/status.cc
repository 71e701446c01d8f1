#include "solver/status.h"

#include <CbcModel.hpp>
#include <ClpSimplex.hpp>
#include <fmt/format.h>

#include "solver/status_map.h"

namespace rackforge::solver {

std::string Describe(SolveStatus status, double relative_gap, bool has_solution) {
  switch (status) {
    case SolveStatus::kOptimal:
      if (relative_gap > 0) return fmt::format("optimal (within gap {:.3g} %)", relative_gap * 100.0);
      return "optimal (proven)";
    case SolveStatus::kTimeLimit:
      if (!has_solution) return "stopped at the time limit before any plan was found";
      return fmt::format("stopped at the time limit, gap {:.3g} %", relative_gap * 100.0);
    case SolveStatus::kInfeasible: return "infeasible (no plan satisfies the constraints)";
    case SolveStatus::kUnbounded: return "unbounded (the objective can decrease without limit)";
    case SolveStatus::kError: return "solver error";
  }
  return "solver error";
}

SolveStatus MapStatus(const StatusSignals& s) {
  if (s.relaxation_unbounded || s.continuous_unbounded) return SolveStatus::kUnbounded;
  if (s.relaxation_infeasible || s.proven_infeasible) return SolveStatus::kInfeasible;
  if (s.proven_optimal) return SolveStatus::kOptimal;
  if (s.time_limit_reached) return SolveStatus::kTimeLimit;
  return SolveStatus::kError;
}

StatusSignals SignalsFromClp(const ClpSimplex& clp) {
  StatusSignals s;
  // ClpSimplex::status(): 0 optimal, 1 primal infeasible, 2 dual infeasible,
  // 3 stopped on iterations or time, 4 stopped due to errors, 5 stopped by event handler.
  switch (clp.status()) {
    case 0: s.proven_optimal = true; break;
    case 1: s.relaxation_infeasible = true; break;
    case 2: s.relaxation_unbounded = true; break;
    case 3: s.time_limit_reached = true; break;
    default: s.abandoned = true; break;
  }
  return s;
}

StatusSignals SignalsFromCbc(const CbcModel& cbc) {
  StatusSignals s;
  s.continuous_unbounded = cbc.isContinuousUnbounded() || cbc.isInitialSolveProvenDualInfeasible();
  s.relaxation_infeasible = cbc.isInitialSolveProvenPrimalInfeasible();
  s.proven_infeasible = cbc.isProvenInfeasible();
  s.proven_optimal = cbc.isProvenOptimal();
  s.time_limit_reached = cbc.isSecondsLimitReached() || cbc.isNodeLimitReached() || cbc.isSolutionLimitReached();
  s.abandoned = cbc.isAbandoned();
  return s;
}

}  // namespace rackforge::solver
