#include "explore/explore.h"

#include <algorithm>

#include "common/errors.h"
#include "design/rollup.h"
#include "explore/milp.h"
#include "model/availability.h"

namespace rackforge::explore {

const char* ToString(Method method) { return method == Method::kMilp ? "milp" : "enumeration"; }

bool OfferToFront(std::vector<FrontVariant>& front, const Objectives& candidate, const std::vector<int32_t>& choices,
                  std::optional<design::Rule> tightest_rule) {
  for (const FrontVariant& f : front) {
    if (Dominates(f.objectives, candidate)) return false;
  }
  std::erase_if(front, [&](const FrontVariant& f) { return Dominates(candidate, f.objectives); });
  front.push_back({choices, candidate, tightest_rule});
  return true;
}

void SortFront(std::vector<FrontVariant>& front) {
  std::sort(front.begin(), front.end(), [](const FrontVariant& a, const FrontVariant& b) {
    if (a.objectives.cost_usd != b.objectives.cost_usd) return a.objectives.cost_usd < b.objectives.cost_usd;
    if (a.objectives.domestic_share != b.objectives.domestic_share) {
      return a.objectives.domestic_share > b.objectives.domestic_share;
    }
    if (a.objectives.min_suppliers != b.objectives.min_suppliers) {
      return a.objectives.min_suppliers > b.objectives.min_suppliers;
    }
    return a.choices < b.choices;
  });
}

namespace {

// Keeps every stride-th passing variant; when the sample is full, halves it and doubles the stride.
class Sampler {
 public:
  explicit Sampler(std::vector<Objectives>& sample) : sample_(sample) {}
  void Offer(uint64_t passing_index, const Objectives& o) {
    if (passing_index % stride_ != 0) return;
    sample_.push_back(o);
    if (sample_.size() < kSampleLimit) return;
    size_t kept = 0;
    for (size_t i = 0; i < sample_.size(); i += 2) sample_[kept++] = sample_[i];
    sample_.resize(kept);
    stride_ *= 2;
  }

 private:
  std::vector<Objectives>& sample_;
  uint64_t stride_ = 1;
};

}  // namespace

SpaceResult EnumerateSpace(const SpaceModel& model) {
  SpaceResult result;
  result.design = model.space().design;
  result.method = Method::kEnumeration;
  result.variants_total = model.VariantsTotal();
  uint64_t passing = 0;
  Sampler sampler(result.sample);
  const int32_t n = model.slot_count();
  for (int32_t s = 0; s < n; ++s) {
    if (model.option_count(s) == 0) {
      result.variants_passing = 0;
      return result;
    }
  }
  // prefix[j] = base + options chosen in slots 0..j-1; prefix[n] is the variant.
  std::vector<int32_t> choices(n, 0);
  std::vector<VariantState> prefix(n + 1, model.base());
  for (int32_t s = 0; s < n; ++s) {
    prefix[s + 1] = prefix[s];
    Apply(prefix[s + 1], model.part(s, 0));
  }
  while (true) {
    const Evaluation e = Evaluate(prefix[n], model.requirement());
    if (e.pass) {
      sampler.Offer(passing++, e.objectives);
      OfferToFront(result.front, e.objectives, choices, e.tightest_rule);
    }
    int32_t j = n - 1;
    while (j >= 0 && ++choices[j] == model.option_count(j)) choices[j--] = 0;
    if (j < 0) break;
    for (int32_t s = j; s < n; ++s) {
      prefix[s + 1] = prefix[s];
      Apply(prefix[s + 1], model.part(s, choices[s]));
    }
  }
  result.variants_passing = passing;
  SortFront(result.front);
  return result;
}

namespace {

SpaceResult ExploreOne(const model::Scenario& scenario, const std::vector<design::ComponentFacts>& facts,
                       const model::DesignSpace& space, const ExploreOptions& options) {
  const SpaceModel model(scenario, facts, space);
  if (model.VariantsTotal() <= options.enumeration_limit) return EnumerateSpace(model);
  return SolveSpaceMilp(model, options);
}

}  // namespace

ExploreResult Explore(const model::Scenario& scenario, const ExploreOptions& options) {
  const std::vector<design::ComponentFacts> facts = design::ComputeComponentFacts(scenario);
  ExploreResult result;
  if (!options.design_id.empty()) {
    const int32_t g = model::FindById(scenario.designs, options.design_id);
    if (g < 0) throw common::UsageError("--design " + options.design_id + ": no such design in the scenario");
    const model::DesignSpace* space = FindSpace(scenario, g);
    const model::DesignSpace no_slots{g, {}};
    result.designs.push_back(ExploreOne(scenario, facts, space ? *space : no_slots, options));
    return result;
  }
  for (const model::DesignSpace& space : scenario.design_spaces) {
    result.designs.push_back(ExploreOne(scenario, facts, space, options));
  }
  return result;
}

}  // namespace rackforge::explore
