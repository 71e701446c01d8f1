#pragma once
// Design-space exploration (`rackforge explore`): every variant of a design
// space is rolled up and rule-checked with the code of `check`; the passing
// ones are compared on cost (min), domestic share, min suppliers and min
// margin (max), and the Pareto front is returned. Spaces up to
// ExploreOptions::enumeration_limit variants are enumerated exhaustively and
// incrementally; larger ones are searched with a MILP over the slot choices
// (explore/milp.h). Pure: no printing, no file access.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "design/rules.h"
#include "explore/space.h"
#include "model/scenario.h"

namespace rackforge::explore {

/// How a space was searched.
enum class Method { kEnumeration, kMilp };
/// "enumeration" | "milp".
const char* ToString(Method method);

/// A passing variant on the front.
struct FrontVariant {
  std::vector<int32_t> choices;  // 0-based option per slot
  Objectives objectives;
  std::optional<design::Rule> tightest_rule;
};

/// The exploration of one design space.
struct SpaceResult {
  int32_t design = -1;            // index into Scenario::designs
  double variants_total = 0;      // product of the option counts
  std::optional<uint64_t> variants_passing;  // nullopt for the MILP (not counted)
  Method method = Method::kEnumeration;
  std::vector<FrontVariant> front;  // cost ascending, then domestic share descending, then choices
  /// A deterministic sample of passing variants' objectives (every 2^k-th
  /// passing variant, at most kSampleLimit), for scatter charts; for the MILP
  /// the variants its solves found.
  std::vector<Objectives> sample;
  int32_t milp_solves = 0;          // MILPs solved (method milp)
  std::string note;                 // e.g. why the front may be partial
};

/// Most points SpaceResult::sample keeps.
inline constexpr size_t kSampleLimit = 1000;

struct ExploreOptions {
  std::string design_id;             // empty: every design that has a space
  double enumeration_limit = 1e8;    // spaces with more variants go to the MILP
  int32_t epsilon_points = 8;        // MILP: domestic-share levels between the extremes
  double milp_time_limit_s = 10;     // MILP: per solve, and the budget of the margin bisection
};

struct ExploreResult {
  std::vector<SpaceResult> designs;
};

/// Explores the selected design spaces. A design named in `design_id` that has
/// no space is explored as a space without slots (one variant, the design).
/// Throws common::UsageError for an unknown design id.
ExploreResult Explore(const model::Scenario& scenario, const ExploreOptions& options);

/// Exhaustive, incremental enumeration (mixed-radix counter, last slot
/// fastest; only the changed slots' contributions are re-added).
SpaceResult EnumerateSpace(const SpaceModel& model);

/// Keeps `front` the set of non-dominated variants after offering one more.
/// Returns true when `candidate` entered the front.
bool OfferToFront(std::vector<FrontVariant>& front, const Objectives& candidate, const std::vector<int32_t>& choices,
                  std::optional<design::Rule> tightest_rule);

/// Sorts a front: cost ascending, domestic share descending, min suppliers descending, choices.
void SortFront(std::vector<FrontVariant>& front);

}  // namespace rackforge::explore
