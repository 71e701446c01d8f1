#include "risk/spare_supply.h"

#include <algorithm>

#include "model/availability.h"
#include "risk/nodes.h"

namespace rackforge::risk {

std::vector<int32_t> NodeParts(const model::Scenario& s, model::NodeRef node) {
  std::vector<int32_t> parts;
  if (node.kind == model::NodeKind::kSupplier) {
    for (const model::Offer& o : s.offers) {
      if (o.supplier == node.index) parts.push_back(o.component);
    }
  } else if (node.kind == model::NodeKind::kComponentLine) {
    parts = s.component_lines[node.index].components;
  }
  std::sort(parts.begin(), parts.end());
  parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
  return parts;
}

SpareSupply::SpareSupply(const model::Scenario& s, const plan::PlanResult& b, int32_t t0)
    : s_(s), b_(b), t0_(t0), weeks_(b.weeks), plants_(b.plants) {
  const auto P = static_cast<size_t>(plants_);
  const auto H = static_cast<size_t>(weeks_);
  const size_t C = s.components.size();
  complete_ = b.buy.size() >= s.offers.size() * P * H && b.cinv.size() >= C * P * H &&
              b.makec.size() >= s.component_lines.size() * static_cast<size_t>(b.components) * H && t0 < weeks_;
  if (!complete_) return;
  transit_.assign(s.suppliers.size() * P, -1);
  for (const model::SupplyLane& lane : model::SupplyLanes(s)) transit_[lane.supplier * P + lane.plant] = lane.transit_weeks;
  offer_spare_.assign(s.offers.size() * H, 0.0);
  for (size_t o = 0; o < s.offers.size(); ++o) {
    const model::Offer& offer = s.offers[o];
    for (int32_t t = t0; t < weeks_; ++t) {
      if (!offer.orderable_in(t)) continue;
      offer_spare_[Week(static_cast<int32_t>(o), t)] =
          std::max(0.0, offer.capacity_per_week - b.BuyAllPlants(static_cast<int32_t>(o), t));
    }
  }
  const model::Availability availability(s, s.disruptions);
  cline_spare_.assign(s.component_lines.size() * H, 0.0);
  made_.assign(C * H, 0.0);
  for (size_t m = 0; m < s.component_lines.size(); ++m) {
    const auto line = static_cast<int32_t>(m);
    const bool in_plan = ComponentLineInPlan(s, b, line);
    for (int32_t t = t0; t < weeks_; ++t) {
      double made = 0;
      for (int32_t c : s.component_lines[m].components) {
        const double units = b.makec[b.MakecIndex(line, c, t)];
        made += units;
        made_[Week(c, t)] += units;
      }
      if (!in_plan) continue;
      const double capacity = s.component_lines[m].units_per_week * availability.component_line_availability(line, t);
      cline_spare_[Week(line, t)] = std::max(0.0, capacity - made);
    }
  }
  stock_.assign(C * H, 0.0);
  for (size_t c = 0; c < C; ++c) {
    for (int32_t p = 0; p < plants_; ++p) {
      for (int32_t t = t0; t < weeks_; ++t) stock_[Week(static_cast<int32_t>(c), t)] += b.cinv[b.CinvIndex(c, p, t)];
    }
  }
}

void SpareSupply::AddOfferArrivals(model::NodeRef node, int32_t c, std::vector<double>* need,
                                   std::vector<double>& spare) const {
  const auto P = static_cast<size_t>(plants_);
  for (int32_t o : s_.components[c].offers) {
    const model::Offer& offer = s_.offers[o];
    const bool own = node.kind == model::NodeKind::kSupplier && offer.supplier == node.index;
    int32_t shortest = -1;
    for (int32_t p = 0; p < plants_; ++p) {
      const int32_t tau = transit_[offer.supplier * P + p];
      if (tau < 0) continue;
      shortest = shortest < 0 ? tau : std::min(shortest, tau);
      if (!own || need == nullptr) continue;
      for (int32_t t = t0_; t + offer.lead_time_weeks + tau < weeks_; ++t) {
        (*need)[t + offer.lead_time_weeks + tau] += b_.buy[b_.BuyIndex(o, p, t)];
      }
    }
    if (own || shortest < 0) continue;
    for (int32_t t = t0_; t + offer.lead_time_weeks + shortest < weeks_; ++t) {
      spare[t + offer.lead_time_weeks + shortest] += offer_spare_[Week(o, t)];
    }
  }
}

std::optional<Shortfall> SpareSupply::FirstShortfall(model::NodeRef node) const {
  const bool line = node.kind == model::NodeKind::kComponentLine;
  if (!complete_ || (!line && node.kind != model::NodeKind::kSupplier)) return Shortfall{};
  for (int32_t c : NodeParts(s_, node)) {
    std::vector<double> need(weeks_, 0.0), spare(weeks_, 0.0);  // by arrival week
    AddOfferArrivals(node, c, &need, spare);
    for (int32_t m : s_.components[c].made_by) {
      const bool own = line && m == node.index;
      for (int32_t t = t0_; t < weeks_; ++t) {
        if (own) {
          need[t] += b_.makec[b_.MakecIndex(m, c, t)];
        } else {
          spare[t] += cline_spare_[Week(m, t)];
        }
      }
    }
    for (size_t c2 = 0; c2 < s_.components.size(); ++c2) {  // c2 made in-house from c
      for (const model::BomEntry& part : s_.components[c2].parts) {
        if (part.component != c) continue;
        std::vector<double> instead(weeks_, 0.0);
        AddOfferArrivals(node, static_cast<int32_t>(c2), nullptr, instead);
        for (int32_t t = t0_; t < weeks_; ++t) {
          spare[t] += part.qty * std::min(made_[Week(static_cast<int32_t>(c2), t)], instead[t]);
        }
      }
    }
    double cumulative_need = 0, cumulative_spare = 0;
    for (int32_t t = t0_; t < weeks_; ++t) {
      cumulative_need += need[t];
      cumulative_spare += spare[t];
      const double stock = stock_[Week(c, t)];
      if (cumulative_need > cumulative_spare + stock) {
        return Shortfall{c, t, cumulative_need, cumulative_spare + stock};
      }
    }
  }
  return std::nullopt;
}

}  // namespace rackforge::risk
