#include "io/load_context.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <unordered_set>

namespace rackforge::io::internal {

// ---- diagnostics ----------------------------------------------------------

void Diagnostics::Add(const std::string& file, int line, std::string message) {
  if (list_.size() >= kMaxDiagnostics) {
    ++dropped_;
    return;
  }
  list_.push_back({file, line, std::move(message)});
}

void Diagnostics::AddAll(std::vector<Diagnostic> list) {
  for (Diagnostic& d : list) Add(d.file, d.line, std::move(d.message));
}

std::vector<Diagnostic> Diagnostics::Take() {
  std::vector<Diagnostic> out = std::move(list_);
  if (dropped_ > 0) {
    out.push_back({"(scenario)", 0, std::to_string(dropped_) + " more problems not shown"});
  }
  list_.clear();
  dropped_ = 0;
  return out;
}

// ---- values ---------------------------------------------------------------

std::optional<double> ParseNumber(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty() || text.front() == '+') return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  // from_chars accepts "inf"/"nan" spellings only as non-finite values, and
  // no hex without an explicit format: what is left is plain decimal.
  return value + 0.0;  // turns -0 into 0
}

size_t Utf8SequenceLength(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u; };
  auto cont = [&](size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) { return byte(k) >= lo && byte(k) <= hi; };
  const unsigned c = byte(0);
  if (i >= text.size()) return 0;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
  if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;  // no UTF-16 surrogates
  if (c >= 0xE1 && c <= 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;  // at most U+10FFFF
  return 0;  // continuation byte, overlong lead (C0, C1) or F5..FF
}

bool IsCleanText(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const size_t n = Utf8SequenceLength(text, i);
    if (n == 0 || text[i] == '\0') return false;
    i += n;
  }
  return true;
}

bool CheckFileBytes(std::string_view text, const std::string& file, Diagnostics* diag) {
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < text.size();) {
    const size_t n = Utf8SequenceLength(text, i);
    if (n == 1 && text[i] != '\0') {
      if (text[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
      ++i;
      continue;
    }
    if (n > 1) {
      i += n;
      continue;
    }
    const std::string column = std::to_string(i - line_start + 1);
    if (text[i] == '\0') {
      diag->Add(file, line, "NUL byte at column " + column + " (text must not contain NUL bytes)");
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned char>(text[i]));
      diag->Add(file, line,
                "byte " + std::string(hex) + " at column " + column + " is not valid UTF-8 (text must be UTF-8)");
    }
    return false;
  }
  return true;
}

std::string Quote(std::string_view text) {
  constexpr size_t kMax = 80;
  std::string out = "'";
  size_t i = 0;
  while (i < text.size() && i < kMax) {
    const size_t n = Utf8SequenceLength(text, i);
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (n == 0 || c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  if (i < text.size()) out += "...";
  return out + "'";
}

bool IsValidId(std::string_view id) {
  if (id.empty()) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string Shown(std::string_view raw) {
  return ParseNumber(raw) ? std::string(raw.substr(0, 40)) : Quote(raw);
}

static_assert(model::kMaxAbsNumber == 1e12, "the messages below spell the limit out");

std::string CheckNumber(std::string_view key, std::string_view raw, double value, NumRule rule) {
  auto head = [&] { return std::string(key) + ": " + Shown(raw); };
  switch (rule) {
    case NumRule::kAny:
      break;
    case NumRule::kNonNegative:
      if (value < 0) return head() + " is negative";
      break;
    case NumRule::kFraction:
      return value < 0 || value > 1 ? head() + " is outside 0..1" : "";
  }
  if (std::fabs(value) > model::kMaxAbsNumber) return head() + " is too large (at most 1e12 in absolute value)";
  return "";
}

std::string CheckWeek(std::string_view key, std::string_view raw, double value, WeekRule rule, int32_t horizon) {
  auto head = [&] { return std::string(key) + ": " + Shown(raw); };
  if (value != std::floor(value)) return head() + " is not a whole number of weeks";
  const std::string too_large = " is larger than " + std::to_string(model::kMaxWeekField);
  switch (rule) {
    case WeekRule::kWeek:
      if (value < 0) return head() + " is negative";
      if (value > model::kMaxWeekField) return head() + too_large;
      return "";
    case WeekRule::kInHorizon:
      if (value < 0 || (horizon >= 0 && value > horizon - 1)) {
        return head() + " is outside 0.." + (horizon >= 0 ? std::to_string(horizon - 1) : std::string("H-1")) +
               " (horizon_weeks " + (horizon >= 0 ? std::to_string(horizon) : std::string("unknown")) + ")";
      }
      if (value > model::kMaxWeekField) return head() + too_large;
      return "";
    case WeekRule::kHorizon:
      if (value < 1 || value > model::kMaxHorizonWeeks) {
        return head() + " is outside 1.." + std::to_string(model::kMaxHorizonWeeks);
      }
      return "";
  }
  return "";
}

std::string CheckId(std::string_view key, std::string_view id) {
  if (IsValidId(id)) return "";
  return std::string(key) + ": " + Quote(id) + " is not a valid id (use only a-z, 0-9, '.', '_', '-')";
}

// ---- ids ------------------------------------------------------------------

int IdTable::Add(std::string_view id, int32_t index, int line) {
  auto it = map_.find(id);
  if (it != map_.end()) return it->second.second > 0 ? it->second.second : 1;
  map_.emplace(std::string(id), std::make_pair(index, line));
  return 0;
}

int32_t IdTable::Find(std::string_view id) const {
  auto it = map_.find(id);
  return it == map_.end() ? -1 : it->second.first;
}

std::string LoadContext::FilePath(const std::string& name) const {
  if (folder.empty()) return name;
  if (folder.back() == '/') return folder + name;
  return folder + "/" + name;
}

// ---- YAML -----------------------------------------------------------------

namespace {
// Flow nesting deeper than this is refused before yaml-cpp sees the text.
constexpr int kMaxFlowDepth = 64;

int MaxFlowDepth(std::string_view text, int* line_of_max) {
  int depth = 0, max_depth = 0, line = 1;
  for (char c : text) {
    if (c == '\n') ++line;
    if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        max_depth = depth;
        *line_of_max = line;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return max_depth;
}
}  // namespace

std::optional<YAML::Node> ParseYaml(std::string_view text, const std::string& file, Diagnostics* diag) {
  int deep_line = 0;
  if (MaxFlowDepth(text, &deep_line) > kMaxFlowDepth) {
    diag->Add(file, deep_line, "YAML nesting deeper than " + std::to_string(kMaxFlowDepth) + " levels");
    return std::nullopt;
  }
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    diag->Add(file, e.mark.line >= 0 ? e.mark.line + 1 : 0, "malformed YAML: " + e.msg);
  } catch (const std::exception& e) {
    diag->Add(file, 0, std::string("malformed YAML: ") + e.what());
  }
  return std::nullopt;
}

bool YamlBudget::Spend(size_t n) {
  if (exhausted_) return false;
  if (n > left_) {
    exhausted_ = true;
    return false;
  }
  left_ -= n;
  return true;
}

int LineOf(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return mark.line >= 0 ? mark.line + 1 : 0;
}

namespace {
const char* KindName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Scalar:
      return "a single value";
    default:
      return "nothing";
  }
}

void ReportBudget(const YamlFile& file, int line) {
  file.Error(line, "document too large (too many nodes, or aliases that expand too much)");
}
}  // namespace

MapReader::MapReader(const YamlFile& file, const YAML::Node& node, std::string path, int parent_line)
    : file_(file), path_(std::move(path)) {
  line_ = LineOf(node);
  if (line_ == 0) line_ = parent_line;
  if (!node.IsMap()) {
    if (path_.empty() && node.IsNull()) {
      file_.Error(0, "the file is empty (expected a mapping of keys)");
    } else {
      file_.Error(line_, (path_.empty() ? std::string("document") : path_) + ": expected a mapping, got " +
                             KindName(node));
    }
    return;
  }
  if (!file_.budget->Spend(node.size() + 1)) {
    if (file_.budget->exhausted()) ReportBudget(file_, line_);
    return;
  }
  entries_.reserve(node.size());
  std::unordered_set<std::string_view> seen;  // keeps duplicate detection linear for huge mappings
  seen.reserve(node.size());
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;
    const int key_line = LineOf(key) ? LineOf(key) : line_;
    if (!key.IsScalar()) {
      file_.Error(key_line, Key("") + ": a key must be a plain name, got " + KindName(key));
      continue;
    }
    if (!seen.insert(key.Scalar()).second) {
      file_.Error(key_line, Key(key.Scalar()) + ": key appears twice");
      continue;
    }
    entries_.push_back({key.Scalar(), it->second, key_line, false});
  }
  ok_ = true;
}

std::string MapReader::Key(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  if (key.empty()) return path_;
  return path_ + "." + std::string(key);
}

MapReader::Entry* MapReader::Find(std::string_view key) {
  for (Entry& e : entries_) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

const MapReader::Entry* MapReader::Find(std::string_view key) const {
  for (const Entry& e : entries_) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

int MapReader::ValueLine(std::string_view key) const {
  const Entry* e = Find(key);
  if (e == nullptr) return line_;
  const int line = LineOf(e->value);
  return line > 0 ? line : e->line;
}

void MapReader::Allow(std::string_view key) {
  if (Entry* e = Find(key)) e->used = true;
}

std::optional<YAML::Node> MapReader::Get(std::string_view key, bool required) {
  Entry* e = Find(key);
  if (e != nullptr) e->used = true;
  if (e == nullptr || e->value.IsNull() || !e->value.IsDefined()) {
    if (required) file_.Error(e ? ValueLine(key) : line_, Key(key) + ": missing (required)");
    return std::nullopt;
  }
  return e->value;
}

std::optional<std::string> MapReader::String(std::string_view key, bool required) {
  std::optional<YAML::Node> node = Get(key, required);
  if (!node) return std::nullopt;
  if (!node->IsScalar()) {
    file_.Error(ValueLine(key), Key(key) + ": expected a single value, got " + KindName(*node));
    return std::nullopt;
  }
  return node->Scalar();
}

std::optional<std::string> MapReader::Id(std::string_view key, bool required) {
  std::optional<std::string> text = String(key, required);
  if (!text) return std::nullopt;
  if (!Accepts(key, CheckId(Key(key), *text))) return std::nullopt;
  return text;
}

std::optional<MapReader::NumberText> MapReader::ReadNumber(std::string_view key, bool required) {
  std::optional<std::string> text = String(key, required);
  if (!text) return std::nullopt;
  std::optional<double> value = ParseNumber(*text);
  if (!value) {
    file_.Error(ValueLine(key), Key(key) + ": " + Quote(*text) + " is not a number");
    return std::nullopt;
  }
  return NumberText{std::move(*text), *value};
}

bool MapReader::Accepts(std::string_view key, std::string message) {
  if (message.empty()) return true;
  file_.Error(ValueLine(key), std::move(message));
  return false;
}

std::optional<double> MapReader::Number(std::string_view key, bool required, NumRule rule) {
  std::optional<NumberText> read = ReadNumber(key, required);
  if (!read || !Accepts(key, CheckNumber(Key(key), read->text, read->value, rule))) return std::nullopt;
  return read->value;
}

std::optional<int32_t> MapReader::Week(std::string_view key, bool required, WeekRule rule) {
  std::optional<NumberText> read = ReadNumber(key, required);
  if (!read || !Accepts(key, CheckWeek(Key(key), read->text, read->value, rule, file_.horizon))) return std::nullopt;
  return static_cast<int32_t>(read->value);
}

std::optional<YAML::Node> MapReader::List(std::string_view key, bool required) {
  std::optional<YAML::Node> node = Get(key, required);
  if (!node) return std::nullopt;
  if (!node->IsSequence()) {
    file_.Error(ValueLine(key), Key(key) + ": expected a list, got " + KindName(*node));
    return std::nullopt;
  }
  return node;
}

void MapReader::Finish(const std::string& hint) {
  if (!ok_) return;
  for (const Entry& e : entries_) {
    if (!e.used) file_.Error(e.line, Key(e.key) + ": unknown key" + (hint.empty() ? "" : " (" + hint + ")"));
  }
}

void ReadYamlMapping(std::string_view text, const std::string& file, Diagnostics* diag, int32_t horizon,
                     const std::function<void(YamlFile& f, MapReader& m)>& read) {
  std::optional<YAML::Node> root = ParseYaml(text, file, diag);
  if (!root) return;
  YamlBudget budget(text.size());
  YamlFile f{file, diag, &budget, horizon};
  MapReader m(f, *root, "", 1);
  if (!m.ok()) return;
  read(f, m);
}

void ForEachItem(const YamlFile& file, const YAML::Node& list, int parent_line,
                 const std::function<void(const YAML::Node&, size_t, int)>& fn) {
  if (!list.IsSequence()) return;
  if (!file.budget->Spend(list.size() + 1)) {
    if (file.budget->exhausted()) ReportBudget(file, parent_line);
    return;
  }
  size_t i = 0;
  for (auto it = list.begin(); it != list.end(); ++it, ++i) {
    if (file.budget->exhausted()) return;
    const YAML::Node item = *it;
    const int line = LineOf(item) ? LineOf(item) : parent_line;
    fn(item, i, line);
  }
}

std::vector<std::pair<std::string, int>> IdList(const YamlFile& file, const YAML::Node& list, const std::string& key,
                                                int parent_line) {
  std::vector<std::pair<std::string, int>> out;
  ForEachItem(file, list, parent_line, [&](const YAML::Node& item, size_t i, int line) {
    const std::string item_key = key + "[" + std::to_string(i) + "]";
    if (!item.IsScalar()) {
      file.Error(line, item_key + ": expected an id, got " + KindName(item));
      return;
    }
    std::string message = CheckId(item_key, item.Scalar());
    if (!message.empty()) {
      file.Error(line, std::move(message));
      return;
    }
    out.emplace_back(item.Scalar(), line);
  });
  return out;
}

// ---- CSV ------------------------------------------------------------------

CsvRows::CsvRows(LoadContext* ctx, std::string file, const CsvTable* table, std::vector<CsvColumn> columns)
    : ctx_(ctx), file_(std::move(file)), table_(table), columns_(std::move(columns)) {
  index_.assign(columns_.size(), -1);
  std::string known;
  for (const CsvColumn& c : columns_) known += (known.empty() ? "" : ", ") + std::string(c.name);
  const int line = table_->header_line();
  const std::vector<std::string>& header = table_->header();
  for (size_t t = 0; t < header.size(); ++t) {
    size_t k = 0;
    while (k < columns_.size() && header[t] != columns_[k].name) ++k;
    if (k == columns_.size()) {
      ctx_->diag.Add(file_, line, "unknown column " + Quote(header[t]) + " (columns: " + known + ")");
    } else if (index_[k] >= 0) {
      ctx_->diag.Add(file_, line, "column " + Quote(header[t]) + " appears twice");
    } else {
      index_[k] = static_cast<int>(t);
    }
  }
  if (line == 0) return;  // empty file: already reported
  for (size_t k = 0; k < columns_.size(); ++k) {
    if (columns_[k].required && index_[k] < 0) {
      ctx_->diag.Add(file_, line, std::string("required column '") + columns_[k].name + "' is missing");
    }
  }
}

std::string_view CsvRows::Cell(size_t row, size_t col) const {
  return index_[col] < 0 ? std::string_view() : table_->cell(row, static_cast<size_t>(index_[col]));
}

void CsvRows::Error(size_t row, std::string message) { ctx_->diag.Add(file_, line(row), std::move(message)); }

std::optional<std::string_view> CsvRows::Text(size_t row, size_t col) {
  std::string_view text = Cell(row, col);
  if (text.empty() && columns_[col].required) {
    if (index_[col] >= 0) Error(row, std::string(columns_[col].name) + ": missing (required)");
    return std::nullopt;
  }
  return text;
}

std::optional<std::string_view> CsvRows::Id(size_t row, size_t col) {
  std::optional<std::string_view> text = Text(row, col);
  if (!text) return std::nullopt;
  std::string message = CheckId(columns_[col].name, *text);
  if (!message.empty()) {
    Error(row, std::move(message));
    return std::nullopt;
  }
  return text;
}

std::optional<double> CsvRows::Number(size_t row, size_t col, NumRule rule) {
  std::optional<std::string_view> text = Text(row, col);
  if (!text) return std::nullopt;
  if (text->empty()) return 0.0;
  std::optional<double> value = ParseNumber(*text);
  if (!value) {
    Error(row, std::string(columns_[col].name) + ": " + Quote(*text) + " is not a number");
    return std::nullopt;
  }
  std::string message = CheckNumber(columns_[col].name, *text, *value, rule);
  if (!message.empty()) {
    Error(row, std::move(message));
    return std::nullopt;
  }
  return value;
}

std::optional<int32_t> CsvRows::Week(size_t row, size_t col, WeekRule rule) {
  std::optional<std::string_view> text = Text(row, col);
  if (!text) return std::nullopt;
  std::optional<double> value = text->empty() ? std::optional<double>(0.0) : ParseNumber(*text);
  if (!value) {
    Error(row, std::string(columns_[col].name) + ": " + Quote(*text) + " is not a number");
    return std::nullopt;
  }
  std::string message = CheckWeek(columns_[col].name, text->empty() ? "0" : *text, *value, rule, ctx_->horizon);
  if (!message.empty()) {
    Error(row, std::move(message));
    return std::nullopt;
  }
  return static_cast<int32_t>(*value);
}

}  // namespace rackforge::io::internal
