#pragma once
// The CBC/CLP layer: an LP/MILP model whose columns and rows are added in bulk
// (compressed sparse arrays, no per-coefficient calls), whose bounds,
// right-hand sides and objective coefficients can be changed, and which is
// solved as an LP (CLP dual simplex, warm-started from the previous basis) or
// a MILP (CLP presolve, rounding heuristic, CBC branch and bound). It is not
// solver-neutral: the search's shape, its options and its statistics are
// CBC's and CLP's; only the COIN-OR types stay inside lp_model.cc, so that
// callers include no COIN-OR header. Another solver would mean another
// implementation of this file, not a switch. One instance is not thread-safe;
// the copy constructor gives an independent deep copy.

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "solver/status.h"

namespace spdlog {
class logger;
}

namespace rackforge::solver {

inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// Columns to add in one call (structure of arrays, all the same length).
struct ColumnBlock {
  std::vector<double> lower, upper, cost;
  std::vector<uint8_t> integer;  // 1 = integer column
  /// Appends one column and returns its position in the block.
  int32_t Add(double lb, double ub, double cost_value, bool is_integer = false) {
    lower.push_back(lb);
    upper.push_back(ub);
    cost.push_back(cost_value);
    integer.push_back(is_integer ? 1 : 0);
    return static_cast<int32_t>(lower.size()) - 1;
  }
  void Reserve(size_t n) {
    lower.reserve(n);
    upper.reserve(n);
    cost.reserve(n);
    integer.reserve(n);
  }
  int32_t size() const { return static_cast<int32_t>(lower.size()); }
};

/// Rows to add in one call, compressed sparse row form: push coefficients with
/// Coef, close the row with End. Zero coefficients are skipped.
struct RowBlock {
  std::vector<int32_t> starts{0};  // rows + 1 entries
  std::vector<int32_t> columns;
  std::vector<double> values;
  std::vector<double> lower, upper;
  void Coef(int32_t column, double value) {
    if (value == 0.0) return;
    columns.push_back(column);
    values.push_back(value);
  }
  /// Closes the current row with bounds lb <= row <= ub; returns its position in the block.
  int32_t End(double lb, double ub) {
    starts.push_back(static_cast<int32_t>(columns.size()));
    lower.push_back(lb);
    upper.push_back(ub);
    return static_cast<int32_t>(lower.size()) - 1;
  }
  /// True when the row being built has no coefficient yet.
  bool CurrentRowEmpty() const { return static_cast<int32_t>(columns.size()) == starts.back(); }
  /// Drops the coefficients of the row being built.
  void DiscardCurrentRow() {
    columns.resize(starts.back());
    values.resize(starts.back());
  }
  void Reserve(size_t rows, size_t nonzeros) {
    starts.reserve(rows + 1);
    lower.reserve(rows);
    upper.reserve(rows);
    columns.reserve(nonzeros);
    values.reserve(nonzeros);
  }
  int32_t size() const { return static_cast<int32_t>(lower.size()); }
};

/// Test hooks for the second branch-and-bound worker (tests only; kNone in
/// production): the fork fails, the child exits without an answer, or the
/// child hangs and the parent's search throws (the child must be killed).
enum class ChildFault : uint8_t { kNone, kForkFails, kChildFails, kChildHangsParentThrows };

/// The stage whose LPs a test stops early (SolveOptions::test_lp_stop; tests only).
enum class LpStage : uint8_t { kNone, kRoot, kHeuristic, kSearch };

/// Tests only: every LP of `stage` stops after `iterations` simplex iterations, as if the clock had
/// run out there (CLP's status "stopped on iterations or time" either way), so that the time-limited
/// paths can be tested without a clock.
struct LpStopForTests {
  LpStage stage = LpStage::kNone;
  int32_t iterations = 0;
};

/// How SolveLp solves an LP that has no basis yet (a re-solve from a basis is always OsiClp's
/// `resolve`, CLP's dual simplex). Either way CLP's presolve runs first.
enum class LpMethod : uint8_t {
  /// CLP's own choice (`ClpSolve::automatic`): the primal simplex when every non-zero cost is ±1
  /// (risk's unweighted backlog), else the dual simplex.
  kAutomatic,
  /// CLP's primal simplex from the all-slack basis. risk's weighted time-to-survive LP: its only
  /// costs are weighted backlog, where the automatic choice is the dual simplex, which there
  /// takes more iterations at a higher cost each (docs/model.md "Risk figures").
  kPrimal,
  /// CLP's dual simplex with perturbation 50 (CLP's own default is 100, the `cbc` program's 50).
  /// risk's base LP: the PI LPs start from its optimal basis, and the vertex this run of the dual
  /// simplex ends at is one from which tightening a node's capacities to its outage costs few
  /// dual iterations; the default perturbation's vertex, or the primal simplex's, costs several
  /// times more over the nodes (docs/model.md "Risk figures", "Which B0 basis").
  kDual,
};

/// Solve settings.
struct SolveOptions {
  double time_limit_s = 0;      // 0 = none
  double relative_gap = 1e-9;   // MILP only
  spdlog::logger* log = nullptr;  // CLP/CBC messages go here at debug level; silent when null
  /// MILP only: 2 = the search splits at the root into two subtrees, one of
  /// them searched in a forked child process (two cores); 1 = one search here.
  /// Either way the result is deterministic (it does not depend on timing).
  int32_t workers = 1;
  /// MILP only: stop each branch-and-bound search after this many nodes (0 = no limit); a search
  /// stopped so reports kTimeLimit, like the time limit, but does not depend on the machine's speed.
  int32_t max_nodes = 0;
  ChildFault test_child_fault = ChildFault::kNone;  // tests only
  /// Tests only: stage 5 re-solves the reduced LP with the integers fixed from the basis the
  /// rounding heuristic left (as before the search's basis was kept), not from the basis of the
  /// search's LP that found the incumbent.
  bool test_fixed_lp_from_heuristic_basis = false;
  LpStopForTests test_lp_stop = {};  // tests only
  LpMethod cold_lp = LpMethod::kAutomatic;  // SolveLp (and SolveMilp without free integers) from no basis
};

/// Why a solve ended.
enum class Termination : uint8_t {
  kLpSolved,              // no free integer: one LP (see status)
  kRelaxationNotOptimal,  // the LP relaxation was infeasible, unbounded, out of time or failed
  kSearchCompleted,       // every search ran to its end: proven optimal within the gap
  kTimeLimit,             // some search (or the root LP of a subtree) stopped at the time limit
  kAbandoned,             // CBC abandoned some search (numerical trouble)
  kNoIntegerSolution,     // the search ended without an integer solution (infeasible)
};
const char* ToString(Termination termination);

/// Where the MILP solution came from.
enum class SolutionSource : uint8_t { kNone, kLp, kRoundingHeuristic, kSearch, kDownSide, kUpSide };
const char* ToString(SolutionSource source);

/// How the second branch-and-bound worker ran (SolveOptions::workers = 2).
enum class SecondWorker : uint8_t {
  kNotUsed,         // one worker asked for, no incumbent, or an integral root: one search
  kForked,          // the up side was searched in a forked child and its answer used
  kForkFailed,      // the fork failed: the up side was searched here afterwards
  kChildFailed,     // the child ended without an answer: the up side was searched here afterwards
  kRefusedThreads,  // the process had more than one thread: no fork, both sides searched here in turn
};
const char* ToString(SecondWorker worker);

/// What a solve did, for tests and the debug log. Times are wall seconds of
/// each stage (0 for stages that did not run).
struct SolveStats {
  Termination termination = Termination::kLpSolved;
  SolutionSource source = SolutionSource::kNone;
  SecondWorker second_worker = SecondWorker::kNotUsed;
  bool milp = false;                              // some integer was free: the MILP path ran
  bool presolved = false;                         // CLP's presolve reduced the model (else the search ran on a copy)
  bool root_split = false;                        // the search was split at the root into a down and an up side
  int32_t rows = 0, columns = 0;                  // the model solved
  int32_t reduced_rows = 0, reduced_columns = 0;  // after presolve
  int32_t branch_column = -1;                     // reduced-model column of the root split
  int32_t nodes = 0, down_nodes = 0, up_nodes = 0;
  /// Node LPs of the search that stopped at the limit before they finished (CBC reads such an LP
  /// as infeasible; the search then stops, and the node's own bound is kept in best_bound).
  int32_t node_lps_stopped = 0;
  double root_objective = 0;       // the LP relaxation (reduced model)
  bool root_warm_start = false;    // the root LP started from the previous solve's basis (carried through presolve)
  int32_t root_iterations = 0;     // simplex iterations of the root LP
  bool heuristic_found = false;    // the rounding heuristic gave an incumbent
  double heuristic_objective = 0;  // its objective when found
  int32_t heuristic_lps = 0;       // LPs it solved: rounded up, then (while infeasible) to nearest, then down
  int32_t heuristic_roundings_skipped = 0;  // roundings refused without an LP: they broke a row of integers only
  int32_t fixed_reduced_iterations = 0;  // stage 5, the reduced LP with the integers fixed (0: the heuristic's LP was it)
  bool fixed_from_search_basis = false;   // ... started from the basis of the search's LP that found the incumbent
  int32_t fixed_full_iterations = 0;      // stage 5, the full LP with the integers fixed, from postsolve's basis
  double fixed_reduced_cpu_s = 0, fixed_full_cpu_s = 0;  // thread CPU seconds of those two LPs
  double presolve_s = 0, root_lp_s = 0, heuristic_s = 0, search_s = 0, fixed_lp_s = 0, total_s = 0;
};

/// The outcome of a solve. Vectors are empty when has_solution is false.
struct Solution {
  SolveStatus status = SolveStatus::kError;
  bool has_solution = false;
  double objective = 0;
  double best_bound = 0;    // MILP: the proven lower bound; LP: the objective
  double relative_gap = 0;  // 0 when proven optimal within 1e-9
  std::vector<double> primal;     // per column
  std::vector<double> row_duals;  // per row: d objective / d rhs (LP, or LP with integers fixed)
  /// Per column: d objective / d column value (SolveLp only; empty from SolveMilp). For a column
  /// fixed by its bounds this is a subgradient of the LP's optimal value in that value.
  std::vector<double> reduced_costs;
  SolveStats stats;
};

/// A simplex basis of an LpModel (CLP's status of each column and row: 0 free, 1 basic, 2 at upper,
/// 3 at lower), saved after a solve to warm-start a later SolveLp of a changed model from it.
struct LpBasis {
  std::vector<int> columns, rows;
  bool empty() const { return columns.empty(); }
};

class LpModel {
 public:
  LpModel();
  ~LpModel();
  /// Deep copy (clones the solver and its basis); the copy is independent.
  LpModel(const LpModel& other);
  LpModel& operator=(const LpModel&) = delete;

  /// Appends the columns (no coefficients yet); returns the index of the first.
  int32_t AddColumns(ColumnBlock&& block);
  /// Appends the rows; returns the index of the first. Column indices must exist.
  int32_t AddRows(RowBlock&& block);
  /// Loads the staged columns and rows into the solver now (otherwise done at
  /// the first solve or change); lets callers time the build as a whole.
  void Load();
  /// Removes rows [first, rows()) (rows added last, e.g. temporary caps).
  void TruncateRows(int32_t first);

  void SetColumnBounds(int32_t column, double lb, double ub);
  void SetRowBounds(int32_t row, double lb, double ub);
  void SetObjective(int32_t column, double cost);
  /// Sets one matrix coefficient (inserts it when absent, removes it when 0).
  void SetCoefficient(int32_t row, int32_t column, double value);

  double column_lower(int32_t column) const;
  double column_upper(int32_t column) const;
  double objective(int32_t column) const;
  double row_lower(int32_t row) const;  // -kInfinity when the row has no lower bound
  double row_upper(int32_t row) const;  // kInfinity when the row has no upper bound
  bool is_integer(int32_t column) const;
  /// Marks a column integer (or continuous again); SolveMilp branches on it while its bounds differ.
  void SetInteger(int32_t column, bool is_integer);
  int32_t columns() const;
  int32_t rows() const;
  /// True when some integer column has lower < upper (the model needs CBC).
  bool HasFreeIntegers() const;

  /// Solves the LP (integrality ignored) with CLP's dual simplex; warm-starts
  /// from the basis of the previous solve.
  Solution SolveLp(const SolveOptions& options);
  /// The basis of the last solve (empty when there is none).
  LpBasis GetBasis();
  /// Makes `basis` (of this model's rows and columns) the start of the next SolveLp: after
  /// tightening bounds of an optimal LP, its basis stays dual feasible and the dual simplex
  /// needs few iterations. Ignored when empty or of another size.
  void SetBasis(const LpBasis& basis);
  /// Solves the MILP with CBC (an LP when no integer is free). The LP
  /// relaxation is solved first so an unbounded relaxation reports kUnbounded.
  /// With a solution, the integers are fixed at it and the LP re-solved: primal
  /// values and row duals come from that LP (bottleneck analysis).
  Solution SolveMilp(const SolveOptions& options);

  /// Writes free MPS (17 significant digits) readable by `cbc` and `glpsol --freemps`.
  /// Throws std::runtime_error when the file cannot be written.
  void WriteMps(const std::string& path) const;

  /// Solves the LP (integrality ignored) like SolveLp, but first on CLP's presolve of the model,
  /// from the all-slack basis; the postsolved basis then starts SolveLp on the whole model (no
  /// iterations when it is optimal). For LPs that presolve all but removes, e.g. every flow fixed
  /// with only balance columns left, where a warm start from the basis of an unrelated LP takes
  /// thousands of iterations. The result does not depend on the previous basis when the LP has one
  /// optimal solution. When presolve finds the LP infeasible or unbounded, or the presolved LP is
  /// not optimal, this is SolveLp from the previous basis.
  Solution SolveLpPresolved(const SolveOptions& options);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rackforge::solver
