// Invariants of an optimal plan on a larger synthetic instance (every
// constraint family present; solved with two branch-and-bound workers), and an independent check of the objective by
// the standalone `cbc` and `glpsol` programs on the written MPS file.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "model/availability.h"
#include "plan/plan.h"
#include "plan/plan_index.h"
#include "plan/plan_model.h"
#include "unit/plan/plan_fixture.h"
#include "unit/solver/solver_test_util.h"

namespace rackforge::plan {
namespace {

constexpr double kTol = 1e-5;

class PlanInvariants : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    testing::SyntheticSize size;
    size.transfers = true;  // transfers between every pair of neighbouring plants
    size.component_lines = true;  // component lines at every plant (two-level boms) and an expansion one
    scenario_ = new model::Scenario(testing::SyntheticScenario(size));
    PlanOptions two_workers;  // every invariant below holds for the split search too
    two_workers.workers = 2;
    result_ = new PlanResult(SolvePlan(*scenario_, two_workers));
  }
  static void TearDownTestSuite() {
    delete scenario_;
    delete result_;
  }
  const model::Scenario& s() const { return *scenario_; }
  const PlanResult& r() const { return *result_; }
  static model::Scenario* scenario_;
  static PlanResult* result_;
};
model::Scenario* PlanInvariants::scenario_ = nullptr;
PlanResult* PlanInvariants::result_ = nullptr;

TEST_F(PlanInvariants, SolvedToProvenOptimality) {
  EXPECT_EQ(r().status, solver::SolveStatus::kOptimal);
  EXPECT_EQ(r().gap, 0.0);
  EXPECT_GT(r().racks_built, 0.0);
}

TEST_F(PlanInvariants, CostPartsSumToObjective) {
  EXPECT_NEAR(r().cost.total(), r().objective_usd, 1e-9 * r().objective_usd);
}

TEST_F(PlanInvariants, RackBalance) {
  for (size_t p = 0; p < s().plants.size(); ++p) {
    for (int32_t g = 0; g < r().designs; ++g) {
      double inv = 0;
      for (int32_t t = 0; t < r().weeks; ++t) {
        for (size_t l = 0; l < s().lines.size(); ++l) {
          if (s().lines[l].plant == static_cast<int32_t>(p)) inv += r().make[r().MakeIndex(l, g, t)];
        }
        for (size_t i = 0; i < s().lanes.size(); ++i) {
          if (s().lanes[i].plant != static_cast<int32_t>(p)) continue;
          for (int32_t k = 0; k < 3; ++k) inv -= r().ship[r().ShipIndex(i, g, k, t)];
        }
        EXPECT_NEAR(inv, r().inv[r().InvIndex(p, g, t)], kTol);
        EXPECT_GE(r().inv[r().InvIndex(p, g, t)], -kTol);
      }
    }
  }
}

TEST_F(PlanInvariants, BacklogBalance) {
  const Dims dims{r().weeks, r().designs};
  const std::vector<double> demand = DenseDemand(s(), dims, s().policy.option_demand);
  for (size_t d = 0; d < s().sites.size(); ++d) {
    for (int32_t g = 0; g < r().designs; ++g) {
      for (int32_t k = 0; k < 3; ++k) {
        double back = 0;
        for (int32_t t = 0; t < r().weeks; ++t) {
          back += demand[dims.Back(d, g, k, t)];
          for (size_t i = 0; i < s().lanes.size(); ++i) {
            const model::Lane& lane = s().lanes[i];
            if (lane.site == static_cast<int32_t>(d) && t - lane.transit_weeks >= 0) {
              back -= r().ship[r().ShipIndex(i, g, k, t - lane.transit_weeks)];
            }
          }
          EXPECT_NEAR(back, r().back[r().BackIndex(d, g, k, t)], kTol);
        }
      }
    }
  }
}

// Every plant's parts balance: stock at p = on_hand(p,c) + deliveries to p (ordered lead + transit
// earlier) − parts its lines used; supply capacity is shared by all plants of an offer; purchases
// only over supply lanes, within the offer's order window; no make after a design's last build week.
TEST_F(PlanInvariants, PartsBalancePerPlantAndSharedSupplyCapacity) {
  const model::Availability a(s(), s().disruptions);
  const int32_t P = static_cast<int32_t>(s().plants.size());
  auto transit = [&](int32_t supplier, int32_t plant) -> int32_t {
    for (const model::SupplyLane& l : model::SupplyLanes(s())) {
      if (l.supplier == supplier && l.plant == plant) return l.transit_weeks;
    }
    return -1;
  };
  for (size_t c = 0; c < s().components.size(); ++c) {
    for (int32_t p = 0; p < P; ++p) {
      double stock = model::OnHandUnits(s(), p, static_cast<int32_t>(c));
      for (int32_t t = 0; t < r().weeks; ++t) {
        for (int32_t o : s().components[c].offers) {
          const int32_t tau = transit(s().offers[o].supplier, p);
          const int32_t order = t - s().offers[o].lead_time_weeks - tau;
          if (tau >= 0 && order >= 0) stock += r().buy[r().BuyIndex(o, p, order)];
        }
        for (size_t g = 0; g < s().designs.size(); ++g) {
          for (const model::BomEntry& b : s().designs[g].bom) {
            if (b.component != static_cast<int32_t>(c)) continue;
            for (size_t l = 0; l < s().lines.size(); ++l) {
              if (s().lines[l].plant == p) stock -= b.qty * r().make[r().MakeIndex(l, g, t)];
            }
          }
        }
        // Component lines of p: + what they make of c, − the c their other components use.
        for (size_t m = 0; m < s().component_lines.size(); ++m) {
          const model::ComponentLine& line = s().component_lines[m];
          if (line.plant != p) continue;
          for (int32_t made : line.components) {
            const double units = r().makec[r().MakecIndex(static_cast<int32_t>(m), made, t)];
            if (made == static_cast<int32_t>(c)) stock += units;
            for (const model::BomEntry& part : s().components[made].parts) {
              if (part.component == static_cast<int32_t>(c)) stock -= part.qty * units;
            }
          }
        }
        // Transfers: what leaves p in week t arrives at q in week t + τ_r (sent = received after transit).
        for (size_t x = 0; x < s().transfers.size(); ++x) {
          const model::Transfer& tr = s().transfers[x];
          if (tr.component != static_cast<int32_t>(c)) continue;
          const int32_t depart = t - tr.transit_weeks;
          if (tr.to_plant == p && depart >= 0) stock += r().xfer[r().XferIndex(static_cast<int32_t>(x), depart)];
          if (tr.from_plant == p) stock -= r().xfer[r().XferIndex(static_cast<int32_t>(x), t)];
        }
        EXPECT_NEAR(stock, r().cinv[r().CinvIndex(c, p, t)], kTol) << c << " " << p << " " << t;
        EXPECT_GE(r().cinv[r().CinvIndex(c, p, t)], -kTol);
      }
    }
  }
  int bought_somewhere_but_not_everywhere = 0;
  for (size_t o = 0; o < s().offers.size(); ++o) {
    const model::Offer& offer = s().offers[o];
    for (int32_t t = 0; t < r().weeks; ++t) {
      const double cap = offer.capacity_per_week * a.supplier_multiplier(offer.supplier, t);
      EXPECT_LE(r().BuyAllPlants(o, t), cap + kTol);
      for (int32_t p = 0; p < P; ++p) {
        const double v = r().buy[r().BuyIndex(o, p, t)];
        if (transit(offer.supplier, p) < 0 || !offer.orderable_in(t)) {
          EXPECT_EQ(v, 0.0) << o << " " << p << " " << t;
        }
      }
    }
    for (int32_t p = 0; p < P; ++p) bought_somewhere_but_not_everywhere += transit(offer.supplier, p) < 0 ? 1 : 0;
  }
  EXPECT_GT(bought_somewhere_but_not_everywhere, 0);  // the synthetic lanes leave some plants out
  // Transfers are used, never depart so late that they would arrive after H − 1, and are ≥ 0.
  double moved = 0;
  for (size_t x = 0; x < s().transfers.size(); ++x) {
    for (int32_t t = 0; t < r().weeks; ++t) {
      const double v = r().xfer[r().XferIndex(static_cast<int32_t>(x), t)];
      EXPECT_GE(v, -kTol);
      if (t + s().transfers[x].transit_weeks > r().weeks - 1) {
        EXPECT_EQ(v, 0.0) << x << " " << t;
      }
      moved += v;
    }
  }
  EXPECT_GT(moved, 0.0);
  for (size_t g = 0; g < s().designs.size(); ++g) {
    for (size_t l = 0; l < s().lines.size(); ++l) {
      for (int32_t t = 0; t < r().weeks; ++t) {
        if (!s().designs[g].buildable_in(t)) {
          EXPECT_EQ(r().make[r().MakeIndex(l, g, t)], 0.0);
        }
      }
    }
  }
}

TEST_F(PlanInvariants, LineAndTestCapacityNeverExceeded) {
  const model::Availability a(s(), s().disruptions);
  for (size_t l = 0; l < s().lines.size(); ++l) {
    const model::Line& line = s().lines[l];
    const double open = line.expansion >= 0 ? r().opened[line.expansion] : 1.0;
    for (int32_t t = 0; t < r().weeks; ++t) {
      double made = 0;
      for (int32_t g = 0; g < r().designs; ++g) made += r().make[r().MakeIndex(l, g, t)];
      EXPECT_LE(made, line.racks_per_week * a.line_availability(l, t) * open + kTol);
    }
  }
  for (size_t p = 0; p < s().plants.size(); ++p) {
    for (int32_t t = 0; t < r().weeks; ++t) {
      double hours = 0;
      for (size_t l = 0; l < s().lines.size(); ++l) {
        if (s().lines[l].plant != static_cast<int32_t>(p)) continue;
        for (int32_t g = 0; g < r().designs; ++g) hours += s().designs[g].test_hours * r().make[r().MakeIndex(l, g, t)];
      }
      double cells = s().plants[p].test_cells;
      for (size_t e = 0; e < s().expansions.size(); ++e) {
        const model::Expansion& x = s().expansions[e];
        if (x.kind == model::ExpansionKind::kTestCells && x.plant == static_cast<int32_t>(p) &&
            t >= x.active_from_week() && r().opened[e]) {
          cells += x.cells;
        }
      }
      EXPECT_LE(hours, s().plants[p].test_hours_per_cell_week * cells * a.plant_multiplier(p, t) + kTol);
    }
  }
}

// Component lines: Σ_c makec ≤ units_per_week·a(m,t) (· open for the expansion line), nothing
// before the line's start week, and some in-house production in this instance.
TEST_F(PlanInvariants, ComponentLineCapacityNeverExceeded) {
  const model::Availability a(s(), s().disruptions);
  ASSERT_FALSE(s().component_lines.empty());
  double made_total = 0;
  for (size_t m = 0; m < s().component_lines.size(); ++m) {
    const model::ComponentLine& line = s().component_lines[m];
    const double open = line.expansion >= 0 ? r().opened[line.expansion] : 1.0;
    for (int32_t t = 0; t < r().weeks; ++t) {
      double made = 0;
      for (int32_t c : line.components) made += r().makec[r().MakecIndex(static_cast<int32_t>(m), c, t)];
      EXPECT_LE(made, line.units_per_week * a.component_line_availability(static_cast<int32_t>(m), t) * open + kTol)
          << line.id << " " << t;
      if (t < line.start_week) {
        EXPECT_EQ(made, 0.0) << line.id << " " << t;
      }
      made_total += made;
    }
  }
  EXPECT_GT(made_total, 0.0);
  double in_house = 0;
  for (size_t m = 0; m < s().component_lines.size(); ++m) {
    for (int32_t c : s().component_lines[m].components) {
      for (int32_t t = 0; t < r().weeks; ++t) {
        in_house += s().component_lines[m].cost_usd_per_unit * r().makec[r().MakecIndex(static_cast<int32_t>(m), c, t)];
      }
    }
  }
  EXPECT_NEAR(r().cost.in_house, in_house, 1e-6 * std::max(1.0, in_house));
}

TEST_F(PlanInvariants, DomesticShareShareRowsAndBudget) {
  EXPECT_GE(r().domestic_content, s().policy.domestic_content_min - 1e-6);
  // The share recomputed from purchases and the in-house value added (domestic on both sides).
  double domestic = r().cost.in_house, total = r().cost.in_house;
  for (size_t o = 0; o < s().offers.size(); ++o) {
    double units = 0;
    for (int32_t t = 0; t < r().weeks; ++t) units += r().BuyAllPlants(static_cast<int32_t>(o), t);
    total += s().offers[o].unit_cost_usd * units;
    if (s().suppliers[s().offers[o].supplier].domestic()) domestic += s().offers[o].unit_cost_usd * units;
  }
  EXPECT_NEAR(r().domestic_content, domestic / total, 1e-9);
  EXPECT_GE(domestic + 1e-6 * total, s().policy.domestic_content_min * total);
  double capex = 0;
  for (size_t e = 0; e < s().expansions.size(); ++e) capex += r().opened[e] * s().expansions[e].capex_usd;
  EXPECT_LE(capex, *s().policy.capex_budget_usd + kTol);
  for (const model::Component& c : s().components) {
    if (c.offer_rows_in_file < 2) continue;
    double total = 0;
    std::vector<double> per_offer;
    for (int32_t o : c.offers) {
      double sum = 0;
      for (int32_t t = 0; t < r().weeks; ++t) sum += r().BuyAllPlants(o, t);
      per_offer.push_back(sum);
      total += sum;
    }
    for (double v : per_offer) EXPECT_LE(v, s().policy.max_supplier_share * total + kTol);
  }
}

TEST_F(PlanInvariants, ObjectiveMatchesStandaloneCbcAndGlpsol) {
  const std::string path = testing::TempPath("synthetic.mps");
  PlanOptions o;
  o.write_mps_path = path;
  o.bottlenecks = false;
  o.workers = 1;  // one search: the same optimum as the fixture's two workers
  PlanResult again = SolvePlan(s(), o);
  EXPECT_NEAR(again.objective_usd, r().objective_usd, 1e-9 * r().objective_usd);
  const auto cbc = testing::CbcObjective(path);
  ASSERT_TRUE(cbc.has_value());
  EXPECT_NEAR(*cbc, r().objective_usd, 1e-6 * r().objective_usd);
  const auto glpk = testing::GlpsolObjective(path);
  ASSERT_TRUE(glpk.has_value());
  EXPECT_NEAR(*glpk, r().objective_usd, 1e-6 * r().objective_usd);
  std::remove(path.c_str());
  std::remove((path + ".glpsol.txt").c_str());
}

TEST_F(PlanInvariants, BottlenecksRankedAndNamed) {
  for (size_t i = 1; i < r().bottlenecks.size(); ++i) {
    EXPECT_GE(r().bottlenecks[i - 1].dual_usd_per_unit, r().bottlenecks[i].dual_usd_per_unit);
  }
  for (const Bottleneck& b : r().bottlenecks) {
    EXPECT_GT(b.dual_usd_per_unit, 0.0);
    EXPECT_LE(b.first_week, b.last_week);
    EXPECT_FALSE(b.text.empty());
  }
  for (const LateDemand& late : r().late_demand) {
    EXPECT_GT(late.rack_weeks, 1e-6);
    EXPECT_NE(late.text.find(late.design), std::string::npos);
  }
}

// Late demand names at most three causes, each with its share of the held-back weight (shares
// descending, summing to 1), and the pegging's late racks and latest order.
TEST_F(PlanInvariants, LateDemandTopCausesAndLatestOrder) {
  ASSERT_FALSE(r().late_demand.empty());
  for (const LateDemand& late : r().late_demand) {
    ASSERT_EQ(late.held_back_share.size(), late.held_back_by.size()) << late.text;
    double sum = 0;
    for (size_t i = 0; i < late.held_back_share.size(); ++i) {
      sum += late.held_back_share[i];
      if (i > 0) {
        EXPECT_GE(late.held_back_share[i - 1], late.held_back_share[i]);
      }
    }
    if (!late.held_back_by.empty()) {
      EXPECT_NEAR(sum, 1.0, 1e-9);
    }
    for (size_t i = 0; i < late.held_back_by.size(); ++i) {
      const bool named = late.text.find(late.held_back_by[i] + " (") != std::string::npos;
      EXPECT_EQ(named, i < 3) << i << ": " << late.text;
    }
    if (late.held_back_by.size() > 3) {
      EXPECT_NE(late.text.find(fmt::format("(the other {}: ", late.held_back_by.size() - 3)), std::string::npos)
          << late.text;
    }
    double late_racks = 0;
    int32_t worst = 0;
    for (const PeggingRow& row : r().pegging) {
      if (row.weeks_late > 0 && s().sites[row.site].id == late.site && s().designs[row.design].id == late.design &&
          row.kind == late.kind) {
        late_racks += row.racks;
        worst = std::max(worst, row.weeks_late);
      }
    }
    EXPECT_NEAR(late.late_racks, late_racks, 1e-9);
    if (late_racks > 0) {
      ASSERT_TRUE(late.latest.has_value()) << late.text;
      EXPECT_EQ(late.latest->weeks_late, worst);
      EXPECT_NE(late.text.find(fmt::format("{:.1f} racks late", late.late_racks)), std::string::npos) << late.text;
    }
  }
}

// The unweighted-backlog LP (risk) on the same instance: no plan has less
// total backlog than it, and the cost-optimal plan has at least as much.
TEST_F(PlanInvariants, UnweightedBacklogIsALowerBound) {
  ModelVariant v;
  v.objective = ModelVariant::Objective::kUnweightedBacklog;
  v.domestic_and_share_rows = false;
  PlanModel m(s(), {}, v);
  m.FixBefore(r(), 0);  // same expansions as the cost-optimal plan
  PlanResult least = m.Solve();
  ASSERT_EQ(least.status, solver::SolveStatus::kOptimal);
  double total = 0;
  for (double b : r().backlog_rack_weeks) total += b;
  EXPECT_LE(least.objective_usd, total + kTol);
}

}  // namespace
}  // namespace rackforge::plan
