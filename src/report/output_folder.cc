#include "report/output_folder.h"

#include <fmt/format.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string_view>

#include "io/errors.h"

namespace rackforge::report {

namespace fs = std::filesystem;

namespace {

/// Marks a folder as rackforge output, so a later run may replace it.
constexpr const char* kOutputMarker = ".rackforge-output";

std::string UniqueSuffix() {
  static std::atomic<unsigned> counter{0};
  const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
  return fmt::format("{}-{}-{}", getpid(), ticks % 1000000, counter++);
}

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string CellText(const Cell& cell) {
  if (const auto* text = std::get_if<std::string>(&cell)) return CsvField(*text);
  return fmt::format("{}", std::get<double>(cell));
}

}  // namespace

OutputFolder::OutputFolder(std::string dir) : dir_(std::move(dir)) {
  if (dir_.empty()) throw io::UsageError("--out: empty folder name");
  fs::path target = fs::absolute(fs::path(dir_)).lexically_normal();
  if (!target.has_filename()) target = target.parent_path();
  std::error_code ec;
  if (fs::exists(target, ec) && !fs::is_directory(target, ec)) {
    throw io::UsageError(fmt::format("--out {}: exists and is not a folder", dir_));
  }
  // Commit replaces DIR whole: only do that to an empty folder or one an
  // earlier rackforge run wrote (it holds the marker file), never to `.` or $HOME.
  if (fs::is_directory(target, ec) && !fs::is_empty(target, ec) && !fs::exists(target / kOutputMarker, ec)) {
    throw io::UsageError(fmt::format(
        "--out {}: folder exists, is not empty and was not written by rackforge; choose a new or empty folder", dir_));
  }
  const fs::path parent = target.parent_path();
  fs::create_directories(parent, ec);
  if (ec || !fs::is_directory(parent)) {
    throw io::UsageError(fmt::format("--out {}: cannot create folder {}: {}", dir_, parent.string(),
                                     ec ? ec.message() : "not a folder"));
  }
  temp_ = (parent / ("." + target.filename().string() + ".tmp-" + UniqueSuffix())).string();
  if (!fs::create_directory(temp_, ec)) {
    throw io::UsageError(fmt::format("--out {}: cannot create folder {}: {}", dir_, temp_, ec.message()));
  }
  std::ofstream(fs::path(temp_) / kOutputMarker) << "written by rackforge; this folder is replaced whole by the next run\n";
  dir_ = target.string();
}

OutputFolder::~OutputFolder() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(temp_, ec);
}

std::string OutputFolder::Path(const std::string& name) const { return (fs::path(temp_) / name).string(); }

void OutputFolder::WriteText(const std::string& name, const std::string& content) {
  const std::string path = Path(name);
  std::ofstream out(path, std::ios::binary);
  out << content;
  out.close();
  if (!out) throw io::UsageError(fmt::format("cannot write {}", (fs::path(dir_) / name).string()));
}

void OutputFolder::WriteCsv(const std::vector<Table>& tables) {
  for (const Table& table : tables) WriteText(table.name + ".csv", ToCsv(table));
}

void OutputFolder::WriteXlsx(const std::string& name, const std::vector<Table>& sheets) {
  WriteXlsxFile(Path(name), sheets);
}

void OutputFolder::Commit() {
  std::error_code ec;
  std::string old;
  if (fs::exists(dir_, ec)) {
    old = dir_ + ".old-" + UniqueSuffix();
    fs::rename(dir_, old, ec);
    if (ec) throw io::UsageError(fmt::format("--out {}: cannot replace the existing folder: {}", dir_, ec.message()));
  }
  fs::rename(temp_, dir_, ec);
  if (ec) {
    if (!old.empty()) fs::rename(old, dir_);
    throw io::UsageError(fmt::format("--out {}: cannot move {} into place: {}", dir_, temp_, ec.message()));
  }
  committed_ = true;
  if (!old.empty()) fs::remove_all(old, ec);
}

std::string ToCsv(const Table& table) {
  std::string out;
  for (size_t c = 0; c < table.columns.size(); ++c) out += (c ? "," : "") + CsvField(table.columns[c]);
  out += "\n";
  for (const std::vector<Cell>& row : table.rows) {
    for (size_t c = 0; c < row.size(); ++c) out += (c ? "," : "") + CellText(row[c]);
    out += "\n";
  }
  return out;
}

namespace {

/// Number formats of the workbook, chosen by column name (see FormatFor).
struct XlsxFormats {
  lxw_format* usd = nullptr;      // "$#,##0"
  lxw_format* share = nullptr;    // "0.0%"
  lxw_format* week = nullptr;     // "0"
  lxw_format* quantity = nullptr; // "#,##0.0"
};

XlsxFormats AddFormats(lxw_workbook* workbook) {
  auto make = [&](const char* pattern) {
    lxw_format* f = workbook_add_format(workbook);
    format_set_num_format(f, pattern);
    return f;
  };
  return {make("$#,##0"), make("0.0%"), make("0"), make("#,##0.0")};
}

bool EndsWith(const std::string& s, std::string_view tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

/// USD columns ("*_usd", "*_usd_per_unit"), shares ("*share*", "domestic_content*", "gap"), weeks
/// ("week", "*_week", "weeks_*", "*_weeks_late") and other numbers (racks, units, hours) to one decimal.
lxw_format* FormatFor(const XlsxFormats& f, const std::string& column) {
  if (EndsWith(column, "_usd") || EndsWith(column, "_usd_per_unit") || column.find("_usd_") != std::string::npos) {
    return f.usd;
  }
  if (column.find("share") != std::string::npos || column.rfind("domestic_content", 0) == 0 || column == "gap") {
    return f.share;
  }
  if (column == "week" || EndsWith(column, "_week") || EndsWith(column, "weeks_late") || column == "weeks") {
    return f.week;
  }
  return f.quantity;
}

}  // namespace

void WriteXlsxFile(const std::string& path, const std::vector<Table>& sheets) {
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (workbook == nullptr) throw io::UsageError(fmt::format("cannot create {}", path));
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  const XlsxFormats formats = AddFormats(workbook);
  for (const Table& table : sheets) {
    const std::string sheet_name = table.name.substr(0, 31);
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, sheet_name.c_str());
    if (sheet == nullptr) {
      workbook_close(workbook);
      throw io::UsageError(fmt::format("cannot write {}: bad sheet name '{}'", path, sheet_name));
    }
    std::vector<lxw_format*> column_format;
    for (size_t c = 0; c < table.columns.size(); ++c) {
      worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), table.columns[c].c_str(), bold);
      column_format.push_back(FormatFor(formats, table.columns[c]));
      worksheet_set_column(sheet, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), 16, nullptr);
    }
    for (size_t r = 0; r < table.rows.size(); ++r) {
      const auto row = static_cast<lxw_row_t>(r + 1);
      for (size_t c = 0; c < table.rows[r].size(); ++c) {
        const Cell& cell = table.rows[r][c];
        if (const auto* text = std::get_if<std::string>(&cell)) {
          worksheet_write_string(sheet, row, static_cast<lxw_col_t>(c), text->c_str(), nullptr);
        } else {
          worksheet_write_number(sheet, row, static_cast<lxw_col_t>(c), std::get<double>(cell),
                                 c < column_format.size() ? column_format[c] : nullptr);
        }
      }
    }
    worksheet_freeze_panes(sheet, 1, 0);
  }
  const lxw_error error = workbook_close(workbook);
  if (error != LXW_NO_ERROR) throw io::UsageError(fmt::format("cannot write {}: {}", path, lxw_strerror(error)));
}

}  // namespace rackforge::report
