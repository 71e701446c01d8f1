#include "plan/sweep.h"

#include <fmt/format.h>
#include <spdlog/logger.h>

#include <chrono>
#include <cmath>

#include "io/errors.h"
#include "plan/plan_model.h"

namespace rackforge::plan {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

std::vector<double> SweepPoints(double from, double to, double step) {
  if (!(step > 0)) throw io::UsageError(fmt::format("domestic sweep: STEP {} must be > 0", step));
  if (!(from >= 0 && from <= 1)) throw io::UsageError(fmt::format("domestic sweep: FROM {} is outside 0..1", from));
  if (!(to >= 0 && to <= 1)) throw io::UsageError(fmt::format("domestic sweep: TO {} is outside 0..1", to));
  if (to < from) throw io::UsageError(fmt::format("domestic sweep: TO {} is below FROM {}", to, from));
  const auto n = static_cast<int64_t>(std::llround((to - from) / step)) + 1;
  std::vector<double> points;
  points.reserve(n);
  for (int64_t i = 0; i < n; ++i) {
    // Clean binary noise (0.1 * 3 = 0.30000000000000004) and never pass TO.
    const double p = std::round((from + static_cast<double>(i) * step) * 1e12) / 1e12;
    points.push_back(std::min(p, to));
  }
  return points;
}

SweepResult RunSweep(const model::Scenario& scenario, const PlanOptions& base, const std::vector<double>& points,
                     spdlog::logger* log) {
  for (double p : points) {
    if (!(p >= 0 && p <= 1)) throw io::UsageError(fmt::format("domestic sweep: point {} is outside 0..1", p));
  }
  SweepResult out;
  auto start = std::chrono::steady_clock::now();
  PlanOptions options = base;
  if (!points.empty()) options.domestic_content_min = points.front();
  PlanModel model(scenario, options);
  out.build_seconds = SecondsSince(start);
  start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < points.size(); ++i) {
    model.SetDomesticContentMin(points[i]);
    if (log != nullptr) log->info("sweep: point {}/{}: domestic content >= {:.4g}", i + 1, points.size(), points[i]);
    out.points.push_back({points[i], model.Solve(log)});
  }
  out.solve_seconds = SecondsSince(start);
  return out;
}

}  // namespace rackforge::plan
