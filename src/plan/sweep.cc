#include "plan/sweep.h"

#include <fmt/format.h>
#include <spdlog/logger.h>

#include <chrono>
#include <cmath>
#include <exception>
#include <thread>

#include "common/errors.h"
#include "plan/plan_model.h"

namespace rackforge::plan {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

std::vector<double> SweepPoints(double from, double to, double step) {
  if (!(step > 0)) throw common::UsageError(fmt::format("domestic sweep: STEP {} must be > 0", step));
  if (!(from >= 0 && from <= 1)) throw common::UsageError(fmt::format("domestic sweep: FROM {} is outside 0..1", from));
  if (!(to >= 0 && to <= 1)) throw common::UsageError(fmt::format("domestic sweep: TO {} is outside 0..1", to));
  if (to < from) throw common::UsageError(fmt::format("domestic sweep: TO {} is below FROM {}", to, from));
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

namespace {

/// Solves points[first], points[first + stride], ... in that order, each on its own copy of the
/// unsolved `pristine` model (a cold root with CLP's presolve: re-solving from the previous point's
/// basis took the root into 15k-49k slow primal iterations, up to 18 s against 5.4 s cold, see
/// docs/model.md); results go to their slots.
void SolveSlice(const PlanModel& pristine, const std::vector<double>& points, size_t first, size_t stride,
                spdlog::logger* log, std::vector<SweepPoint>& out) {
  for (size_t i = first; i < points.size(); i += stride) {
    PlanModel model(pristine);
    model.SetDomesticContentMin(points[i]);
    if (log != nullptr) log->info("sweep: point {}/{}: domestic content >= {:.4g}", i + 1, points.size(), points[i]);
    out[i] = {points[i], model.Solve(log)};
  }
}

}  // namespace

SweepResult RunSweep(const model::Scenario& scenario, const PlanOptions& base, const std::vector<double>& points,
                     spdlog::logger* log) {
  for (double p : points) {
    if (!(p >= 0 && p <= 1)) throw common::UsageError(fmt::format("domestic sweep: point {} is outside 0..1", p));
  }
  SweepResult out;
  auto start = std::chrono::steady_clock::now();
  PlanOptions options = base;
  if (!points.empty()) options.domestic_content_min = points.front();
  // With two workers the points are split between two threads, each with its
  // own model (even-numbered points on the first, odd on the second), and each
  // solve runs one branch-and-bound search: the assignment of points to models
  // is fixed, so the results do not depend on timing.
  const size_t workers = base.workers >= 2 && points.size() >= 2 ? 2 : 1;
  if (workers == 2) options.workers = 1;
  PlanModel model(scenario, options);
  out.build_seconds = SecondsSince(start);
  start = std::chrono::steady_clock::now();
  out.points.resize(points.size());
  if (workers == 1) {
    SolveSlice(model, points, 0, 1, log, out.points);
  } else {
    const PlanModel second(model);  // each thread copies from its own pristine model
    std::exception_ptr failure;
    std::thread odd([&] {
      try {
        SolveSlice(second, points, 1, 2, log, out.points);
      } catch (...) {
        failure = std::current_exception();
      }
    });
    try {
      SolveSlice(model, points, 0, 2, log, out.points);
    } catch (...) {
      odd.join();
      throw;
    }
    odd.join();
    if (failure) std::rethrow_exception(failure);
  }
  out.solve_seconds = SecondsSince(start);
  return out;
}

}  // namespace rackforge::plan
