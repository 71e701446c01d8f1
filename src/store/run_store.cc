#include "store/run_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "store/store_backends.h"

namespace rackforge::store {

namespace internal {

std::vector<std::vector<std::string>> Migrations(Dialect dialect) {
  const std::string id_column =
      dialect == Dialect::kSqlite ? "id INTEGER PRIMARY KEY AUTOINCREMENT" : "id BIGSERIAL PRIMARY KEY";
  const char* int_type = dialect == Dialect::kSqlite ? "INTEGER" : "BIGINT";
  return {
      // 0 -> 1: the runs table.
      {"CREATE TABLE runs (" + id_column +
       ", kind TEXT NOT NULL, scenario_id TEXT NOT NULL, scenario_name TEXT NOT NULL, created_at TEXT NOT NULL, "
       "options TEXT NOT NULL, input_hash TEXT NOT NULL, status TEXT NOT NULL, result TEXT)"},
      // 1 -> 2: finish time and an index for listing by kind.
      {"ALTER TABLE runs ADD COLUMN finished_at TEXT", "CREATE INDEX runs_kind ON runs (kind, id)"},
      // 2 -> 3: one status vocabulary, one scenario id, and the owner process of each run.
      {
          "ALTER TABLE runs ADD COLUMN owner_host TEXT NOT NULL DEFAULT ''",
          std::string("ALTER TABLE runs ADD COLUMN owner_pid ") + int_type + " NOT NULL DEFAULT 0",
          std::string("ALTER TABLE runs ADD COLUMN owner_start ") + int_type + " NOT NULL DEFAULT 0",
          // Runs the CLI stored with the solve outcome as status: they have a result.
          "UPDATE runs SET status = 'done' WHERE status IN ('optimal', 'time_limit', 'infeasible', 'unbounded')",
          "UPDATE runs SET status = 'failed' WHERE status = 'error'",
          // Unfinished runs of the old schema have no known owner: they can never finish now.
          "UPDATE runs SET status = 'interrupted', finished_at = COALESCE(finished_at, created_at), "
          "result = COALESCE(result, '{\"error\":\"interrupted (no owner recorded by the old schema)\"}') "
          "WHERE status IN ('running', 'queued')",
          // The CLI stored the scenario as the path it was given; `serve` uses the folder name.
          dialect == Dialect::kSqlite
              ? "UPDATE runs SET scenario_id = replace(rtrim(scenario_id, '/'), rtrim(rtrim(scenario_id, '/'), "
                "replace(rtrim(scenario_id, '/'), '/', '')), '') WHERE instr(scenario_id, '/') > 0"
              : "UPDATE runs SET scenario_id = regexp_replace(rtrim(scenario_id, '/'), '^.*/', '') "
                "WHERE position('/' in scenario_id) > 0",
          "CREATE INDEX runs_status ON runs (status)",
      },
      // 3 -> 4: the quantities of plan runs (baselines of re-plans, runs diff), one row per run:
      // EncodeQuantities' JSON of the non-zero make, makec, buy, xfer and ship by ids and ISO week.
      {std::string("CREATE TABLE run_quantities (run_id ") + int_type +
       " PRIMARY KEY REFERENCES runs (id), format INTEGER NOT NULL, data TEXT NOT NULL)"},
  };
}

std::string UtcNowIso() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string HidePassword(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const size_t at = url.find('@', scheme + 3);
  if (at == std::string::npos) return url;
  const size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

std::string CheckNewRun(const NewRun& run, const std::string& where, io::ProcessOwner& owner) {
  if (run.status != run_status::kRunning && run.status != run_status::kQueued) {
    throw StoreError(fmt::format("run store {}: a new run cannot have status '{}'", where, run.status));
  }
  owner = run.owner.pid == 0 ? io::CurrentProcess() : run.owner;
  return run.status;
}

void CheckFinishedStatus(const std::string& status, const std::string& where) {
  if (!run_status::IsFinished(status)) {
    throw StoreError(fmt::format("run store {}: '{}' is not a finished run status", where, status));
  }
}

std::string InterruptedResult(const io::ProcessOwner& owner) {
  return nlohmann::json{
      {"error", fmt::format("interrupted: process {} on {} ended before the run finished", owner.pid, owner.host)}}
      .dump();
}

}  // namespace internal

bool run_status::IsFinished(const std::string& status) {
  return status == kDone || status == kFailed || status == kCancelled || status == kInterrupted;
}

std::string ScenarioIdOf(const std::string& folder) {
  std::filesystem::path path(folder);
  while (!path.empty() && path.filename().empty()) path = path.parent_path();  // trailing "/"
  const std::string name = path.filename().string();
  if (name == "." || name == ".." || name.empty()) {
    return std::filesystem::weakly_canonical(std::filesystem::absolute(folder)).filename().string();
  }
  return name;
}

namespace {

bool IsPostgresUrl(const std::string& where) {
  return where.rfind("postgresql://", 0) == 0 || where.rfind("postgres://", 0) == 0;
}

bool Differs(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.is_number() && b.is_number()) {
    const double x = a.get<double>(), y = b.get<double>();
    return std::abs(x - y) > 1e-9 * std::max({1.0, std::abs(x), std::abs(y)});
  }
  return a != b;
}

nlohmann::json Change(const nlohmann::json& a, const nlohmann::json& b) {
  nlohmann::json change = {{"a", a}, {"b", b}};
  if (a.is_number() && b.is_number()) change["delta"] = b.get<double>() - a.get<double>();
  return change;
}

// Scalars of an object, nested objects flattened as "outer.inner" (arrays left out).
void Flatten(const nlohmann::json& value, const std::string& prefix, int depth, std::map<std::string, nlohmann::json>& out) {
  if (!value.is_object()) return;
  for (const auto& [key, item] : value.items()) {
    const std::string path = prefix.empty() ? key : prefix + "." + key;
    if (item.is_object()) {
      if (depth > 0) Flatten(item, path, depth - 1, out);
    } else if (!item.is_array()) {
      out[path] = item;
    }
  }
}

nlohmann::json DiffFlat(const nlohmann::json& a, const nlohmann::json& b, int depth) {
  std::map<std::string, nlohmann::json> fa, fb;
  Flatten(a, "", depth, fa);
  Flatten(b, "", depth, fb);
  std::set<std::string> keys;
  for (const auto& [k, v] : fa) keys.insert(k);
  for (const auto& [k, v] : fb) keys.insert(k);
  nlohmann::json out = nlohmann::json::object();
  for (const std::string& k : keys) {
    const nlohmann::json va = fa.count(k) ? fa[k] : nlohmann::json(nullptr);
    const nlohmann::json vb = fb.count(k) ? fb[k] : nlohmann::json(nullptr);
    if (Differs(va, vb)) out[k] = Change(va, vb);
  }
  return out;
}

std::set<std::string> StringSet(const nlohmann::json& value) {
  std::set<std::string> out;
  if (value.is_array()) {
    for (const auto& item : value) {
      if (item.is_string()) out.insert(item.get<std::string>());
    }
  }
  return out;
}

nlohmann::json ExpansionDiff(const nlohmann::json& ra, const nlohmann::json& rb) {
  const std::set<std::string> a = StringSet(ra.value("expansions_opened", nlohmann::json::array()));
  const std::set<std::string> b = StringSet(rb.value("expansions_opened", nlohmann::json::array()));
  nlohmann::json only_a = nlohmann::json::array(), only_b = nlohmann::json::array();
  for (const std::string& e : a) {
    if (!b.count(e)) only_a.push_back(e);
  }
  for (const std::string& e : b) {
    if (!a.count(e)) only_b.push_back(e);
  }
  return {{"only_in_a", only_a}, {"only_in_b", only_b}};
}

}  // namespace

std::string RunStore::CreateRun(const std::string& scenario_id, const std::string& kind, const nlohmann::json& options) {
  NewRun run;
  run.kind = kind;
  run.scenario_id = scenario_id;
  run.scenario_name = scenario_id;
  run.options = options;
  return CreateRun(run);
}

nlohmann::json RunStore::Diff(const std::string& a, const std::string& b) {
  const std::optional<nlohmann::json> ra = Get(a);
  if (!ra) throw StoreError(fmt::format("{}: no run with id '{}'", Describe(), a));
  const std::optional<nlohmann::json> rb = Get(b);
  if (!rb) throw StoreError(fmt::format("{}: no run with id '{}'", Describe(), b));
  nlohmann::json diff = DiffRuns(*ra, *rb);
  const std::optional<model::KeyedQuantities> qa = GetQuantities(a);
  const std::optional<model::KeyedQuantities> qb = qa ? GetQuantities(b) : std::nullopt;
  diff["plan"] = qa && qb ? DiffQuantities(*qa, *qb) : nlohmann::json(nullptr);
  return diff;
}

nlohmann::json DiffRuns(const nlohmann::json& a, const nlohmann::json& b) {
  nlohmann::json inputs = nlohmann::json::object();
  for (const char* key : {"kind", "scenario_id", "scenario_name", "input_hash"}) {
    const nlohmann::json va = a.value(key, nlohmann::json()), vb = b.value(key, nlohmann::json());
    if (Differs(va, vb)) inputs[key] = Change(va, vb);
  }
  const nlohmann::json options = DiffFlat(a.value("options", nlohmann::json::object()),
                                          b.value("options", nlohmann::json::object()), 2);
  for (const auto& [key, change] : options.items()) inputs["options." + key] = change;

  const nlohmann::json ra = a.value("result", nlohmann::json::object()), rb = b.value("result", nlohmann::json::object());
  nlohmann::json results = nlohmann::json::object();
  if (Differs(a.value("status", ""), b.value("status", ""))) {
    results["run_status"] = Change(a.value("status", ""), b.value("status", ""));
  }
  const nlohmann::json result_changes = DiffFlat(ra.is_object() ? ra : nlohmann::json::object(),
                                                 rb.is_object() ? rb : nlohmann::json::object(), 1);
  for (const auto& [key, change] : result_changes.items()) results[key] = change;
  if (ra.is_object() && rb.is_object()) {
    const nlohmann::json expansions = ExpansionDiff(ra, rb);
    if (!expansions["only_in_a"].empty() || !expansions["only_in_b"].empty()) results["expansions_opened"] = expansions;
  }
  return {{"a", a.value("id", "")}, {"b", b.value("id", "")}, {"inputs", inputs}, {"results", results}};
}

namespace {

/// FNV-1a over bytes, continued across calls.
class Fnv1a {
 public:
  void Mix(const char* data, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      hash_ ^= static_cast<unsigned char>(data[i]);
      hash_ *= 0x100000001b3ULL;
    }
  }
  /// Mixes a file's bytes; false when it cannot be opened.
  bool MixFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    char buffer[8192];
    while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) Mix(buffer, static_cast<size_t>(in.gcount()));
    return true;
  }
  std::string Hex() const { return fmt::format("{:016x}", hash_); }

 private:
  uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace

std::string ScenarioFolderHash(const std::string& folder) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (folder.empty() || !fs::is_directory(folder, ec)) return "";
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(folder, ec)) {
    if (entry.is_regular_file()) files.push_back(fs::relative(entry.path(), folder));
  }
  std::sort(files.begin(), files.end());
  Fnv1a hash;
  for (const fs::path& rel : files) {
    const std::string name = rel.generic_string();
    hash.Mix(name.c_str(), name.size() + 1);  // include the terminating NUL as a separator
    hash.MixFile(fs::path(folder) / rel);
    hash.Mix("\0", 1);
  }
  return hash.Hex();
}

std::string FileHash(const std::string& path) {
  Fnv1a hash;
  return hash.MixFile(path) ? hash.Hex() : "";
}

std::unique_ptr<RunStore> OpenRunStore(const std::string& where, bool create_if_missing) {
  if (where.empty()) throw StoreError("run store: empty --db path");
  std::unique_ptr<RunStore> store =
      IsPostgresUrl(where) ? internal::OpenPostgres(where) : internal::OpenSqlite(where, create_if_missing);
  store->MarkInterrupted();
  return store;
}

}  // namespace rackforge::store
