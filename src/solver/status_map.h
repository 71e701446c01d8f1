#pragma once
// The one place where COIN-OR status calls become solver::SolveStatus. The
// signals are read from CLP/CBC into a plain struct first so that the mapping
// itself is a pure function with its own tests.

#include "solver/status.h"

class ClpSimplex;
class CbcModel;

namespace rackforge::solver {

/// What CLP and CBC say about a finished solve (all false = nothing known).
struct StatusSignals {
  bool relaxation_unbounded = false;   // LP (relaxation) proven dual infeasible
  bool relaxation_infeasible = false;  // LP (relaxation) proven primal infeasible
  bool proven_optimal = false;         // optimal (MILP: within the allowed gap)
  bool proven_infeasible = false;      // CBC: no integer solution exists (or continuous unbounded!)
  bool continuous_unbounded = false;   // CBC: the root LP was unbounded
  bool time_limit_reached = false;     // stopped by the time (or iteration) limit
  bool abandoned = false;              // numerical trouble / solver error
};

/// Maps signals to a status. Order matters: unboundedness is checked before
/// infeasibility because CBC reports a continuous-unbounded model as proven
/// infeasible too; then optimal, then time limit; anything else is an error.
SolveStatus MapStatus(const StatusSignals& signals);

/// Reads the signals of a finished CLP solve (ClpSimplex::status()).
StatusSignals SignalsFromClp(const ClpSimplex& clp);

/// Reads the signals of a finished CbcModel::branchAndBound().
StatusSignals SignalsFromCbc(const CbcModel& cbc);

}  // namespace rackforge::solver
