#pragma once
// `rackforge generate`: writes a valid synthetic scenario of a chosen size
// (benchmarks, scale tests). Every design is sized so that it passes every
// design rule of DESIGN.md against its own roadmap requirement (with margins
// of a few per cent), every BOM component has at least one offer, every
// plant has lanes to most sites, and demand holds all three kinds.
//
// Deterministic: the same options give byte-identical files on every
// platform and standard library (SplitMix64 and hand-written distributions,
// only + - * / and rounding on doubles, numbers printed by fmt's shortest
// round-trip format). The files are written by io::ScenarioFiles
// (io/scenario_writer.h), the writer every scenario goes through.

#include <cstdint>
#include <map>
#include <string>

#include "io/scenario_writer.h"
#include "model/scenario.h"

namespace rackforge::io {

/// Size and seed of a synthetic scenario. Limits are checked by
/// ValidateGenerateOptions.
struct GenerateOptions {
  int32_t plants = 5;       // 1..200
  int32_t designs = 4;      // 1..100
  int32_t components = 60;  // designs + 9 .. 100000 (9 shared rack categories + one compute tray per design)
  int32_t suppliers = 30;   // 1..20000
  int32_t weeks = 52;       // horizon, 4..520
  int32_t sites = 8;        // 1..2000
  uint64_t seed = 1;
  int32_t design_space_slots = 0;    // 0 = no design_space.yaml; else slots of the first design's space
  int32_t design_space_options = 0;  // options per slot (1..20) when slots > 0
  /// Phase-out (designs >= 2): the first design's last_build_week is weeks / 2, its demand stops
  /// there, and the offers of its compute tray (a part only it uses) take their last orders 4 weeks
  /// earlier (last_order_week, never before the offer's available_from_week): a last-time buy.
  bool phase_out = false;
  /// end_backlog_penalty_usd_per_rack = this many weekly penalties of each kind (0..520; 0 = none).
  int32_t end_penalty_weeks = 0;
  /// Write supply_lanes.csv: US suppliers deliver to every plant, a foreign one skips some plants;
  /// transit 0-2 weeks and a freight cost per unit. Without it every supplier reaches every plant.
  bool supply_lanes = false;
  /// Write transfers.csv (plants >= 2): a few rows, plant 1 of the file sends to up to 4 other plants a
  /// part each of them uses (transit 0-2 weeks, 1-4 USD/unit).
  bool transfers = false;
  /// Component lines (0..1000): line k at plant k % plants makes a power shelf, CDU, cable cartridge,
  /// manifold or busbar (in turn), from 2 misc parts bought in (component_boms.csv); the first line
  /// also makes its shelf's first part from a third (two levels). With N > 0 one component_line
  /// expansion at the first line's plant makes the first line's component.
  int32_t component_lines = 0;
};

/// Throws common::UsageError naming the first bad option and its value, e.g.
/// "--components: 5 is too small (at least designs + 9 = 13)".
void ValidateGenerateOptions(const GenerateOptions& options);

/// A synthetic scenario and the comments its files start with (the seed and
/// sizes in scenario.yaml, whose first line is kGeneratedHeader).
struct GeneratedScenario {
  model::Scenario scenario;
  ScenarioWriteOptions write;
};

/// The synthetic scenario as a model (what loading its files gives, up to the
/// loader's `folder` and design `file` paths). Validates the options first
/// (common::UsageError). Pure and thread-safe.
GeneratedScenario GenerateScenarioModel(const GenerateOptions& options);

/// The files of a synthetic scenario (GenerateScenarioModel written by
/// io::ScenarioFiles), keyed by their path relative to the
/// scenario folder ("scenario.yaml", "designs/g01.yaml", ...): the same keys
/// as io::ScenarioTexts::files. Validates the options first (common::UsageError).
/// Pure and thread-safe.
std::map<std::string, std::string> GenerateScenarioFiles(const GenerateOptions& options);

/// GenerateScenarioFiles loaded by io::LoadScenarioFromTexts (folder
/// "generated"): the scenario exactly as the commands see a generated folder.
/// For tests and benchmarks. Throws common::UsageError for bad options;
/// io::LoadError would be a bug of the generator.
model::Scenario LoadGeneratedScenario(const GenerateOptions& options);

/// Writes files (as returned by GenerateScenarioFiles) into out_dir,
/// creating it and its designs/ subfolder. Overwrite policy: out_dir must not
/// exist, be empty, or hold a scenario.yaml that rackforge generate wrote
/// (its first line is kGeneratedHeader); in the last case every file a
/// generated scenario can hold (scenario files, designs/*.yaml) is removed
/// first so that no stale design survives. Anything else throws
/// common::UsageError ("OUT: folder is not empty and was not written by
/// rackforge generate"). A file larger than the loader reads
/// (kMaxInputFileBytes) throws common::UsageError before anything is written.
/// File-system failures throw common::UsageError naming the path.
void WriteScenarioFiles(const std::map<std::string, std::string>& files, const std::string& out_dir);

/// GenerateScenarioFiles + WriteScenarioFiles.
void GenerateScenario(const GenerateOptions& options, const std::string& out_dir);

/// First line of every generated scenario.yaml (marks folders that
/// WriteScenarioFiles may overwrite).
inline constexpr const char* kGeneratedHeader = "# Synthetic scenario written by rackforge generate.";

}  // namespace rackforge::io
