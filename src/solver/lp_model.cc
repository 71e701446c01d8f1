#include "solver/lp_model.h"

#include <fmt/format.h>
#include <fmt/os.h>
#include <spdlog/logger.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CbcCompareActual.hpp>
#include <CbcEventHandler.hpp>
#include <CbcModel.hpp>
#include <CbcNode.hpp>
#include <CglFlowCover.hpp>
#include <ClpPresolve.hpp>
#include <ClpSolve.hpp>
#include <ClpSimplex.hpp>
#include <CoinMessageHandler.hpp>
#include <CoinPackedMatrix.hpp>
#include <CoinWarmStartBasis.hpp>
#include <OsiClpSolverInterface.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <type_traits>

#include "common/cpu_time.h"
#include "solver/status_map.h"

namespace rackforge::solver {
namespace {

static_assert(std::is_same_v<CoinBigIndex, int>, "RowBlock starts are int32");

const double kCoinInfinity = COIN_DBL_MAX;

double ToCoin(double v) {
  if (v >= 1e30) return kCoinInfinity;
  if (v <= -1e30) return -kCoinInfinity;
  return v;
}
double FromCoin(double v) {
  if (v >= 1e30) return kInfinity;
  if (v <= -1e30) return -kInfinity;
  return v;
}

/// Forwards CLP/CBC messages to an spdlog logger at debug level.
class SpdlogHandler : public CoinMessageHandler {
 public:
  explicit SpdlogHandler(spdlog::logger* log) : log_(log) { setLogLevel(log != nullptr && log->should_log(spdlog::level::debug) ? 1 : 0); }
  int print() override {
    if (log_ != nullptr) log_->debug("{}", messageBuffer());
    return 0;
  }
  CoinMessageHandler* clone() const override { return new SpdlogHandler(*this); }

 private:
  spdlog::logger* log_;
};

/// Routes the messages of `s` and of its CLP model to `handler`, at its log level.
void UseHandler(OsiClpSolverInterface& s, CoinMessageHandler* handler) {
  s.passInMessageHandler(handler);
  s.getModelPtr()->passInMessageHandler(handler);
  s.messageHandler()->setLogLevel(handler->logLevel());
  s.getModelPtr()->setLogLevel(handler->logLevel());
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

using common::ThreadCpuSeconds;

/// Seconds left of the time limit of a solve begun at `start` (at least 0.01),
/// or -1 when there is no limit.
double SecondsLeftOf(const SolveOptions& options, std::chrono::steady_clock::time_point start) {
  return options.time_limit_s > 0 ? std::max(0.01, options.time_limit_s - Seconds(start)) : -1.0;
}

/// Stops the next solves of `clp` `seconds_left` wall-clock seconds from now (no limit when < 0).
/// Not CLP's setMaximumSeconds: that one counts the process's user CPU seconds (CoinCpuTime,
/// getrusage), so on a loaded machine an LP ran minutes past a wall-clock --time-limit, and in a
/// forked child, whose count starts again at 0, further still. The test hook's iteration cap
/// (LpStopForTests) applies to the LPs of its stage; every other LP gets CLP's default, no cap.
void LimitLp(ClpSimplex& clp, double seconds_left, const SolveOptions& options, LpStage stage) {
  clp.setMaximumSeconds(-1.0);
  clp.setMaximumWallSeconds(seconds_left);
  const LpStopForTests& stop = options.test_lp_stop;
  clp.setMaximumIterations(stop.stage != LpStage::kNone && stop.stage == stage ? stop.iterations : COIN_INT_MAX);
}

}  // namespace

struct LpModel::Impl {
  SpdlogHandler quiet{nullptr};  // declared first: outlives the solver that points to it
  ColumnBlock staged_columns;
  RowBlock staged_rows;
  std::unique_ptr<OsiClpSolverInterface> solver;  // null until the first solver access
  std::vector<uint8_t> integer;                   // per column
  bool has_basis = false;

  OsiClpSolverInterface& S() {
    if (!solver) Materialize();
    return *solver;
  }

  void UseHandler(CoinMessageHandler* handler) { rackforge::solver::UseHandler(*solver, handler); }
  /// Stage 5 of SolveMilp (defined there).
  void SolveWithIntegersFixed(ClpPresolve* presolve, OsiClpSolverInterface& rs, const std::vector<double>& incumbent,
                              const std::vector<int8_t>& start, const SolveOptions& options, Solution& out,
                              SolveStats& stats);

  void Materialize() {
    solver = std::make_unique<OsiClpSolverInterface>();
    solver->setHintParam(OsiDoReducePrint, true, OsiHintTry);
    UseHandler(&quiet);
    RowBlock& r = staged_rows;
    ColumnBlock& c = staged_columns;
    const int32_t nr = r.size();
    std::vector<int> lengths(nr);
    for (int32_t i = 0; i < nr; ++i) lengths[i] = r.starts[i + 1] - r.starts[i];
    for (double& v : c.lower) v = ToCoin(v);
    for (double& v : c.upper) v = ToCoin(v);
    for (double& v : r.lower) v = ToCoin(v);
    for (double& v : r.upper) v = ToCoin(v);
    CoinPackedMatrix matrix(false, c.size(), nr, r.starts.back(), r.values.data(), r.columns.data(), r.starts.data(),
                            lengths.data());
    solver->loadProblem(matrix, c.lower.data(), c.upper.data(), c.cost.data(), r.lower.data(), r.upper.data());
    for (int32_t j = 0; j < c.size(); ++j) {
      if (integer[j]) solver->setInteger(j);
    }
    staged_columns = ColumnBlock{};
    staged_rows = RowBlock{};
  }
};

LpModel::LpModel() : impl_(std::make_unique<Impl>()) {}
LpModel::~LpModel() = default;

LpModel::LpModel(const LpModel& other) : impl_(std::make_unique<Impl>()) {
  impl_->staged_columns = other.impl_->staged_columns;
  impl_->staged_rows = other.impl_->staged_rows;
  impl_->integer = other.impl_->integer;
  impl_->has_basis = other.impl_->has_basis;
  if (other.impl_->solver) {
    impl_->solver = std::make_unique<OsiClpSolverInterface>(*other.impl_->solver);
    impl_->UseHandler(&impl_->quiet);  // never share the other's handler
  }
}

int32_t LpModel::AddColumns(ColumnBlock&& block) {
  const int32_t first = columns();
  impl_->integer.insert(impl_->integer.end(), block.integer.begin(), block.integer.end());
  if (!impl_->solver) {
    ColumnBlock& s = impl_->staged_columns;
    if (s.size() == 0) {
      s = std::move(block);
    } else {
      s.lower.insert(s.lower.end(), block.lower.begin(), block.lower.end());
      s.upper.insert(s.upper.end(), block.upper.begin(), block.upper.end());
      s.cost.insert(s.cost.end(), block.cost.begin(), block.cost.end());
      s.integer.insert(s.integer.end(), block.integer.begin(), block.integer.end());
    }
    return first;
  }
  const int32_t n = block.size();
  std::vector<int> starts(n + 1, 0);
  for (double& v : block.lower) v = ToCoin(v);
  for (double& v : block.upper) v = ToCoin(v);
  impl_->solver->addCols(n, starts.data(), nullptr, nullptr, block.lower.data(), block.upper.data(), block.cost.data());
  for (int32_t j = 0; j < n; ++j) {
    if (block.integer[j]) impl_->solver->setInteger(first + j);
  }
  return first;
}

int32_t LpModel::AddRows(RowBlock&& block) {
  const int32_t first = rows();
  if (!impl_->solver) {
    RowBlock& s = impl_->staged_rows;
    if (s.size() == 0) {
      s = std::move(block);
    } else {
      const int32_t offset = s.starts.back();
      for (size_t i = 1; i < block.starts.size(); ++i) s.starts.push_back(block.starts[i] + offset);
      s.columns.insert(s.columns.end(), block.columns.begin(), block.columns.end());
      s.values.insert(s.values.end(), block.values.begin(), block.values.end());
      s.lower.insert(s.lower.end(), block.lower.begin(), block.lower.end());
      s.upper.insert(s.upper.end(), block.upper.begin(), block.upper.end());
    }
    return first;
  }
  for (double& v : block.lower) v = ToCoin(v);
  for (double& v : block.upper) v = ToCoin(v);
  impl_->solver->addRows(block.size(), block.starts.data(), block.columns.data(), block.values.data(), block.lower.data(),
                         block.upper.data());
  return first;
}

void LpModel::Load() { impl_->S(); }

void LpModel::TruncateRows(int32_t first) {
  const int32_t n = rows();
  if (first >= n) return;
  std::vector<int> doomed;
  for (int32_t i = first; i < n; ++i) doomed.push_back(i);
  impl_->S().deleteRows(static_cast<int>(doomed.size()), doomed.data());
}

void LpModel::SetColumnBounds(int32_t column, double lb, double ub) {
  impl_->S().setColBounds(column, ToCoin(lb), ToCoin(ub));
}
void LpModel::SetRowBounds(int32_t row, double lb, double ub) { impl_->S().setRowBounds(row, ToCoin(lb), ToCoin(ub)); }
void LpModel::SetObjective(int32_t column, double cost) { impl_->S().setObjCoeff(column, cost); }
void LpModel::SetCoefficient(int32_t row, int32_t column, double value) {
  impl_->S().modifyCoefficient(row, column, value, false);
}

double LpModel::column_lower(int32_t column) const { return FromCoin(impl_->S().getColLower()[column]); }
double LpModel::column_upper(int32_t column) const { return FromCoin(impl_->S().getColUpper()[column]); }
double LpModel::objective(int32_t column) const { return impl_->S().getObjCoefficients()[column]; }
double LpModel::row_lower(int32_t row) const { return FromCoin(impl_->S().getRowLower()[row]); }
double LpModel::row_upper(int32_t row) const { return FromCoin(impl_->S().getRowUpper()[row]); }
bool LpModel::is_integer(int32_t column) const { return impl_->integer[column] != 0; }

void LpModel::SetInteger(int32_t column, bool is_integer) {
  OsiClpSolverInterface& s = impl_->S();
  impl_->integer[column] = is_integer ? 1 : 0;
  if (is_integer) {
    s.setInteger(column);
  } else {
    s.setContinuous(column);
  }
}

int32_t LpModel::columns() const {
  return impl_->solver ? impl_->solver->getNumCols() : impl_->staged_columns.size();
}
int32_t LpModel::rows() const { return impl_->solver ? impl_->solver->getNumRows() : impl_->staged_rows.size(); }

bool LpModel::HasFreeIntegers() const {
  OsiClpSolverInterface& s = impl_->S();
  const double* lo = s.getColLower();
  const double* up = s.getColUpper();
  for (int32_t j = 0; j < columns(); ++j) {
    if (impl_->integer[j] && lo[j] < up[j]) return true;
  }
  return false;
}

namespace {

/// CLP's perturbation 50, the `cbc` program's setting (CLP's own default is 100: perturb only once
/// the simplex stalls): risk's base LP (LpMethod::kDual) and every LP of SolveMilp after the root.
constexpr int kCbcPerturbation = 50;

/// OsiClp's initialSolve (CLP's presolve, then the simplex) by the method asked for: the primal
/// simplex from the all-slack basis, or the dual simplex with perturbation 50. OsiClp's solve
/// options and CLP's perturbation are put back afterwards, so later solves of this model run as
/// before. (CLP's positive-edge primal pricing, `ClpPEPrimalColumnSteepest`, was a little faster
/// on the default scenario but prints "switching off pe" to stdout when it gives up, which would
/// break `--json` on stdout: not used.)
void InitialSolveWith(OsiClpSolverInterface& s, LpMethod method) {
  ClpSolve solve;
  solve.setPresolveType(ClpSolve::presolveOn);
  ClpSimplex& clp = *s.getModelPtr();
  const int perturbation = clp.perturbation();
  if (method == LpMethod::kPrimal) {
    solve.setSolveType(ClpSolve::usePrimal);
    solve.setSpecialOption(1, 4);  // start from the all-slack basis: no idiot or sprint crash
  } else {
    solve.setSolveType(ClpSolve::useDual);
    clp.setPerturbation(kCbcPerturbation);
  }
  s.setSolveOptions(solve);
  s.initialSolve();
  s.setSolveOptions(ClpSolve());
  clp.setPerturbation(perturbation);
}

}  // namespace

Solution LpModel::SolveLp(const SolveOptions& options) {
  OsiClpSolverInterface& s = impl_->S();
  SpdlogHandler handler(options.log);
  impl_->UseHandler(&handler);
  LimitLp(*s.getModelPtr(), options.time_limit_s > 0 ? options.time_limit_s : -1.0, options, LpStage::kRoot);
  if (impl_->has_basis) {
    s.resolve();
  } else if (options.cold_lp != LpMethod::kAutomatic) {
    InitialSolveWith(s, options.cold_lp);
  } else {
    s.initialSolve();
  }
  impl_->UseHandler(&impl_->quiet);
  Solution out;
  out.status = MapStatus(SignalsFromClp(*s.getModelPtr()));
  impl_->has_basis = out.status == SolveStatus::kOptimal;
  if (out.status != SolveStatus::kOptimal) return out;
  out.has_solution = true;
  out.objective = s.getObjValue();
  out.best_bound = out.objective;
  out.primal.assign(s.getColSolution(), s.getColSolution() + s.getNumCols());
  out.row_duals.assign(s.getRowPrice(), s.getRowPrice() + s.getNumRows());
  out.reduced_costs.assign(s.getReducedCost(), s.getReducedCost() + s.getNumCols());
  return out;
}

LpBasis LpModel::GetBasis() {
  LpBasis basis;
  if (!impl_->has_basis) return basis;
  OsiClpSolverInterface& s = impl_->S();
  basis.columns.resize(s.getNumCols());
  basis.rows.resize(s.getNumRows());
  s.getBasisStatus(basis.columns.data(), basis.rows.data());
  return basis;
}

void LpModel::SetBasis(const LpBasis& basis) {
  OsiClpSolverInterface& s = impl_->S();
  if (basis.empty() || static_cast<int>(basis.columns.size()) != s.getNumCols() ||
      static_cast<int>(basis.rows.size()) != s.getNumRows()) {
    return;
  }
  if (s.setBasisStatus(basis.columns.data(), basis.rows.data()) == 0) impl_->has_basis = true;
}

namespace {

/// Objective and (primal, row dual) vectors of a solved CLP model.
Solution ReadSolution(const OsiClpSolverInterface& s) {
  Solution out;
  out.status = SolveStatus::kOptimal;
  out.has_solution = true;
  out.objective = s.getObjValue();
  out.primal.assign(s.getColSolution(), s.getColSolution() + s.getNumCols());
  out.row_duals.assign(s.getRowPrice(), s.getRowPrice() + s.getNumRows());
  return out;
}

/// Sets every integer column of `s` to round(values[j]) (both bounds).
void FixIntegers(OsiClpSolverInterface& s, const std::vector<double>& values) {
  for (int32_t j = 0; j < s.getNumCols(); ++j) {
    if (s.isInteger(j)) s.setColBounds(j, std::round(values[j]), std::round(values[j]));
  }
}

/// A row of `s` whose every coefficient is on an integer column (e.g. a capex budget over
/// open[e]): once the integers are fixed, its activity is known before any LP.
struct IntegerRow {
  std::vector<int32_t> columns;
  std::vector<double> coefficients;
  double lower, upper;
};

std::vector<IntegerRow> IntegerOnlyRows(const OsiClpSolverInterface& s) {
  std::vector<IntegerRow> out;
  const CoinPackedMatrix& by_row = *s.getMatrixByRow();
  for (int32_t i = 0; i < s.getNumRows(); ++i) {
    const CoinShallowPackedVector row = by_row.getVector(i);
    const int32_t* begin = row.getIndices();
    const int32_t* end = begin + row.getNumElements();
    if (begin == end || !std::all_of(begin, end, [&](int32_t j) { return s.isInteger(j); })) continue;
    out.push_back({{begin, end}, {row.getElements(), row.getElements() + row.getNumElements()},
                   s.getRowLower()[i], s.getRowUpper()[i]});
  }
  return out;
}

/// True when the integer values `x` put some row of integers only outside its bounds by more
/// than 1e-6 (relative to the bound, at least 1e-6 absolute): far beyond CLP's primal tolerance,
/// so the LP with the integers fixed at `x` is infeasible for certain.
bool BreaksAnIntegerRow(const std::vector<IntegerRow>& rows, const std::vector<double>& x) {
  for (const IntegerRow& row : rows) {
    double activity = 0;
    for (size_t k = 0; k < row.columns.size(); ++k) activity += row.coefficients[k] * std::round(x[row.columns[k]]);
    if (activity > row.upper + 1e-6 * std::max(1.0, std::fabs(row.upper))) return true;
    if (activity < row.lower - 1e-6 * std::max(1.0, std::fabs(row.lower))) return true;
  }
  return false;
}

/// How the rounding heuristic rounds a fractional integer of the relaxation.
enum class Rounding : uint8_t { kUp, kNearest, kDown };

/// `v` rounded so, within [lo, up] (values within 1e-9 of an integer are that integer).
double RoundValue(double v, Rounding rounding, double lo, double up) {
  const double nearest = std::round(v);
  double r = nearest;
  if (std::fabs(v - nearest) > 1e-9) {
    r = rounding == Rounding::kUp ? std::ceil(v) : rounding == Rounding::kDown ? std::floor(v) : nearest;
  }
  return std::clamp(r, lo, up);
}

/// Rounding heuristic on the solved relaxation `s`: every fractional integer rounded up (open every
/// expansion the relaxation uses at all), fixed in `s` and the LP re-solved there; when that LP is
/// infeasible (e.g. a capex budget the opened expansions exceed), rounded to nearest, then down,
/// each from the relaxation's values and bounds (a rounding equal to one tried is skipped). At most
/// three LPs, each within `seconds_left()` (none when < 0). A rounding that breaks a row over
/// integer columns only (`BreaksAnIntegerRow`) gets no LP: it could only be infeasible. Returns the
/// first optimal LP's outcome (the searches' first incumbent) or the last failure; `s` keeps that
/// LP's solution. `lps` counts the LPs solved, `skipped` the roundings refused without one. An LP
/// stopped at the limit ends the heuristic without an incumbent (its status kTimeLimit), never as
/// an infeasible rounding.
template <typename SecondsLeft>
Solution RoundingHeuristic(OsiClpSolverInterface& s, SecondsLeft seconds_left, const SolveOptions& options,
                           int32_t& lps, int32_t& skipped) {
  const int32_t n = s.getNumCols();
  const std::vector<double> x(s.getColSolution(), s.getColSolution() + n);
  const std::vector<double> lo(s.getColLower(), s.getColLower() + n), up(s.getColUpper(), s.getColUpper() + n);
  const std::vector<IntegerRow> integer_rows = IntegerOnlyRows(s);
  std::vector<std::vector<double>> tried;
  Solution out;
  out.status = SolveStatus::kInfeasible;  // when every rounding breaks a row of integers only
  lps = 0;
  skipped = 0;
  for (Rounding rounding : {Rounding::kUp, Rounding::kNearest, Rounding::kDown}) {
    std::vector<double> rounded = x;
    for (int32_t j = 0; j < n; ++j) {
      if (s.isInteger(j)) rounded[j] = RoundValue(x[j], rounding, lo[j], up[j]);
    }
    if (std::find(tried.begin(), tried.end(), rounded) != tried.end()) continue;
    tried.push_back(rounded);
    if (BreaksAnIntegerRow(integer_rows, rounded)) {  // its LP would be infeasible: skip it
      ++skipped;
      continue;
    }
    FixIntegers(s, rounded);
    LimitLp(*s.getModelPtr(), seconds_left(), options, LpStage::kHeuristic);
    s.resolve();
    ++lps;
    out = Solution();
    out.status = MapStatus(SignalsFromClp(*s.getModelPtr()));
    if (out.status == SolveStatus::kOptimal) return ReadSolution(s);
    if (out.status == SolveStatus::kTimeLimit) break;  // no time for another
  }
  return out;
}

/// CBC settings for plan models: few binaries (expansions) over a large LP.
void ConfigureBranchAndBound(CbcModel& cbc, const SolveOptions& options, double seconds_left) {
  cbc.setUseElapsedTime(true);  // --time-limit is wall-clock seconds
  if (options.time_limit_s > 0) cbc.setMaximumSeconds(seconds_left);
  if (options.max_nodes > 0) cbc.setMaximumNodes(options.max_nodes);
  CbcCompareDepth depth_first;  // with an incumbent in hand: keeps each node close to its parent's basis
  cbc.setNodeComparison(depth_first);  // (CBC keeps a clone)
  cbc.setAllowableFractionGap(options.relative_gap);
  cbc.setAllowableGap(1e-10);
  // Branch and bound on the LP bound, without strong branching (several full LP solves per node,
  // did not pay off in measurements). Flow covers at the search's root only (-99): the expansions'
  // capacity rows (make <= capacity * open[e]) are the variable-upper-bound flows they are made
  // for; they halve the nodes of the larger generated scenarios and do not bind on the default
  // one (docs/model.md "Solving", "Flow covers at the root").
  cbc.setNumberStrong(0);
  cbc.setNumberBeforeTrust(0);
  CglFlowCover flow_cover;
  cbc.addCutGenerator(&flow_cover, -99, "FlowCover");  // CBC keeps a copy
  // Check each integer solution CBC finds from the current basis, not by a
  // fresh LP from the all-slack basis (the standalone cbc program's default
  // too; a from-scratch LP costs as much as the root).
  // We re-solve the LP with the integers fixed ourselves (step 5 of SolveMilp):
  // CBC need not do it again at the end of the search ("leave solver_ as it is").
  cbc.setSpecialOptions(cbc.specialOptions() | 2 | 8388608);
}

/// A simplex basis of the reduced model as plain statuses (CoinWarmStartBasis::Status of each
/// column, then of each row): small enough to cross the pipe from the child. Not LpBasis (OsiClp's
/// getBasisStatus/setBasisStatus codes): tried, that round trip did not hand stage 5 the same
/// start; on a generated case (5 plants, 4 designs, 60 components, 52 weeks) the full LP then
/// ended at another of its tied optima (11 bottleneck fields differed).
using BasisStatuses = std::vector<int8_t>;

BasisStatuses StatusesOf(const CoinWarmStartBasis& basis) {
  BasisStatuses out;
  out.reserve(basis.getNumStructural() + basis.getNumArtificial());
  for (int j = 0; j < basis.getNumStructural(); ++j) out.push_back(static_cast<int8_t>(basis.getStructStatus(j)));
  for (int i = 0; i < basis.getNumArtificial(); ++i) out.push_back(static_cast<int8_t>(basis.getArtifStatus(i)));
  return out;
}

CoinWarmStartBasis BasisOf(const BasisStatuses& statuses, int32_t columns, int32_t rows) {
  CoinWarmStartBasis basis;
  basis.setSize(columns, rows);
  for (int32_t j = 0; j < columns; ++j) basis.setStructStatus(j, static_cast<CoinWarmStartBasis::Status>(statuses[j]));
  for (int32_t i = 0; i < rows; ++i) {
    basis.setArtifStatus(i, static_cast<CoinWarmStartBasis::Status>(statuses[columns + i]));
  }
  return basis;
}

/// Keeps the basis of the LP in which CBC found the integer solution it installs as its
/// incumbent (events `solution` and `heuristicSolution`; each new incumbent is better than the
/// last), with that solution's objective: the start of stage 5's LP with the integers fixed.
class IncumbentBasisKeeper : public CbcEventHandler {
 public:
  CbcAction event(CbcEvent which) override {
    if (which != solution && which != heuristicSolution) return noAction;
    const std::unique_ptr<CoinWarmStart> start(model_->solver()->getWarmStart());
    const auto* basis = dynamic_cast<const CoinWarmStartBasis*>(start.get());
    if (basis != nullptr) {
      statuses_ = StatusesOf(*basis);
      objective_ = model_->getObjValue();  // CBC puts the new solution's objective in place for the event
    }
    return noAction;
  }
  CbcEventHandler* clone() const override { return new IncumbentBasisKeeper(*this); }
  /// The basis kept with the solution of `objective` (CBC's final incumbent) over the model's
  /// `size` columns and rows, or none. CBC appends the rows of its root cuts after the model's
  /// rows; where every such row's slack is basic (no cut binds) the rest is a basis of the model,
  /// else none (dropping a binding cut leaves one basic too many: measured, CLP's repair of that
  /// start cost more iterations than the root's basis).
  BasisStatuses BasisFor(double objective, size_t size) const {
    if (objective_ != objective || statuses_.size() < size) return {};
    const auto end = statuses_.begin() + static_cast<std::ptrdiff_t>(size);
    const bool cuts_slack = std::all_of(end, statuses_.end(), [](int8_t status) {
      return status == static_cast<int8_t>(CoinWarmStartBasis::basic);
    });
    return cuts_slack ? BasisStatuses(statuses_.begin(), end) : BasisStatuses();
  }

 private:
  BasisStatuses statuses_;
  double objective_ = kCoinInfinity;
};

/// The node LPs of one CBC search that stopped at the limit (CLP status 3) before they finished.
/// CBC 2.10 reads such an LP as infeasible (`feasible = isProvenOptimal()` in
/// CbcModel::solveWithCuts: only an abandoned LP is told apart) and drops the node, so
/// CBC's best possible objective leaves that node's subtree out and can exceed the optimum.
/// Kept here: the least lower bound of those nodes (the objective of the LP that created the
/// node, CbcNode::objectiveValue; the search's own LP objective when CBC has no current node).
struct StoppedNodeLps {
  CbcModel* cbc = nullptr;       // the search, once it exists
  double search_lp_bound = 0;    // the objective of the LP the search starts from
  int32_t count = 0;
  double bound = kCoinInfinity;
  /// Records a stopped LP, and stops the search at its next check of the clock.
  void Record() {
    ++count;
    const CbcNode* node = cbc != nullptr ? cbc->currentNode() : nullptr;
    bound = std::min(bound, node != nullptr ? node->objectiveValue() : search_lp_bound);
    if (cbc != nullptr) cbc->setMaximumSeconds(-COIN_DBL_MAX);
  }
};

/// OsiClp for CBC's node LPs under a limit: after each LP (OsiClp resolve, which CbcModel::resolve
/// calls), one that stopped at the limit is recorded in the StoppedNodeLps that every clone shares.
class NodeLpSolver : public OsiClpSolverInterface {
 public:
  NodeLpSolver(const OsiClpSolverInterface& lp, StoppedNodeLps* stopped) : OsiClpSolverInterface(lp), stopped_(stopped) {}
  OsiSolverInterface* clone(bool copy_data = true) const override {
    if (!copy_data) return OsiClpSolverInterface::clone(false);
    return new NodeLpSolver(*this);
  }
  void resolve() override {
    OsiClpSolverInterface::resolve();
    if (getModelPtr()->status() == 3) stopped_->Record();
  }

 private:
  StoppedNodeLps* stopped_;
};

/// What one branch-and-bound search (of the whole tree or of one subtree)
/// found and proved.
struct SearchOutcome {
  StatusSignals signals;        // CBC's (or the subtree LP's) verdict
  double bound = kCoinInfinity; // proven lower bound over the searched (sub)tree
  int32_t nodes = 0;
  int32_t node_lps_stopped = 0; // node LPs stopped at the limit (StoppedNodeLps)
  double objective = 0;         // of `solution`
  std::vector<double> solution; // reduced-model columns; empty unless better than the incumbent handed in
  BasisStatuses basis;          // of the node LP that gave `solution`; empty when CBC did not say
};

/// What every search shares: the limits, when the solve started, and the
/// incumbent handed in (null when the heuristic found none).
struct SearchContext {
  const SolveOptions& options;
  std::chrono::steady_clock::time_point start;
  const Solution* incumbent;
  double SecondsLeft() const { return SecondsLeftOf(options, start); }
};

/// A branch at the root on `column`: its down side and its up side.
struct RootBranch {
  int32_t column;
  double down_upper;  // the down side: column <= down_upper
  double up_lower;    // the up side: column >= up_lower
};

/// The integer column whose root value is most fractional (closest to .5;
/// the lowest index among equals), or none when the root is integral.
std::optional<RootBranch> PickRootBranch(const OsiClpSolverInterface& root) {
  std::optional<RootBranch> pick;
  double best = 1e-6;  // CBC's integer tolerance
  const double* x = root.getColSolution();
  for (int32_t j = 0; j < root.getNumCols(); ++j) {
    if (!root.isInteger(j)) continue;
    const double fraction = std::min(x[j] - std::floor(x[j]), std::ceil(x[j]) - x[j]);
    if (fraction > best) {
      best = fraction;
      pick = RootBranch{j, std::floor(x[j]), std::ceil(x[j])};
    }
  }
  return pick;
}

/// CBC's search below the solved root `root`, restricted to one side of
/// `branch` when given. A subtree's LP is solved first with the incumbent's
/// objective as the dual objective limit: a side that cannot beat the
/// incumbent is closed without starting CBC.
SearchOutcome Search(const OsiClpSolverInterface& root, const std::optional<RootBranch>& branch, bool up,
                     const SearchContext& context, CoinMessageHandler* handler) {
  SearchOutcome out;
  const SolveOptions& options = context.options;
  // Under a limit the node LPs (copies of this one's CLP model, with its limit) stop at it, and
  // NodeLpSolver keeps them from being read as infeasible; without one, plain OsiClp as always.
  const bool limited = options.time_limit_s > 0 || options.test_lp_stop.stage != LpStage::kNone;
  StoppedNodeLps stopped;
  std::unique_ptr<OsiClpSolverInterface> solver =
      limited ? std::make_unique<NodeLpSolver>(root, &stopped) : std::make_unique<OsiClpSolverInterface>(root);
  OsiClpSolverInterface& lp = *solver;
  UseHandler(lp, handler);
  if (limited) LimitLp(*lp.getModelPtr(), context.SecondsLeft(), options, LpStage::kSearch);
  const Solution* incumbent = context.incumbent;
  if (branch) {
    const int32_t j = branch->column;
    if (up) {
      lp.setColLower(j, branch->up_lower);
    } else {
      lp.setColUpper(j, branch->down_upper);
    }
    if (!limited) lp.getModelPtr()->setMaximumSeconds(-1.0);
    if (incumbent != nullptr) lp.setDblParam(OsiDualObjectiveLimit, incumbent->objective);
    lp.resolve();
    const int clp_status = lp.getModelPtr()->status();
    if (clp_status == 3) {  // out of time (or iterations) before the subtree's LP finished
      out.signals.time_limit_reached = true;
      out.bound = root.getObjValue();
      return out;
    }
    if (clp_status == 1 || (clp_status == 0 && incumbent != nullptr && lp.getObjValue() >= incumbent->objective)) {
      return out;  // infeasible, or no better than the incumbent: the side is closed
    }
    if (clp_status != 0) {
      out.signals.abandoned = true;
      out.bound = root.getObjValue();
      return out;
    }
    lp.setDblParam(OsiDualObjectiveLimit, kCoinInfinity);
  }
  stopped.count = 0;  // the subtree's LP above is not a node LP
  stopped.bound = kCoinInfinity;
  stopped.search_lp_bound = branch ? lp.getObjValue() : root.getObjValue();
  CbcModel cbc(lp);
  stopped.cbc = &cbc;
  cbc.passInMessageHandler(handler);
  cbc.setLogLevel(handler->logLevel());
  ConfigureBranchAndBound(cbc, context.options, context.SecondsLeft());
  const IncumbentBasisKeeper keeper;
  cbc.passInEventHandler(&keeper);  // CBC keeps a clone
  if (incumbent != nullptr) cbc.setBestSolution(incumbent->primal.data(), lp.getNumCols(), incumbent->objective, false);
  cbc.branchAndBound();
  out.signals = SignalsFromCbc(cbc);
  out.nodes = cbc.getNodeCount();
  out.bound = cbc.getBestPossibleObjValue();
  if (stopped.count > 0) {  // some node's subtree was not searched: no proof, and that node's bound counts
    out.node_lps_stopped = stopped.count;
    out.signals.time_limit_reached = true;
    out.signals.proven_optimal = out.signals.proven_infeasible = out.signals.relaxation_infeasible = false;
    out.bound = std::min(out.bound, stopped.bound);
  }
  if (cbc.bestSolution() != nullptr && (incumbent == nullptr || cbc.getObjValue() < incumbent->objective)) {
    out.objective = cbc.getObjValue();
    out.solution.assign(cbc.bestSolution(), cbc.bestSolution() + cbc.getNumCols());
    const auto* kept = dynamic_cast<const IncumbentBasisKeeper*>(cbc.getEventHandler());
    if (kept != nullptr) out.basis = kept->BasisFor(out.objective, lp.getNumCols() + lp.getNumRows());
  }
  return out;
}

/// Moves all of `size` bytes at `p` through `io` (::read or ::write),
/// retrying on EINTR; false on error or an early end of the pipe.
template <typename Byte, typename Io>
bool TransferAll(int fd, Byte* p, size_t size, Io io) {
  while (size > 0) {
    const ssize_t n = io(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}
bool WriteAll(int fd, const void* data, size_t size) {
  return TransferAll(fd, static_cast<const char*>(data), size, ::write);
}
bool ReadAll(int fd, void* data, size_t size) { return TransferAll(fd, static_cast<char*>(data), size, ::read); }

/// The fixed-size part of a SearchOutcome as it crosses the pipe.
struct OutcomeHeader {
  StatusSignals signals;
  double bound;
  int32_t nodes;
  int32_t node_lps_stopped;
  double objective;
  uint64_t solution_size;
  uint64_t basis_size;
};
static_assert(std::is_trivially_copyable_v<OutcomeHeader>);

bool WriteOutcome(int fd, const SearchOutcome& o) {
  OutcomeHeader h = OutcomeHeader();  // value-initialized: zeroed padding, no uninitialized bytes in the pipe
  h.signals = o.signals;
  h.bound = o.bound;
  h.nodes = o.nodes;
  h.node_lps_stopped = o.node_lps_stopped;
  h.objective = o.objective;
  h.solution_size = o.solution.size();
  h.basis_size = o.basis.size();
  return WriteAll(fd, &h, sizeof h) && WriteAll(fd, o.solution.data(), o.solution.size() * sizeof(double)) &&
         WriteAll(fd, o.basis.data(), o.basis.size());
}

/// The outcome of a search of a model of `columns` and `rows`, as WriteOutcome sent it.
std::optional<SearchOutcome> ReadOutcome(int fd, size_t columns, size_t rows) {
  OutcomeHeader h;
  if (!ReadAll(fd, &h, sizeof h) || (h.solution_size != 0 && h.solution_size != columns) ||
      (h.basis_size != 0 && h.basis_size != columns + rows)) {
    return std::nullopt;
  }
  SearchOutcome o{h.signals, h.bound, h.nodes, h.node_lps_stopped, h.objective, std::vector<double>(h.solution_size),
                  BasisStatuses(h.basis_size)};
  if (!ReadAll(fd, o.solution.data(), o.solution.size() * sizeof(double))) return std::nullopt;
  if (!ReadAll(fd, o.basis.data(), o.basis.size())) return std::nullopt;
  return o;
}

/// The number of threads of this process (/proc/self/status "Threads:"), or
/// 0 when it cannot be read.
int32_t ProcessThreads() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return 0;
  char line[256];
  int32_t threads = 0;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::sscanf(line, "Threads: %d", &threads) == 1) break;
  }
  std::fclose(f);
  return threads;
}

/// A forked child that searches one subtree and sends its outcome up a pipe.
/// The destructor of a child not yet finished (the parent's search threw)
/// kills it (SIGKILL) and reaps it, so no exit path leaves a child running or
/// a zombie behind.
class SearchChild {
 public:
  /// Forks; false when the pipe or the fork failed (nothing is left running).
  /// The caller makes sure the process has one thread (see SearchBothSides).
  template <typename Work>
  bool Start(Work&& work, ChildFault fault) {
    if (fault == ChildFault::kForkFails) return false;
    int fds[2];
    if (::pipe(fds) != 0) return false;
    pid_ = ::fork();
    if (pid_ == 0) {
      // The child: only the search, no logging, then _exit (no atexit
      // handlers, no second flush of the parent's stdio buffers).
      ::close(fds[0]);
      if (fault == ChildFault::kChildFails) ::_exit(3);
      if (fault == ChildFault::kChildHangsParentThrows) {
        for (;;) ::pause();
      }
      int code = 1;
      try {
        code = WriteOutcome(fds[1], work()) ? 0 : 1;
      } catch (...) {
      }
      ::_exit(code);
    }
    ::close(fds[1]);
    if (pid_ < 0) {
      ::close(fds[0]);
      return false;
    }
    fd_ = fds[0];
    return true;
  }
  /// The child's outcome; none when it failed (crashed, killed, short write).
  std::optional<SearchOutcome> Finish(size_t columns, size_t rows) {
    std::optional<SearchOutcome> o = ReadOutcome(fd_, columns, rows);
    const int status = Reap();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
    return o;
  }
  ~SearchChild() {
    if (pid_ > 0) ::kill(pid_, SIGKILL);
    Reap();
  }
  SearchChild() = default;
  SearchChild(const SearchChild&) = delete;
  SearchChild& operator=(const SearchChild&) = delete;

 private:
  int Reap() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    int status = -1;
    if (pid_ > 0) {
      while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
    }
    pid_ = -1;
    return status;
  }
  pid_t pid_ = -1;
  int fd_ = -1;
};

/// Both sides of `branch`: the up side in a forked child (quiet) while the
/// down side is searched here. Outcomes in the order down, up. The child is
/// forked only when this process has one thread (a fork copies only the
/// calling thread: locks held by others, e.g. an allocator's, would stay
/// locked in the child); otherwise both sides are searched here in turn. When
/// the fork fails or the child fails, its side is searched here afterwards.
/// The outcomes do not depend on which of these ran.
std::vector<SearchOutcome> SearchBothSides(const OsiClpSolverInterface& root, const RootBranch& branch,
                                           const SearchContext& context, CoinMessageHandler* handler,
                                           CoinMessageHandler* quiet, SecondWorker& second_worker) {
  const ChildFault fault = context.options.test_child_fault;
  std::vector<SearchOutcome> outcomes;
  if (ProcessThreads() != 1) {
    second_worker = SecondWorker::kRefusedThreads;
    outcomes.push_back(Search(root, branch, false, context, handler));
    outcomes.push_back(Search(root, branch, true, context, handler));
    return outcomes;
  }
  SearchChild child;
  const bool started = child.Start([&] { return Search(root, branch, true, context, quiet); }, fault);
  if (started && fault == ChildFault::kChildHangsParentThrows) {
    throw std::runtime_error("test hook: the parent's search failed");
  }
  outcomes.push_back(Search(root, branch, false, context, handler));
  std::optional<SearchOutcome> up = started ? child.Finish(root.getNumCols(), root.getNumRows()) : std::nullopt;
  second_worker = !started ? SecondWorker::kForkFailed : up ? SecondWorker::kForked : SecondWorker::kChildFailed;
  outcomes.push_back(up ? std::move(*up) : Search(root, branch, true, context, handler));
  return outcomes;
}

// The stages of SolveMilp. Each returns a plain struct.

/// Stage 1: CLP's presolve, integers kept. Null when presolve gives up.
std::unique_ptr<ClpSimplex> Presolve(ClpPresolve& presolve, ClpSimplex& full) {
  return std::unique_ptr<ClpSimplex>(presolve.presolvedModel(full, 1e-8, true, 5));
}

/// Stage 2: the LP relaxation of the (reduced) model `rs`.
struct RootStage {
  SolveStatus status = SolveStatus::kError;
  double objective = 0;
  bool warm = false;       // started from the previous solve's basis
  int32_t iterations = 0;  // simplex iterations
};
RootStage SolveRoot(OsiClpSolverInterface& rs, const SolveOptions& options, double seconds_left, bool warm) {
  LimitLp(*rs.getModelPtr(), seconds_left, options, LpStage::kRoot);
  RootStage out;
  if (warm) {
    // The model's status array holds a basis: presolve carried the full
    // model's (that of the previous solve) into the reduced model, or the
    // model is a copy of the solved full LP. OsiClp starts from its own
    // basis_, so hand it that one and re-solve with the dual simplex. CLP
    // repairs a basis that presolve left with too many or too few basics.
    const std::unique_ptr<CoinWarmStartBasis> basis(rs.getModelPtr()->getBasis());
    rs.setWarmStart(basis.get());
    rs.resolve();
  } else {
    rs.initialSolve();
  }
  out.warm = warm;
  out.iterations = rs.getIterationCount();
  out.status = MapStatus(SignalsFromClp(*rs.getModelPtr()));
  if (out.status == SolveStatus::kOptimal) out.objective = rs.getObjValue();
  return out;
}

/// Stage 4: branch and bound below the solved root, split in two sides when
/// two workers are asked for, an incumbent is in hand and the root is fractional.
struct SearchStage {
  std::optional<RootBranch> branch;
  std::vector<SearchOutcome> outcomes;  // one, or down and up
  SecondWorker second_worker = SecondWorker::kNotUsed;
};
SearchStage RunSearch(const OsiClpSolverInterface& root, const SearchContext& context, CoinMessageHandler* handler,
                      CoinMessageHandler* quiet) {
  SearchStage out;
  if (context.options.workers >= 2 && context.incumbent != nullptr) out.branch = PickRootBranch(root);
  if (out.branch) {
    out.outcomes = SearchBothSides(root, *out.branch, context, handler, quiet, out.second_worker);
  } else {
    out.outcomes.push_back(Search(root, std::nullopt, false, context, handler));
  }
  return out;
}

/// The incumbent after the search: status, objective, bound and its
/// reduced-model solution (empty when it is the heuristic's, which the
/// reduced LP holds already, or when there is none).
struct Incumbent {
  SolveStatus status = SolveStatus::kError;
  Termination termination = Termination::kSearchCompleted;
  SolutionSource source = SolutionSource::kNone;
  bool found = false;
  double objective = 0;
  double bound = 0;
  std::vector<double> solution;
  BasisStatuses basis;  // of the node LP that found `solution` (empty when unknown or the heuristic's)
};

Termination TerminationOf(const StatusSignals& signals, bool has_solution) {
  if (signals.time_limit_reached) return Termination::kTimeLimit;
  if (signals.abandoned) return Termination::kAbandoned;
  if (!has_solution) return Termination::kNoIntegerSolution;
  return Termination::kSearchCompleted;
}

/// The heuristic's solution unless a search found one better by more than `relative_gap` (the
/// first of equals, in subtree order: no dependence on which process finished first);
/// proven optimal when every search ran to its end.
Incumbent ChooseIncumbent(SearchStage& search, const Solution* heuristic, double relative_gap) {
  Incumbent out;
  if (heuristic == nullptr) {
    // One search, no incumbent handed in: CBC's own verdict.
    SearchOutcome& o = search.outcomes.front();
    out.status = MapStatus(o.signals);
    out.termination = TerminationOf(o.signals, !o.solution.empty());
    if (o.solution.empty()) return out;
    out.found = true;
    out.source = SolutionSource::kSearch;
    out.solution = std::move(o.solution);
    out.basis = std::move(o.basis);
    out.objective = o.objective;
    out.bound = o.bound;
    return out;
  }
  SearchOutcome* best = nullptr;
  StatusSignals signals;
  double bound = heuristic->objective;
  out.source = SolutionSource::kRoundingHeuristic;
  for (size_t i = 0; i < search.outcomes.size(); ++i) {
    SearchOutcome& o = search.outcomes[i];
    signals.time_limit_reached |= o.signals.time_limit_reached;
    signals.abandoned |= o.signals.abandoned;
    bound = std::min(bound, o.bound);
    // A side's solution replaces the one in hand only when it is better by more than the gap:
    // within it the two are tied, and which side (or process) finds a tie first must not decide.
    const double in_hand = best != nullptr ? best->objective : heuristic->objective;
    if (!o.solution.empty() && o.objective < in_hand - relative_gap * std::abs(in_hand)) {
      best = &o;
      out.source = !search.branch ? SolutionSource::kSearch
                   : i == 0       ? SolutionSource::kDownSide
                                  : SolutionSource::kUpSide;
    }
  }
  signals.proven_optimal = !signals.time_limit_reached && !signals.abandoned;
  out.status = MapStatus(signals);
  out.termination = TerminationOf(signals, true);
  out.found = true;
  if (best != nullptr) {
    out.solution = std::move(best->solution);
    out.basis = std::move(best->basis);
  }
  out.objective = best != nullptr ? best->objective : heuristic->objective;
  out.bound = std::min(bound, out.objective);
  return out;
}

}  // namespace

const char* ToString(Termination termination) {
  switch (termination) {
    case Termination::kLpSolved:
      return "LP solved";
    case Termination::kRelaxationNotOptimal:
      return "LP relaxation not optimal";
    case Termination::kSearchCompleted:
      return "search completed";
    case Termination::kTimeLimit:
      return "time limit";
    case Termination::kAbandoned:
      return "search abandoned";
    case Termination::kNoIntegerSolution:
      return "no integer solution";
  }
  return "?";
}

const char* ToString(SolutionSource source) {
  switch (source) {
    case SolutionSource::kNone:
      return "none";
    case SolutionSource::kLp:
      return "the LP";
    case SolutionSource::kRoundingHeuristic:
      return "the rounding heuristic";
    case SolutionSource::kSearch:
      return "the search";
    case SolutionSource::kDownSide:
      return "the down side's search";
    case SolutionSource::kUpSide:
      return "the up side's search";
  }
  return "?";
}

const char* ToString(SecondWorker worker) {
  switch (worker) {
    case SecondWorker::kNotUsed:
      return "one search";
    case SecondWorker::kForked:
      return "two subtrees in two processes";
    case SecondWorker::kForkFailed:
      return "two subtrees, fork failed: both here";
    case SecondWorker::kChildFailed:
      return "two subtrees, child failed: its side searched here";
    case SecondWorker::kRefusedThreads:
      return "two subtrees in turn (process has several threads: no fork)";
  }
  return "?";
}

/// Stage 5: the integers fixed at the incumbent. The reduced LP re-solved,
/// mapped back to the full model by postsolve (a warm basis), and the full LP
/// re-solved with its integers fixed for the exact primal values, objective
/// and row duals (bottleneck analysis). The full model's integer bounds are
/// restored. Fills primal, row_duals and (when that LP is optimal) objective. Both LPs run without
/// the time limit, even when it has passed: a stopped LP would leave primal values off the incumbent's
/// LP optimum and no row duals (the bottlenecks), and started from the search's or postsolve's basis
/// they take a few hundred iterations at most (docs/model.md, "Solving").
void LpModel::Impl::SolveWithIntegersFixed(ClpPresolve* presolve, OsiClpSolverInterface& rs,
                                           const std::vector<double>& incumbent, const BasisStatuses& start,
                                           const SolveOptions& options, Solution& out, SolveStats& stats) {
  OsiClpSolverInterface& s = S();
  double cpu = ThreadCpuSeconds();
  if (!incumbent.empty()) {
    FixIntegers(rs, incumbent);
    if (!start.empty()) {
      const CoinWarmStartBasis basis = BasisOf(start, rs.getNumCols(), rs.getNumRows());
      rs.setWarmStart(&basis);
      stats.fixed_from_search_basis = true;
    }
    LimitLp(*rs.getModelPtr(), -1.0, options, LpStage::kNone);
    rs.resolve();
    stats.fixed_reduced_iterations = rs.getIterationCount();
  }
  stats.fixed_reduced_cpu_s = ThreadCpuSeconds() - cpu;
  cpu = ThreadCpuSeconds();
  if (presolve != nullptr) {
    presolve->postsolve(true);
    // OsiClp re-solves from its own stored basis: hand it the postsolved one.
    const std::unique_ptr<CoinWarmStartBasis> basis(s.getModelPtr()->getBasis());
    s.setWarmStart(basis.get());
  } else {
    const std::unique_ptr<CoinWarmStartBasis> basis(rs.getModelPtr()->getBasis());
    s.setWarmStart(basis.get());
    s.setColSolution(rs.getColSolution());
  }
  std::vector<std::pair<double, double>> saved;
  for (int32_t j = 0; j < s.getNumCols(); ++j) {
    if (integer[j]) saved.push_back({s.getColLower()[j], s.getColUpper()[j]});
  }
  const std::vector<double> postsolved(s.getColSolution(), s.getColSolution() + s.getNumCols());
  FixIntegers(s, postsolved);
  LimitLp(*s.getModelPtr(), -1.0, options, LpStage::kNone);
  s.resolve();
  stats.fixed_full_iterations = s.getIterationCount();
  stats.fixed_full_cpu_s = ThreadCpuSeconds() - cpu;
  const SolveStatus fixed_status = MapStatus(SignalsFromClp(*s.getModelPtr()));
  if (fixed_status == SolveStatus::kOptimal) {
    Solution fixed = ReadSolution(s);
    out.objective = fixed.objective;
    out.primal = std::move(fixed.primal);
    out.row_duals = std::move(fixed.row_duals);
  } else {
    out.primal = postsolved;
    out.row_duals.assign(s.getNumRows(), 0.0);
  }
  has_basis = fixed_status == SolveStatus::kOptimal;
  auto bounds = saved.begin();
  for (int32_t j = 0; j < s.getNumCols(); ++j) {
    if (!integer[j]) continue;
    s.setColBounds(j, bounds->first, bounds->second);
    ++bounds;
  }
}

Solution LpModel::SolveMilp(const SolveOptions& options) {
  if (!HasFreeIntegers()) return SolveLp(options);
  const auto start = std::chrono::steady_clock::now();
  auto lap = start;
  const auto Lap = [&lap] {
    const auto now = std::chrono::steady_clock::now();
    const double s = std::chrono::duration<double>(now - lap).count();
    lap = now;
    return s;
  };
  OsiClpSolverInterface& s = impl_->S();
  SpdlogHandler handler(options.log);
  SolveStats stats;
  stats.milp = true;
  stats.rows = s.getNumRows();
  stats.columns = s.getNumCols();

  // 1. Presolve once, integers kept (CLP's presolve: fixed and singleton rows
  // and columns, doubleton substitutions...). Every LP of the search then runs
  // on the reduced model, which roughly halves the time per node. When
  // presolve gives up (it proves the relaxation infeasible or unbounded, or
  // rounds an integer's bounds past each other), the full LP says which; with
  // a feasible relaxation the search runs on a copy of the full model instead.
  const bool warm = impl_->has_basis;  // the full model holds the previous solve's optimal basis
  ClpPresolve presolve;
  std::unique_ptr<ClpSimplex> reduced = Presolve(presolve, *s.getModelPtr());
  stats.presolved = reduced != nullptr;
  if (!stats.presolved) {
    Solution relaxation = SolveLp(options);
    if (relaxation.status != SolveStatus::kOptimal) {  // no solution in it
      relaxation.stats = stats;
      relaxation.stats.termination = Termination::kRelaxationNotOptimal;
      relaxation.stats.total_s = Seconds(start);
      return relaxation;
    }
    reduced = std::make_unique<ClpSimplex>(*s.getModelPtr());
  }
  stats.presolve_s = Lap();
  reduced->passInMessageHandler(&impl_->quiet);
  OsiClpSolverInterface rs(reduced.get(), false);  // wraps the reduced model, does not own it
  stats.reduced_rows = rs.getNumRows();
  stats.reduced_columns = rs.getNumCols();

  // 2. The root LP.
  UseHandler(rs, &handler);
  const RootStage root_lp = SolveRoot(rs, options, SecondsLeftOf(options, start), warm || !stats.presolved);
  stats.root_lp_s = Lap();
  stats.root_warm_start = root_lp.warm;
  stats.root_iterations = root_lp.iterations;
  Solution out;
  out.status = root_lp.status;
  if (out.status != SolveStatus::kOptimal) {  // relaxation infeasible, unbounded or out of time
    stats.termination = Termination::kRelaxationNotOptimal;
    stats.total_s = Seconds(start);
    out.stats = stats;
    return out;
  }
  stats.root_objective = root_lp.objective;
  UseHandler(rs, &impl_->quiet);

  // CBC on the reduced model at its root. OsiClp's options: those the cbc
  // program sets for branch and bound (1 keep work regions, 32 fast dual to
  // the first factorization, 1024 no model borrowing in initialSolve) and 8,
  // re-use the factorization when no cuts were added (we add none): a third
  // less time per node on the default scenario, a wash over other domestic floors.
  rs.setSpecialOptions(1 + 8 + 32 + 1024);
  // The LPs after the root (the heuristic's, the search's node LPs, the reduced LP with the
  // integers fixed) run CLP's dual simplex with perturbation 50, as the cbc program does, instead
  // of CLP's default 100 (perturb only once it stalls): on the default scenario the same 14 nodes
  // in 1.8 s instead of 3.0 s, the domestic sweep 84 -> 59 s; the root keeps 100, where 50 took
  // more iterations (docs/model.md "Solving", step 4).
  rs.getModelPtr()->setPerturbation(kCbcPerturbation);
  const OsiClpSolverInterface root(rs);  // the solved root: the heuristic below changes rs

  // 3. The incumbent heuristic.
  const Solution heuristic = RoundingHeuristic(rs, [&] { return SecondsLeftOf(options, start); }, options,
                                               stats.heuristic_lps, stats.heuristic_roundings_skipped);
  stats.heuristic_s = Lap();
  const Solution* incumbent_in = heuristic.status == SolveStatus::kOptimal ? &heuristic : nullptr;
  stats.heuristic_found = incumbent_in != nullptr;
  if (incumbent_in != nullptr) stats.heuristic_objective = heuristic.objective;

  // 4. The search.
  const SearchContext context{options, start, incumbent_in};
  SearchStage search = RunSearch(root, context, &handler, &impl_->quiet);
  stats.search_s = Lap();
  stats.root_split = search.branch.has_value();
  stats.branch_column = search.branch ? search.branch->column : -1;
  stats.second_worker = search.second_worker;
  for (const SearchOutcome& o : search.outcomes) {
    stats.nodes += o.nodes;
    stats.node_lps_stopped += o.node_lps_stopped;
  }
  if (search.branch) {
    stats.down_nodes = search.outcomes[0].nodes;
    stats.up_nodes = search.outcomes[1].nodes;
  }
  Incumbent incumbent = ChooseIncumbent(search, incumbent_in, options.relative_gap);
  out.status = incumbent.status;
  stats.termination = incumbent.termination;
  stats.source = incumbent.source;
  if (!incumbent.found) {
    stats.total_s = Seconds(start);
    out.stats = stats;
    return out;
  }
  out.objective = incumbent.objective;
  out.best_bound = incumbent.bound;

  // 5. The LP with the integers fixed.
  if (options.test_fixed_lp_from_heuristic_basis) incumbent.basis.clear();
  impl_->SolveWithIntegersFixed(stats.presolved ? &presolve : nullptr, rs, incumbent.solution, incumbent.basis, options,
                                out, stats);
  stats.fixed_lp_s = Lap();
  stats.total_s = Seconds(start);
  out.has_solution = true;
  if (options.log != nullptr) {
    options.log->debug(
        "MILP: presolved {}x{} -> {}x{}; root LP {:.3f} s ({} iterations{}), rounding heuristic {:.3f} s ({} LPs, {} roundings refused without one{}), branch and bound {:.3f} s "
        "({} nodes{}, {}), LP with integers fixed {:.3f} s (reduced {} iterations{}, {:.3f} CPU s; full {} iterations, {:.3f} CPU s); solution found by {}; {}",
        stats.rows, stats.columns, stats.reduced_rows, stats.reduced_columns, stats.presolve_s + stats.root_lp_s,
        stats.root_iterations, stats.root_warm_start ? ", warm start" : "", stats.heuristic_s, stats.heuristic_lps,
        stats.heuristic_roundings_skipped, stats.heuristic_found ? "" : ", no incumbent", stats.search_s, stats.nodes,
        stats.node_lps_stopped > 0 ? fmt::format(", {} node LPs stopped at the limit", stats.node_lps_stopped) : "",
        ToString(stats.second_worker), stats.fixed_lp_s,
        stats.fixed_reduced_iterations, stats.fixed_from_search_basis ? " from the search's basis" : "",
        stats.fixed_reduced_cpu_s, stats.fixed_full_iterations, stats.fixed_full_cpu_s, ToString(stats.source), ToString(stats.termination));
  }
  const double denom = std::max(1e-10, std::fabs(out.objective));
  out.relative_gap = std::max(0.0, (out.objective - out.best_bound) / denom);
  if (out.status == SolveStatus::kOptimal && out.relative_gap <= 1e-9) out.relative_gap = 0;
  out.stats = stats;
  return out;
}

namespace {

void WriteBound(std::FILE* f, const char* kind, int32_t j, double v) {
  fmt::print(f, " {} BND c{} {:.17g}\n", kind, j, v);
}

}  // namespace

void LpModel::WriteMps(const std::string& path) const {
  OsiClpSolverInterface& s = impl_->S();
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) throw std::runtime_error(fmt::format("cannot write MPS file {}", path));
  const int32_t nr = s.getNumRows();
  const int32_t nc = s.getNumCols();
  const double* rl = s.getRowLower();
  const double* ru = s.getRowUpper();
  fmt::print(f, "NAME rackforge FREE\nROWS\n N obj\n");
  for (int32_t i = 0; i < nr; ++i) {
    const bool lo = rl[i] > -1e30, up = ru[i] < 1e30;
    const char* type = (lo && up) ? (rl[i] == ru[i] ? "E" : "L") : up ? "L" : lo ? "G" : "N";
    fmt::print(f, " {} r{}\n", type, i);
  }
  fmt::print(f, "COLUMNS\n");
  const CoinPackedMatrix* m = s.getMatrixByCol();
  const double* obj = s.getObjCoefficients();
  bool in_integer = false;
  for (int32_t j = 0; j < nc; ++j) {
    const bool is_int = impl_->integer[j] != 0;
    if (is_int != in_integer) {
      fmt::print(f, " M{} 'MARKER' {}\n", j, is_int ? "'INTORG'" : "'INTEND'");
      in_integer = is_int;
    }
    const CoinBigIndex b = m->getVectorStarts()[j];
    const int len = m->getVectorLengths()[j];
    if (obj[j] != 0.0 || len == 0) fmt::print(f, " c{} obj {:.17g}\n", j, obj[j]);
    for (CoinBigIndex k = b; k < b + len; ++k) {
      fmt::print(f, " c{} r{} {:.17g}\n", j, m->getIndices()[k], m->getElements()[k]);
    }
  }
  if (in_integer) fmt::print(f, " M{} 'MARKER' 'INTEND'\n", nc);
  fmt::print(f, "RHS\n");
  for (int32_t i = 0; i < nr; ++i) {
    const bool lo = rl[i] > -1e30, up = ru[i] < 1e30;
    const double rhs = up ? ru[i] : lo ? rl[i] : 0.0;
    if (rhs != 0.0) fmt::print(f, " rhs r{} {:.17g}\n", i, rhs);
  }
  fmt::print(f, "RANGES\n");
  for (int32_t i = 0; i < nr; ++i) {
    if (rl[i] > -1e30 && ru[i] < 1e30 && rl[i] != ru[i]) fmt::print(f, " rng r{} {:.17g}\n", i, ru[i] - rl[i]);
  }
  fmt::print(f, "BOUNDS\n");
  const double* cl = s.getColLower();
  const double* cu = s.getColUpper();
  for (int32_t j = 0; j < nc; ++j) {
    const bool lo_inf = cl[j] <= -1e30, up_inf = cu[j] >= 1e30;
    const bool is_int = impl_->integer[j] != 0;
    if (!lo_inf && !up_inf && cl[j] == cu[j]) {
      WriteBound(f, "FX", j, cl[j]);
    } else if (lo_inf && up_inf) {
      fmt::print(f, " FR BND c{}\n", j);
    } else {
      if (lo_inf) fmt::print(f, " MI BND c{}\n", j);
      if (!lo_inf && (cl[j] != 0.0 || is_int)) WriteBound(f, "LO", j, cl[j]);
      if (!up_inf) WriteBound(f, "UP", j, cu[j]);
      if (up_inf && is_int) fmt::print(f, " PL BND c{}\n", j);
    }
  }
  fmt::print(f, "ENDATA\n");
  if (std::fclose(f) != 0) throw std::runtime_error(fmt::format("cannot write MPS file {}", path));
}

Solution LpModel::SolveLpPresolved(const SolveOptions& options) {
  OsiClpSolverInterface& s = impl_->S();
  ClpSimplex& full = *s.getModelPtr();
  ClpPresolve presolve;
  std::unique_ptr<ClpSimplex> reduced(presolve.presolvedModel(full, 1e-8, false, 5));
  if (reduced != nullptr) {
    SpdlogHandler handler(options.log);
    reduced->passInMessageHandler(&handler);
    reduced->setLogLevel(handler.logLevel());
    LimitLp(*reduced, options.time_limit_s > 0 ? options.time_limit_s : -1.0, options, LpStage::kRoot);
    reduced->allSlackBasis(true);
    reduced->dual();
    const bool optimal = reduced->status() == 0;
    reduced->passInMessageHandler(&impl_->quiet);
    if (optimal) {
      presolve.postsolve(true);
      // OsiClp re-solves from its own stored basis: hand it the postsolved one.
      const std::unique_ptr<CoinWarmStartBasis> basis(full.getBasis());
      s.setWarmStart(basis.get());
      impl_->has_basis = true;
    }
  }
  return SolveLp(options);
}

}  // namespace rackforge::solver
