#include "report/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace rackforge::report {

namespace {

constexpr double kMarginLeftPx = 64;
constexpr double kMarginRightPx = 16;
constexpr double kMarginBottomPx = 46;
constexpr double kTitleHeightPx = 24;
constexpr double kLegendRowPx = 16;
constexpr double kCharWidthPx = 6.5;

constexpr const char* kPalette[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2",
                                    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

std::string Num(double v) { return fmt::format("{:.1f}", v); }

std::string ColorOf(const std::string& requested, size_t index) {
  return requested.empty() ? PaletteColor(index) : requested;
}

std::string AxisCaption(const Axis& axis) {
  return axis.unit.empty() ? axis.label : fmt::format("{} ({})", axis.label, axis.unit);
}

// Maps data coordinates into the plot rectangle.
struct Plot {
  double left = 0, top = 0, width = 0, height = 0;
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  double X(double v) const { return left + (x1 == x0 ? 0.5 : (v - x0) / (x1 - x0)) * width; }
  double Y(double v) const { return top + height - (y1 == y0 ? 0.5 : (v - y0) / (y1 - y0)) * height; }
};

struct LegendEntry {
  std::string name;
  std::string color;
  enum class Mark { kLine, kDashed, kBox, kDot } mark = Mark::kBox;
};

// Legend laid out in rows under the title; returns the rows used.
int LegendRows(const std::vector<LegendEntry>& entries, double width_px) {
  if (entries.empty()) return 0;
  int rows = 1;
  double x = kMarginLeftPx;
  for (const LegendEntry& e : entries) {
    const double w = 22 + kCharWidthPx * static_cast<double>(e.name.size()) + 14;
    if (x + w > width_px - kMarginRightPx && x > kMarginLeftPx) {
      ++rows;
      x = kMarginLeftPx;
    }
    x += w;
  }
  return rows;
}

std::string RenderLegend(const std::vector<LegendEntry>& entries, double width_px) {
  std::string out = "<g class=\"legend\">";
  double x = kMarginLeftPx;
  double y = kTitleHeightPx + 10;
  for (const LegendEntry& e : entries) {
    const double w = 22 + kCharWidthPx * static_cast<double>(e.name.size()) + 14;
    if (x + w > width_px - kMarginRightPx && x > kMarginLeftPx) {
      x = kMarginLeftPx;
      y += kLegendRowPx;
    }
    const std::string color = EscapeXml(e.color);
    switch (e.mark) {
      case LegendEntry::Mark::kLine:
      case LegendEntry::Mark::kDashed:
        out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\"{}/>", Num(x),
                           Num(y - 4), Num(x + 16), Num(y - 4), color,
                           e.mark == LegendEntry::Mark::kDashed ? " stroke-dasharray=\"5,3\"" : "");
        break;
      case LegendEntry::Mark::kBox:
        out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"10\" fill=\"{}\"/>", Num(x), Num(y - 9),
                           color);
        break;
      case LegendEntry::Mark::kDot:
        out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{}\"/>", Num(x + 7), Num(y - 4), color);
        break;
    }
    out += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>", Num(x + 20), Num(y), EscapeXml(e.name));
    x += w;
  }
  return out + "</g>";
}

std::string OpenSvg(const ChartFrame& frame) {
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" role=\"img\" font-family=\"sans-serif\" font-size=\"11\" fill=\"#222\">",
      frame.width_px, frame.height_px);
  out += fmt::format("<title>{}</title>", EscapeXml(frame.title));
  out += fmt::format("<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#fff\"/>", frame.width_px,
                     frame.height_px);
  out += fmt::format("<text x=\"{}\" y=\"16\" font-size=\"13\" font-weight=\"bold\">{}</text>", Num(kMarginLeftPx),
                     EscapeXml(frame.title));
  return out;
}

Plot MakePlot(const ChartFrame& frame, int legend_rows) {
  Plot p;
  p.left = kMarginLeftPx;
  p.top = kTitleHeightPx + legend_rows * kLegendRowPx + 10;
  p.width = std::max(10.0, frame.width_px - kMarginLeftPx - kMarginRightPx);
  p.height = std::max(10.0, frame.height_px - p.top - kMarginBottomPx);
  return p;
}

// Horizontal grid lines, y tick labels and the y caption.
std::string RenderYAxis(const Plot& p, const std::vector<double>& ticks, const Axis& axis) {
  std::string out = "<g class=\"y-axis\">";
  for (double t : ticks) {
    const double y = p.Y(t);
    out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#e3e3e3\"/>", Num(p.left), Num(y),
                       Num(p.left + p.width), Num(y));
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", Num(p.left - 6), Num(y + 4),
                       EscapeXml(FormatTick(t)));
  }
  const double cy = p.top + p.height / 2;
  out += fmt::format("<text x=\"14\" y=\"{0}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {0})\">{1}</text>",
                     Num(cy), EscapeXml(AxisCaption(axis)));
  out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#888\"/>", Num(p.left), Num(p.top),
                     Num(p.top + p.height));
  return out + "</g>";
}

std::string RenderXCaption(const Plot& p, const Axis& axis) {
  return fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", Num(p.left + p.width / 2),
                     Num(p.top + p.height + 36), EscapeXml(AxisCaption(axis)));
}

std::string RenderXTicks(const Plot& p, const std::vector<double>& ticks,
                         const std::vector<std::string>& labels = {}) {
  std::string out = "<g class=\"x-axis\">";
  out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#888\"/>", Num(p.left),
                     Num(p.top + p.height), Num(p.left + p.width), Num(p.top + p.height));
  for (double t : ticks) {
    if (t < std::min(p.x0, p.x1) - 1e-9 || t > std::max(p.x0, p.x1) + 1e-9) continue;
    const double x = p.X(t);
    out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#888\"/>", Num(x),
                       Num(p.top + p.height), Num(p.top + p.height + 4));
    const bool named = t >= 0 && t == std::floor(t) && static_cast<size_t>(t) < labels.size();
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", Num(x), Num(p.top + p.height + 16),
                       EscapeXml(named ? labels[static_cast<size_t>(t)] : FormatTick(t)));
  }
  return out + "</g>";
}

void Extend(double v, double& lo, double& hi) {
  if (!std::isfinite(v)) return;
  lo = std::min(lo, v);
  hi = std::max(hi, v);
}

// Y ticks for data in [lo, hi], always including 0 for charts of quantities.
std::vector<double> YTicks(double lo, double hi) {
  if (lo > hi) lo = hi = 0;
  return NiceTicks(std::min(lo, 0.0), std::max(hi, 0.0));
}

std::string Polyline(const Plot& p, const std::vector<double>& x, const std::vector<double>& y) {
  std::string points;
  const size_t n = std::min(x.size(), y.size());
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(y[i])) continue;
    if (!points.empty()) points += ' ';
    points += Num(p.X(x[i])) + "," + Num(p.Y(y[i]));
  }
  return points;
}

}  // namespace

const char* PaletteColor(size_t i) { return kPalette[i % (sizeof(kPalette) / sizeof(kPalette[0]))]; }

std::string EscapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::vector<double> NiceTicks(double lo, double hi, int max_ticks) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return {0, 1};
  if (lo > hi) std::swap(lo, hi);
  if (hi - lo <= 1e-12 * std::max(1.0, std::abs(hi))) {
    if (lo == 0) {
      hi = 1;
    } else {
      const double pad = std::abs(lo) * 0.1;
      lo -= pad;
      hi += pad;
    }
  }
  const double raw = (hi - lo) / std::max(1, max_ticks - 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * magnitude;
  for (double nice : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (nice * magnitude >= raw * (1 - 1e-12)) {
      step = nice * magnitude;
      break;
    }
  }
  const double first = std::floor(lo / step + 1e-9) * step;
  const double last = std::ceil(hi / step - 1e-9) * step;
  const int count = static_cast<int>(std::llround((last - first) / step)) + 1;
  std::vector<double> ticks;
  for (int i = 0; i < std::max(count, 2); ++i) {
    double t = first + i * step;
    if (std::abs(t) < step * 1e-9) t = 0;
    ticks.push_back(t);
  }
  return ticks;
}

std::string FormatTick(double value) {
  const double a = std::abs(value);
  if (a >= 1e9) return fmt::format("{:.3g}B", value / 1e9);
  if (a >= 1e6) return fmt::format("{:.3g}M", value / 1e6);
  if (a >= 1e3) return fmt::format("{:.3g}k", value / 1e3);
  if (a < 1e-12) return "0";
  return fmt::format("{:.3g}", value);
}

std::string RenderLineChart(const LineChart& chart) {
  std::vector<LegendEntry> legend;
  if (chart.band) legend.push_back({chart.band->name, chart.band->color.empty() ? "#c6d7ea" : chart.band->color});
  for (size_t i = 0; i < chart.series.size(); ++i) {
    const Series& s = chart.series[i];
    legend.push_back({s.name, ColorOf(s.color, i),
                      s.dashed ? LegendEntry::Mark::kDashed : LegendEntry::Mark::kLine});
  }
  const int rows = LegendRows(legend, chart.frame.width_px);
  Plot p = MakePlot(chart.frame, rows);

  double x_lo = std::numeric_limits<double>::infinity(), x_hi = -x_lo;
  for (double x : chart.x) Extend(x, x_lo, x_hi);
  if (x_lo > x_hi) x_lo = x_hi = 0;
  double y_lo = std::numeric_limits<double>::infinity(), y_hi = -y_lo;
  for (const Series& s : chart.series) {
    for (double v : s.values) Extend(v, y_lo, y_hi);
  }
  if (chart.band) {
    for (double v : chart.band->low) Extend(v, y_lo, y_hi);
    for (double v : chart.band->high) Extend(v, y_lo, y_hi);
  }
  const std::vector<double> y_ticks = YTicks(y_lo, y_hi);
  p.x0 = x_lo;
  p.x1 = x_hi;
  p.y0 = y_ticks.front();
  p.y1 = y_ticks.back();

  std::string out = OpenSvg(chart.frame);
  out += RenderLegend(legend, chart.frame.width_px);
  out += RenderYAxis(p, y_ticks, chart.frame.y_axis);
  std::vector<double> x_ticks = NiceTicks(x_lo, x_hi, chart.x_labels.empty() ? 10 : 8);
  if (chart.integer_x) {
    std::erase_if(x_ticks, [](double t) { return t != std::floor(t); });
  }
  out += RenderXTicks(p, x_ticks, chart.x_labels);
  out += RenderXCaption(p, chart.frame.x_axis);
  if (chart.band) {
    const Band& b = *chart.band;
    const size_t n = std::min({chart.x.size(), b.low.size(), b.high.size()});
    std::string points;
    for (size_t i = 0; i < n; ++i) points += Num(p.X(chart.x[i])) + "," + Num(p.Y(b.high[i])) + " ";
    for (size_t i = n; i-- > 0;) points += Num(p.X(chart.x[i])) + "," + Num(p.Y(b.low[i])) + " ";
    out += fmt::format("<polygon class=\"band\" points=\"{}\" fill=\"{}\" fill-opacity=\"0.6\" stroke=\"none\"/>",
                       points, EscapeXml(b.color.empty() ? "#c6d7ea" : b.color));
  }
  for (size_t i = 0; i < chart.series.size(); ++i) {
    const Series& s = chart.series[i];
    out += fmt::format("<polyline class=\"series\" points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{}>"
                       "<title>{}</title></polyline>",
                       Polyline(p, chart.x, s.values), EscapeXml(ColorOf(s.color, i)),
                       s.dashed ? " stroke-dasharray=\"5,3\"" : "", EscapeXml(s.name));
  }
  return out + "</svg>";
}

std::string RenderBarChart(const BarChart& chart) {
  std::vector<LegendEntry> legend;
  for (size_t i = 0; i < chart.series.size(); ++i) legend.push_back({chart.series[i].name, ColorOf(chart.series[i].color, i)});
  const int rows = LegendRows(legend, chart.frame.width_px);
  Plot p = MakePlot(chart.frame, rows);
  const size_t n = chart.categories.size();
  // Slanted labels: the longest one sets the room below the plot (sin 35° ≈ 0.57).
  double slant_room = 0;
  if (chart.slanted_labels) {
    size_t longest = 0;
    for (const std::string& c : chart.categories) longest = std::max(longest, c.size());
    slant_room = std::min(0.6 * chart.frame.height_px, 0.57 * kCharWidthPx * static_cast<double>(longest));
    p.height = std::max(10.0, p.height - slant_room);
    // The first label runs left from its bar (cos 35° ≈ 0.82): widen the left margin when it would leave the chart.
    if (n > 0) {
      const double needed = 0.82 * kCharWidthPx * static_cast<double>(chart.categories[0].size()) + 4;
      const double shift = std::max(0.0, needed - (p.left + p.width / static_cast<double>(2 * n)));
      p.left += shift;
      p.width = std::max(10.0, p.width - shift);
    }
  }

  double y_lo = 0, y_hi = 0;
  for (size_t c = 0; c < n; ++c) {
    double pos = 0, neg = 0;
    for (const Series& s : chart.series) {
      const double v = c < s.values.size() && std::isfinite(s.values[c]) ? s.values[c] : 0;
      if (chart.stacked) {
        (v >= 0 ? pos : neg) += v;
      } else {
        Extend(v, y_lo, y_hi);
      }
    }
    Extend(pos, y_lo, y_hi);
    Extend(neg, y_lo, y_hi);
  }
  const std::vector<double> y_ticks = YTicks(y_lo, y_hi);
  p.y0 = y_ticks.front();
  p.y1 = y_ticks.back();

  std::string out = OpenSvg(chart.frame);
  out += RenderLegend(legend, chart.frame.width_px);
  out += RenderYAxis(p, y_ticks, chart.frame.y_axis);
  Plot caption_plot = p;
  caption_plot.height += slant_room;
  out += RenderXCaption(caption_plot, chart.frame.x_axis);
  const double band = n > 0 ? p.width / static_cast<double>(n) : p.width;
  size_t longest_label = 1;
  for (const std::string& c : chart.categories) longest_label = std::max(longest_label, c.size());
  // Upright labels: at most 16, and no more than fit side by side.
  const size_t fit = static_cast<size_t>(
      std::ceil(static_cast<double>(n) * (kCharWidthPx * static_cast<double>(longest_label) + 8) / std::max(1.0, p.width)));
  const size_t label_every = chart.slanted_labels ? 1 : std::max<size_t>({1, (n + 15) / 16, fit});
  out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#888\"/>", Num(p.left), Num(p.Y(0)),
                     Num(p.left + p.width), Num(p.Y(0)));
  const size_t k = std::max<size_t>(1, chart.series.size());
  for (size_t c = 0; c < n; ++c) {
    const double x_band = p.left + band * static_cast<double>(c);
    if (chart.slanted_labels) {
      const double lx = x_band + band / 2, ly = p.top + p.height + 12;
      out += fmt::format("<text x=\"{0}\" y=\"{1}\" text-anchor=\"end\" transform=\"rotate(-35 {0} {1})\">{2}</text>",
                         Num(lx), Num(ly), EscapeXml(chart.categories[c]));
    } else if (c % label_every == 0 &&
               x_band + band / 2 + kCharWidthPx * static_cast<double>(chart.categories[c].size()) / 2 <=
                   chart.frame.width_px) {  // a label cut by the right edge is left out
      out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", Num(x_band + band / 2),
                         Num(p.top + p.height + 16), EscapeXml(chart.categories[c]));
    }
    double pos = 0, neg = 0;
    for (size_t i = 0; i < chart.series.size(); ++i) {
      const Series& s = chart.series[i];
      const double v = c < s.values.size() && std::isfinite(s.values[c]) ? s.values[c] : 0;
      if (v == 0) continue;
      double base = 0, bar_x = 0, bar_w = 0;
      if (chart.stacked) {
        base = v >= 0 ? pos : neg;
        (v >= 0 ? pos : neg) += v;
        bar_w = band * 0.7;
        bar_x = x_band + band * 0.15;
      } else {
        bar_w = band * 0.8 / static_cast<double>(k);
        bar_x = x_band + band * 0.1 + bar_w * static_cast<double>(i);
      }
      const double y_a = p.Y(base), y_b = p.Y(base + v);
      out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}</title></rect>",
                         Num(bar_x), Num(std::min(y_a, y_b)), Num(bar_w), Num(std::abs(y_a - y_b)),
                         EscapeXml(ColorOf(s.color, i)),
                         EscapeXml(fmt::format("{} / {}: {}", chart.categories[c], s.name, FormatTick(v))));
    }
  }
  return out + "</svg>";
}

std::string RenderScatterChart(const ScatterChart& chart) {
  const std::string normal_color = "#4e79a7", highlight_color = "#e15759";
  std::vector<LegendEntry> legend = {{chart.points_name, normal_color, LegendEntry::Mark::kDot}};
  const bool any_highlight =
      std::any_of(chart.points.begin(), chart.points.end(), [](const ScatterPoint& sp) { return sp.highlighted; });
  if (any_highlight) legend.push_back({chart.highlight_name, highlight_color, LegendEntry::Mark::kDot});
  const std::string diagonal_color = "#888888";
  if (!chart.diagonal_name.empty()) legend.push_back({chart.diagonal_name, diagonal_color, LegendEntry::Mark::kDashed});
  const int rows = LegendRows(legend, chart.frame.width_px);
  Plot p = MakePlot(chart.frame, rows);

  double x_lo = std::numeric_limits<double>::infinity(), x_hi = -x_lo, y_lo = x_lo, y_hi = -x_lo;
  for (const ScatterPoint& sp : chart.points) {
    Extend(sp.x, x_lo, x_hi);
    Extend(sp.y, y_lo, y_hi);
  }
  if (x_lo > x_hi) x_lo = x_hi = 0;
  if (y_lo > y_hi) y_lo = y_hi = 0;
  if (chart.same_scale_from_zero) {
    // Both axes 0..max (+5 % so that points on the maximum are not cut by the frame).
    x_lo = y_lo = std::min({0.0, x_lo, y_lo});
    x_hi = y_hi = std::max(x_hi, y_hi) * 1.05;
  }
  const std::vector<double> x_ticks = NiceTicks(x_lo, x_hi), y_ticks = NiceTicks(y_lo, y_hi);
  p.x0 = x_ticks.front();
  p.x1 = x_ticks.back();
  p.y0 = y_ticks.front();
  p.y1 = y_ticks.back();

  std::string out = OpenSvg(chart.frame);
  out += RenderLegend(legend, chart.frame.width_px);
  out += RenderYAxis(p, y_ticks, chart.frame.y_axis);
  out += RenderXTicks(p, x_ticks);
  out += RenderXCaption(p, chart.frame.x_axis);
  // y = x over the part of the plot where both axes overlap.
  const double d0 = std::max(p.x0, p.y0), d1 = std::min(p.x1, p.y1);
  if (!chart.diagonal_name.empty() && d0 < d1) {
    out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1.5\" "
                       "stroke-dasharray=\"5,3\"><title>{}</title></line>",
                       Num(p.X(d0)), Num(p.Y(d0)), Num(p.X(d1)), Num(p.Y(d1)), diagonal_color,
                       EscapeXml(chart.diagonal_name));
  }
  // Labels of highlighted points: points at the same place share one label ("a +2"), and a label
  // that would overlap one already placed is left out (its name stays in the tooltip).
  if (!chart.point_names.empty()) {
    struct Box { double x0, y0, x1, y1; };
    std::vector<Box> placed;
    std::vector<bool> done(chart.points.size(), false);
    for (size_t i = 0; i < chart.points.size(); ++i) {
      const ScatterPoint& sp = chart.points[i];
      if (done[i] || !sp.highlighted || !std::isfinite(sp.x) || !std::isfinite(sp.y)) continue;
      size_t same = 0;
      for (size_t j = i + 1; j < chart.points.size(); ++j) {
        if (chart.points[j].highlighted && chart.points[j].x == sp.x && chart.points[j].y == sp.y) {
          done[j] = true;
          ++same;
        }
      }
      const std::string name = i < chart.point_names.size() ? chart.point_names[i] : "";
      if (name.empty()) continue;
      const std::string text = same > 0 ? fmt::format("{} +{}", name, same) : name;
      const double x = p.X(sp.x) + 8, y = p.Y(sp.y) + 4;
      const double w = kCharWidthPx * static_cast<double>(text.size());
      const bool flip = x + w > p.left + p.width;  // near the right edge: label to the left of the point
      const Box box{flip ? x - 16 - w : x, y - 10, flip ? x - 16 : x + w, y + 2};
      const bool overlaps = std::any_of(placed.begin(), placed.end(), [&](const Box& b) {
        return box.x0 < b.x1 && b.x0 < box.x1 && box.y0 < b.y1 && b.y0 < box.y1;
      });
      if (overlaps || text.empty()) continue;
      placed.push_back(box);
      out += fmt::format("<text class=\"point-label\" x=\"{}\" y=\"{}\" font-size=\"10\">{}</text>", Num(box.x0),
                         Num(y), EscapeXml(text));
    }
  }
  // Highlighted points last so that they are drawn on top.
  for (int pass = 0; pass < 2; ++pass) {
    for (const ScatterPoint& sp : chart.points) {
      if (sp.highlighted != (pass == 1) || !std::isfinite(sp.x) || !std::isfinite(sp.y)) continue;
      out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" fill-opacity=\"0.8\"><title>{}</title></circle>",
                         Num(p.X(sp.x)), Num(p.Y(sp.y)), sp.highlighted ? 6 : 4,
                         sp.highlighted ? highlight_color : normal_color, EscapeXml(sp.label));
    }
  }
  return out + "</svg>";
}

std::string RenderHeatmap(const Heatmap& chart) {
  const size_t columns = chart.columns.size();
  size_t longest = 0;
  for (const HeatmapRow& row : chart.rows) longest = std::max(longest, row.label.size());
  const double left = std::max<double>(chart.label_width_px, kCharWidthPx * static_cast<double>(longest) + 12);
  const double top = kTitleHeightPx + kLegendRowPx + 14;
  const double cell_h = chart.row_height_px;
  const double plot_w = std::max(10.0, chart.frame.width_px - left - kMarginRightPx);
  const double cell_w = columns > 0 ? plot_w / static_cast<double>(columns) : plot_w;
  const double plot_h = cell_h * static_cast<double>(chart.rows.size());
  ChartFrame frame = chart.frame;
  frame.height_px = static_cast<int>(std::ceil(top + plot_h + 40));
  const std::string none_fill = "url(#hm-none)";
  const std::string mark_color = "#e0803a";
  auto shade = [](double share) {
    const double s = std::clamp(share, 0.0, 1.0);
    auto mix = [s](double a, double b) { return static_cast<int>(std::lround(a + (b - a) * s)); };
    return fmt::format("rgb({},{},{})", mix(246, 31), mix(248, 84), mix(252, 190));
  };

  std::string out = OpenSvg(frame);
  out += "<defs><pattern id=\"hm-none\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
         "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#eceff3\"/>"
         "<rect width=\"3\" height=\"6\" fill=\"#dfe3e8\"/></pattern></defs>";
  // Legend: a colour ramp, "none" and the mark.
  out += "<g class=\"legend\">";
  double x = left;
  const double ly = kTitleHeightPx + 10;
  for (double s : {0.0, 0.25, 0.5, 0.75, 1.0}) {
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"10\" fill=\"{}\" stroke=\"#ccc\"/>", Num(x),
                       Num(ly - 9), shade(s));
    out += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>", Num(x + 18), Num(ly), fmt::format("{:.0f} %", s * 100));
    x += 58;
  }
  out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"10\" fill=\"{}\" stroke=\"#ccc\"/>", Num(x),
                     Num(ly - 9), none_fill);
  out += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>", Num(x + 18), Num(ly), EscapeXml(chart.none_name));
  x += 26 + kCharWidthPx * static_cast<double>(chart.none_name.size());
  out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"10\" fill=\"{}\" stroke=\"{}\" stroke-width=\"2\"/>",
                     Num(x), Num(ly - 9), shade(1), mark_color);
  out += fmt::format("<text x=\"{}\" y=\"{}\">{}</text></g>", Num(x + 18), Num(ly), EscapeXml(chart.marked_name));

  for (size_t r = 0; r < chart.rows.size(); ++r) {
    const HeatmapRow& row = chart.rows[r];
    const double y = top + cell_h * static_cast<double>(r);
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", Num(left - 6), Num(y + cell_h - 3),
                       EscapeXml(row.label));
    for (size_t c = 0; c < columns && c < row.share.size(); ++c) {
      const double v = row.share[c];
      const bool none = !std::isfinite(v);
      const bool marked = c < row.marked.size() && row.marked[c];
      const std::string tip = c < row.tips.size()
                                  ? row.tips[c]
                                  : fmt::format("{}, {}: {}", row.label, chart.columns[c],
                                                none ? chart.none_name : fmt::format("{:.1f} %", v * 100));
      out += fmt::format("<rect class=\"cell{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{}>"
                         "<title>{}</title></rect>",
                         marked ? " marked" : "", Num(left + cell_w * static_cast<double>(c) + 0.5), Num(y + 0.5),
                         Num(std::max(1.0, cell_w - 1)), Num(cell_h - 1), none ? none_fill : shade(v),
                         marked ? fmt::format(" stroke=\"{}\" stroke-width=\"1.5\"", mark_color) : "",
                         EscapeXml(tip));
    }
  }
  // Column labels under the grid, as many as fit.
  const size_t every = std::max<size_t>(1, static_cast<size_t>(std::ceil(60.0 / std::max(1.0, cell_w))));
  for (size_t c = 0; c < columns; c += every) {
    const double cx = left + cell_w * (static_cast<double>(c) + 0.5);
    if (cx + kCharWidthPx * static_cast<double>(chart.columns[c].size()) / 2 > frame.width_px) break;  // cut by the edge
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", Num(cx), Num(top + plot_h + 14),
                       EscapeXml(chart.columns[c]));
  }
  out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", Num(left + plot_w / 2),
                     Num(top + plot_h + 32), EscapeXml(AxisCaption(chart.frame.x_axis)));
  return out + "</svg>";
}

}  // namespace rackforge::report
