#include "io/csv_reader.h"

#include <limits>

namespace rackforge::io {

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

// Walks the text record by record. A record is a list of cell spans into
// the table's storage; `line` is where the record starts.
class CsvScanner {
 public:
  CsvScanner(std::string_view text, std::string* storage) : text_(text), storage_(storage) {}

  bool done() const { return pos_ >= text_.size(); }
  int line() const { return line_; }

  // Reads one record into `cells`. Returns false (and sets `error`) when the
  // record is malformed; the scanner then stands at the next record.
  bool Next(std::vector<std::pair<uint32_t, uint32_t>>* cells, int* record_line, std::string* error) {
    cells->clear();
    *record_line = line_;
    bool ok = true;
    while (true) {
      const bool more = ok ? ReadCell(cells, error, &ok) : SkipToLineEnd();
      if (!more) break;
    }
    return ok;
  }

 private:
  // Reads one cell; returns true when another cell follows in this record.
  bool ReadCell(std::vector<std::pair<uint32_t, uint32_t>>* cells, std::string* error, bool* ok) {
    size_t p = pos_;
    while (p < text_.size() && IsBlank(text_[p])) ++p;
    if (p < text_.size() && text_[p] == '"') {
      pos_ = p + 1;
      return ReadQuoted(cells, error, ok);
    }
    const size_t begin = pos_;
    while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r') {
      if (text_[pos_] == '"') {
        *error = "a quote inside an unquoted cell (quote the whole cell and double inner quotes)";
        *ok = false;
        return SkipToLineEnd();
      }
      ++pos_;
    }
    Append(cells, Trim(text_.substr(begin, pos_ - begin)));
    return EndOfCell();
  }

  bool ReadQuoted(std::vector<std::pair<uint32_t, uint32_t>>* cells, std::string* error, bool* ok) {
    const size_t start = storage_->size();
    const int open_line = line_;
    while (true) {
      if (pos_ >= text_.size()) {
        *error = "a quoted cell opened on line " + std::to_string(open_line) + " is never closed";
        *ok = false;
        return false;
      }
      const char c = text_[pos_++];
      if (c == '"') {
        if (pos_ < text_.size() && text_[pos_] == '"') {
          storage_->push_back('"');
          ++pos_;
          continue;
        }
        break;
      }
      if (c == '\n') ++line_;
      if (c == '\r' && (pos_ >= text_.size() || text_[pos_] != '\n')) ++line_;
      storage_->push_back(c);
    }
    while (pos_ < text_.size() && IsBlank(text_[pos_])) ++pos_;
    if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r') {
      *error = "characters after the closing quote of a cell";
      *ok = false;
      storage_->resize(start);
      return SkipToLineEnd();
    }
    cells->emplace_back(static_cast<uint32_t>(start), static_cast<uint32_t>(storage_->size() - start));
    return EndOfCell();
  }

  void Append(std::vector<std::pair<uint32_t, uint32_t>>* cells, std::string_view s) {
    const size_t start = storage_->size();
    storage_->append(s);
    cells->emplace_back(static_cast<uint32_t>(start), static_cast<uint32_t>(s.size()));
  }

  // At a separator or line end: consumes it; true when the record continues.
  bool EndOfCell() {
    if (pos_ >= text_.size()) return false;
    if (text_[pos_] == ',') {
      ++pos_;
      return true;
    }
    ConsumeLineEnd();
    return false;
  }

  void ConsumeLineEnd() {
    if (text_[pos_] == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    ++line_;
  }

  bool SkipToLineEnd() {
    while (pos_ < text_.size() && text_[pos_] != '\n' && text_[pos_] != '\r') ++pos_;
    if (pos_ < text_.size()) ConsumeLineEnd();
    return false;
  }

  std::string_view text_;
  std::string* storage_;
  size_t pos_ = 0;
  int line_ = 1;
};

bool IsEmptyRecord(const std::vector<std::pair<uint32_t, uint32_t>>& cells) {
  return cells.size() == 1 && cells[0].second == 0;
}

}  // namespace

CsvTable ParseCsv(std::string_view text, const std::string& file, std::vector<Diagnostic>* errors) {
  CsvTable table;
  if (text.size() >= std::numeric_limits<int32_t>::max()) {
    errors->push_back({file, 0, "file is larger than 2 GiB"});
    return table;
  }
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  table.storage_.reserve(text.size() + 1);
  CsvScanner scanner(text, &table.storage_);
  std::vector<std::pair<uint32_t, uint32_t>> cells;
  std::string error;
  bool have_header = false;
  while (!scanner.done()) {
    int line = 0;
    const size_t mark = table.storage_.size();
    if (!scanner.Next(&cells, &line, &error)) {
      errors->push_back({file, line, error});
      table.storage_.resize(mark);
      continue;
    }
    if (IsEmptyRecord(cells)) continue;
    if (!have_header) {
      have_header = true;
      table.header_line_ = line;
      for (const auto& [offset, length] : cells) {
        table.header_.emplace_back(std::string_view(table.storage_).substr(offset, length));
      }
      table.storage_.resize(mark);
      continue;
    }
    if (cells.size() != table.header_.size()) {
      errors->push_back({file, line,
                         "row has " + std::to_string(cells.size()) + " cells but the header has " +
                             std::to_string(table.header_.size()) + " columns"});
      table.storage_.resize(mark);
      continue;
    }
    for (const auto& [offset, length] : cells) table.cells_.push_back({offset, length});
    table.row_lines_.push_back(line);
  }
  if (!have_header) errors->push_back({file, 0, "no header row (the file is empty)"});
  return table;
}

}  // namespace rackforge::io
