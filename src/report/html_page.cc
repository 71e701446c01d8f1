#include "report/html_page.h"

#include <fmt/format.h>

#include <algorithm>

#include "report/svg_chart.h"

namespace rackforge::report {

namespace {

constexpr const char* kCss = R"css(
body { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #222;
       max-width: 1100px; margin: 24px auto; padding: 0 16px; line-height: 1.45; }
h1 { font-size: 1.6em; border-bottom: 2px solid #4e79a7; padding-bottom: 4px; }
h2 { font-size: 1.25em; margin-top: 1.8em; color: #2b4a6f; }
h3, h4 { font-size: 1.05em; margin-top: 1.2em; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.92em; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
th, td { border: 1px solid #d8d8d8; padding: 4px 8px; vertical-align: top; }
th { background: #f1f4f8; text-align: left; }
tr:nth-child(even) td { background: #fafafa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
dl.kv { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; }
dl.kv dt { font-weight: bold; }
dl.kv dd { margin: 0; }
.figure { margin: 12px 0; overflow-x: auto; }
.table-wrap { max-width: 100%; overflow-x: auto; }
td { overflow-wrap: break-word; }
details summary { cursor: pointer; color: #2b4a6f; margin: 4px 0; }
.note { color: #666; font-size: 0.9em; }
)css";

}  // namespace

std::string EscapeHtml(std::string_view text) { return EscapeXml(text); }

std::string RenderHtmlTable(const HtmlTable& table) {
  auto numeric = [&](size_t col) {
    return std::find(table.numeric_columns.begin(), table.numeric_columns.end(), col) != table.numeric_columns.end();
  };
  std::string out = "<div class=\"table-wrap\"><table>";
  if (!table.caption.empty()) out += "<caption>" + EscapeHtml(table.caption) + "</caption>";
  out += "<thead><tr>";
  for (const std::string& h : table.headers) out += "<th>" + EscapeHtml(h) + "</th>";
  out += "</tr></thead><tbody>";
  for (const std::vector<std::string>& row : table.rows) {
    out += "<tr>";
    for (size_t c = 0; c < row.size(); ++c) {
      out += numeric(c) ? "<td class=\"num\">" : "<td>";
      out += EscapeHtml(row[c]) + "</td>";
    }
    out += "</tr>\n";
  }
  return out + "</tbody></table></div>\n";
}

HtmlPage::HtmlPage(std::string title) : title_(std::move(title)) {}

void HtmlPage::AddHeading(std::string_view text, int level) {
  level = std::clamp(level, 2, 4);
  body_ += fmt::format("<h{0}>{1}</h{0}>\n", level, EscapeHtml(text));
}

void HtmlPage::AddParagraph(std::string_view text) { body_ += "<p>" + EscapeHtml(text) + "</p>\n"; }

void HtmlPage::AddNote(std::string_view text) { body_ += "<p class=\"note\">" + EscapeHtml(text) + "</p>\n"; }

void HtmlPage::AddKeyValues(const std::vector<std::pair<std::string, std::string>>& items) {
  body_ += "<dl class=\"kv\">";
  for (const auto& [key, value] : items) body_ += "<dt>" + EscapeHtml(key) + "</dt><dd>" + EscapeHtml(value) + "</dd>";
  body_ += "</dl>\n";
}

void HtmlPage::AddTable(const HtmlTable& table) { body_ += RenderHtmlTable(table); }

void HtmlPage::AddCollapsedTable(std::string_view summary, const HtmlTable& table) {
  body_ += "<details><summary>" + EscapeHtml(summary) + "</summary>\n" + RenderHtmlTable(table) + "</details>\n";
}

void HtmlPage::AddRaw(std::string_view html) {
  body_ += "<div class=\"figure\">";
  body_ += html;
  body_ += "</div>\n";
}

std::string HtmlPage::Render() const {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
      "<title>{0}</title>\n<style>{1}</style>\n</head>\n<body>\n<h1>{0}</h1>\n{2}</body>\n</html>\n",
      EscapeHtml(title_), kCss, body_);
}

}  // namespace rackforge::report
