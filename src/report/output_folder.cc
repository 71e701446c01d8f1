#include "report/output_folder.h"

#include <fmt/format.h>

#include <cmath>
#include <unistd.h>
#include <xlsxwriter.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string_view>

#include "common/errors.h"
#include "io/process_info.h"

namespace rackforge::report {

namespace fs = std::filesystem;

namespace {

/// Marks a folder as rackforge output, so a later run may replace it.
constexpr const char* kOutputMarker = ".rackforge-output";

// "PID-sSTART-N": the owner process (pid and /proc start time, see
// io::ProcessOwner) and a counter, so that leftovers of a dead process can be
// told from the folders of a live one.
std::string UniqueSuffix() {
  static std::atomic<unsigned> counter{0};
  const io::ProcessOwner me = io::CurrentProcess();
  return fmt::format("{}-s{}-{}", me.pid, me.start_ticks, counter++);
}

// The owner encoded in a suffix made by UniqueSuffix ("PID-sSTART-N"), or in
// the older "PID-TICKS-N" (start unknown: only the pid is checked); pid 0 when
// `suffix` is neither.
io::ProcessOwner OwnerOfSuffix(const std::string& suffix) {
  io::ProcessOwner owner;
  const size_t dash = suffix.find('-');
  if (dash == std::string::npos || dash == 0) return owner;
  try {
    size_t used = 0;
    const int64_t pid = std::stoll(suffix.substr(0, dash), &used);
    if (used != dash || pid <= 0) return owner;
    owner.pid = pid;
    if (suffix.size() > dash + 1 && suffix[dash + 1] == 's') {
      owner.start_ticks = std::stoll(suffix.substr(dash + 2), &used);
    }
  } catch (const std::exception&) {
    owner.pid = 0;
  }
  owner.host = io::CurrentProcess().host;
  return owner;
}

// Removes what killed runs left beside `target`: ".NAME.tmp-SUFFIX" folders
// being written and "NAME.old-SUFFIX" folders being replaced, when the process
// named in SUFFIX is gone. Best effort; errors are ignored.
void RemoveStaleFolders(const fs::path& target) {
  const std::string name = target.filename().string();
  const std::string tmp_prefix = "." + name + ".tmp-";
  const std::string old_prefix = name + ".old-";
  std::error_code ec;
  for (fs::directory_iterator it(target.parent_path(), ec), end; !ec && it != end; it.increment(ec)) {
    const std::string entry = it->path().filename().string();
    std::string suffix;
    if (entry.rfind(tmp_prefix, 0) == 0) {
      suffix = entry.substr(tmp_prefix.size());
    } else if (entry.rfind(old_prefix, 0) == 0) {
      suffix = entry.substr(old_prefix.size());
    } else {
      continue;
    }
    std::error_code type_ec;
    if (!it->is_directory(type_ec)) continue;
    const io::ProcessOwner owner = OwnerOfSuffix(suffix);
    if (owner.pid == 0 || io::OwnerLiveness(owner) != io::Liveness::kGone) continue;
    std::error_code remove_ec;
    fs::remove_all(it->path(), remove_ec);
  }
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
  if (dir_.empty()) throw common::UsageError("--out: empty folder name");
  fs::path target = fs::absolute(fs::path(dir_)).lexically_normal();
  if (!target.has_filename()) target = target.parent_path();
  std::error_code ec;
  if (fs::exists(target, ec) && !fs::is_directory(target, ec)) {
    throw common::UsageError(fmt::format("--out {}: exists and is not a folder", dir_));
  }
  // Commit replaces DIR whole: only do that to an empty folder or one an
  // earlier rackforge run wrote (it holds the marker file), never to `.` or $HOME.
  if (fs::is_directory(target, ec) && !fs::is_empty(target, ec) && !fs::exists(target / kOutputMarker, ec)) {
    throw common::UsageError(fmt::format(
        "--out {}: folder exists, is not empty and was not written by rackforge; choose a new or empty folder", dir_));
  }
  const fs::path parent = target.parent_path();
  fs::create_directories(parent, ec);
  if (ec || !fs::is_directory(parent)) {
    throw common::UsageError(fmt::format("--out {}: cannot create folder {}: {}", dir_, parent.string(),
                                     ec ? ec.message() : "not a folder"));
  }
  RemoveStaleFolders(target);
  temp_ = (parent / ("." + target.filename().string() + ".tmp-" + UniqueSuffix())).string();
  if (!fs::create_directory(temp_, ec)) {
    throw common::UsageError(fmt::format("--out {}: cannot create folder {}: {}", dir_, temp_, ec.message()));
  }
  std::ofstream(fs::path(temp_) / kOutputMarker) << "written by rackforge; this folder is replaced whole by the next run\n";
  dir_ = target.string();
}

OutputFolder::~OutputFolder() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(temp_, ec);
}

void CheckOutputFolder(const std::string& dir) { OutputFolder probe(dir); }

std::string OutputFolder::Path(const std::string& name) const { return (fs::path(temp_) / name).string(); }

void OutputFolder::WriteText(const std::string& name, const std::string& content) {
  const std::string path = Path(name);
  std::ofstream out(path, std::ios::binary);
  out << content;
  out.close();
  if (!out) throw common::UsageError(fmt::format("cannot write {}", (fs::path(dir_) / name).string()));
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
    if (ec) throw common::UsageError(fmt::format("--out {}: cannot replace the existing folder: {}", dir_, ec.message()));
  }
  fs::rename(temp_, dir_, ec);
  if (ec) {
    if (!old.empty()) fs::rename(old, dir_);
    throw common::UsageError(fmt::format("--out {}: cannot move {} into place: {}", dir_, temp_, ec.message()));
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
  lxw_format* whole = nullptr;    // "#,##0": a quantity column whose every value is a whole number
};

XlsxFormats AddFormats(lxw_workbook* workbook) {
  auto make = [&](const char* pattern) {
    lxw_format* f = workbook_add_format(workbook);
    format_set_num_format(f, pattern);
    return f;
  };
  return {make("$#,##0"), make("0.0%"), make("0"), make("#,##0.0"), make("#,##0")};
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

/// True when every number in column `c` of the table is a whole number (a whole plan's racks and units).
bool WholeColumn(const Table& table, size_t c) {
  for (const std::vector<Cell>& row : table.rows) {
    const double* v = c < row.size() ? std::get_if<double>(&row[c]) : nullptr;
    if (v != nullptr && *v != std::round(*v)) return false;
  }
  return true;
}

}  // namespace

void WriteXlsxFile(const std::string& path, const std::vector<Table>& sheets) {
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (workbook == nullptr) throw common::UsageError(fmt::format("cannot create {}", path));
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  const XlsxFormats formats = AddFormats(workbook);
  for (const Table& table : sheets) {
    const std::string sheet_name = table.name.substr(0, 31);
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, sheet_name.c_str());
    if (sheet == nullptr) {
      workbook_close(workbook);
      throw common::UsageError(fmt::format("cannot write {}: bad sheet name '{}'", path, sheet_name));
    }
    std::vector<lxw_format*> column_format;
    for (size_t c = 0; c < table.columns.size(); ++c) {
      worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), table.columns[c].c_str(), bold);
      lxw_format* format = FormatFor(formats, table.columns[c]);
      if (format == formats.quantity && WholeColumn(table, c)) format = formats.whole;
      column_format.push_back(format);
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
  if (error != LXW_NO_ERROR) throw common::UsageError(fmt::format("cannot write {}: {}", path, lxw_strerror(error)));
}

}  // namespace rackforge::report
