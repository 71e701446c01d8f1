#pragma once
// Internal helpers of the scenario loader (not a public header): the
// diagnostics collector, strict number/week/id parsing with the messages
// users see, id tables, a YAML mapping reader that reports unknown keys, and
// a CSV schema binder. Every check appends "file:line: key: value problem".

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "io/csv_reader.h"
#include "io/errors.h"
#include "io/scenario_schema.h"
#include "model/limits.h"

namespace rackforge::io::internal {

/// At most this many diagnostics are kept; the rest are counted.
inline constexpr size_t kMaxDiagnostics = 1000;

/// Collects the problems of one load.
class Diagnostics {
 public:
  void Add(const std::string& file, int line, std::string message);
  void AddAll(std::vector<Diagnostic> list);
  bool empty() const { return list_.empty(); }
  /// All problems, plus one line saying how many were dropped past the cap.
  std::vector<Diagnostic> Take();

 private:
  std::vector<Diagnostic> list_;
  size_t dropped_ = 0;
};

/// Range rule of a number field.
enum class NumRule { kAny, kNonNegative, kFraction };
/// Range rule of a week-counting (integer) field.
enum class WeekRule { kWeek, kInHorizon, kHorizon };

/// Strict decimal number ("12", "-0.5", "1e3", leading '+' allowed); nullopt
/// for anything else, including inf and nan.
std::optional<double> ParseNumber(std::string_view text);
/// "'text'" with control characters and bytes that are not valid UTF-8
/// escaped (\xNN), and long text shortened at a character boundary: the
/// result is always valid UTF-8, whatever the input.
std::string Quote(std::string_view text);
/// A value as shown in messages: numbers as written, anything else quoted.
std::string Shown(std::string_view raw);
/// True for a non-empty string of [a-z0-9._-].
bool IsValidId(std::string_view id);

/// Length of the valid UTF-8 sequence (RFC 3629: no overlong forms, no
/// surrogates, at most U+10FFFF) starting at text[i], or 0 when the bytes
/// there are not one.
size_t Utf8SequenceLength(std::string_view text, size_t i);
/// True when `text` is valid UTF-8 and has no NUL byte.
bool IsCleanText(std::string_view text);
/// Checks a file's bytes once, before it is parsed: reports the first NUL
/// byte or byte that is not valid UTF-8 as "file:line: ..." (naming its
/// column in bytes and its value) and returns false; true when clean.
bool CheckFileBytes(std::string_view text, const std::string& file, Diagnostics* diag);

/// Message for a number that breaks `rule` ("key: -5 is negative") or whose
/// absolute value exceeds model::kMaxAbsNumber, or "".
std::string CheckNumber(std::string_view key, std::string_view raw, double value, NumRule rule);
/// Message for a week field that is not a whole number in range, or "".
/// kWeek and kInHorizon fields are at most model::kMaxWeekField, kHorizon
/// lies in 1..model::kMaxHorizonWeeks.
/// `horizon` < 0 means unknown (no upper check for kInHorizon).
std::string CheckWeek(std::string_view key, std::string_view raw, double value, WeekRule rule, int32_t horizon);
/// Message for a bad id, or "".
std::string CheckId(std::string_view key, std::string_view id);

/// Heterogeneous string hash so lookups by string_view do not allocate.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

/// Ids of one entity kind -> dense index, with the line of first definition.
class IdTable {
 public:
  /// Adds an id; returns the line of the earlier definition when it is a duplicate, else 0.
  int Add(std::string_view id, int32_t index, int line);
  /// Index of the id, or -1.
  int32_t Find(std::string_view id) const;
  /// False when the defining file could not be read: references are then not checked.
  bool loaded = false;

 private:
  std::unordered_map<std::string, std::pair<int32_t, int>, StringHash, std::equal_to<>> map_;
};

/// The state of one load: where files live, the problems found, the horizon.
struct LoadContext {
  std::string folder;  // "" for in-memory loads
  Diagnostics diag;
  int32_t horizon = -1;  // -1 until scenario.yaml gave a valid one
  /// The name used in messages: folder/name (or name alone).
  std::string FilePath(const std::string& name) const;
};

/// Reads a YAML text; nullopt (after a diagnostic) when it cannot be parsed.
std::optional<YAML::Node> ParseYaml(std::string_view text, const std::string& file, Diagnostics* diag);

/// Budget of YAML nodes a file may make us visit (guards against alias bombs).
class YamlBudget {
 public:
  explicit YamlBudget(size_t text_size) : left_(200000 + 20 * text_size) {}
  /// Spends n visits; false once the budget is exhausted.
  bool Spend(size_t n);
  bool exhausted() const { return exhausted_; }

 private:
  size_t left_;
  bool exhausted_ = false;
};

/// The file being read and where problems go.
struct YamlFile {
  std::string file;  // as shown in messages
  Diagnostics* diag = nullptr;
  YamlBudget* budget = nullptr;
  int32_t horizon = -1;
  void Error(int line, std::string message) const { diag->Add(file, line, std::move(message)); }
};

/// 1-based line of a node (0 when unknown).
int LineOf(const YAML::Node& node);

/// Reads one YAML mapping: typed getters mark keys as known, Finish()
/// reports the rest as unknown keys. `path` prefixes keys in messages.
class MapReader {
 public:
  MapReader(const YamlFile& file, const YAML::Node& node, std::string path, int parent_line);
  /// False when the node is not a mapping (already reported) or the budget ran out.
  bool ok() const { return ok_; }
  int line() const { return line_; }
  /// "path.key" (or "key" at the root).
  std::string Key(std::string_view key) const;

  /// Value node of a key (marks it known); nullopt when absent or null.
  std::optional<YAML::Node> Get(std::string_view key, bool required);
  /// Scalar text; nullopt when absent or not a scalar (reported).
  std::optional<std::string> String(std::string_view key, bool required);
  /// A valid id.
  std::optional<std::string> Id(std::string_view key, bool required);
  std::optional<double> Number(std::string_view key, bool required, NumRule rule);
  std::optional<int32_t> Week(std::string_view key, bool required, WeekRule rule);
  /// A sequence node; reports "expected a list" for other kinds.
  std::optional<YAML::Node> List(std::string_view key, bool required);
  /// Marks a key as known without reading it.
  void Allow(std::string_view key);
  /// Line of a key's value (the mapping's line when absent).
  int ValueLine(std::string_view key) const;
  /// Reports keys never asked for; `hint` is appended to the message.
  void Finish(const std::string& hint = "");

 private:
  struct Entry {
    std::string key;
    YAML::Node value;
    int line = 0;
    bool used = false;
  };
  struct NumberText {
    std::string text;
    double value = 0.0;
  };
  Entry* Find(std::string_view key);
  const Entry* Find(std::string_view key) const;
  /// The key's scalar parsed as a number; "is not a number" reported otherwise.
  std::optional<NumberText> ReadNumber(std::string_view key, bool required);
  /// True when `message` is empty; otherwise reports it at the key's value line.
  bool Accepts(std::string_view key, std::string message);
  const YamlFile& file_;
  std::string path_;
  int line_ = 0;
  bool ok_ = false;
  std::vector<Entry> entries_;
};

/// Parses `text` (the YAML file `file`) and, when its top level is a mapping,
/// calls read(f, m) with the file's context and a reader of that mapping.
/// A parse error or another top level is reported to `diag`; nothing is read.
void ReadYamlMapping(std::string_view text, const std::string& file, Diagnostics* diag, int32_t horizon,
                     const std::function<void(YamlFile& f, MapReader& m)>& read);

/// Calls fn(item, index, line) for every item of a sequence node, within the budget.
void ForEachItem(const YamlFile& file, const YAML::Node& list, int parent_line,
                 const std::function<void(const YAML::Node&, size_t, int)>& fn);

/// Scalar items of a list of ids ("designs: [a, b]"), with their lines; bad items reported.
std::vector<std::pair<std::string, int>> IdList(const YamlFile& file, const YAML::Node& list, const std::string& key,
                                                int parent_line);

/// Binds a parsed CSV table to a schema: reports unknown, duplicate and
/// missing required columns; typed getters report bad cells.
class CsvRows {
 public:
  CsvRows(LoadContext* ctx, std::string file, const CsvTable* table, std::vector<CsvColumn> columns);
  size_t rows() const { return table_->rows(); }
  int line(size_t row) const { return table_->row_line(row); }
  /// Trimmed cell text ("" when the column is absent).
  std::string_view Cell(size_t row, size_t col) const;
  /// Reports a problem on a row.
  void Error(size_t row, std::string message);
  /// Text of a required-or-optional cell; nullopt (reported) when required and empty.
  std::optional<std::string_view> Text(size_t row, size_t col);
  std::optional<std::string_view> Id(size_t row, size_t col);
  /// Empty optional cell = 0; nullopt when bad (reported).
  std::optional<double> Number(size_t row, size_t col, NumRule rule);
  std::optional<int32_t> Week(size_t row, size_t col, WeekRule rule);
  const std::string& file() const { return file_; }

 private:
  LoadContext* ctx_;
  std::string file_;
  const CsvTable* table_;
  std::vector<CsvColumn> columns_;
  std::vector<int> index_;  // schema column -> table column, -1 when absent
};

}  // namespace rackforge::io::internal
