#pragma once
// The Monte Carlo simulator as it was before its hot loop was restructured
// (dense week slices, every entry visited every week), kept as the reference
// that the golden-equivalence tests compare risk::Simulator with: for the same
// seed both must give identical per-run outcomes and summaries. Serial.

#include <memory>
#include <string>
#include <vector>

#include "risk/simulate.h"

namespace rackforge::risk::reference {

class ReferenceSimulator {
 public:
  ReferenceSimulator(const model::Scenario& scenario, const plan::PlanResult& baseline,
                     model::OptionDemandMode option_demand);
  ~ReferenceSimulator();
  ReferenceSimulator(const ReferenceSimulator&) = delete;
  ReferenceSimulator& operator=(const ReferenceSimulator&) = delete;

  /// Plays runs [first_run, last_run) one after the other.
  RunOutcomes RunRange(uint64_t seed, int64_t first_run, int64_t last_run) const;
  SimulationResult Summarize(const RunOutcomes& outcomes, uint64_t seed) const;

 private:
  struct Data;
  struct Workspace;
  void PlayRun(uint64_t seed, int64_t run, Workspace& ws, RunOutcomes& out, int64_t slot) const;
  void DrawOutages(int32_t week, SplitMix64& rng, Workspace& ws) const;
  void PlaceOrders(int32_t week, Workspace& ws) const;
  void ReceiveParts(int32_t week, Workspace& ws) const;
  void MakeComponents(int32_t week, Workspace& ws) const;
  void SendTransfers(int32_t week, Workspace& ws) const;
  double Build(int32_t week, Workspace& ws) const;
  void Ship(int32_t week, Workspace& ws) const;
  const model::Scenario& scenario_;
  std::unique_ptr<Data> data_;
};

}  // namespace rackforge::risk::reference
