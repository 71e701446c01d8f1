// libFuzzer target over the CSV reader alone, checking its invariants: every
// kept row has one cell per header column, rows are in line order, and each
// problem names a line inside the text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "io/csv_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<rackforge::io::Diagnostic> errors;
  const rackforge::io::CsvTable table = rackforge::io::ParseCsv(text, "fuzz.csv", &errors);
  size_t lines = 1;
  for (char c : text) lines += (c == '\n' || c == '\r');
  int previous = 0;
  size_t cell_bytes = 0;
  for (size_t r = 0; r < table.rows(); ++r) {
    if (table.row_line(r) <= previous || static_cast<size_t>(table.row_line(r)) > lines) __builtin_trap();
    previous = table.row_line(r);
    for (size_t c = 0; c < table.header().size(); ++c) cell_bytes += table.cell(r, c).size();
  }
  if (cell_bytes > size) __builtin_trap();
  for (const auto& e : errors) {
    if (e.line < 0 || static_cast<size_t>(e.line) > lines || e.file != "fuzz.csv") __builtin_trap();
  }
  return 0;
}
