#pragma once
// A small dependency-free inline-SVG chart writer for the HTML reports: line
// charts (several series, optional band), stacked or grouped bar charts and
// scatter plots with highlighted points. Every function returns a complete
// <svg> element as a string; all text is XML-escaped. Pure and thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rackforge::report {

/// An axis caption: "Week" with unit "" or "Output" with unit "racks/week".
struct Axis {
  std::string label;
  std::string unit;  // shown in parentheses after the label when not empty
};

/// One data series; `values` is aligned with the chart's x values or categories.
struct Series {
  std::string name;
  std::vector<double> values;
  std::string color;    // CSS colour; empty = next colour of the default palette
  bool dashed = false;  // line charts: draw as a dashed line (targets, floors)
};

/// A shaded band between two curves (e.g. P10..P90), drawn below the series.
struct Band {
  std::string name;
  std::vector<double> low;
  std::vector<double> high;
  std::string color;  // empty = light grey-blue
};

/// Common frame of every chart.
struct ChartFrame {
  std::string title;
  Axis x_axis;
  Axis y_axis;
  int width_px = 760;
  int height_px = 320;
};

/// Line chart over numeric x values (weeks, shares).
struct LineChart {
  ChartFrame frame;
  std::vector<double> x;
  std::vector<Series> series;
  std::optional<Band> band;
  bool integer_x = false;  // only whole-number x ticks (weeks)
  /// Tick labels for whole-number x values (x_labels[k] labels x = k, e.g. "2026-W05" for week 5);
  /// ticks beyond it or at fractional x keep their number.
  std::vector<std::string> x_labels;
};

/// Bar chart over categories; stacked (one bar per category) or grouped.
struct BarChart {
  ChartFrame frame;
  std::vector<std::string> categories;
  std::vector<Series> series;
  bool stacked = true;
  /// Category labels slanted at 35° (long names such as node ids); the plot
  /// leaves room for them below and every label is shown.
  bool slanted_labels = false;
};

/// One point of a scatter plot.
struct ScatterPoint {
  double x = 0;
  double y = 0;
  std::string label;         // tooltip (<title>)
  bool highlighted = false;  // drawn larger, in the highlight colour
};

/// Scatter plot; highlighted points form their own legend entry.
struct ScatterChart {
  ChartFrame frame;
  std::vector<ScatterPoint> points;
  std::string points_name = "points";
  std::string highlight_name = "highlighted";
  std::string diagonal_name;  // non-empty: draws the line y = x (dashed) with this legend name
  /// Short names of the points (aligned with points; shorter = unnamed). Highlighted points get
  /// theirs written beside them: one label per position ("a +2" for three points in one place),
  /// none where it would overlap a label already written (the tooltip still has it).
  std::vector<std::string> point_names;
  /// Both axes from 0 to the larger maximum (TTS against TTR: the diagonal then splits the plot).
  bool same_scale_from_zero = false;
};

/// One row of a heatmap: a share per column (0..1; NaN = nothing there) and
/// the columns to mark (binding weeks).
struct HeatmapRow {
  std::string label;
  std::vector<double> share;
  std::vector<bool> marked;       // aligned with share; shorter = unmarked
  std::vector<std::string> tips;  // cell tooltips (<title>), aligned with share; shorter = label and share
};

/// A grid of cells, white (0) to deep blue (1), hatched grey where a row has
/// nothing (NaN), with an orange frame around marked cells. The height follows
/// from the rows (frame.height_px is ignored); `columns` label the x axis
/// (every few are shown when they do not fit).
struct Heatmap {
  ChartFrame frame;
  std::vector<std::string> columns;
  std::vector<HeatmapRow> rows;
  std::string marked_name = "marked";
  std::string none_name = "none";
  int row_height_px = 14;
  int label_width_px = 150;  // at least; wider when a label needs it
};

/// Renders a line chart. Missing values (series shorter than x) are not drawn.
std::string RenderLineChart(const LineChart& chart);
/// Renders a bar chart; negative values in a stacked chart stack downwards.
std::string RenderBarChart(const BarChart& chart);
/// Renders a scatter plot.
std::string RenderScatterChart(const ScatterChart& chart);
/// Renders a heatmap.
std::string RenderHeatmap(const Heatmap& chart);

/// "Nice" tick positions (steps of 1, 2, 2.5 or 5 x 10^k) covering [lo, hi],
/// at most about `max_ticks` of them; the first tick <= lo and the last >= hi.
/// lo == hi gives a small range around the value. Always at least two ticks.
std::vector<double> NiceTicks(double lo, double hi, int max_ticks = 6);

/// Short tick label: 1500 -> "1.5k", 2000000 -> "2M", 0.25 -> "0.25".
std::string FormatTick(double value);

/// Escapes & < > " ' for XML/HTML text and attribute values.
std::string EscapeXml(std::string_view text);

/// The default palette colour number i (cycles).
const char* PaletteColor(size_t i);

}  // namespace rackforge::report
