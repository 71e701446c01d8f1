#include "risk/mpi_runs.h"

#include <climits>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <vector>

#include "common/errors.h"

#if defined(RACKFORGE_HAVE_MPI)
// Only the C API is linked (MPI::MPI_C): keep the C++ bindings out.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace rackforge::risk {

bool MpiSession::LaunchedByMpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMIX_RANK") != nullptr ||
         std::getenv("PMI_SIZE") != nullptr;
}

bool MpiSession::Available() {
#if defined(RACKFORGE_HAVE_MPI)
  return true;
#else
  return false;
#endif
}

#if defined(RACKFORGE_HAVE_MPI)

namespace {

template <class T>
void BroadcastVector(std::vector<T>& values, MPI_Datatype type) {
  uint64_t n = values.size();
  MPI_Bcast(&n, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  values.resize(n);
  if (n > 0) MPI_Bcast(values.data(), static_cast<int>(n), type, 0, MPI_COMM_WORLD);
}

template <class T>
std::vector<T> GatherBlocks(const std::vector<T>& mine, MPI_Datatype type, int size, bool root) {
  if (mine.size() > static_cast<size_t>(INT_MAX)) throw std::runtime_error("too many items per rank for MPI");
  int count = static_cast<int>(mine.size());
  std::vector<int> counts(size), displs(size);
  MPI_Gather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<T> all;
  if (root) {
    int64_t total = 0;
    for (int r = 0; r < size; ++r) {
      displs[r] = static_cast<int>(total);
      total += counts[r];
    }
    if (total > INT_MAX) throw std::runtime_error("too many items to gather with MPI (more than 2^31)");
    all.resize(total);
  }
  MPI_Gatherv(mine.data(), count, type, all.data(), counts.data(), displs.data(), type, 0, MPI_COMM_WORLD);
  return all;
}

}  // namespace

MpiSession::MpiSession() {
  if (!LaunchedByMpirun()) return;
  int already = 0;
  MPI_Initialized(&already);
  if (!already) {
    MPI_Init(nullptr, nullptr);
    initialized_here_ = true;
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() {
  if (initialized_here_) MPI_Finalize();
}

plan::PlanResult MpiSession::BroadcastBaseline(const std::function<plan::PlanResult()>& solve) const {
  if (size_ == 1) return solve();
  plan::PlanResult plan;
  std::exception_ptr error;
  int ok = 1;
  if (root()) {
    try {
      plan = solve();
    } catch (...) {
      error = std::current_exception();
      ok = 0;
    }
  }
  MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (!ok) {
    if (error) std::rethrow_exception(error);
    throw std::runtime_error("rank 0 failed to solve the baseline plan");
  }
  int header[6] = {
      static_cast<int>(plan.status), plan.has_solution ? 1 : 0, plan.weeks, plan.designs, plan.plants, plan.components};
  MPI_Bcast(header, 6, MPI_INT, 0, MPI_COMM_WORLD);
  plan.status = static_cast<solver::SolveStatus>(header[0]);
  plan.has_solution = header[1] != 0;
  plan.weeks = header[2];
  plan.designs = header[3];
  plan.plants = header[4];
  plan.components = header[5];
  BroadcastVector(plan.make, MPI_DOUBLE);
  BroadcastVector(plan.makec, MPI_DOUBLE);
  BroadcastVector(plan.xfer, MPI_DOUBLE);
  BroadcastVector(plan.ship, MPI_DOUBLE);
  BroadcastVector(plan.buy, MPI_DOUBLE);
  BroadcastVector(plan.back, MPI_DOUBLE);
  BroadcastVector(plan.opened, MPI_UINT8_T);
  return plan;
}

SimulationResult MpiSession::Simulate(const Simulator& simulator, int64_t runs, uint64_t seed, int32_t threads) const {
  if (size_ == 1) return simulator.Summarize(simulator.RunRange(seed, 0, runs, threads), seed);
  const RunOutcomes mine =
      simulator.RunRange(seed, BlockStart(runs, rank_, size_), BlockStart(runs, rank_ + 1, size_), threads);
  RunOutcomes all;
  all.weeks = mine.weeks;
  all.nodes = mine.nodes;
  all.output_racks = GatherBlocks(mine.output_racks, MPI_DOUBLE, size_, root());
  all.backlog_rack_weeks = GatherBlocks(mine.backlog_rack_weeks, MPI_DOUBLE, size_, root());
  all.node_loss = GatherBlocks(mine.node_loss, MPI_UINT8_T, size_, root());
  all.node_short_weeks = GatherBlocks(mine.node_short_weeks, MPI_UINT16_T, size_, root());
  if (!root()) return SimulationResult{};
  return simulator.Summarize(all, seed);
}

RiskResult MpiSession::ComputeRisk(const model::Scenario& scenario, const plan::PlanResult& baseline,
                                   const RiskOptions& options) const {
  if (size_ == 1) return risk::ComputeRisk(scenario, baseline, options);
  RiskOptions block = options;
  block.block = rank_;
  block.blocks = size_;
  RiskResult result = ComputeNodeFigures(scenario, baseline, block);
  const int64_t n = static_cast<int64_t>(result.nodes.size());
  std::vector<double> pi;
  std::vector<int32_t> tts;
  for (int64_t i = BlockStart(n, rank_, size_); i < BlockStart(n, rank_ + 1, size_); ++i) {
    pi.push_back(result.nodes[i].pi_rack_weeks);
    tts.push_back(result.nodes[i].tts_weeks);
  }
  const std::vector<double> all_pi = GatherBlocks(pi, MPI_DOUBLE, size_, root());
  const std::vector<int32_t> all_tts = GatherBlocks(tts, MPI_INT32_T, size_, root());
  if (!root()) return RiskResult{};
  for (int64_t i = 0; i < n; ++i) {
    result.nodes[i].pi_rack_weeks = all_pi[i];
    result.nodes[i].tts_weeks = all_tts[i];
  }
  FinishRisk(scenario, baseline, result);
  return result;
}

#else  // built without MPI

MpiSession::MpiSession() {
  if (LaunchedByMpirun()) {
    throw common::UsageError(
        "this rackforge was built without MPI (OpenMPI not found at configure time); run simulate without mpirun "
        "and use --threads, or rebuild with OpenMPI installed");
  }
}

MpiSession::~MpiSession() = default;

plan::PlanResult MpiSession::BroadcastBaseline(const std::function<plan::PlanResult()>& solve) const { return solve(); }

SimulationResult MpiSession::Simulate(const Simulator& simulator, int64_t runs, uint64_t seed, int32_t threads) const {
  return simulator.Summarize(simulator.RunRange(seed, 0, runs, threads), seed);
}

RiskResult MpiSession::ComputeRisk(const model::Scenario& scenario, const plan::PlanResult& baseline,
                                   const RiskOptions& options) const {
  return risk::ComputeRisk(scenario, baseline, options);
}

#endif

}  // namespace rackforge::risk
