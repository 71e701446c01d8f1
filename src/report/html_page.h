#pragma once
// A self-contained HTML page shell (inline CSS, no external resources) for
// report.html, sweep.html and the other reports: headings, paragraphs,
// key/value lists, tables from rows of strings and raw fragments such as the
// SVG charts of svg_chart.h. All text passed in is HTML-escaped except in
// AddRaw. Not thread-safe; build one page per thread.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rackforge::report {

/// Escapes & < > " ' for HTML text and attribute values.
std::string EscapeHtml(std::string_view text);

/// A table: header cells and rows of cells (plain text, escaped on render).
struct HtmlTable {
  std::string caption;  // optional
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
  /// Columns to right-align (numbers); by index into headers.
  std::vector<size_t> numeric_columns;
};

/// Renders a table as an HTML <table> element (in a div that scrolls sideways when the table is wider than the page).
std::string RenderHtmlTable(const HtmlTable& table);

/// Builds a page section by section, then Render() returns the whole document.
class HtmlPage {
 public:
  /// `title` goes into <title> and the top <h1>.
  explicit HtmlPage(std::string title);

  /// Adds <h2>/<h3> (level clamped to 2..4).
  void AddHeading(std::string_view text, int level = 2);
  /// Adds a paragraph of plain text.
  void AddParagraph(std::string_view text);
  /// Adds a small grey note line.
  void AddNote(std::string_view text);
  /// Adds a two-column key/value summary (definition list).
  void AddKeyValues(const std::vector<std::pair<std::string, std::string>>& items);
  /// Adds a table.
  void AddTable(const HtmlTable& table);
  /// Adds a table inside a closed <details> element whose <summary> is `summary`.
  void AddCollapsedTable(std::string_view summary, const HtmlTable& table);
  /// Adds a trusted fragment (an SVG chart) as is, in a figure box.
  void AddRaw(std::string_view html);

  /// The complete document (<!DOCTYPE html> ... </html>).
  std::string Render() const;

 private:
  std::string title_;
  std::string body_;
};

}  // namespace rackforge::report
