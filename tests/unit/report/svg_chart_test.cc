#include "report/svg_chart.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "report/html_page.h"
#include "unit/report/xml_check.h"

namespace rackforge::report {

namespace {

using testing::CheckXml;

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + 1)) ++n;
  return n;
}

TEST(XmlCheckTest, DetectsBrokenDocuments) {
  EXPECT_EQ(CheckXml("<a><b x=\"1\"/>t &amp; u</a>"), "");
  EXPECT_NE(CheckXml("<a><b></a>"), "");
  EXPECT_NE(CheckXml("<a>x & y</a>"), "");
  EXPECT_NE(CheckXml("<a x=1></a>"), "");
  EXPECT_NE(CheckXml("<a>1 < 2</a>"), "");
}

TEST(NiceTicksTest, RoundStepsCoverTheRange) {
  EXPECT_EQ(NiceTicks(0, 2000), (std::vector<double>{0, 500, 1000, 1500, 2000}));
  EXPECT_EQ(NiceTicks(0, 1), (std::vector<double>{0, 0.2, 0.4, 0.6000000000000001, 0.8, 1}));
  EXPECT_EQ(NiceTicks(0, 51, 10), (std::vector<double>{0, 10, 20, 30, 40, 50, 60}));
  EXPECT_EQ(NiceTicks(-30, 70), (std::vector<double>{-40, -20, 0, 20, 40, 60, 80}));
  // Step 2.5 x 10^k: 0..12 in at most 6 ticks.
  EXPECT_EQ(NiceTicks(0, 12), (std::vector<double>{0, 2.5, 5, 7.5, 10, 12.5}));
}

TEST(NiceTicksTest, DegenerateRanges) {
  EXPECT_EQ(NiceTicks(0, 0), (std::vector<double>{0, 0.2, 0.4, 0.6000000000000001, 0.8, 1}));
  const std::vector<double> t = NiceTicks(100, 100);
  ASSERT_GE(t.size(), 2u);
  EXPECT_LE(t.front(), 100);
  EXPECT_GE(t.back(), 100);
  EXPECT_LT(t.front(), t.back());
  EXPECT_EQ(NiceTicks(5, 1).front(), 1);  // swapped bounds
}

TEST(FormatTest, TickLabels) {
  EXPECT_EQ(FormatTick(1500), "1.5k");
  EXPECT_EQ(FormatTick(2000000), "2M");
  EXPECT_EQ(FormatTick(0.25), "0.25");
  EXPECT_EQ(FormatTick(0), "0");
  EXPECT_EQ(FormatTick(-2500), "-2.5k");
}

TEST(EscapeTest, EscapesAllSpecialCharacters) {
  EXPECT_EQ(EscapeXml("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(EscapeHtml("plain"), "plain");
}

LineChart SampleLine() {
  LineChart chart;
  chart.frame.title = "Output <vs> target & \"floor\"";
  chart.frame.x_axis = {"Week", ""};
  chart.frame.y_axis = {"Output", "racks/week"};
  chart.x = {0, 1, 2, 3};
  chart.series.push_back({"built", {0, 500, 1000, 1900}, "", false});
  chart.series.push_back({"target <ramp>", {1000, 1000, 1500, 2000}, "#000", true});
  chart.band = Band{"P10-P90", {0, 400, 900, 1800}, {0, 600, 1100, 2000}, ""};
  return chart;
}

TEST(SvgChartTest, LineChartIsWellFormedAndEscaped) {
  const std::string svg = RenderLineChart(SampleLine());
  EXPECT_EQ(CheckXml(svg), "");
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(svg.find("Output &lt;vs&gt; target &amp; &quot;floor&quot;"), std::string::npos);
  EXPECT_NE(svg.find("target &lt;ramp&gt;"), std::string::npos);
  EXPECT_NE(svg.find("Output (racks/week)"), std::string::npos);
  EXPECT_EQ(Count(svg, "<polyline class=\"series\""), 2u);
  EXPECT_EQ(Count(svg, "<polygon class=\"band\""), 1u);
  EXPECT_EQ(Count(svg, "stroke-dasharray"), 2u);  // dashed series + its legend mark
  // Y ticks of 0..2000 are labelled.
  for (const char* label : {">0<", ">500<", ">1k<", ">1.5k<", ">2k<"}) EXPECT_NE(svg.find(label), std::string::npos);
}

TEST(SvgChartTest, LineChartMapsValuesIntoThePlotArea) {
  LineChart chart;
  chart.frame.width_px = 400;
  chart.frame.height_px = 200;
  chart.x = {0, 10};
  chart.series.push_back({"s", {0, 10}, "", false});
  const std::string svg = RenderLineChart(chart);
  // Plot area: left 64, right 400-16=384; top 24+16+10=50, bottom 200-46=154.
  EXPECT_NE(svg.find("points=\"64.0,154.0 384.0,50.0\""), std::string::npos) << svg;
}

TEST(SvgChartTest, IntegerXTicksForWeeks) {
  LineChart chart;
  chart.x = {0, 1, 2, 3};
  chart.series.push_back({"s", {1, 2, 3, 4}, "", false});
  EXPECT_NE(RenderLineChart(chart).find(">0.5<"), std::string::npos);  // step 0.5 by default
  chart.integer_x = true;
  const std::string svg = RenderLineChart(chart);
  EXPECT_EQ(svg.find(">0.5<"), std::string::npos);
  EXPECT_EQ(svg.find(">2.5<"), std::string::npos);
  EXPECT_NE(svg.find(">3</text>"), std::string::npos);
}

TEST(SvgChartTest, StackedBarsAddUp) {
  BarChart chart;
  chart.frame.title = "Output by plant";
  chart.frame.width_px = 400;
  chart.frame.height_px = 200;
  chart.categories = {"w0", "w1"};
  chart.series.push_back({"wi", {5, 10}, "", false});
  chart.series.push_back({"oh", {5, 0}, "", false});
  const std::string svg = RenderBarChart(chart);
  EXPECT_EQ(CheckXml(svg), "");
  EXPECT_EQ(Count(svg, "<rect x="), 3u + 1u + 2u);  // 3 bars (a zero is not drawn), background, 2 legend boxes
  // Both columns reach 10 = the top tick, y = plot top (50).
  EXPECT_NE(svg.find("<rect x=\"88.0\" y=\"50.0\""), std::string::npos) << svg;
  EXPECT_NE(svg.find("w1 / wi: 10"), std::string::npos);
}

TEST(SvgChartTest, GroupedBarsWithNegativeValues) {
  BarChart chart;
  chart.stacked = false;
  chart.categories = {"a & b"};
  chart.series.push_back({"x", {-3}, "", false});
  chart.series.push_back({"y", {7}, "", false});
  const std::string svg = RenderBarChart(chart);
  EXPECT_EQ(CheckXml(svg), "");
  EXPECT_NE(svg.find(">a &amp; b<"), std::string::npos);
  EXPECT_NE(svg.find(">-4<"), std::string::npos);  // y axis extends below zero
}

TEST(SvgChartTest, ScatterHighlightsPoints) {
  ScatterChart chart;
  chart.frame.title = "Front";
  chart.points = {{1, 2, "v1", false}, {2, 3, "v<2>", true}, {3, 1, "v3", false}};
  chart.highlight_name = "Pareto front";
  const std::string svg = RenderScatterChart(chart);
  EXPECT_EQ(CheckXml(svg), "");
  EXPECT_EQ(Count(svg, "r=\"6\""), 1u);
  EXPECT_EQ(Count(svg, "r=\"4\""), 2u + 2u);  // two points + two legend dots
  EXPECT_NE(svg.find("<title>v&lt;2&gt;</title>"), std::string::npos);
  EXPECT_NE(svg.find("Pareto front"), std::string::npos);
}

TEST(SvgChartTest, ScatterDiagonalRunsWhereBothAxesOverlap) {
  ScatterChart chart;
  chart.points = {{0, 0, "a", false}, {10, 40, "b", true}};  // x ticks 0..10, y ticks 0..40
  const size_t lines_without = Count(RenderScatterChart(chart), "stroke-dasharray");
  chart.diagonal_name = "TTS = TTR";
  const std::string svg = RenderScatterChart(chart);
  EXPECT_EQ(CheckXml(svg), "");
  EXPECT_EQ(Count(svg, "stroke-dasharray"), lines_without + 2);  // the line and its legend mark
  EXPECT_NE(svg.find("<title>TTS = TTR</title></line>"), std::string::npos);
  chart.points = {{0, 50, "c", false}, {10, 60, "d", false}};  // y starts above every x: no overlap, no line
  EXPECT_EQ(RenderScatterChart(chart).find("</title></line>"), std::string::npos);
}

TEST(SvgChartTest, EmptyChartsStillRender) {
  EXPECT_EQ(CheckXml(RenderLineChart({})), "");
  EXPECT_EQ(CheckXml(RenderBarChart({})), "");
  EXPECT_EQ(CheckXml(RenderScatterChart({})), "");
  EXPECT_EQ(CheckXml(RenderHeatmap({})), "");
}

TEST(SvgChartTest, SlantedBarLabelsAreAllWrittenAndStayOnTheChart) {
  BarChart chart;
  chart.frame.title = "PI";
  for (int i = 0; i < 20; ++i) chart.categories.push_back("supplier:a-long-supplier-name-" + std::to_string(i));
  chart.series.push_back({"PI", std::vector<double>(20, 1.0), "", false});
  const std::string upright = RenderBarChart(chart);
  EXPECT_EQ(Count(upright, "rotate(-35"), 0u);
  // Upright, 31-character labels (~210 px) fit only every 7th in the 680 px plot: bars 0, 7 and 14.
  EXPECT_EQ(Count(upright, "text-anchor=\"middle\">supplier:a-long"), 3u);
  chart.slanted_labels = true;
  const std::string svg = RenderBarChart(chart);
  EXPECT_EQ(CheckXml(svg), "");
  EXPECT_EQ(Count(svg, "rotate(-35"), 20u);
  EXPECT_EQ(Count(svg, "text-anchor=\"end\" transform=\"rotate(-35"), 20u);
  // The first label (31 characters) runs left from its bar: the plot starts far enough right to keep it on the chart.
  const size_t first = svg.find("<text x=\"", svg.find("rotate(-35") - 60);
  const double x = std::stod(svg.substr(first + 9));
  EXPECT_GE(x - 0.82 * 6.5 * 31, 0.0);
}

TEST(SvgChartTest, LineChartTicksCanBeIsoWeeks) {
  LineChart chart;
  chart.frame.title = "Output";
  for (int t = 0; t < 20; ++t) chart.x.push_back(t);
  chart.series.push_back({"racks", std::vector<double>(20, 1.0), "", false});
  chart.integer_x = true;
  for (int t = 0; t < 20; ++t) chart.x_labels.push_back(fmt::format("2026-W{:02}", t + 1));
  const std::string svg = RenderLineChart(chart);
  EXPECT_EQ(CheckXml(svg), "");
  EXPECT_NE(svg.find(">2026-W01</text>"), std::string::npos);  // x = 0
  EXPECT_NE(svg.find(">2026-W11</text>"), std::string::npos);  // x = 10
  EXPECT_EQ(svg.find("text-anchor=\"middle\">10</text>"), std::string::npos);
}

TEST(SvgChartTest, ScatterNamesHighlightedPointsOncePerPlaceWithoutOverlap) {
  ScatterChart chart;
  chart.frame.title = "TTS vs TTR";
  chart.points = {{4, 2, "a", true}, {4, 2, "b", true}, {4, 2, "c", true}, {4, 2.02, "d", true},
                  {10, 9, "e", true}, {1, 8, "f", false}};
  chart.point_names = {"node-a", "node-b", "node-c", "node-d", "node-e", "node-f"};
  const std::string svg = RenderScatterChart(chart);
  EXPECT_EQ(CheckXml(svg), "");
  EXPECT_EQ(Count(svg, "class=\"point-label\""), 2u);
  EXPECT_NE(svg.find(">node-a +2</text>"), std::string::npos);  // three points in one place, one label
  EXPECT_EQ(svg.find(">node-d</text>"), std::string::npos);    // would overlap node-a's label
  EXPECT_NE(svg.find(">node-e</text>"), std::string::npos);
  EXPECT_EQ(svg.find(">node-f</text>"), std::string::npos);    // not highlighted
}

TEST(SvgChartTest, ScatterOnOneScaleFromZeroDrawsTheWholeDiagonal) {
  ScatterChart chart;
  chart.frame.title = "TTS vs TTR";
  chart.diagonal_name = "TTS = TTR";
  chart.points = {{3, 10, "a", false}, {6, 10, "b", false}};  // y 9..11 and x 3..6 alone would not overlap
  EXPECT_EQ(RenderScatterChart(chart).find("<title>TTS = TTR</title></line>"), std::string::npos);
  chart.same_scale_from_zero = true;
  const std::string svg = RenderScatterChart(chart);
  EXPECT_EQ(CheckXml(svg), "");
  EXPECT_NE(svg.find("<title>TTS = TTR</title></line>"), std::string::npos);
  EXPECT_NE(svg.find("text-anchor=\"middle\">0</text>"), std::string::npos);  // the x axis starts at 0
  // Both axes run 0..12.5 (ticks of 10 x 1.05): the same scale.
  EXPECT_NE(svg.find("text-anchor=\"middle\">12.5</text>"), std::string::npos);
  EXPECT_NE(svg.find("text-anchor=\"end\">12.5</text>"), std::string::npos);
}

TEST(SvgChartTest, HeatmapHasOneCellPerRowAndColumnAndFramesMarkedCells) {
  Heatmap chart;
  chart.frame.title = "Load <lines>";
  chart.columns = {"2026-W01", "2026-W02", "2026-W03"};
  chart.rows = {{"wi-l1", {0.0, 0.5, 1.0}, {false, false, true}, {}},
                {"line <b>", {std::nan(""), 0.25, 1.0}, {false, false, true}, {"a", "b", "c & d"}}};
  const std::string svg = RenderHeatmap(chart);
  EXPECT_EQ(CheckXml(svg), "");
  EXPECT_EQ(Count(svg, "<rect class=\"cell"), 6u);
  EXPECT_EQ(Count(svg, "<rect class=\"cell marked\""), 2u);
  EXPECT_EQ(Count(svg, "fill=\"url(#hm-none)\"><title>"), 1u);  // the NaN cell (the legend swatch has no title)
  EXPECT_NE(svg.find("fill=\"rgb(246,248,252)\""), std::string::npos);  // 0 %: near white
  EXPECT_NE(svg.find("fill=\"rgb(31,84,190)\""), std::string::npos);    // 100 %: deep blue
  EXPECT_NE(svg.find("<title>wi-l1, 2026-W02: 50.0 %</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>c &amp; d</title>"), std::string::npos);
  EXPECT_NE(svg.find("line &lt;b&gt;"), std::string::npos);
  // The height follows the rows: two more rows make the chart 2 x 14 px taller.
  chart.rows.push_back(chart.rows[0]);
  chart.rows.push_back(chart.rows[0]);
  auto height = [](const std::string& text) { return std::stoi(text.substr(text.find("height=\"") + 8)); };
  EXPECT_EQ(height(RenderHeatmap(chart)) - height(svg), 28);
}

TEST(HtmlPageTest, PageIsSelfContainedAndEscaped) {
  HtmlPage page("Plan <us-ai-racks>");
  page.AddHeading("Costs & parts");
  page.AddParagraph("a < b");
  page.AddKeyValues({{"objective", "$1,000"}});
  HtmlTable table;
  table.caption = "Bottlenecks";
  table.headers = {"node", "dual (USD/unit)"};
  table.rows = {{"line:<x>", "12.5"}, {"plant:\"y\"", "3"}};
  table.numeric_columns = {1};
  page.AddTable(table);
  page.AddRaw(RenderLineChart(SampleLine()));
  const std::string html = page.Render();
  EXPECT_EQ(CheckXml(html, /*allow_doctype=*/true), "");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<title>Plan &lt;us-ai-racks&gt;</title>"), std::string::npos);
  EXPECT_NE(html.find("<h2>Costs &amp; parts</h2>"), std::string::npos);
  EXPECT_NE(html.find("<td>line:&lt;x&gt;</td><td class=\"num\">12.5</td>"), std::string::npos);
  EXPECT_NE(html.find("<caption>Bottlenecks</caption>"), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));  // no external resources
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
}

}  // namespace
}  // namespace rackforge::report
