#pragma once
// Formats `explore` results: JSON ({"designs": [{"design", "method",
// "variants_total", "variants_passing", "front": [...]}]}), a console table per
// design and an HTML page with a cost-vs-domestic-share scatter chart
// (io::DesignYaml, io/scenario_writer.h, writes a variant as a designs/*.yaml file).
// Pure functions of the result.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "explore/explore.h"
#include "model/scenario.h"

namespace rackforge::report {

/// The explore JSON; each design's front is cut to its first `top` variants
/// (0 = all). Choices are 1-based option indices per slot, as in variant ids.
nlohmann::json ExploreJson(const model::Scenario& scenario, const explore::ExploreResult& result, size_t top = 0);

/// Console table per design: variants total / passing, method, and the first
/// `top` front variants with cost, domestic share, min suppliers, min margin,
/// choices and tightest rule.
std::string ExploreTable(const model::Scenario& scenario, const explore::ExploreResult& result, size_t top);

/// A self-contained HTML page: per design a summary, a scatter chart of cost vs
/// domestic share (front highlighted; for enumerated spaces every passing
/// variant is not kept, so the chart shows the front) and the front table.
std::string ExploreHtml(const model::Scenario& scenario, const explore::ExploreResult& result);

}  // namespace rackforge::report
