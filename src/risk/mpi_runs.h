#pragma once
// Monte Carlo and risk across MPI ranks (`mpirun -np K rackforge simulate|risk
// ...`): runs (or risk nodes) split over ranks in contiguous blocks, results
// gathered to rank 0 in run (node) order, so the output is byte-identical to
// a single process.
// All MPI code is compiled only when the build defines RACKFORGE_HAVE_MPI.

#include <cstdint>
#include <functional>

#include "plan/plan.h"
#include "risk/risk.h"
#include "risk/simulate.h"

namespace rackforge::risk {

/// One process's view of the MPI job; a single-process session when not under mpirun.
/// Create at most one per process; not thread-safe.
class MpiSession {
 public:
  /// True when mpirun started this process (OMPI_COMM_WORLD_SIZE, PMIX_RANK or PMI_SIZE set).
  static bool LaunchedByMpirun();
  /// True when this build has MPI support.
  static bool Available();

  /// Initialises MPI when launched by mpirun. Throws common::UsageError when launched
  /// by mpirun but built without MPI.
  MpiSession();
  /// Finalises MPI if this session initialised it.
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool root() const { return rank_ == 0; }

  /// Rank 0 runs `solve`; its plan (the arrays the simulator reads) reaches every rank.
  /// When `solve` throws on rank 0, rank 0 rethrows and the others throw std::runtime_error.
  plan::PlanResult BroadcastBaseline(const std::function<plan::PlanResult()>& solve) const;

  /// Plays this rank's block of runs 0..runs-1 and gathers all outcomes to rank 0, which
  /// returns the summary; other ranks return an empty result (runs == 0).
  SimulationResult Simulate(const Simulator& simulator, int64_t runs, uint64_t seed, int32_t threads) const;

  /// risk::ComputeRisk over the ranks: each computes PI and TTS for its
  /// contiguous block of nodes, rank 0 gathers them in node order and finishes
  /// (exposure, concentration); other ranks return an empty result.
  RiskResult ComputeRisk(const model::Scenario& scenario, const plan::PlanResult& baseline,
                         const RiskOptions& options) const;

 private:
  int rank_ = 0;
  int size_ = 1;
  bool initialized_here_ = false;
};

}  // namespace rackforge::risk
