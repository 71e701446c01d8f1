#pragma once
// Atomic output folders and table writers (CSV, xlsx) shared by the reports.
// An OutputFolder writes into a hidden temporary folder beside DIR and
// renames it to DIR on Commit(); destroyed without Commit() it removes
// everything it wrote. Not thread-safe; one writer per folder. A process
// killed while writing (kill -9) leaves its temporary folder behind; the next
// OutputFolder for the same DIR removes those of processes that are gone.

#include <string>
#include <vector>

#include "report/plan_report.h"

namespace rackforge::report {

class OutputFolder {
 public:
  /// Creates DIR's parent when missing and the temporary folder beside DIR.
  /// Throws common::UsageError naming the path when DIR or its parent cannot be created.
  explicit OutputFolder(std::string dir);
  ~OutputFolder();
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;

  /// Path of `name` inside the temporary folder (valid until Commit).
  std::string Path(const std::string& name) const;
  /// Writes a text file; throws common::UsageError on failure.
  void WriteText(const std::string& name, const std::string& content);
  /// Writes NAME.csv for each table.
  void WriteCsv(const std::vector<Table>& tables);
  /// Writes an xlsx workbook with one sheet per table.
  void WriteXlsx(const std::string& name, const std::vector<Table>& sheets);
  /// Moves the folder into place (replacing an existing DIR); throws common::UsageError on failure.
  void Commit();

 private:
  std::string dir_;
  std::string temp_;
  bool committed_ = false;
};

/// Checks before a long computation that DIR can become an OutputFolder
/// (creates and removes the temporary folder; also removes stale temporary
/// folders of dead processes). Throws common::UsageError like the constructor.
void CheckOutputFolder(const std::string& dir);

/// RFC 4180 CSV with a header row; numbers in shortest round-trip form.
std::string ToCsv(const Table& table);

/// Writes an xlsx workbook (libxlsxwriter), one sheet per table (names cut to 31 characters).
/// Throws common::UsageError naming the path on failure.
void WriteXlsxFile(const std::string& path, const std::vector<Table>& sheets);

}  // namespace rackforge::report
