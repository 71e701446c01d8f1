#pragma once
// The solve outcome is ordinary data, not an error: optimal, stopped at the
// time limit with an incumbent, infeasible, unbounded, or a solver error.

#include <optional>
#include <string>

namespace rackforge::solver {

enum class SolveStatus { kOptimal, kTimeLimit, kInfeasible, kUnbounded, kError };

/// "optimal" | "time_limit" | "infeasible" | "unbounded" | "error" (the JSON words).
inline const char* ToString(SolveStatus status) {
  switch (status) {
    case SolveStatus::kOptimal: return "optimal";
    case SolveStatus::kTimeLimit: return "time_limit";
    case SolveStatus::kInfeasible: return "infeasible";
    case SolveStatus::kUnbounded: return "unbounded";
    case SolveStatus::kError: return "error";
  }
  return "error";
}

/// A sentence for people: "optimal (proven)", "stopped at the time limit, gap 2.1 %", ...
/// Without a solution a time limit has no gap: "stopped at the time limit before any plan was found".
std::string Describe(SolveStatus status, double relative_gap, bool has_solution);

}  // namespace rackforge::solver
