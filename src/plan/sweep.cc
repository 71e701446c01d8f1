#include "plan/sweep.h"

#include <fmt/format.h>
#include <spdlog/logger.h>

#include <atomic>
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

/// Solves the points whose index `next` hands out (one at a time, in order, until none is
/// left or `stop` is set), each on its own copy of the unsolved `pristine` model (a cold root
/// with CLP's presolve: re-solving from the previous point's basis took the root into 15k-49k
/// slow primal iterations, up to 18 s against 5.4 s cold, see docs/model.md); results go to
/// their slots. A point's result depends only on the pristine model and its floor, not on which
/// thread took it.
void SolvePoints(const PlanModel& pristine, const std::vector<double>& points, std::atomic<size_t>& next,
                 const std::atomic<bool>& stop, spdlog::logger* log, std::vector<SweepPoint>& out) {
  for (size_t i = next++; i < points.size() && !stop; i = next++) {
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
  // With two workers two threads take the points in order as they come free
  // (a queue, so a thread that drew easy floors takes the next one instead of
  // idling), each copying from its own pristine model, and each solve runs one
  // branch-and-bound search. Every point is solved alone on an identical copy
  // of the unsolved model, so the results do not depend on which thread took
  // which point or on timing.
  const size_t workers = base.workers >= 2 && points.size() >= 2 ? 2 : 1;
  if (workers == 2) options.workers = 1;
  PlanModel model(scenario, options);
  out.build_seconds = SecondsSince(start);
  start = std::chrono::steady_clock::now();
  out.points.resize(points.size());
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  if (workers == 1) {
    SolvePoints(model, points, next, stop, log, out.points);
  } else {
    const PlanModel second(model);  // each thread copies from its own pristine model
    std::exception_ptr failure;
    std::thread other([&] {
      try {
        SolvePoints(second, points, next, stop, log, out.points);
      } catch (...) {
        failure = std::current_exception();
        stop = true;
      }
    });
    try {
      SolvePoints(model, points, next, stop, log, out.points);
    } catch (...) {
      stop = true;
      other.join();
      throw;
    }
    other.join();
    if (failure) std::rethrow_exception(failure);
  }
  out.solve_seconds = SecondsSince(start);
  return out;
}

}  // namespace rackforge::plan
