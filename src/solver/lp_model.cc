#include "solver/lp_model.h"

#include <CbcCompareActual.hpp>
#include <CbcModel.hpp>
#include <ClpSimplex.hpp>
#include <CoinMessageHandler.hpp>
#include <CoinPackedMatrix.hpp>
#include <OsiClpSolverInterface.hpp>
#include <fmt/format.h>
#include <fmt/os.h>
#include <spdlog/logger.h>

#include <chrono>
#include <cmath>
#include <stdexcept>
#include <type_traits>

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

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
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

  void UseHandler(CoinMessageHandler* handler) {
    solver->passInMessageHandler(handler);
    solver->getModelPtr()->passInMessageHandler(handler);
    solver->messageHandler()->setLogLevel(handler->logLevel());
    solver->getModelPtr()->setLogLevel(handler->logLevel());
  }

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
bool LpModel::is_integer(int32_t column) const { return impl_->integer[column] != 0; }

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

Solution LpModel::SolveLp(const SolveOptions& options) {
  OsiClpSolverInterface& s = impl_->S();
  SpdlogHandler handler(options.log);
  impl_->UseHandler(&handler);
  // Relative to the start of this solve (verified; setMaximumWallSeconds is not).
  s.getModelPtr()->setMaximumSeconds(options.time_limit_s > 0 ? options.time_limit_s : -1.0);
  if (impl_->has_basis) {
    s.resolve();
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
  return out;
}

Solution LpModel::SolveMilp(const SolveOptions& options) {
  if (!HasFreeIntegers()) return SolveLp(options);
  const auto start = std::chrono::steady_clock::now();
  Solution relaxation = SolveLp(options);
  if (relaxation.status != SolveStatus::kOptimal) {
    relaxation.has_solution = false;
    relaxation.primal.clear();
    relaxation.row_duals.clear();
    return relaxation;
  }
  OsiClpSolverInterface& s = impl_->S();
  const int32_t n = columns();

  // Fixes the integers of `fixed` at `values` (rounded) and re-solves its LP
  // from its current basis; returns the LP solution (status kOptimal on success).
  auto solve_fixed = [&](OsiClpSolverInterface& fixed, const std::vector<double>& values) {
    for (int32_t j = 0; j < n; ++j) {
      if (!impl_->integer[j]) continue;
      const double v = std::round(values[j]);
      fixed.setColBounds(j, v, v);
    }
    fixed.getModelPtr()->setMaximumSeconds(-1.0);
    fixed.resolve();
    Solution out;
    out.status = MapStatus(SignalsFromClp(*fixed.getModelPtr()));
    if (out.status != SolveStatus::kOptimal) return out;
    out.has_solution = true;
    out.objective = fixed.getObjValue();
    out.primal.assign(fixed.getColSolution(), fixed.getColSolution() + n);
    out.row_duals.assign(fixed.getRowPrice(), fixed.getRowPrice() + fixed.getNumRows());
    return out;
  };

  // Rounding heuristic: round every fractional integer up (open every
  // expansion the relaxation uses at all) and solve the LP with the integers
  // fixed. A feasible result is a good incumbent that lets branch and bound
  // prune early. It runs on a copy so the root basis in `s` stays intact.
  OsiClpSolverInterface fixed_solver(s);
  fixed_solver.passInMessageHandler(&impl_->quiet);
  fixed_solver.getModelPtr()->passInMessageHandler(&impl_->quiet);
  std::vector<double> rounded = relaxation.primal;
  for (int32_t j = 0; j < n; ++j) {
    if (!impl_->integer[j]) continue;
    const double lo = s.getColLower()[j], up = s.getColUpper()[j];
    double v = rounded[j];
    v = (v - std::floor(v) > 1e-9) ? std::ceil(v) : std::floor(v);
    rounded[j] = std::min(up, std::max(lo, v));
  }
  Solution heuristic = solve_fixed(fixed_solver, rounded);

  CbcModel cbc(s);
  SpdlogHandler handler(options.log);
  cbc.passInMessageHandler(&handler);
  cbc.setLogLevel(handler.logLevel());
  cbc.solver()->messageHandler()->setLogLevel(handler.logLevel());
  cbc.setUseElapsedTime(true);  // --time-limit is wall-clock seconds
  if (options.time_limit_s > 0) cbc.setMaximumSeconds(std::max(0.01, options.time_limit_s - Seconds(start)));
  cbc.setAllowableFractionGap(options.relative_gap);
  cbc.setAllowableGap(1e-10);
  // Plan models have few binaries (expansions) over a large LP: plain branch
  // and bound on the LP bound is fastest; strong branching and cut rounds cost
  // several full LP solves each and did not pay off in measurements.
  cbc.setNumberStrong(0);
  cbc.setNumberBeforeTrust(0);
  // With the rounding incumbent in hand, the nodes to explore are those whose
  // bound beats it whatever the order; depth-first keeps each node's LP close
  // to its parent's basis, so the re-solves are cheaper.
  CbcCompareDepth depth_first;
  cbc.setNodeComparison(depth_first);
  if (heuristic.status == SolveStatus::kOptimal) {
    cbc.setBestSolution(heuristic.primal.data(), n, heuristic.objective, false);
  }
  cbc.branchAndBound();

  Solution out;
  StatusSignals signals = SignalsFromCbc(cbc);
  // CBC reports "infeasible" when nothing beats the incumbent passed in (the
  // relaxation is feasible, so that incumbent is optimal).
  const bool heuristic_optimal = heuristic.status == SolveStatus::kOptimal && !signals.time_limit_reached &&
                                 !signals.abandoned && !signals.continuous_unbounded &&
                                 (signals.proven_infeasible || signals.relaxation_infeasible);
  if (heuristic_optimal) {
    signals.proven_infeasible = false;
    signals.relaxation_infeasible = false;
    signals.proven_optimal = true;
  }
  out.status = MapStatus(signals);
  std::vector<double> incumbent;
  if (heuristic_optimal || (cbc.bestSolution() == nullptr && heuristic.status == SolveStatus::kOptimal)) {
    incumbent = heuristic.primal;
    out.best_bound = heuristic_optimal ? heuristic.objective : cbc.getBestPossibleObjValue();
    out.objective = heuristic.objective;
  } else if (cbc.bestSolution() != nullptr) {
    incumbent.assign(cbc.bestSolution(), cbc.bestSolution() + cbc.getNumCols());
    out.best_bound = cbc.getBestPossibleObjValue();
    out.objective = cbc.getObjValue();
  } else {
    return out;
  }
  out.primal = incumbent;

  // Fix the integers at the incumbent and re-solve the LP for duals (and the
  // exact continuous part). When the incumbent is the heuristic's rounding,
  // that LP has been solved already.
  bool same = heuristic.status == SolveStatus::kOptimal;
  for (int32_t j = 0; same && j < n; ++j) {
    if (impl_->integer[j] && std::round(incumbent[j]) != rounded[j]) same = false;
  }
  Solution fixed = same ? std::move(heuristic) : solve_fixed(fixed_solver, incumbent);
  if (fixed.status == SolveStatus::kOptimal) {
    out.objective = fixed.objective;
    out.primal = std::move(fixed.primal);
    out.row_duals = std::move(fixed.row_duals);
  } else {
    out.row_duals.assign(rows(), 0.0);
  }
  out.has_solution = true;
  const double denom = std::max(1e-10, std::fabs(out.objective));
  out.relative_gap = std::max(0.0, (out.objective - out.best_bound) / denom);
  if (out.status == SolveStatus::kOptimal && out.relative_gap <= 1e-9) out.relative_gap = 0;
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

}  // namespace rackforge::solver
