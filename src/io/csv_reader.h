#pragma once
// A small strict CSV reader for the scenario tables (RFC 4180 plus what
// spreadsheet exports produce): LF or CRLF line ends, an optional UTF-8
// byte-order mark, quoted cells with commas, line breaks and doubled quotes.
// The first non-empty record is the header. Blank lines are skipped.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/errors.h"

namespace rackforge::io {

/// A parsed CSV file. Cell text lives in one buffer (no allocation per cell).
class CsvTable {
 public:
  /// Column names of the header row, trimmed, in file order.
  const std::vector<std::string>& header() const { return header_; }
  /// 1-based line of the header row (0 when the file has none).
  int header_line() const { return header_line_; }
  /// Number of data rows that have exactly one cell per header column.
  size_t rows() const { return row_lines_.size(); }
  /// 1-based line where data row `row` starts.
  int row_line(size_t row) const { return row_lines_[row]; }
  /// Cell text of a data row, unquoted and trimmed of surrounding blanks.
  std::string_view cell(size_t row, size_t col) const {
    const Span& s = cells_[row * header_.size() + col];
    return std::string_view(storage_).substr(s.offset, s.length);
  }

 private:
  friend CsvTable ParseCsv(std::string_view text, const std::string& file, std::vector<Diagnostic>* errors);
  struct Span {
    uint32_t offset = 0;
    uint32_t length = 0;
  };
  std::string storage_;
  std::vector<std::string> header_;
  int header_line_ = 0;
  std::vector<Span> cells_;
  std::vector<int> row_lines_;
};

/// Parses CSV text. Problems (bad quoting, a row whose cell count differs
/// from the header's, an empty file) are appended to
/// `errors` as "file:line: message" and the offending row is skipped.
/// Never throws except std::bad_alloc; linear in the size of the text.
CsvTable ParseCsv(std::string_view text, const std::string& file, std::vector<Diagnostic>* errors);

}  // namespace rackforge::io
